// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the metrics endpoint knows about each monitored host, accumulated from the final
// frames and the per-frame-interval status the pinger hands to its sinks.
//
// Counters are sums over final frames (so sent == received + lost holds for every scrape,
// and a probe is counted once its frame is final: up to frame_ms + timeout_ms after it was
// sent). A host removed by a reload loses its series; added again, it starts from zero.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "zzping/common/attribution.hpp"
#include "zzping/common/frame.hpp"
#include "zzping/daemon/frame_sink.hpp"
#include "zzping/metrics/log_buckets.hpp"

namespace zzping::metrics {

inline constexpr std::size_t kCauseCount = 5;
// Every cause in label order, indexed by its enum value.
inline constexpr std::array<attribution::Cause, kCauseCount> kCauses = {
    attribution::Cause::local, attribution::Cause::upstream, attribution::Cause::destination,
    attribution::Cause::gateway_only, attribution::Cause::unknown};
using CauseCounts = std::array<std::uint64_t, kCauseCount>;

// Incidents (attributed bursts of all targets merged, docs/attribution.md), daemon-wide.
struct IncidentCounters {
  CauseCounts count{};
  CauseCounts duration_ms{};  // first burst start to last burst end
};

struct TargetCounters {
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  std::uint64_t lost = 0;
  std::uint64_t duplicate = 0;
  std::uint64_t late = 0;
  std::uint64_t icmp_errors = 0;
  // Jitter (docs/summary.md): sum of |RTT difference| over pairs of consecutive answered
  // probes, and the number of pairs, so PromQL divides two rates to get the mean exactly.
  std::uint64_t jitter_sum_ns = 0;
  std::uint64_t jitter_pairs = 0;
  // Loss bursts (>= 2 consecutive lost probes) as the daemon records them, when they end.
  std::uint64_t loss_bursts = 0;
  std::uint64_t loss_burst_ms = 0;  // send time of the first to the last lost probe
  // The same bursts once attributed (docs/attribution.md), by cause (index: the Cause).
  CauseCounts bursts_by_cause{};
};

// The newest final frame, reduced to what the gauges show.
struct LastFrame {
  bool seen = false;
  double start_s = 0;                 // frame start, Unix seconds
  double loss_ratio = 0;              // lost / sent (NaN when nothing was sent)
  std::array<double, 7> rtt_s{};      // kSevenQuantiles, NaN when no reply was counted
};


struct TargetMetrics {
  std::string address;  // current resolved address ("" until resolved)
  // The `role` label of zzping_target_info: attribution::to_string's literal (copied with
  // every scrape: no allocation).
  std::string_view role = attribution::to_string(attribution::Role::internet);
  TargetCounters counters;
  std::vector<std::uint64_t> rtt_per_bucket;  // one per bound, then +Inf
  double rtt_sum_s = 0;                       // from the bins' representative values
  LastFrame last_frame;
  std::uint32_t in_flight = 0;
};

class TargetTable {
 public:
  explicit TargetTable(LogBuckets rtt_buckets) : rtt_buckets_(std::move(rtt_buckets)) {}

  void on_frame(const daemon::HostInfo& host, const Frame& frame);
  void on_status(const daemon::HostInfo& host, const daemon::HostStatus& status);
  void on_event(const daemon::HostInfo& host, const LossEvent& event);
  // Counted only for a target still on the page (a burst of a host removed by a reload
  // may be attributed after its removal: it does not bring the series back).
  void on_burst_attributed(const daemon::HostInfo& host, const attribution::AttributedBurst& burst);
  void on_incident(const attribution::Incident& incident);
  void remove(std::string_view name);

  // By host name (the order of the exposition).
  const std::map<std::string, TargetMetrics, std::less<>>& targets() const { return targets_; }
  const LogBuckets& rtt_buckets() const { return rtt_buckets_; }
  const IncidentCounters& incidents() const { return incidents_; }

 private:
  TargetMetrics& entry(const daemon::HostInfo& host);

  LogBuckets rtt_buckets_;
  std::map<std::string, TargetMetrics, std::less<>> targets_;
  IncidentCounters incidents_;
};

}  // namespace zzping::metrics
