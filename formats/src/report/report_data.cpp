// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/report/report_data.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <sstream>
#include <thread>
#include <fstream>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include "zzping/formats/any_format.hpp"
#include "zzping/formats/native/evidence_scan.hpp"
#include "zzping/formats/native/layout.hpp"
#include "zzping/formats/native/stream_reader.hpp"
#include "zzping/formats/span_summary_files.hpp"

namespace zzping::report {
namespace fs = std::filesystem;
namespace {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kHourMs = 3'600'000;

std::int64_t floor_to(std::int64_t t, std::int64_t unit) { return t / unit * unit - ((t % unit < 0) ? unit : 0); }

// The whole file, or its first `limit` bytes.
std::vector<std::uint8_t> read_bytes(const fs::path& path, std::size_t limit = SIZE_MAX) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw std::runtime_error(path.string() + ": cannot be read");
  const auto size = static_cast<std::size_t>(in.tellg());
  std::vector<std::uint8_t> bytes(std::min(size, limit));
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()))) {
    throw std::runtime_error(path.string() + ": cannot be read");
  }
  return bytes;
}

struct DatedFile {
  fs::path path;
  native::layout::FilePeriod period;
};

// Everything read for one host before the period is known.
struct HostSource {
  std::vector<fs::path> summary_paths;  // what summarize_paths gets for this host
  std::vector<DatedFile> raw;           // data directory: raw hour files
  std::vector<DatedFile> minute_tier;   // data directory: 1 min tier files
  std::vector<fs::path> files;          // files given by name
};

class Reader {
 public:
  Reader(const ReportRequest& request, std::ostream& warnings) : request_(request), warnings_(warnings) {}

  ReportData read() {
    for (const fs::path& p : request_.paths) add_path(p);
    ReportData data;
    resolve_period(data);
    std::vector<std::vector<Gap>> gaps;
    std::vector<attribution::Incident> incidents;
    for (HostJob& job : read_hosts(data)) {
      warnings_ << job.warnings.str();
      if (job.error) std::rethrow_exception(job.error);
      failed_ = failed_ || job.failed;
      incidents.insert(incidents.end(), job.incidents.begin(), job.incidents.end());
      gaps.push_back(job.report.gaps);
      data.hosts.push_back(std::move(job.report));
    }
    if (!data.hosts.empty()) data.gaps = common_gaps(gaps);
    data.incidents = deduplicate_incidents(std::move(incidents));
    data.failed = data.failed || failed_;
    return data;
  }

 private:
  struct HostJob {
    const std::string* host = nullptr;
    const HostSource* source = nullptr;
    std::ostringstream warnings;
    bool failed = false;
    std::exception_ptr error;
    std::vector<attribution::Incident> incidents;
    HostReport report;
  };

  // Hosts are independent (their own files): read on a few threads, each with a Reader of
  // its own (its warnings kept apart and printed in host order).
  std::vector<HostJob> read_hosts(const ReportData& data) {
    std::vector<HostJob> jobs;
    for (const auto& [host, source] : sources_) {
      if (!wanted(host)) continue;
      jobs.emplace_back();
      jobs.back().host = &host;
      jobs.back().source = &source;
    }
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
      for (std::size_t i; (i = next++) < jobs.size();) {
        HostJob& job = jobs[i];
        try {
          Reader worker(request_, job.warnings);
          job.report = worker.read_host(*job.host, *job.source, data, job.incidents);
          job.failed = worker.failed_;
        } catch (...) {
          job.error = std::current_exception();
        }
      }
    };
    const std::size_t workers = std::min<std::size_t>(jobs.size(), std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> threads;
    for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
    return jobs;
  }

  bool wanted(const std::string& host) const {
    return request_.hosts.empty() || std::find(request_.hosts.begin(), request_.hosts.end(), host) != request_.hosts.end();
  }

  void add_path(const fs::path& path) {
    if (!fs::exists(path)) throw std::runtime_error(path.string() + ": no such file or folder");
    if (!fs::is_directory(path)) return add_file(path);
    if (formats::is_host_data_dir(path)) return add_host_dir(path);
    bool any = false;
    for (const auto& entry : fs::directory_iterator(path)) {
      if (entry.is_directory() && formats::is_host_data_dir(entry.path())) {
        add_host_dir(entry.path());
        any = true;
      }
    }
    if (!any) throw std::runtime_error(path.string() + ": not a data directory (no host folder with tiers/ or dated folders in it)");
  }

  void add_file(const fs::path& path) {
    const auto bytes = read_bytes(path);
    formats::LoadedFrames loaded;
    try {
      loaded = formats::load_frames(bytes, path.filename().string());
    } catch (const std::exception& e) {
      throw std::runtime_error(path.string() + ": " + e.what());
    }
    if (loaded.host.empty()) throw std::runtime_error(path.string() + ": the file names no host");
    HostSource& s = sources_[loaded.host];
    s.summary_paths.push_back(path);
    s.files.push_back(path);
  }

  void add_host_dir(const fs::path& dir) {
    const auto host = native::layout::host_from_dir_name(dir.filename().string());
    if (!host) throw std::runtime_error(dir.string() + ": not a host folder name zzpingd writes");
    HostSource& s = sources_[*host];
    s.summary_paths.push_back(dir);
    for (const auto& date : fs::directory_iterator(dir)) {
      if (!date.is_directory() || !native::layout::is_day_dir_name(date.path().filename().string())) continue;
      for (const auto& entry : fs::directory_iterator(date.path())) {
        if (auto p = native::layout::parse_raw_file_name(entry.path().filename().string())) s.raw.push_back({entry.path(), *p});
      }
    }
    const fs::path minute_dir = dir / "tiers" / "1min";
    if (fs::is_directory(minute_dir)) {
      for (const auto& entry : fs::directory_iterator(minute_dir)) {
        if (auto p = native::layout::parse_tier_file_name(native::Tier::kMinute, entry.path().filename().string())) {
          s.minute_tier.push_back({entry.path(), *p});
        }
      }
    }
    const auto by_time = [](const DatedFile& a, const DatedFile& b) {
      return a.period.start_ms != b.period.start_ms ? a.period.start_ms < b.period.start_ms : a.path < b.path;
    };
    std::sort(s.raw.begin(), s.raw.end(), by_time);
    std::sort(s.minute_tier.begin(), s.minute_tier.end(), by_time);
  }

  // The period asked for, else the whole minutes that hold data: whole minutes, so that
  // the period the PDF prints (to the second) gives zzping-dump --summary the same span.
  void resolve_period(ReportData& data) {
    std::optional<std::int64_t> from = request_.from_ms, to = request_.to_ms;
    if (!from || !to) {
      std::int64_t first = std::numeric_limits<std::int64_t>::max();
      std::int64_t end = std::numeric_limits<std::int64_t>::min();
      for (const auto& [host, s] : sources_) {
        if (wanted(host)) extend_by_data(s, first, end);
      }
      if (first > end) first = end = from.value_or(to.value_or(0));
      if (!from) from = floor_to(first, kMinuteMs);
      if (!to) to = std::max(-floor_to(-end, kMinuteMs), *from);
    }
    data.from_ms = *from;
    data.to_ms = *to;
  }

  // The first frame start and last frame end of a host: the first and last files of its
  // 1 min tier and raw hours (the tier trails the raw frames), and files given by name.
  void extend_by_data(const HostSource& s, std::int64_t& first, std::int64_t& end) {
    const auto extend = [&](const fs::path& path) {
      const auto bytes = read_bytes(path);
      native::StreamReader reader(bytes);
      native::Record record;
      while (reader.next(record)) {
        if (record.kind != native::RecordKind::kFrameBlock) continue;
        for (std::size_t i = 0; i < record.frames.size(); ++i) {
          first = std::min(first, record.frames[i].t_ms);
          end = std::max(end, record.frames[i].t_ms + static_cast<std::int64_t>(record.frames[i].length_ms));
        }
      }
    };
    for (const auto* files : {&s.minute_tier, &s.raw}) {
      if (files->empty()) continue;
      // The first and last periods (a period may have several numbered files).
      for (const DatedFile& f : *files) {
        if (f.period.start_ms == files->front().period.start_ms || f.period.start_ms == files->back().period.start_ms) {
          extend(f.path);
        }
      }
    }
    for (const fs::path& path : s.files) {
      const auto bytes = read_bytes(path);
      for (const Frame& f : formats::load_frames(bytes, path.filename().string()).frames) {
        first = std::min(first, f.t_ms);
        end = std::max(end, f.t_ms + static_cast<std::int64_t>(f.length_ms));
      }
    }
  }

  HostReport read_host(const std::string& host, const HostSource& source, const ReportData& data,
                       std::vector<attribution::Incident>& incidents) {
    HostReport report;
    report.host = host;
    const formats::SummaryRequest request{data.from_ms, data.to_ms};
    const auto summaries = formats::summarize_paths(source.summary_paths, request, warnings_);
    failed_ = failed_ || summaries.failed;
    report.summary.host = host;
    report.summary.from_ms = data.from_ms;
    report.summary.to_ms = data.to_ms;
    for (const auto& s : summaries.hosts) {
      if (s.host == host) report.summary = s;
    }
    std::vector<Frame> frames;
    std::vector<LossEvent> bursts;
    read_minutes(source, data, frames, report.info);
    read_whole_files(source, data, frames, bursts, incidents, report.info);
    report.minutes = fold_into_minutes(std::move(frames));
    read_events(source, data, report.minutes, bursts, incidents, report.info);
    std::sort(bursts.begin(), bursts.end(), [](const LossEvent& a, const LossEvent& b) { return a.start_ms < b.start_ms; });
    bursts.erase(std::unique(bursts.begin(), bursts.end()), bursts.end());
    report.bursts = std::move(bursts);
    report.gaps = find_gaps(report.minutes, data.from_ms, data.to_ms);
    return report;
  }

  bool in_minutes_of_period(std::int64_t t, const ReportData& data) const {
    return t >= floor_to(data.from_ms, kMinuteMs) && t < data.to_ms;
  }

  void note_end(const fs::path& path, const native::StreamReader& reader) { note_end(path, reader.end()); }
  void note_end(const fs::path& path, const native::ReadEnd& end) {
    if (end.kind == native::EndKind::kError) {
      warnings_ << path.string() << ": " << end.message << '\n';
      failed_ = true;
    }
  }

  void take_header(const native::FileHeader& h, HostInfo& info, bool raw) {
    if (info.from_header && info.frame_ms != 0 && !raw) return;  // a raw header says more than a tier's
    info.address = h.address;
    info.role = h.role;
    info.timeout_ms = h.timeout_ms;
    info.frame_ms = raw ? h.frame_ms : 0;
    info.precision = h.precision;
    info.software = h.software;
    info.source = h.source;
    info.from_header = true;
  }

  void read_minutes(const HostSource& source, const ReportData& data, std::vector<Frame>& frames, HostInfo& info) {
    for (const DatedFile& f : source.minute_tier) {
      if (f.period.end_ms <= floor_to(data.from_ms, kMinuteMs) || f.period.start_ms >= data.to_ms) continue;
      const auto bytes = read_bytes(f.path);
      native::StreamReader reader(bytes);
      if (reader.header()) take_header(*reader.header(), info, false);
      native::Record record;
      while (reader.next(record)) {
        if (record.kind != native::RecordKind::kFrameBlock) continue;
        const RttQuantiser quantiser(reader.header()->precision);
        for (std::size_t i = 0; i < record.frames.size(); ++i) {
          if (in_minutes_of_period(record.frames[i].t_ms, data)) frames.push_back(record.frames.to_frame(i, quantiser));
        }
      }
      note_end(f.path, reader);
    }
    // Raw hours the 1 min tier does not hold (no tier, or a tier that lost its last bucket).
    std::set<std::int64_t> hours_with_tier;
    for (const Frame& f : frames) hours_with_tier.insert(floor_to(f.t_ms, kHourMs));
    for (const DatedFile& f : source.raw) {
      if (f.period.end_ms <= data.from_ms || f.period.start_ms >= data.to_ms) continue;
      if (hours_with_tier.contains(f.period.start_ms)) continue;
      const auto bytes = read_bytes(f.path);
      native::StreamReader reader(bytes);
      native::Record record;
      while (reader.next(record)) {
        if (record.kind != native::RecordKind::kFrameBlock) continue;
        const RttQuantiser quantiser(reader.header()->precision);
        for (std::size_t i = 0; i < record.frames.size(); ++i) {
          const std::int64_t t = record.frames[i].t_ms;
          if (t >= data.from_ms && t < data.to_ms) frames.push_back(record.frames.to_frame(i, quantiser));
        }
      }
      note_end(f.path, reader);
    }
  }

  void read_whole_files(const HostSource& source, const ReportData& data, std::vector<Frame>& frames,
                        std::vector<LossEvent>& bursts, std::vector<attribution::Incident>& incidents, HostInfo& info) {
    for (const fs::path& path : source.files) {
      const auto bytes = read_bytes(path);
      auto loaded = formats::load_frames(bytes, path.filename().string());
      if (loaded.end == formats::LoadEnd::kError) {
        warnings_ << path.string() << ": " << loaded.end_message << '\n';
        failed_ = true;
      }
      if (!info.from_header || loaded.tier_ms == 0) {
        info.address = loaded.address;
        info.role = loaded.role;
        info.timeout_ms = loaded.timeout_ms;
        info.frame_ms = loaded.tier_ms == 0 ? loaded.frame_ms : 0;
        info.precision = loaded.precision;
        info.from_header = true;
      }
      for (Frame& f : loaded.frames) {
        if (f.t_ms >= data.from_ms && f.t_ms < data.to_ms) frames.push_back(std::move(f));
      }
      keep_events(loaded.events, loaded.incidents, data, bursts, incidents);
    }
  }

  static void keep_events(const std::vector<LossEvent>& events, const std::vector<attribution::Incident>& found,
                          const ReportData& data, std::vector<LossEvent>& bursts,
                          std::vector<attribution::Incident>& incidents) {
    for (const LossEvent& e : events) {
      if (e.end_ms >= data.from_ms && e.start_ms < data.to_ms) bursts.push_back(e);
    }
    for (const auto& i : found) {
      if (i.end_ms >= data.from_ms && i.start_ms < data.to_ms) incidents.push_back(i);
    }
  }

  // Loss events live only in the raw files. As for the summary (docs/summary.md), an hour
  // is opened only when it or a neighbour counts a lost probe: a burst needs two.
  void read_events(const HostSource& source, const ReportData& data, const std::vector<Frame>& minutes,
                   std::vector<LossEvent>& bursts, std::vector<attribution::Incident>& incidents, HostInfo& info) {
    std::set<std::int64_t> lossy_hours;
    for (const Frame& f : minutes) {
      if (f.lost > 0) lossy_hours.insert(floor_to(f.t_ms, kHourMs));
    }
    const bool have_minutes = !minutes.empty();
    const DatedFile* newest = nullptr;
    for (const DatedFile& f : source.raw) {
      if (f.period.end_ms + kHourMs <= data.from_ms || f.period.start_ms - kHourMs >= data.to_ms) continue;
      if (f.period.start_ms < data.to_ms && f.period.end_ms > data.from_ms) newest = &f;
      const std::int64_t h = f.period.start_ms;
      const bool near_loss = lossy_hours.contains(h) || lossy_hours.contains(h - kHourMs) || lossy_hours.contains(h + kHourMs);
      if (have_minutes && !near_loss) continue;
      const auto bytes = read_bytes(f.path);
      // The summary's own pass over these files checks the frame blocks' CRC and warns.
      const native::EvidenceScan scan = native::scan_evidence(bytes);
      note_end(f.path, scan.end);
      keep_events(scan.events, scan.incidents, data, bursts, incidents);
    }
    // The newest raw file of the period says how the host was measured; among the files of
    // that hour, one with a role (format 1.2) says more.
    if (newest) {
      for (const DatedFile& f : source.raw) {
        if (f.period.start_ms != newest->period.start_ms) continue;
        const auto bytes = read_bytes(f.path, native::kMaxHeaderBytes);
        native::StreamReader reader(bytes);
        if (reader.header() && (!info.role || reader.header()->role)) take_header(*reader.header(), info, true);
      }
    }
  }

  const ReportRequest& request_;
  std::ostream& warnings_;
  std::map<std::string, HostSource> sources_;
  bool failed_ = false;
};

}  // namespace

bool ReportData::has_data() const {
  return std::any_of(hosts.begin(), hosts.end(), [](const HostReport& h) { return h.summary.sent > 0 || !h.minutes.empty(); });
}

ReportData read_report(const ReportRequest& request, std::ostream& warnings) {
  return Reader(request, warnings).read();
}

std::vector<Gap> find_gaps(std::span<const Frame> minutes, std::int64_t from_ms, std::int64_t to_ms) {
  std::vector<Gap> gaps;
  std::size_t i = 0;
  for (std::int64_t m = floor_to(from_ms, kMinuteMs); m < to_ms; m += kMinuteMs) {
    while (i < minutes.size() && minutes[i].t_ms < m) ++i;
    if (i < minutes.size() && minutes[i].t_ms == m) continue;
    const Gap gap{std::max(m, from_ms), std::min(m + kMinuteMs, to_ms)};
    if (!gaps.empty() && gaps.back().end_ms == gap.start_ms) {
      gaps.back().end_ms = gap.end_ms;
    } else {
      gaps.push_back(gap);
    }
  }
  return gaps;
}

std::vector<Gap> common_gaps(const std::vector<std::vector<Gap>>& per_host) {
  if (per_host.empty()) return {};
  std::vector<Gap> result = per_host.front();
  for (std::size_t h = 1; h < per_host.size(); ++h) {
    std::vector<Gap> next;
    for (const Gap& a : result) {
      for (const Gap& b : per_host[h]) {
        const Gap both{std::max(a.start_ms, b.start_ms), std::min(a.end_ms, b.end_ms)};
        if (both.start_ms < both.end_ms) next.push_back(both);
      }
    }
    result = std::move(next);
  }
  return result;
}

std::vector<attribution::Incident> deduplicate_incidents(std::vector<attribution::Incident> incidents) {
  const auto key_less = [](const attribution::Incident& a, const attribution::Incident& b) {
    if (a.start_ms != b.start_ms) return a.start_ms < b.start_ms;
    if (a.end_ms != b.end_ms) return a.end_ms < b.end_ms;
    if (a.cause != b.cause) return a.cause < b.cause;
    if (a.targets != b.targets) return a.targets < b.targets;
    return a.last_hop > b.last_hop;  // a known last hop first: that copy is kept
  };
  std::sort(incidents.begin(), incidents.end(), key_less);
  const auto same = [](const attribution::Incident& a, const attribution::Incident& b) {
    return a.start_ms == b.start_ms && a.end_ms == b.end_ms && a.cause == b.cause && a.targets == b.targets;
  };
  incidents.erase(std::unique(incidents.begin(), incidents.end(), same), incidents.end());
  return incidents;
}

std::vector<Frame> fold_into_minutes(std::vector<Frame> frames) {
  std::map<std::int64_t, Frame> by_minute;
  for (Frame& f : frames) {
    const std::int64_t minute = floor_to(f.t_ms, kMinuteMs);
    auto [it, fresh] = by_minute.try_emplace(minute);
    if (fresh) {
      it->second = std::move(f);
    } else {
      merge_into(it->second, f);
    }
  }
  std::vector<Frame> out;
  out.reserve(by_minute.size());
  for (auto& [minute, f] : by_minute) {
    f.t_ms = minute;
    f.length_ms = static_cast<std::uint32_t>(kMinuteMs);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace zzping::report
