// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The part of a backfill older than the server's memory: one host's raw hour files in the
// daemon's data directory (native/layout.hpp), read record by record in time order, the
// numbered restart files of an hour (.1.zzf, .2.zzf...) after its first file. Only one
// file's bytes are held at a time, and only while it is being read, so a client's disk
// backfill costs at most one hour file of memory. A cut last record (kill -9) ends that
// file quietly; damaged bytes end it with a warning; the next file is read either way.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "zzping/common/frame.hpp"
#include "zzping/formats/native/file_reader.hpp"
#include "zzping/formats/stream/messages.hpp"

namespace zzping::stream {

// One record of a file: frames (time order), loss events, an incident or a path snapshot;
// the others are empty. Events read from kind 4 records (format 1.2) carry their cause;
// incidents (kind 5) ending and paths (kind 6) taken at or after since_ms come too.
struct DiskRecord {
  std::vector<Frame> frames;
  std::vector<EventMessage> events;
  std::vector<attribution::Incident> incidents;
  std::vector<PathSnapshot> paths;
};

class DiskBackfill {
 public:
  // Files larger than this are skipped with a warning (an hour file at 1000 probes/s is
  // a few MB): a stray huge file must not cost a client unbounded memory.
  static constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{256} << 20;

  // Lists the host's raw files that may hold frames at or after since_ms (no file is read yet).
  DiskBackfill(const std::filesystem::path& data_dir, const std::string& host, std::int64_t since_ms);

  // The next record with something at or after since_ms: frames strictly later than every
  // frame returned before (restart files may overlap), or events / incidents ending at or
  // after since_ms, or a path taken then. False once every file has been read.
  bool next(DiskRecord& out);

  std::size_t file_count() const { return files_.size(); }

 private:
  bool open_next_file();
  void close_file();
  bool take(const native::Record& record, DiskRecord& out);

  std::string host_;
  std::int64_t since_ms_;
  std::vector<std::filesystem::path> files_;  // time order
  std::size_t next_file_ = 0;
  std::unique_ptr<native::FileReader> file_;
  std::optional<native::StreamReader> reader_;
  native::Record record_;
  std::int64_t last_frame_ms_ = INT64_MIN;
};

}  // namespace zzping::stream
