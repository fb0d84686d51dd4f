// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A synthetic zzpingd data directory for GUI tests and benchmarks: raw hour files for the
// hours asked for (frames of SyntheticHost, reproducible per hour with raw_hour_frames),
// and the 1 s, 1 min and 1 h tiers over the whole span as the daemon writes them
// (native::TierAggregator): from those raw frames where written, elsewhere from cheap
// synthetic 1 s frames (a year of raw frames would take hours to generate).
//
// Beside the raw frames, the evidence zzpingd records (format 1.2): every loss burst of the
// frames (>= 2 consecutive lost probes in send order, kind 4, with a cause), an incident
// per outage (kind 5, with targets and last_hop), and path snapshots (kind 6: one per
// outage, one per hour). Each record goes to the raw file open when the daemon would write
// it (the burst's end), so `zzping-dump --summary` counts exactly the bursts of the frames.
// Hours written as tiers only stand for pruned raw files: their bursts are not recorded.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "synthetic_host.hpp"
#include "zzping/common/attribution.hpp"
#include "zzping/common/path.hpp"
#include "zzping/formats/native/evidence_records.hpp"
#include "zzping/formats/native/file_format.hpp"
#include "zzping/formats/native/layout.hpp"
#include "zzping/formats/native/tiers.hpp"

namespace zzping::testing {

constexpr std::int64_t kHourMs = 3'600'000;

// The SyntheticHost of one raw hour: `seed` 0 gives the frames every test knows; other
// seeds give other hosts. probes_per_frame = pings per second / 10.
inline SyntheticHost hour_generator(std::int64_t hour_start_ms, std::uint64_t seed = 0,
                                    std::uint32_t probes_per_frame = 10) {
  return SyntheticHost(hour_start_ms, static_cast<std::uint64_t>(hour_start_ms / kHourMs) + seed * 1'000'003u,
                       probes_per_frame);
}

// The raw frames of the hour starting at hour_start_ms (36 000 frames of 100 ms).
inline std::vector<Frame> raw_hour_frames(std::int64_t hour_start_ms, std::uint64_t seed = 0,
                                          std::uint32_t probes_per_frame = 10) {
  SyntheticHost gen = hour_generator(hour_start_ms, seed, probes_per_frame);
  std::vector<Frame> frames;
  frames.reserve(36'000);
  for (int i = 0; i < 36'000; ++i) frames.push_back(gen.next());
  return frames;
}

// A 1 s frame of `probes_per_s` probes: RTTs around 1.5 ms, drifting with the time of
// day; a fully lost second every 1000 s.
inline Frame synthetic_second(std::int64_t t_ms, std::uint32_t probes_per_s = 100) {
  Frame f;
  f.t_ms = t_ms;
  f.length_ms = 1000;
  f.sent = probes_per_s;
  const std::int64_t s = t_ms / 1000;
  f.lost = s % 1000 == 0 ? probes_per_s : static_cast<std::uint32_t>(s % 97 == 0);
  f.recv = f.sent - f.lost;
  if (f.recv > 0) {
    const double base = 1200.0 + 400.0 * static_cast<double>((t_ms / kHourMs) % 24) / 24.0;
    f.rtt.add_us(base, f.recv - f.recv / 4);
    f.rtt.add_us(base + 250.0, f.recv / 4 - f.recv / 20);
    f.rtt.add_us(base + 2500.0, f.recv / 20);
  }
  return f;
}

// Loss bursts from the lost probes of consecutive frames, as zzpingd finds them: a run of
// >= 2 lost probes in send order ends at the next answered probe (or a gap in the frames).
class BurstFinder {
 public:
  // Feeds one frame (probe i sent at t_ms + i * length_ms / sent); appends to `ended` the
  // bursts that ended in it.
  void add(const Frame& f, std::span<const std::uint32_t> lost, std::vector<LossEvent>& ended) {
    if (next_t_ms_ && f.t_ms != *next_t_ms_) finish(ended);  // a gap: the daemon was not running
    next_t_ms_ = f.t_ms + f.length_ms;
    if (lost.empty() && count_ == 0) return;  // the usual frame: nothing to walk
    std::size_t k = 0;
    for (std::uint32_t i = 0; i < f.sent; ++i) {
      const std::int64_t t = f.t_ms + static_cast<std::int64_t>(i) * f.length_ms / f.sent;
      if (k < lost.size() && lost[k] == i) {
        ++k;
        if (count_ == 0) start_ms_ = t;
        last_ms_ = t;
        ++count_;
      } else {
        finish(ended);
        if (k == lost.size()) return;  // the rest of the frame was answered
      }
    }
  }
  void finish(std::vector<LossEvent>& ended) {
    if (count_ >= 2) ended.push_back(LossEvent{start_ms_, last_ms_, count_});
    count_ = 0;
  }
  void break_chain(std::vector<LossEvent>& ended) {
    finish(ended);
    next_t_ms_.reset();
  }

 private:
  std::optional<std::int64_t> next_t_ms_;
  std::int64_t start_ms_ = 0;
  std::int64_t last_ms_ = 0;
  std::uint32_t count_ = 0;
};

// The evidence zzpingd would write for a burst of `host` (a gateway 192.0.2.1, an ISP hop
// 198.51.100.1, the host at 192.0.2.7): the cause cycles with the time, so every cause
// shows; bursts of a whole second or more are outages and get an incident and a trace.
struct BurstEvidence {
  native::AttributedLossEvent burst;
  std::optional<attribution::Incident> incident;
  std::optional<PathSnapshot> path;
};

inline PathSnapshot synthetic_path(std::int64_t t_ms, PathTrigger trigger, attribution::Cause cause) {
  using attribution::Cause;
  PathSnapshot p;
  p.t_ms = t_ms;
  p.trigger = trigger;
  const bool gateway = trigger != PathTrigger::loss_burst || cause != Cause::local;
  const bool isp = gateway && (trigger != PathTrigger::loss_burst || cause == Cause::destination ||
                               cause == Cause::unknown || cause == Cause::gateway_only);
  p.reached = trigger != PathTrigger::loss_burst;
  p.hops.push_back({1, gateway ? "192.0.2.1" : "", gateway ? std::optional<std::uint32_t>(450) : std::nullopt});
  p.hops.push_back({2, isp ? "198.51.100.1" : "", isp ? std::optional<std::uint32_t>(900) : std::nullopt});
  if (p.reached) p.hops.push_back({3, "192.0.2.7", 1400});
  return p;
}

inline BurstEvidence evidence_for(const LossEvent& e, const std::string& host) {
  using attribution::Cause;
  static constexpr Cause kCycle[] = {Cause::local, Cause::upstream, Cause::destination, Cause::gateway_only,
                                     Cause::unknown};
  const Cause cause = kCycle[static_cast<std::size_t>(e.start_ms / 600'000) % 5];
  BurstEvidence out;
  out.burst.event = e;
  out.burst.cause = cause;
  out.burst.reason = std::string("synthetic ") + std::string(attribution::to_string(cause));
  switch (cause) {
    case Cause::local: out.burst.lost_too = {"gateway", "isp"}; break;
    case Cause::upstream: out.burst.lost_too = {"isp"}; out.burst.answered = {"gateway"}; break;
    case Cause::destination: out.burst.answered = {"gateway", "isp"}; break;
    case Cause::gateway_only: out.burst.answered = {"isp"}; break;
    case Cause::unknown: break;
  }
  if (e.end_ms - e.start_ms < 1000) return out;  // a short burst: no incident, no trace
  attribution::Incident incident;
  incident.start_ms = e.start_ms;
  incident.end_ms = e.end_ms;
  incident.cause = cause;
  incident.targets = {host};
  for (const std::string& t : out.burst.lost_too) incident.targets.push_back(t);
  std::sort(incident.targets.begin(), incident.targets.end());
  incident.probes_lost = e.probes_lost;
  out.path = synthetic_path(e.start_ms + 500, PathTrigger::loss_burst, cause);
  incident.last_hop = last_answering_hop(*out.path);
  out.incident = std::move(incident);
  return out;
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
  std::uint64_t seed = 0;            // 0: the frames every test knows; others: other hosts
  std::uint32_t pings_per_s = 100;   // a multiple of 10, at most 640 (10 per 100 ms frame by default)
  bool evidence = true;              // loss bursts, incidents and paths beside the raw frames
};

struct DataDirStats {
  std::uint64_t raw_frames = 0;
  std::uint64_t tier_frames = 0;
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
  std::uint64_t bursts = 0;
  std::uint64_t incidents = 0;
  std::uint64_t paths = 0;
};

// One series of files (raw hours, or one tier): frames go to the file their start time
// names, records to the file open (the last frame's); a file is written when the next one
// begins.
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
      header_.start_ms = f.t_ms;
      bytes_ = native::encode_header(header_);
    }
    frames_.push_back(f);
    if (frames_.size() == 600) write_frames();
  }

  // A record after the frames added so far (a file must be open: add a frame first).
  void add_record(const std::function<void(std::vector<std::uint8_t>&)>& append) {
    if (path_.empty()) throw std::logic_error("SeriesWriter: a record before any frame");
    write_frames();
    append(bytes_);
  }

  void flush() {
    if (path_.empty()) return;
    write_frames();
    std::filesystem::create_directories(path_.parent_path());
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes_.data()), static_cast<std::streamsize>(bytes_.size()));
    if (!out) throw std::runtime_error("cannot write " + path_.string());
    ++stats_.files;
    stats_.bytes += bytes_.size();
    bytes_.clear();
    path_.clear();
  }

 private:
  void write_frames() {
    if (!frames_.empty()) native::append_frame_record(frames_, header_, bytes_);
    frames_.clear();
  }

  native::FileHeader header_;
  std::function<std::filesystem::path(std::int64_t)> name_;
  DataDirStats& stats_;
  std::filesystem::path path_;
  std::vector<std::uint8_t> bytes_;
  std::vector<Frame> frames_;
};

inline native::FileHeader synthetic_header(const std::string& host, std::uint32_t tier_ms) {
  native::FileHeader h;
  h.host = host;
  h.address = "192.0.2.7";
  h.frame_ms = tier_ms == 0 ? 100 : tier_ms;
  h.software = "zzping test generator";
  h.tier_ms = tier_ms;
  h.timeout_ms = 1000;  // as zzpingd writes it (the default daemon.timeout_ms)
  return h;
}

inline DataDirStats write_data_dir(const DataDirSpec& spec) {
  namespace layout = native::layout;
  if (spec.pings_per_s < 10 || spec.pings_per_s > 640 || spec.pings_per_s % 10 != 0) {
    throw std::invalid_argument("pings_per_s must be a multiple of 10 in [10, 640]");
  }
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
    BurstFinder bursts;
    std::vector<LossEvent> ended;
    const auto write_evidence = [&] {
      for (const LossEvent& e : ended) {
        if (!spec.evidence) break;
        const BurstEvidence ev = evidence_for(e, spec.host);
        raw.add_record([&](auto& out) { native::append_attributed_event_record(ev.burst, out); });
        ++stats.bursts;
        if (ev.incident) {
          raw.add_record([&](auto& out) { native::append_incident_record(*ev.incident, out); });
          ++stats.incidents;
        }
        if (ev.path) {
          raw.add_record([&](auto& out) { native::append_path_record(*ev.path, out); });
          ++stats.paths;
        }
      }
      ended.clear();
    };
    const std::uint32_t probes_per_frame = spec.pings_per_s / 10;
    for (std::int64_t h = 0; h < spec.hours; ++h) {
      const std::int64_t start = spec.t0_ms + h * kHourMs;
      if (!spec.raw_hour(h)) {
        bursts.break_chain(ended);  // a burst running into a pruned hour: the daemon wrote
        write_evidence();           // it in the last raw file
        for (std::int64_t s = 0; s < 3600; ++s) to_tiers(synthetic_second(start + s * 1000, spec.pings_per_s));
        continue;
      }
      SyntheticHost gen = hour_generator(start, spec.seed, probes_per_frame);
      bool first = true;
      for (int i = 0; i < 36'000; ++i) {
        const Frame f = gen.next();
        if (f.t_ms < spec.t0_ms + spec.keep_from_ms) continue;
        if (spec.keep_to_ms > 0 && f.t_ms >= spec.t0_ms + spec.keep_to_ms) continue;
        bursts.add(f, gen.lost_probes(), ended);
        raw.add(f);
        ++stats.raw_frames;
        to_tiers(f);
        write_evidence();
        if (first && spec.evidence) {  // the hourly trace, one second into the hour
          raw.add_record([&](auto& out) {
            native::append_path_record(synthetic_path(f.t_ms + 1000, PathTrigger::interval, attribution::Cause::unknown), out);
          });
          ++stats.paths;
        }
        first = false;
      }
    }
    bursts.break_chain(ended);
    if (!ended.empty() && stats.raw_frames > 0) write_evidence();
    aggregator.flush(completed);
    for (const native::TierFrame& t : completed) {
      tiers[static_cast<std::size_t>(t.tier)]->add(t.frame);
      ++stats.tier_frames;
    }
  }
  return stats;
}

}  // namespace zzping::testing
