#include "summary.hpp"

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

namespace zzping::dump {
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

  void add(const Frame& frame) {
    if (frame.t_ms < acc_from() || frame.t_ms >= acc_to()) return;
    first_ms_ = std::min(first_ms_, frame.t_ms);
    end_ms_ = std::max(end_ms_, frame.t_ms + frame.length_ms);
    acc_.add(frame);
  }
  void add(const LossEvent& event) { acc_.add(event); }

  SpanSummary summarize(const std::string& host) const {
    SpanSummary s = acc_.summarize(host);
    const bool any = first_ms_ != kNoLimitHigh;
    s.from_ms = request_.from_ms.value_or(any ? first_ms_ : 0);
    s.to_ms = request_.to_ms.value_or(any ? end_ms_ : 0);
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

bool looks_like_date_dir(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.size() == 10 && name[4] == '-' && name[7] == '-';
}

bool is_host_dir(const fs::path& dir) {
  if (fs::is_directory(dir / "tiers")) return true;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_directory() && looks_like_date_dir(entry.path())) return true;
  }
  return false;
}

class Summarizer {
 public:
  Summarizer(const SummaryRequest& request, std::ostream& warnings) : request_(request), warnings_(warnings) {}

  void add_path(const fs::path& path) {
    if (!fs::is_directory(path)) return add_file(path);
    if (is_host_dir(path)) return add_host_dir(path);
    for (const auto& entry : fs::directory_iterator(path)) {
      if (entry.is_directory() && is_host_dir(entry.path())) add_host_dir(entry.path());
    }
  }

  SummaryResult result() const {
    SummaryResult r;
    for (const auto& [host, span] : hosts_) r.hosts.push_back(span.summarize(host));
    r.failed = failed_;
    return r;
  }

 private:
  HostSpan& host_span(const std::string& host, double precision) {
    auto it = hosts_.find(host);
    if (it == hosts_.end()) it = hosts_.emplace(host, HostSpan(request_, precision)).first;
    return it->second;
  }

  formats::LoadedFrames load(const fs::path& path) {
    const auto bytes = read_bytes(path);
    formats::LoadedFrames loaded = formats::load_frames(bytes, path.filename().string());
    if (loaded.end != formats::LoadEnd::kEof) {
      warnings_ << "zzping-dump: " << path.string() << ": " << loaded.end_message << '\n';
      failed_ = failed_ || loaded.end == formats::LoadEnd::kError;
    }
    return loaded;
  }

  void add_file(const fs::path& path) {
    formats::LoadedFrames loaded = load(path);
    const std::string host = loaded.host.empty() ? path.stem().string() : loaded.host;
    HostSpan& span = host_span(host, loaded.precision);
    for (const Frame& f : loaded.frames) span.add(f);
    for (const LossEvent& e : loaded.events) span.add(e);
  }

  void add_events_only(const fs::path& path, HostSpan& span) {
    const auto bytes = read_bytes(path);
    native::StreamReader reader(bytes);
    reader.skip_frame_blocks();
    native::Record record;
    while (reader.next(record)) {
      for (const LossEvent& e : record.events) span.add(e);
    }
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
    const std::set<std::int64_t> done = add_whole_hours_from_tier(hours, host, from, to, losses);
    for (const DatedFile& f : raw) {
      // A loss event is written to the file open when the burst ends, which may be the
      // hour before its start or after its end: neighbour hours are read for events too.
      if (!overlaps(f.period, from - kHourMs, to + kHourMs)) continue;
      const bool frames_needed = overlaps(f.period, from, to) && !done.contains(f.period.start_ms);
      if (!frames_needed) {
        // Only an hour next to a loss can hold a burst (>= 2 lost probes in a row).
        if (losses.near(f.period.start_ms)) add_events_only(f.path, host_span(host, RttQuantiser::kDefaultPrecision));
        continue;
      }
      formats::LoadedFrames loaded = load(f.path);
      HostSpan& span = host_span(host, loaded.precision);
      for (const Frame& frame : loaded.frames) span.add(frame);
      for (const LossEvent& e : loaded.events) span.add(e);
    }
  }

  // Adds the 1 h tier frames of hours wholly inside [from, to); returns their starts.
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

  std::set<std::int64_t> add_whole_hours_from_tier(const std::vector<DatedFile>& hours,
                                                   const std::string& host, std::int64_t from,
                                                   std::int64_t to, HourLosses& losses) {
    std::set<std::int64_t> done;
    for (const DatedFile& f : hours) {
      if (!overlaps(f.period, from - kHourMs, to + kHourMs)) continue;
      formats::LoadedFrames loaded = load(f.path);
      HostSpan& span = host_span(host, loaded.precision);
      for (const Frame& frame : loaded.frames) {
        losses.lost[frame.t_ms] += frame.lost;
        if (frame.t_ms < from || frame.t_ms + kHourMs > to || frame.t_ms % kHourMs != 0) continue;
        span.add(frame);  // a bucket split over two files (a restart) adds up
        done.insert(frame.t_ms);
      }
    }
    return done;
  }

  static std::vector<DatedFile> raw_files(const fs::path& dir) {
    std::vector<DatedFile> out;
    for (const auto& day : fs::directory_iterator(dir)) {
      if (!day.is_directory() || !looks_like_date_dir(day.path())) continue;
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
  std::map<std::string, HostSpan> hosts_;
  bool failed_ = false;
};

}  // namespace

SummaryResult summarize_paths(const std::vector<fs::path>& paths, const SummaryRequest& request,
                              std::ostream& warnings) {
  Summarizer summarizer(request, warnings);
  for (const fs::path& p : paths) summarizer.add_path(p);
  return summarizer.result();
}

}  // namespace zzping::dump
