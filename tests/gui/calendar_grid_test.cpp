// SPDX-License-Identifier: GPL-3.0-or-later
// The calendar heatmap's grid: cells by wall-clock day and hour of the zone shown.
#include <gtest/gtest.h>

#include "calendar_grid.hpp"

namespace zzping::gui {
namespace {

constexpr std::int64_t kDay0 = 1'609'459'200'000;  // 2021-01-01T00:00:00Z
constexpr std::int64_t kHour = 3'600'000;

TEST(CalendarGrid, PlacesHoursByDayAndHourOfTheZone) {
  std::vector<HourCell> hours;
  for (int h = 0; h < 48; ++h) hours.push_back({kDay0 + h * kHour, static_cast<double>(h % 24), 1.0 + h});
  const CalendarGrid utc(hours, CalendarMetric::kLossPct, [](std::int64_t) { return 0; });
  EXPECT_EQ(utc.days(), 2);
  EXPECT_EQ(utc.first_day(), kDay0 / (24 * kHour));
  EXPECT_EQ(utc.value(0, 0), 0.0);
  EXPECT_EQ(utc.value(1, 23), 23.0);
  EXPECT_EQ(utc.start(1, 5), kDay0 + 29 * kHour);
  EXPECT_EQ(utc.max_value(), 23.0);
  // UTC+05:30: 00:00Z is 05:30 local, in the 05 cell; the bucket of 19:00Z (00:30 local)
  // is the first of the next local day.
  const CalendarGrid india(hours, CalendarMetric::kP95Ms, [](std::int64_t) { return 5 * 3600 + 1800; });
  EXPECT_EQ(india.days(), 3);
  EXPECT_EQ(india.value(0, 5), 1.0);
  EXPECT_EQ(india.start(0, 5), kDay0);
  EXPECT_FALSE(india.value(0, 4).has_value());
  EXPECT_EQ(india.start(1, 0), kDay0 + 19 * kHour);
  EXPECT_EQ(india.max_value(), 48.0);
  EXPECT_EQ(india.min_value(), 1.0);
}

TEST(CalendarGrid, EmptyCellsAndMissingValues) {
  const CalendarGrid none({}, CalendarMetric::kLossPct, {});
  EXPECT_EQ(none.days(), 0);
  EXPECT_FALSE(none.value(0, 0).has_value());
  const CalendarGrid no_p95({{kDay0 + 3 * kHour, 50.0, std::nullopt}}, CalendarMetric::kP95Ms, {});
  EXPECT_FALSE(no_p95.value(0, 3).has_value());
  EXPECT_EQ(no_p95.start(0, 3), kDay0 + 3 * kHour);  // still a place to zoom to
  EXPECT_FALSE(no_p95.value(0, 24).has_value());
}

}  // namespace
}  // namespace zzping::gui
