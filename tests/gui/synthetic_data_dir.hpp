// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A synthetic zzpingd data directory for GUI tests and benchmarks: raw hour files for the
// hours asked for (frames of SyntheticHost, reproducible per hour with raw_hour_frames),
// and the 1 s, 1 min and 1 h tiers over the whole span as the daemon writes them
// (native::TierAggregator): from those raw frames where written, elsewhere from cheap
// synthetic 1 s frames (a year of raw frames would take hours to generate).
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "synthetic_host.hpp"
#include "zzping/formats/native/file_format.hpp"
#include "zzping/formats/native/layout.hpp"
#include "zzping/formats/native/tiers.hpp"

namespace zzping::testing {

constexpr std::int64_t kHourMs = 3'600'000;

// The raw frames of the hour starting at hour_start_ms (36 000 frames of 100 ms).
inline std::vector<Frame> raw_hour_frames(std::int64_t hour_start_ms) {
  SyntheticHost gen(hour_start_ms, static_cast<std::uint64_t>(hour_start_ms / kHourMs));
  std::vector<Frame> frames;
  frames.reserve(36'000);
  for (int i = 0; i < 36'000; ++i) frames.push_back(gen.next());
  return frames;
}

// A 1 s frame of 10 probes per 100 ms: RTTs around 1.5 ms, drifting with the time of day;
// a fully lost second every 1000 s.
inline Frame synthetic_second(std::int64_t t_ms) {
  Frame f;
  f.t_ms = t_ms;
  f.length_ms = 1000;
  f.sent = 100;
  const std::int64_t s = t_ms / 1000;
  f.lost = s % 1000 == 0 ? 100 : static_cast<std::uint32_t>(s % 97 == 0);
  f.recv = f.sent - f.lost;
  if (f.recv > 0) {
    const double base = 1200.0 + 400.0 * static_cast<double>((t_ms / kHourMs) % 24) / 24.0;
    f.rtt.add_us(base, f.recv - f.recv / 4);
    f.rtt.add_us(base + 250.0, f.recv / 4 - f.recv / 20);
    f.rtt.add_us(base + 2500.0, f.recv / 20);
  }
  return f;
}

struct DataDirSpec {
  std::filesystem::path dir;
  std::string host = "synthetic";
  std::int64_t t0_ms = 0;   // hour-aligned
  std::int64_t hours = 24;
  std::function<bool(std::int64_t hour_index)> raw_hour = [](std::int64_t) { return true; };
  // Only raw frames starting in [t0 + keep_from_ms, t0 + keep_to_ms) are written (a short
  // recording that starts and ends inside an hour); keep_to_ms 0: to the end.
  std::int64_t keep_from_ms = 0;
  std::int64_t keep_to_ms = 0;
};

struct DataDirStats {
  std::uint64_t raw_frames = 0;
  std::uint64_t tier_frames = 0;
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
};

// One series of files (raw hours, or one tier): frames go to the file their start time
// names; a file is written when the next one begins.
class SeriesWriter {
 public:
  SeriesWriter(native::FileHeader header, std::function<std::filesystem::path(std::int64_t)> name,
               DataDirStats& stats)
      : header_(std::move(header)), name_(std::move(name)), stats_(stats) {}
  ~SeriesWriter() noexcept(false) { flush(); }

  void add(const Frame& f) {
    std::filesystem::path p = name_(f.t_ms);
    if (p != path_) {
      flush();
      path_ = std::move(p);
      start_ms_ = f.t_ms;
    }
    frames_.push_back(f);
  }

  void flush() {
    if (frames_.empty()) return;
    native::FileHeader h = header_;
    h.start_ms = start_ms_;
    std::vector<std::uint8_t> bytes = native::encode_header(h);
    for (std::size_t i = 0; i < frames_.size(); i += 600) {
      const std::size_t n = std::min<std::size_t>(600, frames_.size() - i);
      native::append_frame_record(std::span(frames_).subspan(i, n), h, bytes);
    }
    std::filesystem::create_directories(path_.parent_path());
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path_.string());
    ++stats_.files;
    stats_.bytes += bytes.size();
    frames_.clear();
  }

 private:
  native::FileHeader header_;
  std::function<std::filesystem::path(std::int64_t)> name_;
  DataDirStats& stats_;
  std::filesystem::path path_;
  std::int64_t start_ms_ = 0;
  std::vector<Frame> frames_;
};

inline native::FileHeader synthetic_header(const std::string& host, std::uint32_t tier_ms) {
  native::FileHeader h;
  h.host = host;
  h.address = "192.0.2.7";
  h.frame_ms = tier_ms == 0 ? 100 : tier_ms;
  h.software = "zzping test generator";
  h.tier_ms = tier_ms;
  return h;
}

inline DataDirStats write_data_dir(const DataDirSpec& spec) {
  namespace layout = native::layout;
  DataDirStats stats;
  {
    SeriesWriter raw(synthetic_header(spec.host, 0),
                     [&](std::int64_t t) { return layout::raw_file(spec.dir, spec.host, t); }, stats);
    std::vector<std::unique_ptr<SeriesWriter>> tiers;
    for (native::Tier tier : native::kTiers) {
      tiers.push_back(std::make_unique<SeriesWriter>(
          synthetic_header(spec.host, native::tier_length_ms(tier)),
          [&, tier](std::int64_t t) { return layout::tier_file(spec.dir, spec.host, tier, t); }, stats));
    }
    native::TierAggregator aggregator;
    std::vector<native::TierFrame> completed;
    const auto to_tiers = [&](const Frame& f) {
      aggregator.add(f, completed);
      for (const native::TierFrame& t : completed) {
        tiers[static_cast<std::size_t>(t.tier)]->add(t.frame);
        ++stats.tier_frames;
      }
      completed.clear();
    };
    for (std::int64_t h = 0; h < spec.hours; ++h) {
      const std::int64_t start = spec.t0_ms + h * kHourMs;
      if (spec.raw_hour(h)) {
        for (const Frame& f : raw_hour_frames(start)) {
          if (f.t_ms < spec.t0_ms + spec.keep_from_ms) continue;
          if (spec.keep_to_ms > 0 && f.t_ms >= spec.t0_ms + spec.keep_to_ms) continue;
          raw.add(f);
          ++stats.raw_frames;
          to_tiers(f);
        }
      } else {
        for (std::int64_t s = 0; s < 3600; ++s) to_tiers(synthetic_second(start + s * 1000));
      }
    }
    aggregator.flush(completed);
    for (const native::TierFrame& t : completed) {
      tiers[static_cast<std::size_t>(t.tier)]->add(t.frame);
      ++stats.tier_frames;
    }
  }
  return stats;
}

}  // namespace zzping::testing
