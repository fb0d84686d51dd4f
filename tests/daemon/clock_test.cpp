// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/clock.hpp"

#include <gtest/gtest.h>

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
