// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/metrics/target_table.hpp"

#include <algorithm>

#include <cmath>
#include <limits>

namespace zzping::metrics {
namespace {

static_assert([] {
  for (std::size_t i = 0; i < kCauses.size(); ++i) {
    if (static_cast<std::size_t>(kCauses[i]) != i) return false;
  }
  return true;
}(), "kCauses is indexed by the Cause's value");

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

LastFrame summarise(const Frame& frame) {
  LastFrame last;
  last.seen = true;
  last.start_s = static_cast<double>(frame.t_ms) / 1000.0;
  last.loss_ratio = frame.sent == 0 ? kNaN : static_cast<double>(frame.lost) / static_cast<double>(frame.sent);
  for (std::size_t i = 0; i < kSevenQuantiles.size(); ++i) {
    last.rtt_s[i] = frame.rtt.empty() ? kNaN : frame.rtt.quantile_ns(kSevenQuantiles[i]) / 1e9;
  }
  return last;
}

}  // namespace

TargetMetrics& TargetTable::entry(const daemon::HostInfo& host) {
  auto it = targets_.find(host.name);
  if (it == targets_.end()) {
    it = targets_.emplace(host.name, TargetMetrics{}).first;
    it->second.rtt_per_bucket.assign(rtt_buckets_.upper_bounds().size() + 1, 0);
  }
  it->second.address = host.address;
  it->second.role = attribution::to_string(host.role);
  return it->second;
}

void TargetTable::on_frame(const daemon::HostInfo& host, const Frame& frame) {
  TargetMetrics& target = entry(host);
  TargetCounters& c = target.counters;
  c.sent += frame.sent;
  c.received += frame.recv;
  c.lost += frame.lost;
  c.duplicate += frame.dup;
  c.late += frame.late;
  c.icmp_errors += frame.icmp_errors;
  if (frame.jitter) {
    c.jitter_sum_ns += frame.jitter->sum_ns;
    c.jitter_pairs += frame.jitter->pairs;
  }
  target.rtt_sum_s += rtt_buckets_.accumulate(frame.rtt, target.rtt_per_bucket);
  target.last_frame = summarise(frame);
}

void TargetTable::on_status(const daemon::HostInfo& host, const daemon::HostStatus& status) {
  entry(host).in_flight = status.in_flight;
}

void TargetTable::on_event(const daemon::HostInfo& host, const LossEvent& event) {
  TargetCounters& c = entry(host).counters;
  ++c.loss_bursts;
  c.loss_burst_ms += static_cast<std::uint64_t>(std::max<std::int64_t>(event.end_ms - event.start_ms, 0));
}

void TargetTable::on_burst_attributed(const daemon::HostInfo& host, const attribution::AttributedBurst& burst) {
  const auto it = targets_.find(host.name);
  if (it == targets_.end()) return;
  ++it->second.counters.bursts_by_cause[static_cast<std::size_t>(burst.attribution.cause)];
}

void TargetTable::on_incident(const attribution::Incident& incident) {
  const auto index = static_cast<std::size_t>(incident.cause);
  ++incidents_.count[index];
  incidents_.duration_ms[index] += static_cast<std::uint64_t>(std::max<std::int64_t>(incident.end_ms - incident.start_ms, 0));
}

void TargetTable::remove(std::string_view name) {
  const auto it = targets_.find(name);
  if (it != targets_.end()) targets_.erase(it);
}

}  // namespace zzping::metrics
