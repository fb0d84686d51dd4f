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

ClockPair read_clocks() { return read_clock_pair(monotonic_ns, wall_ns); }

ClockPair read_clock_pair(std::int64_t (*mono)(), std::int64_t (*wall)()) {
  // A preemption between the two reads would shift every stamp converted with the pair by
  // its length (a reply's RTT came out 531 us short once under load). So the monotonic
  // clock is read on both sides of the wall clock, and the read repeated while the two are
  // far apart; the wall reading pairs with the middle of the narrowest bracket.
  constexpr int kAttempts = 3;
  constexpr std::int64_t kGoodBracketNs = 20'000;
  ClockPair best;
  std::int64_t best_bracket = -1;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    const std::int64_t before = mono();
    const std::int64_t wall_now = wall();
    const std::int64_t bracket = mono() - before;
    if (best_bracket < 0 || bracket < best_bracket) {
      best = ClockPair{before + bracket / 2, wall_now};
      best_bracket = bracket;
    }
    if (bracket <= kGoodBracketNs) break;
  }
  return best;
}

std::int64_t kernel_stamp_to_monotonic(std::int64_t kernel_wall_ns, ClockPair now,
                                       std::int64_t max_age_ns) {
  const std::int64_t age = now.wall_ns - kernel_wall_ns;
  if (kernel_wall_ns == 0 || age < 0 || age > max_age_ns) return now.mono_ns;
  return now.mono_ns - age;
}

}  // namespace zzping::daemon
