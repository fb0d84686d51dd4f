// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The start times of the hosts' schedules: every host starts on a whole second after one
// common origin, so the deadlines of hosts with the same (or a multiple) rate coincide and
// go out on one wake-up, also for hosts added later (a reload, an automatic gateway). Pure.
#include <algorithm>
#include <cstdint>

namespace zzping::daemon {

class ScheduleGrid {
 public:
  static constexpr std::int64_t kSecondNs = 1'000'000'000;

  // The origin: the first hosts start there.
  std::int64_t start(std::int64_t origin_ns) { return origin_ns_ = origin_ns; }
  // The first grid second at or after `not_before_ns` (the origin if that is later).
  std::int64_t next(std::int64_t not_before_ns) const {
    const std::int64_t seconds = (std::max<std::int64_t>(0, not_before_ns - origin_ns_) + kSecondNs - 1) / kSecondNs;
    return origin_ns_ + seconds * kSecondNs;
  }

 private:
  std::int64_t origin_ns_ = 0;
};

}  // namespace zzping::daemon
