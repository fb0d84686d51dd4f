// SPDX-License-Identifier: GPL-3.0-or-later
// Time-axis labels (issue 16): the date once or when it changes, seconds only when they
// matter, milliseconds only below a second; ticks on round times of the displayed zone.
#include <gtest/gtest.h>

#include "time_labels.hpp"

namespace zzping::gui {
namespace {

constexpr std::int64_t kT0 = 1'764'950'400'000;  // 2025-12-05T16:00:00Z
constexpr std::int64_t kMin = 60'000;
const UtcOffset kUtc = [](std::int64_t) { return 0; };
const UtcOffset kPlusOne = [](std::int64_t) { return 3600; };
const UtcOffset kIndia = [](std::int64_t) { return 5 * 3600 + 1800; };

TEST(TimeLabels, TenMinutesShowMinutesOnlyAndTheDateOnce) {
  const AxisTicks t = make_axis_ticks(kT0, kT0 + 10 * kMin, 5, kUtc);
  EXPECT_EQ(t.step_ms, 2 * kMin);
  ASSERT_EQ(t.labels.size(), 6u);
  EXPECT_EQ(t.labels[0], "16:00\n2025-12-05");
  EXPECT_EQ(t.labels[1], "16:02");
  EXPECT_EQ(t.labels[5], "16:10");
}

TEST(TimeLabels, SecondsOnlyWhenTheStepIsNotWholeMinutes) {
  const AxisTicks t = make_axis_ticks(kT0 + 5'000, kT0 + 65'000, 6, kUtc);
  EXPECT_EQ(t.step_ms, 10'000);
  EXPECT_EQ(t.labels[0], "16:00:10\n2025-12-05");
  EXPECT_EQ(t.labels[1], "16:00:20");
}

TEST(TimeLabels, MillisecondsOnlyBelowASecondWithTheDigitsNeeded) {
  EXPECT_EQ(make_axis_ticks(kT0, kT0 + 1'000, 5, kUtc).labels[1], "16:00:00.2");
  EXPECT_EQ(make_axis_ticks(kT0, kT0 + 100, 5, kUtc).labels[1], "16:00:00.02");
  EXPECT_EQ(make_axis_ticks(kT0, kT0 + 10, 5, kUtc).labels[1], "16:00:00.002");
}

TEST(TimeLabels, TheDateAgainWhenItChanges) {
  const AxisTicks t = make_axis_ticks(kT0, kT0 + 12 * 60 * kMin, 6, kUtc);  // 16:00 to 04:00
  EXPECT_EQ(t.step_ms, 2 * 60 * kMin);
  ASSERT_EQ(t.labels.size(), 7u);
  EXPECT_EQ(t.labels[3], "22:00");
  EXPECT_EQ(t.labels[4], "00:00\n2025-12-06");
  EXPECT_EQ(t.labels[5], "02:00");
}

TEST(TimeLabels, DaysShowTheDateAlone) {
  const AxisTicks t = make_axis_ticks(kT0, kT0 + 6 * 86'400'000LL, 6, kUtc);
  EXPECT_EQ(t.step_ms, 86'400'000);
  EXPECT_EQ(t.labels[0], "2025-12-06");
  EXPECT_EQ(t.ticks_ms[0], kT0 + 8 * 60 * kMin);  // UTC midnight
}

TEST(TimeLabels, LocalTicksFallOnLocalRoundTimes) {
  // UTC+01:00: 16:00Z is 17:00 local; a day step starts at local midnight (23:00Z).
  const AxisTicks hours = make_axis_ticks(kT0, kT0 + 10 * kMin, 5, kPlusOne);
  EXPECT_EQ(hours.labels[0], "17:00\n2025-12-05");
  const AxisTicks days = make_axis_ticks(kT0, kT0 + 6 * 86'400'000LL, 6, kPlusOne);
  EXPECT_EQ(days.ticks_ms[0], kT0 + 7 * 60 * kMin);
  EXPECT_EQ(days.labels[0], "2025-12-06");
  // UTC+05:30: hour ticks on local whole hours, i.e. at :30 UTC.
  const AxisTicks india = make_axis_ticks(kT0, kT0 + 6 * 60 * kMin, 6, kIndia);
  EXPECT_EQ(india.step_ms, 60 * kMin);
  EXPECT_EQ(india.ticks_ms[0], kT0 + 30 * kMin);
  EXPECT_EQ(india.labels[0], "22:00\n2025-12-05");
  EXPECT_EQ(india.labels[2], "00:00\n2025-12-06");
}

TEST(TimeLabels, StampsAndZoneNames) {
  EXPECT_EQ(format_time(kT0 + 4'218, kUtc), "2025-12-05 16:00:04.218");
  EXPECT_EQ(format_time(kT0 + 4'218, kIndia), "2025-12-05 21:30:04.218");
  EXPECT_EQ(format_time(-1, kUtc), "1969-12-31 23:59:59.999");
  EXPECT_EQ(zone_label(true, 0), "UTC");
  EXPECT_EQ(zone_label(false, -12'600), "local, UTC-03:30");
}

TEST(TimeLabels, StepsGrowWithTheSpan) {
  EXPECT_EQ(choose_tick_step(1'000, 5), 200);
  EXPECT_EQ(choose_tick_step(30 * 86'400'000LL, 6), 7 * 86'400'000LL);
  EXPECT_EQ(choose_tick_step(40LL * 365 * 86'400'000LL, 6), 364 * 86'400'000LL);
}

}  // namespace
}  // namespace zzping::gui
