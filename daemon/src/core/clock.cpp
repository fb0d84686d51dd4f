// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/clock.hpp"

#include <time.h>

namespace zzping::daemon {
namespace {
std::int64_t read_ns(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * kNsPerS + ts.tv_nsec;
}
}  // namespace

std::int64_t monotonic_ns() { return read_ns(CLOCK_MONOTONIC); }
std::int64_t wall_ns() { return read_ns(CLOCK_REALTIME); }

ClockPair read_clocks() {
  ClockPair pair;
  pair.mono_ns = monotonic_ns();
  pair.wall_ns = wall_ns();
  return pair;
}

std::int64_t kernel_stamp_to_monotonic(std::int64_t kernel_wall_ns, ClockPair now,
                                       std::int64_t max_age_ns) {
  const std::int64_t age = now.wall_ns - kernel_wall_ns;
  if (kernel_wall_ns == 0 || age < 0 || age > max_age_ns) return now.mono_ns;
  return now.mono_ns - age;
}

}  // namespace zzping::daemon
