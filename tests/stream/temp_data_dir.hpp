// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A throw-away daemon data directory with raw hour files written as FileSink lays them out,
// for the backfill tests (disk_backfill_test.cpp, server_tcp_test.cpp).
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include "zzping/formats/native/file_format.hpp"
#include "zzping/formats/native/layout.hpp"

namespace zzping::stream {

class TempDataDir {
 public:
  static constexpr std::int64_t kHourMs = 3'600'000;

  explicit TempDataDir(const std::string& stem = "zzping-disk-backfill")
      : dir_(std::filesystem::temp_directory_path() / (stem + "-" + std::to_string(getpid()))) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~TempDataDir() { std::filesystem::remove_all(dir_); }
  TempDataDir(const TempDataDir&) = delete;
  TempDataDir& operator=(const TempDataDir&) = delete;
  const std::filesystem::path& path() const { return dir_; }

  // A raw hour file as FileSink writes it: one record per second of frames (a flush), and
  // the events, if any, after the first record; `more`: records appended at the end.
  // Returns its path.
  std::filesystem::path write(const std::string& host, std::span<const Frame> frames, unsigned sequence,
                              std::span<const LossEvent> events = {}, std::span<const std::uint8_t> more = {}) {
    native::FileHeader header;
    header.host = host;
    header.start_ms = frames.front().t_ms / kHourMs * kHourMs;
    std::vector<std::uint8_t> bytes = native::encode_header(header);
    for (std::size_t i = 0; i < frames.size(); i += 10) {
      native::append_frame_record(frames.subspan(i, std::min<std::size_t>(10, frames.size() - i)), header, bytes);
      if (i == 0 && !events.empty()) native::append_events_record(events, header, bytes);
    }
    bytes.insert(bytes.end(), more.begin(), more.end());
    const std::filesystem::path p = native::layout::raw_file(dir_, host, frames.front().t_ms, sequence);
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return p;
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace zzping::stream
