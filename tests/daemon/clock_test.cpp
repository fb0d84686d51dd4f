// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/clock.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace zzping::daemon;

TEST(Clock, KernelStampConvertsWithReadTimeOffset) {
  const ClockPair now{5'000'000'000, 1'700'000'000'000'000'000};
  // Stamped 30 µs before the read.
  EXPECT_EQ(kernel_stamp_to_monotonic(now.wall_ns - 30'000, now), now.mono_ns - 30'000);
}

TEST(Clock, ImplausibleStampFallsBackToReadTime) {
  const ClockPair now{5'000'000'000, 1'700'000'000'000'000'000};
  EXPECT_EQ(kernel_stamp_to_monotonic(now.wall_ns + 1000, now), now.mono_ns) << "stamp in the future (clock stepped back)";
  EXPECT_EQ(kernel_stamp_to_monotonic(now.wall_ns - 2 * kNsPerS, now), now.mono_ns) << "stamp too old (clock stepped forward)";
  EXPECT_EQ(kernel_stamp_to_monotonic(0, now), now.mono_ns) << "no stamp";
}

TEST(Clock, MonotonicNeverGoesBack) {
  std::int64_t last = monotonic_ns();
  for (int i = 0; i < 1000; ++i) {
    const std::int64_t now = monotonic_ns();
    ASSERT_GE(now, last);
    last = now;
  }
}

namespace {
// A fake machine: wall = mono + 1e18 ns; the first wall read is followed by a 531 us
// preemption (the monotonic clock jumps), later reads take 50 ns each.
std::int64_t g_fake_mono = 0;
int g_wall_reads = 0;
std::int64_t fake_mono() { return g_fake_mono += 50; }
std::int64_t fake_wall() {
  const std::int64_t wall = 1'000'000'000'000'000'000 + (g_fake_mono += 50);
  if (++g_wall_reads == 1) g_fake_mono += 531'000;
  return wall;
}
}  // namespace

TEST(Clock, PairReadAgainWhenPreemptedBetweenTheClocks) {
  g_fake_mono = 5'000'000'000;
  g_wall_reads = 0;
  const ClockPair pair = read_clock_pair(fake_mono, fake_wall);
  EXPECT_EQ(g_wall_reads, 2) << "read again after the preempted attempt, then good";
  // The pair's offset is the machine's within the 150 ns bracket of the good attempt.
  EXPECT_LE(std::abs(pair.wall_ns - pair.mono_ns - 1'000'000'000'000'000'000), 100);
}

TEST(Clock, RealPairAgreesWithTheClocks) {
  const std::int64_t before = monotonic_ns();
  const ClockPair pair = read_clocks();
  const std::int64_t after = monotonic_ns();
  EXPECT_GE(pair.mono_ns, before);
  EXPECT_LE(pair.mono_ns, after);
}
