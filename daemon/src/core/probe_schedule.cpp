// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/probe_schedule.hpp"

#include <algorithm>
#include <stdexcept>

namespace zzping::daemon {
namespace {
constexpr std::uint64_t kNsPerSecond = 1'000'000'000;
}

ProbeSchedule::ProbeSchedule(std::int64_t start_ns, std::uint32_t rate_per_s,
                             std::uint32_t max_burst)
    : start_ns_(start_ns), rate_(rate_per_s), max_burst_(max_burst) {
  if (rate_per_s == 0) throw std::invalid_argument("probe rate must be at least 1/s");
  if (max_burst == 0) throw std::invalid_argument("catch-up burst must be at least 1");
}

std::int64_t ProbeSchedule::deadline_of(std::uint64_t index) const {
  // Split into whole seconds and the remainder so index * 1e9 cannot overflow.
  const std::uint64_t seconds = index / rate_;
  const std::uint64_t rest = index % rate_;
  const std::uint64_t offset = seconds * kNsPerSecond + rest * kNsPerSecond / rate_;
  return start_ns_ + static_cast<std::int64_t>(offset);
}

DueProbes ProbeSchedule::take_due(std::int64_t now_ns) {
  DueProbes due;
  if (now_ns < next_deadline_ns()) return due;
  // Index of the first deadline still in the future.
  const auto elapsed = static_cast<std::uint64_t>(now_ns - start_ns_);
  std::uint64_t end = elapsed / kNsPerSecond * rate_ +
                      (elapsed % kNsPerSecond) * rate_ / kNsPerSecond + 1;
  while (end > next_index_ && deadline_of(end - 1) > now_ns) --end;  // integer rounding guard
  while (deadline_of(end) <= now_ns) ++end;
  const std::uint64_t missed = end - next_index_;
  const std::uint64_t send = std::min<std::uint64_t>(missed, max_burst_);
  due.skipped = static_cast<std::uint32_t>(std::min<std::uint64_t>(missed - send, UINT32_MAX));
  due.to_send = static_cast<std::uint32_t>(send);
  due.first_index = end - send;
  next_index_ = end;
  return due;
}

}  // namespace zzping::daemon
