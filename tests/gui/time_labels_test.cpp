// SPDX-License-Identifier: GPL-3.0-or-later
// Time-axis labels (issue 16): the date once or when it changes, seconds only when they
// matter, milliseconds only below a second; ticks on round times of the displayed zone.
#include <gtest/gtest.h>

#include "time_labels.hpp"

#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "prerequisite.hpp"

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

// Issue 16: a DST change inside the view must not shift the tick labels. The offset comes
// from the C library with TZ=Europe/Berlin (CET +01:00, CEST +02:00; in 2026 the changes
// are on 29 March and 25 October at 01:00 UTC), as the GUI's local zone would give it.
class BerlinTime : public ::testing::Test {
 protected:
  void SetUp() override {
    ZZPING_REQUIRE(std::filesystem::exists("/usr/share/zoneinfo/Europe/Berlin"), "tzdata (Europe/Berlin)");
    const char* tz = std::getenv("TZ");
    saved_ = tz ? std::optional<std::string>(tz) : std::nullopt;
    setenv("TZ", "Europe/Berlin", 1);
    tzset();
  }
  void TearDown() override {
    if (saved_) {
      setenv("TZ", saved_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  static int berlin(std::int64_t t_ms) {
    const std::time_t t = static_cast<std::time_t>(t_ms / 1000 - (t_ms % 1000 < 0 ? 1 : 0));
    std::tm tm{};
    localtime_r(&t, &tm);
    return static_cast<int>(tm.tm_gmtoff);
  }
  // The wall-clock time of day of a tick, in minutes.
  static int wall_minutes(std::int64_t t_ms) {
    const std::int64_t local = t_ms + std::int64_t{berlin(t_ms)} * 1000;
    return static_cast<int>(((local % 86'400'000) + 86'400'000) % 86'400'000 / 60'000);
  }
  std::optional<std::string> saved_;
};

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kSpring = 1'774'746'000'000;  // 2026-03-29T01:00:00Z: 02:00 CET -> 03:00 CEST
constexpr std::int64_t kAutumn = 1'792'890'000'000;  // 2026-10-25T01:00:00Z: 03:00 CEST -> 02:00 CET

TEST_F(BerlinTime, OffsetsAsExpected) {
  EXPECT_EQ(berlin(kSpring - 1), 3600);
  EXPECT_EQ(berlin(kSpring), 7200);
  EXPECT_EQ(berlin(kAutumn - 1), 7200);
  EXPECT_EQ(berlin(kAutumn), 3600);
}

// Two days around each change, 6 h steps: 00:00, 06:00, 12:00, 18:00 on both sides (with
// the offset of the start for all ticks, those after the change said 07:00, 13:00, ...).
TEST_F(BerlinTime, SixHourTicksStayOnRoundTimesAcrossBothChanges) {
  for (const std::int64_t change : {kSpring, kAutumn}) {
    const AxisTicks t = make_axis_ticks(change - 36 * kHour, change + 36 * kHour, 12, berlin);
    ASSERT_EQ(t.step_ms, 6 * kHour);
    ASSERT_GE(t.ticks_ms.size(), 11u);
    bool before = false, after = false;
    for (std::size_t i = 0; i < t.ticks_ms.size(); ++i) {
      EXPECT_EQ(wall_minutes(t.ticks_ms[i]) % 360, 0) << t.labels[i];
      const std::string time = t.labels[i].substr(0, 5);
      EXPECT_TRUE(time == "00:00" || time == "06:00" || time == "12:00" || time == "18:00") << t.labels[i];
      (t.ticks_ms[i] < change ? before : after) = true;
    }
    EXPECT_TRUE(before && after);
  }
  // The spring day is 23 h long, the autumn one 25 h: the ticks around them say so.
  const AxisTicks spring = make_axis_ticks(kSpring - 13 * kHour, kSpring + 11 * kHour, 4, berlin);
  ASSERT_EQ(spring.step_ms, 6 * kHour);
  EXPECT_EQ(spring.labels, (std::vector<std::string>{"18:00\n2026-03-28", "00:00\n2026-03-29", "06:00", "12:00"}));
  EXPECT_EQ(spring.ticks_ms[2] - spring.ticks_ms[1], 5 * kHour);
}

// Hour steps through the changes: 02:00 does not exist in March (no tick), and is shown
// once (the first, CEST) in October; every other tick on the hour.
TEST_F(BerlinTime, HourTicksThroughTheChanges) {
  const AxisTicks spring = make_axis_ticks(kSpring - 2 * kHour, kSpring + 3 * kHour, 5, berlin);
  ASSERT_EQ(spring.step_ms, kHour);
  EXPECT_EQ(spring.labels,
            (std::vector<std::string>{"00:00\n2026-03-29", "01:00", "03:00", "04:00", "05:00", "06:00"}));
  const AxisTicks autumn = make_axis_ticks(kAutumn - 2 * kHour, kAutumn + 2 * kHour, 4, berlin);
  ASSERT_EQ(autumn.step_ms, kHour);
  EXPECT_EQ(autumn.labels, (std::vector<std::string>{"01:00\n2026-10-25", "02:00", "03:00", "04:00"}));
  for (std::size_t i = 1; i < autumn.ticks_ms.size(); ++i) EXPECT_GT(autumn.ticks_ms[i], autumn.ticks_ms[i - 1]);
}

// Days and weeks across a change start at local midnight on both sides.
TEST_F(BerlinTime, DayAndWeekTicksAtMidnight) {
  for (const std::int64_t change : {kSpring, kAutumn}) {
    for (const int days : {8, 60}) {
      const AxisTicks t = make_axis_ticks(change - days / 2 * 24 * kHour, change + days / 2 * 24 * kHour, 6, berlin);
      ASSERT_GE(t.step_ms, 24 * kHour);
      ASSERT_GE(t.ticks_ms.size(), 3u);
      for (std::size_t i = 0; i < t.ticks_ms.size(); ++i) {
        EXPECT_EQ(wall_minutes(t.ticks_ms[i]), 0) << t.labels[i];
        EXPECT_EQ(t.labels[i].size(), 10u) << t.labels[i];  // the date alone
      }
    }
  }
}

// Below an hour the steps divide the change: 10-minute ticks through the autumn change
// repeat 02:00-02:50 as the wall clock does, always on round minutes.
TEST_F(BerlinTime, MinuteTicksFollowTheWallClock) {
  const AxisTicks t = make_axis_ticks(kAutumn - kHour, kAutumn + kHour, 12, berlin);
  ASSERT_EQ(t.step_ms, 600'000);
  for (const std::int64_t tick : t.ticks_ms) EXPECT_EQ(wall_minutes(tick) % 10, 0);
  EXPECT_EQ(t.labels.front(), "02:00\n2026-10-25");
  EXPECT_EQ(t.labels[6], "02:00");  // 01:00 UTC: the CET 02:00
}

}  // namespace
}  // namespace zzping::gui
