// SPDX-License-Identifier: GPL-3.0-or-later
// HousekeepingClock: housekeeping every 20 ms (with 20 ms of slack to ride on a send
// wake-up), status once per frame interval, flush every flush_ms (a reload's new value from
// the next flush on), and a graceful stop that ends when nothing is in flight or at the
// probes' timeout + one period. Pure: the tests pass the time.
#include "zzping/daemon/housekeeping_clock.hpp"

#include <gtest/gtest.h>

namespace zzping::daemon {
namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kT0 = 5'000 * kMs;

TEST(HousekeepingClock, RunsEveryPeriodAndMayWaitTheSlackForASendWakeUp) {
  HousekeepingClock clock(100 * kMs, 1000 * kMs);
  clock.start(kT0);
  EXPECT_TRUE(clock.due(kT0));
  EXPECT_EQ(clock.wake_ns(false), kT0 + HousekeepingClock::kSlackNs);
  EXPECT_EQ(clock.wake_ns(true), kT0);
  clock.run(kT0 + 3 * kMs);  // ran late: the next one is a period after it ran
  EXPECT_FALSE(clock.due(kT0 + 22 * kMs));
  EXPECT_TRUE(clock.due(kT0 + 23 * kMs));
  EXPECT_EQ(clock.wake_ns(false), kT0 + 23 * kMs + HousekeepingClock::kSlackNs);
}

TEST(HousekeepingClock, StatusOncePerFrameIntervalAndFlushEveryFlushPeriod) {
  HousekeepingClock clock(100 * kMs, 250 * kMs);
  clock.start(kT0);
  int statuses = 0;
  int flushes = 0;
  for (std::int64_t t = kT0; t < kT0 + 1000 * kMs; t += 20 * kMs) {
    ASSERT_TRUE(clock.due(t));
    const auto tasks = clock.run(t);
    statuses += tasks.status ? 1 : 0;
    flushes += tasks.flush ? 1 : 0;
  }
  EXPECT_EQ(statuses, 9);  // at 100, 200, ... 900 ms (the first one a period after start)
  EXPECT_EQ(flushes, 3);   // at 260, 520, 780 ms (20 ms ticks: the first tick at or after due)
}

TEST(HousekeepingClock, AReloadedFlushPeriodAppliesFromTheNextFlush) {
  HousekeepingClock clock(100 * kMs, 1000 * kMs);
  clock.start(kT0);
  clock.set_flush_period(200 * kMs);
  EXPECT_FALSE(clock.run(kT0 + 500 * kMs).flush);  // the one already due at 1000 ms stands
  EXPECT_TRUE(clock.run(kT0 + 1000 * kMs).flush);
  EXPECT_FALSE(clock.run(kT0 + 1180 * kMs).flush);
  EXPECT_TRUE(clock.run(kT0 + 1200 * kMs).flush);
}

TEST(HousekeepingClock, AGracefulStopEndsAtTheTimeoutOrWhenNothingIsInFlight) {
  HousekeepingClock clock(100 * kMs, 1000 * kMs);
  clock.start(kT0);
  clock.run(kT0);
  clock.begin_stop(kT0 + 5 * kMs, 1000 * kMs);
  EXPECT_TRUE(clock.due(kT0 + 5 * kMs));  // housekeeping at once
  EXPECT_EQ(clock.wake_ns(true), kT0 + 5 * kMs);
  EXPECT_FALSE(clock.stop_due(kT0 + 1024 * kMs));
  EXPECT_TRUE(clock.stop_due(kT0 + 1025 * kMs));  // timeout + one period

  HousekeepingClock idle(100 * kMs, 1000 * kMs);
  idle.start(kT0);
  idle.begin_stop(kT0, 1000 * kMs);
  idle.end_stop(kT0 + 40 * kMs);  // nothing in flight any more, or a second signal
  EXPECT_TRUE(idle.stop_due(kT0 + 40 * kMs));
}

}  // namespace
}  // namespace zzping::daemon
