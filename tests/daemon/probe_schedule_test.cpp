// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/probe_schedule.hpp"

#include <gtest/gtest.h>

using namespace zzping::daemon;

TEST(ProbeSchedule, DeadlinesAreExactMultiplesWithoutDrift) {
  const ProbeSchedule schedule(1000, 3, 1);
  EXPECT_EQ(schedule.deadline_of(0), 1000);
  EXPECT_EQ(schedule.deadline_of(1), 1000 + 333'333'333);
  EXPECT_EQ(schedule.deadline_of(3), 1000 + 1'000'000'000);
  // After a day at 1000/s the deadline is exact, not off by accumulated rounding.
  const ProbeSchedule fast(0, 1000, 1);
  EXPECT_EQ(fast.deadline_of(86'400'000ULL), 86'400LL * 1'000'000'000LL);
}

TEST(ProbeSchedule, NothingDueBeforeFirstDeadline) {
  ProbeSchedule schedule(500, 10, 5);
  const DueProbes due = schedule.take_due(499);
  EXPECT_EQ(due.to_send, 0u);
  EXPECT_EQ(due.skipped, 0u);
  EXPECT_EQ(schedule.next_deadline_ns(), 500);
}

TEST(ProbeSchedule, OneDuePerDeadlineOnTime) {
  ProbeSchedule schedule(0, 100, 5);
  for (std::uint64_t k = 0; k < 1000; ++k) {
    const std::int64_t deadline = schedule.next_deadline_ns();
    EXPECT_EQ(deadline, static_cast<std::int64_t>(k) * 10'000'000);
    const DueProbes due = schedule.take_due(deadline + 1000);
    ASSERT_EQ(due.to_send, 1u);
    EXPECT_EQ(due.first_index, k);
    EXPECT_EQ(due.skipped, 0u);
  }
}

TEST(ProbeSchedule, ShortStarvationCatchesUpInOneBurst) {
  ProbeSchedule schedule(0, 100, 10);
  // Woken 35 ms late: deadlines 0, 10, 20, 30 ms are due.
  const DueProbes due = schedule.take_due(35'000'000);
  EXPECT_EQ(due.to_send, 4u);
  EXPECT_EQ(due.skipped, 0u);
  EXPECT_EQ(due.first_index, 0u);
  EXPECT_EQ(schedule.next_deadline_ns(), 40'000'000);
}

TEST(ProbeSchedule, LongStarvationIsBoundedAndKeepsTheGrid) {
  ProbeSchedule schedule(0, 100, 10);
  // 1 s late: 101 deadlines passed (0..1000 ms); only the latest 10 are sent.
  const DueProbes due = schedule.take_due(1'000'000'000);
  EXPECT_EQ(due.to_send, 10u);
  EXPECT_EQ(due.skipped, 91u);
  EXPECT_EQ(due.first_index, 91u);
  EXPECT_EQ(schedule.next_deadline_ns(), 1'010'000'000);
}

TEST(ProbeSchedule, ExactDeadlineIsDue) {
  ProbeSchedule schedule(0, 1000, 1);
  EXPECT_EQ(schedule.take_due(0).to_send, 1u);
  EXPECT_EQ(schedule.take_due(999'999).to_send, 0u);
  EXPECT_EQ(schedule.take_due(1'000'000).to_send, 1u);
}

TEST(ProbeSchedule, RejectsZeroRateOrBurst) {
  EXPECT_THROW(ProbeSchedule(0, 0, 1), std::invalid_argument);
  EXPECT_THROW(ProbeSchedule(0, 1, 0), std::invalid_argument);
}
