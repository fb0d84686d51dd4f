// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/file_sink.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <stdexcept>
#include <vector>

#include "zzping/formats/native/layout.hpp"
#include "zzping/formats/native/tiers.hpp"

namespace zzping::daemon {
namespace {

namespace layout = native::layout;
constexpr std::int64_t kHourMs = 3'600'000;

std::int64_t floor_to(std::int64_t t_ms, std::int64_t unit) {
  const std::int64_t q = t_ms / unit;
  return (q - (t_ms % unit < 0 ? 1 : 0)) * unit;
}

SeriesNaming raw_naming(const std::filesystem::path& data_dir, const std::string& host) {
  return SeriesNaming{
      [data_dir, host](std::int64_t t_ms, unsigned n) { return layout::raw_file(data_dir, host, t_ms, n); },
      [](std::int64_t t_ms) {
        const std::int64_t start = floor_to(t_ms, kHourMs);
        return layout::FilePeriod{start, start + kHourMs, 0};
      }};
}

SeriesNaming tier_naming(const std::filesystem::path& data_dir, const std::string& host, native::Tier tier) {
  return SeriesNaming{[data_dir, host, tier](std::int64_t t_ms, unsigned n) {
                        return layout::tier_file(data_dir, host, tier, t_ms, n);
                      },
                      [tier](std::int64_t t_ms) { return layout::tier_file_period(tier, t_ms); }};
}

native::FileHeader header_for(const HostInfo& host, const std::string& software, std::uint32_t tier_ms) {
  native::FileHeader header;
  header.host = host.name;
  header.address = host.address;
  header.frame_ms = tier_ms == 0 ? host.frame_ms : tier_ms;
  header.precision = host.precision;
  header.software = software;
  header.source = std::string(native::source::kDaemon);
  header.tier_ms = tier_ms;
  header.counters = native::kAllCounters;
  header.role = host.role;
  if (host.timeout_ms != 0) header.timeout_ms = host.timeout_ms;
  return header;
}

}  // namespace

// One host's raw series, its three tier series and the aggregator feeding the tiers.
class FileSink::HostFiles {
 public:
  HostFiles(const HostInfo& host, const FileSinkOptions& options, const SeriesPolicy& policy, FileOps& ops)
      : raw_(raw_naming(options.data_dir, host.name), header_for(host, options.software, 0), policy, ops),
        tiers_{make_tier(host, options, policy, ops, native::Tier::kSecond),
               make_tier(host, options, policy, ops, native::Tier::kMinute),
               make_tier(host, options, policy, ops, native::Tier::kHour)} {}

  void add_frame(const HostInfo& host, const Frame& frame) {
    raw_.set_address(host.address);
    for (auto& tier : tiers_) tier->set_address(host.address);
    try {
      raw_.add_frame(frame);
      aggregator_.add(frame, completed_);
      route_completed();
    } catch (const std::exception& error) {
      // Only a frame no file can hold gets here (another precision, a time outside the
      // years 1970..9999): logged once, the frames go on to the other sinks.
      completed_.clear();
      if (!frame_error_logged_) spdlog::error("files: {}: frame not stored: {}", host.name, error.what());
      frame_error_logged_ = true;
    }
  }

  // An evidence record (kinds 4-6) for the current raw file. `encode` appends the record;
  // a value the format cannot hold (a name over 255 bytes) is logged once and not stored.
  template <typename Encode>
  void add_evidence(const std::string& host, std::int64_t t_ms, Encode encode) {
    std::vector<std::uint8_t> record;
    try {
      encode(record);
    } catch (const std::exception& error) {
      if (!evidence_error_logged_) spdlog::error("files: {}: evidence record not stored: {}", host, error.what());
      evidence_error_logged_ = true;
      return;
    }
    raw_.add_record(record, t_ms);
  }

  void flush(std::int64_t now_ms) {
    raw_.flush(now_ms);
    for (auto& tier : tiers_) tier->flush(now_ms);
  }

  void sync() {
    raw_.sync();
    for (auto& tier : tiers_) tier->sync();
  }

  // The open tier buckets are emitted: a later process starts new buckets in new files,
  // and readers merge the frames of one bucket found in several files.
  void finish(std::int64_t now_ms) {
    aggregator_.flush(completed_);
    route_completed();
    raw_.close(now_ms);
    for (auto& tier : tiers_) tier->close(now_ms);
  }

  std::uint64_t frames_dropped() const {
    std::uint64_t dropped = raw_.frames_dropped();
    for (const auto& tier : tiers_) dropped += tier->frames_dropped();
    return dropped;
  }

 private:
  static std::unique_ptr<FileSeries> make_tier(const HostInfo& host, const FileSinkOptions& options,
                                               const SeriesPolicy& policy, FileOps& ops, native::Tier tier) {
    return std::make_unique<FileSeries>(tier_naming(options.data_dir, host.name, tier),
                                        header_for(host, options.software, native::tier_length_ms(tier)),
                                        policy, ops);
  }

  void route_completed() {
    for (const native::TierFrame& done : completed_) {
      tiers_[static_cast<std::size_t>(done.tier)]->add_frame(done.frame);
    }
    completed_.clear();
  }

  FileSeries raw_;
  std::array<std::unique_ptr<FileSeries>, 3> tiers_;  // indexed by native::Tier
  native::TierAggregator aggregator_;
  std::vector<native::TierFrame> completed_;
  bool frame_error_logged_ = false;
  bool evidence_error_logged_ = false;
};

FileSink::FileSink(FileSinkOptions options)
    : options_(std::move(options)), ops_(options_.ops != nullptr ? *options_.ops : posix_file_ops()) {
  if (!options_.monotonic_ms) {
    options_.monotonic_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now().time_since_epoch())
          .count();
    };
  }
  next_sync_ms_ = now_ms() + std::int64_t{options_.fsync_s} * 1000;
}

FileSink::~FileSink() {
  const std::int64_t now = now_ms();
  for (auto& [name, files] : hosts_) {
    if (files) files->finish(now);
  }
}

void FileSink::on_frame(const HostInfo& host, const Frame& frame) {
  if (HostFiles* files = host_files(host)) files->add_frame(host, frame);
}

void FileSink::on_burst_attributed(const HostInfo& host, const attribution::AttributedBurst& burst) {
  HostFiles* files = host_files(host);
  if (!files) return;
  files->add_evidence(host.name, burst.burst.start_ms, [&](std::vector<std::uint8_t>& out) {
    native::append_attributed_event_record(native::to_record(burst), out);
  });
}

void FileSink::on_incident(const attribution::Incident& incident) {
  for (const std::string& target : incident.targets) {
    const auto it = hosts_.find(target);
    if (it == hosts_.end() || !it->second) continue;  // not a host of this sink
    it->second->add_evidence(target, incident.start_ms, [&](std::vector<std::uint8_t>& out) {
      native::append_incident_record(incident, out);
    });
  }
}

void FileSink::on_path(const HostInfo& host, const PathSnapshot& path) {
  HostFiles* files = host_files(host);
  if (!files) return;
  files->add_evidence(host.name, path.t_ms, [&](std::vector<std::uint8_t>& out) {
    native::append_path_record(path, out);
  });
}

void FileSink::on_host_removed(const HostInfo& host) {
  const auto it = hosts_.find(host.name);
  if (it == hosts_.end()) return;
  if (it->second) {
    it->second->finish(now_ms());
    frames_dropped_by_removed_hosts_ += it->second->frames_dropped();
  }
  hosts_.erase(it);
}

void FileSink::flush() {
  const std::int64_t now = now_ms();
  for (auto& [name, files] : hosts_) {
    if (files) files->flush(now);
  }
  if (options_.fsync_s == 0 || now < next_sync_ms_) return;
  next_sync_ms_ = now + std::int64_t{options_.fsync_s} * 1000;
  for (auto& [name, files] : hosts_) {
    if (files) files->sync();
  }
}

std::uint64_t FileSink::frames_dropped() const {
  std::uint64_t dropped = frames_dropped_by_removed_hosts_;
  for (const auto& [name, files] : hosts_) {
    if (files) dropped += files->frames_dropped();
  }
  return dropped;
}

FileSink::HostFiles* FileSink::host_files(const HostInfo& host) {
  const auto it = hosts_.find(host.name);
  if (it != hosts_.end()) return it->second.get();
  std::unique_ptr<HostFiles> files;
  try {
    native::encode_header(header_for(host, options_.software, 0));  // refuses what no reader accepts
    SeriesPolicy policy;
    policy.max_backlog_bytes = options_.max_backlog_bytes;
    policy.retry_ms = options_.retry_ms;
    policy.sync_on_close = options_.fsync_s > 0;
    files = std::make_unique<HostFiles>(host, options_, policy, ops_);
  } catch (const std::exception& error) {
    spdlog::error("files: host {}: no files will be written: {}", host.name, error.what());
  }
  return hosts_.emplace(host.name, std::move(files)).first->second.get();
}

std::int64_t FileSink::now_ms() const { return options_.monotonic_ms(); }

}  // namespace zzping::daemon
