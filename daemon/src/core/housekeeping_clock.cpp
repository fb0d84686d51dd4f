// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/housekeeping_clock.hpp"

namespace zzping::daemon {

void HousekeepingClock::start(std::int64_t now_ns) {
  next_ns_ = now_ns;
  next_status_ns_ = now_ns + status_period_ns_;
  next_flush_ns_ = now_ns + flush_period_ns_;
}

HousekeepingClock::Tasks HousekeepingClock::run(std::int64_t now_ns) {
  next_ns_ = now_ns + kPeriodNs;
  Tasks tasks;
  if (now_ns >= next_status_ns_) {
    next_status_ns_ = now_ns + status_period_ns_;
    tasks.status = true;
  }
  if (now_ns >= next_flush_ns_) {
    next_flush_ns_ = now_ns + flush_period_ns_;
    tasks.flush = true;
  }
  return tasks;
}

void HousekeepingClock::begin_stop(std::int64_t now_ns, std::int64_t timeout_ns) {
  stop_deadline_ns_ = now_ns + timeout_ns + kPeriodNs;
  next_ns_ = now_ns;
}

}  // namespace zzping::daemon
