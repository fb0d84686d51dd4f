// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/span_summary_files.hpp"

#include <algorithm>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "zzping/formats/any_format.hpp"
#include "zzping/formats/native/layout.hpp"
#include "zzping/formats/native/stream_reader.hpp"

namespace zzping::formats {
namespace fs = std::filesystem;
namespace {

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kNoLimitLow = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kNoLimitHigh = std::numeric_limits<std::int64_t>::max();

std::vector<std::uint8_t> read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw std::runtime_error(path.string() + ": cannot open");
  const auto size = static_cast<std::size_t>(in.tellg());
  std::vector<std::uint8_t> bytes(size);
  in.seekg(0);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
  if (!in) throw std::runtime_error(path.string() + ": read error");
  return bytes;
}

// One host's accumulator, plus the extent of the frames seen (for an open-ended span).
class HostSpan {
 public:
  HostSpan(const SummaryRequest& request, double precision)
      : request_(request),
        acc_(request.from_ms.value_or(kNoLimitLow), request.to_ms.value_or(kNoLimitHigh),
             RttQuantiser(precision)) {}

  void add(const Frame& frame, BurstRecording recording) {
    if (frame.t_ms < acc_from() || frame.t_ms >= acc_to()) return;
    first_ms_ = std::min(first_ms_, frame.t_ms);
    end_ms_ = std::max(end_ms_, frame.t_ms + frame.length_ms);
    acc_.add(frame, recording);
  }
  void add(const LossEvent& event) { acc_.add(event); }
  void add(const native::AttributedLossEvent& burst) { acc_.add(burst.event, burst.cause); }

  SpanSummary summarize(const std::string& host) const {
    SpanSummary s = acc_.summarize(host);
    const bool any = first_ms_ != kNoLimitHigh;
    s.from_ms = request_.from_ms.value_or(any ? first_ms_ : 0);
    s.to_ms = request_.to_ms.value_or(any ? end_ms_ : s.from_ms);
    return s;
  }

 private:
  std::int64_t acc_from() const { return request_.from_ms.value_or(kNoLimitLow); }
  std::int64_t acc_to() const { return request_.to_ms.value_or(kNoLimitHigh); }
  SummaryRequest request_;
  SpanAccumulator acc_;
  std::int64_t first_ms_ = kNoLimitHigh;
  std::int64_t end_ms_ = kNoLimitLow;
};

struct DatedFile {
  fs::path path;
  native::layout::FilePeriod period;
};

bool overlaps(const native::layout::FilePeriod& p, std::int64_t from, std::int64_t to) {
  return p.start_ms < to && p.end_ms > from;
}

class Summarizer {
 public:
  Summarizer(const SummaryRequest& request, std::ostream& warnings, std::optional<std::string> one_host = {})
      : request_(request), warnings_(warnings), one_host_(std::move(one_host)) {}

  void add_path(const fs::path& path) {
    if (!fs::is_directory(path)) return add_file(path);
    if (is_host_data_dir(path)) return add_host_dir(path);
    for (const auto& entry : fs::directory_iterator(path)) {
      if (entry.is_directory() && is_host_data_dir(entry.path())) add_host_dir(entry.path());
    }
  }

  SummaryResult result() const {
    SummaryResult r;
    for (const auto& [host, span] : hosts_) r.hosts.push_back(span.summarize(host));
    r.failed = failed_;
    return r;
  }

 private:
  HostSpan& host_span(const std::string& found_host, double precision) {
    const std::string& host = one_host_ ? *one_host_ : found_host;
    auto it = hosts_.find(host);
    if (it == hosts_.end()) it = hosts_.emplace(host, HostSpan(request_, precision)).first;
    return it->second;
  }

  LoadedFrames load(const fs::path& path) {
    const auto bytes = read_bytes(path);
    LoadedFrames loaded = load_frames(bytes, path.filename().string());
    if (loaded.end != LoadEnd::kEof) {
      warnings_ << "zzping-dump: " << path.string() << ": " << loaded.end_message << '\n';
      failed_ = failed_ || loaded.end == LoadEnd::kError;
    }
    return loaded;
  }

  void add_file(const fs::path& path) {
    LoadedFrames loaded = load(path);
    const std::string host = loaded.host.empty() ? path.stem().string() : loaded.host;
    HostSpan& span = host_span(host, loaded.precision);
    const BurstRecording recording = loaded.measured.loss_bursts ? BurstRecording::kRecorded : BurstRecording::kNotRecorded;
    for (const Frame& f : loaded.frames) span.add(f, recording);
    std::size_t next_attributed = 0;  // `attributed` is the kind 4 subsequence of `events`
    for (const LossEvent& e : loaded.events) {
      if (next_attributed < loaded.attributed.size() && loaded.attributed[next_attributed].event == e) {
        span.add(loaded.attributed[next_attributed++]);
      } else {
        span.add(e);
      }
    }
  }

  enum class Take : std::uint8_t { kNoFrames, kFramesStartingInside, kWholeFramesInside };

  // Walks a native file: the frames `take` selects in [lo, hi) go to the host's span (only
  // those are materialised), and every loss event when `events` is set. Returns whether
  // the file records its loss bursts (its header; false without one).
  bool read_native(const fs::path& path, const std::string& host, std::int64_t lo, std::int64_t hi, Take take,
                   bool events) {
    const auto bytes = read_bytes(path);
    native::StreamReader reader(bytes);
    if (take == Take::kNoFrames) reader.skip_frame_blocks();
    const double precision = reader.header() ? reader.header()->precision : RttQuantiser::kDefaultPrecision;
    const bool records = reader.header() && reader.header()->records_loss_events();
    const BurstRecording recording = records ? BurstRecording::kRecorded : BurstRecording::kNotRecorded;
    const RttQuantiser quantiser(precision);
    HostSpan& span = host_span(host, precision);
    native::Record record;
    while (reader.next(record)) {
      if (record.kind == native::RecordKind::kLossEvents) {
        if (events) for (const LossEvent& e : record.events) span.add(e);
        continue;
      }
      if (record.kind == native::RecordKind::kAttributedEvent) {  // a burst with its cause (1.2)
        if (events) span.add(record.attributed);
        continue;
      }
      if (record.kind != native::RecordKind::kFrameBlock) continue;  // incidents, paths
      for (std::size_t i = 0; i < record.frames.size(); ++i) {
        const native::FrameView v = record.frames[i];
        const std::int64_t end = take == Take::kWholeFramesInside ? v.t_ms + v.length_ms : v.t_ms + 1;
        if (v.t_ms < lo || end > hi) continue;
        span.add(record.frames.to_frame(i, quantiser), recording);
      }
    }
    if (reader.end().kind != native::EndKind::kEof) {
      warnings_ << "zzping-dump: " << path.string() << ": " << reader.end().message << '\n';
      failed_ = failed_ || reader.end().kind == native::EndKind::kError;
    }
    return records;
  }

  void add_host_dir(const fs::path& dir) {
    const std::string name = dir.filename().string();
    const std::string host = native::layout::host_from_dir_name(name).value_or(name);
    const std::vector<DatedFile> raw = raw_files(dir);
    const std::vector<DatedFile> hours = tier_files(dir, native::Tier::kHour);
    if (raw.empty() && hours.empty()) return;
    const std::int64_t from = request_.from_ms.value_or(earliest(raw, hours));
    const std::int64_t to = request_.to_ms.value_or(latest(raw, hours));
    HourLosses losses;
    const std::vector<Frame> tier_hours = whole_hours_from_tier(hours, host, from, to, losses);
    std::set<std::int64_t> done;
    for (const Frame& f : tier_hours) done.insert(f.t_ms);
    std::set<std::int64_t> raw_hours;
    // Hours whose raw files were read and all record their bursts. An hour with loss is
    // always read (it is next to a loss); one without loss cannot hide a burst.
    std::map<std::int64_t, bool> raw_records;
    for (const DatedFile& f : raw) {
      // A loss event is written to the file open when the burst ends, which may be the
      // hour before its start or after its end: neighbour hours are read for events too.
      if (!overlaps(f.period, from - kHourMs, to + kHourMs)) continue;
      const bool frames_needed = overlaps(f.period, from, to) && !done.contains(f.period.start_ms);
      // Only an hour next to a loss can hold a burst (>= 2 lost probes in a row).
      const bool events_needed = frames_needed || losses.near(f.period.start_ms);
      if (frames_needed) raw_hours.insert(f.period.start_ms);
      if (frames_needed || events_needed) {
        const bool records = read_native(f.path, host, from, to,
                                         frames_needed ? Take::kFramesStartingInside : Take::kNoFrames, events_needed);
        const auto [it, added] = raw_records.emplace(f.period.start_ms, records);
        if (!added) it->second = it->second && records;
      }
    }
    // An hour of the 1 h tier has its bursts recorded when its raw files are there (their
    // events were read); pruned raw hours leave the tier's lost probes without bursts.
    HostSpan& host_hours = host_span(host, RttQuantiser::kDefaultPrecision);
    for (const Frame& f : tier_hours) {
      const auto it = raw_records.find(f.t_ms);
      const bool recorded = it != raw_records.end() && it->second;
      host_hours.add(f, recorded ? BurstRecording::kRecorded : BurstRecording::kNotRecorded);
    }
    add_edges_without_raw_files(dir, host, from, to, done, raw_hours);
    // A host without data in the span still gets its (empty) summary.
    if (!hosts_.contains(one_host_.value_or(host))) host_span(host, RttQuantiser::kDefaultPrecision);
  }

  // Hours of the span taken neither from the 1 h tier nor from raw files (raw files
  // pruned, or never written): whole minutes from the 1 min tier, the rest from the 1 s
  // tier. Only a fraction of a second at each end of the span can be missing then.
  void add_edges_without_raw_files(const fs::path& dir, const std::string& host, std::int64_t from,
                                   std::int64_t to, const std::set<std::int64_t>& done,
                                   const std::set<std::int64_t>& raw_hours) {
    constexpr std::int64_t kMinuteMs = 60'000;
    for (std::int64_t hour = floor_to(from, kHourMs); hour < to; hour += kHourMs) {
      if (done.contains(hour) || raw_hours.contains(hour)) continue;
      // Only the edge hours: an inner hour in neither the 1 h tier nor raw files has no data
      // (looking for it in finer tiers would cost a file per missing hour).
      if (hour >= from && hour + kHourMs <= to) continue;
      const std::int64_t lo = std::max(from, hour);
      const std::int64_t hi = std::min(to, hour + kHourMs);
      const std::int64_t m_lo = ceil_to(lo, kMinuteMs);
      const std::int64_t m_hi = std::max(m_lo, floor_to(hi, kMinuteMs));
      if (m_lo < m_hi) add_from_tier(dir, host, native::Tier::kMinute, m_lo, m_hi);
      add_from_tier(dir, host, native::Tier::kSecond, lo, std::min(m_lo, hi));
      if (m_lo < m_hi) add_from_tier(dir, host, native::Tier::kSecond, m_hi, hi);
    }
  }

  void add_from_tier(const fs::path& dir, const std::string& host, native::Tier tier, std::int64_t lo,
                     std::int64_t hi) {
    if (lo >= hi) return;
    for (const DatedFile& f : tier_files(dir, tier)) {
      if (overlaps(f.period, lo, hi)) read_native(f.path, host, lo, hi, Take::kWholeFramesInside, false);
    }
  }

  static std::int64_t floor_to(std::int64_t t, std::int64_t unit) {
    return t >= 0 ? t / unit * unit : -((-t + unit - 1) / unit) * unit;
  }
  static std::int64_t ceil_to(std::int64_t t, std::int64_t unit) { return -floor_to(-t, unit); }

  // Lost probes per hour, from the 1 h tier: an hour without a tier frame counts as lossy.
  struct HourLosses {
    std::map<std::int64_t, std::uint64_t> lost;
    bool near(std::int64_t hour) const {
      for (const std::int64_t h : {hour - kHourMs, hour, hour + kHourMs}) {
        const auto it = lost.find(h);
        if (it == lost.end() || it->second > 0) return true;
      }
      return false;
    }
  };

  // The 1 h tier frames of the hours wholly inside [from, to) (a bucket split over two
  // files, after a restart, gives two frames that add up); the host's span takes the tier's
  // precision. `losses` gets the lost probes of every hour near the span.
  std::vector<Frame> whole_hours_from_tier(const std::vector<DatedFile>& hours, const std::string& host,
                                           std::int64_t from, std::int64_t to, HourLosses& losses) {
    std::vector<Frame> inside;
    for (const DatedFile& f : hours) {
      if (!overlaps(f.period, from - kHourMs, to + kHourMs)) continue;
      LoadedFrames loaded = load(f.path);
      host_span(host, loaded.precision);
      for (Frame& frame : loaded.frames) {
        losses.lost[frame.t_ms] += frame.lost;
        if (frame.t_ms < from || frame.t_ms + kHourMs > to || frame.t_ms % kHourMs != 0) continue;
        inside.push_back(std::move(frame));
      }
    }
    return inside;
  }

  static std::vector<DatedFile> raw_files(const fs::path& dir) {
    std::vector<DatedFile> out;
    for (const auto& day : fs::directory_iterator(dir)) {
      if (!day.is_directory() || !native::layout::is_day_dir_name(day.path().filename().string())) continue;
      for (const auto& entry : fs::directory_iterator(day.path())) {
        if (auto p = native::layout::parse_raw_file_name(entry.path().filename().string())) {
          out.push_back({entry.path(), *p});
        }
      }
    }
    std::sort(out.begin(), out.end(), [](const DatedFile& a, const DatedFile& b) { return a.path < b.path; });
    return out;
  }

  static std::vector<DatedFile> tier_files(const fs::path& dir, native::Tier tier) {
    std::vector<DatedFile> out;
    const fs::path tier_dir = dir / "tiers" / (tier == native::Tier::kHour ? "1h" : tier == native::Tier::kMinute ? "1min" : "1s");
    if (!fs::is_directory(tier_dir)) return out;
    for (const auto& entry : fs::directory_iterator(tier_dir)) {
      if (auto p = native::layout::parse_tier_file_name(tier, entry.path().filename().string())) {
        out.push_back({entry.path(), *p});
      }
    }
    return out;
  }

  static std::int64_t earliest(const std::vector<DatedFile>& a, const std::vector<DatedFile>& b) {
    std::int64_t t = kNoLimitHigh;
    for (const auto* v : {&a, &b}) for (const DatedFile& f : *v) t = std::min(t, f.period.start_ms);
    return t;
  }
  static std::int64_t latest(const std::vector<DatedFile>& a, const std::vector<DatedFile>& b) {
    std::int64_t t = kNoLimitLow;
    for (const auto* v : {&a, &b}) for (const DatedFile& f : *v) t = std::max(t, f.period.end_ms);
    return t;
  }

  SummaryRequest request_;
  std::ostream& warnings_;
  std::optional<std::string> one_host_;  // every frame counts for this host
  std::map<std::string, HostSpan> hosts_;
  bool failed_ = false;
};

}  // namespace

bool is_host_data_dir(const fs::path& dir) {
  if (fs::is_directory(dir / "tiers")) return true;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_directory() && native::layout::is_day_dir_name(entry.path().filename().string())) return true;
  }
  return false;
}

SummaryResult summarize_paths(const std::vector<fs::path>& paths, const SummaryRequest& request,
                              std::ostream& warnings) {
  Summarizer summarizer(request, warnings);
  for (const fs::path& p : paths) summarizer.add_path(p);
  return summarizer.result();
}

SpanSummary summarize_host(const std::string& host, const std::vector<fs::path>& paths,
                           const SummaryRequest& request, std::ostream& warnings, bool* failed) {
  Summarizer summarizer(request, warnings, host);
  for (const fs::path& p : paths) summarizer.add_path(p);
  SummaryResult r = summarizer.result();
  if (failed) *failed = r.failed;
  if (r.hosts.empty()) {
    SpanSummary empty;
    empty.host = host;
    empty.from_ms = request.from_ms.value_or(0);
    empty.to_ms = request.to_ms.value_or(empty.from_ms);
    return empty;
  }
  return std::move(r.hosts.front());
}

}  // namespace zzping::formats
