// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/detail_planner.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace zzping::view {
namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kYear = 1'609'459'200'000;  // 2021-01-01T00:00:00Z

// Ten days of raw hours and 1 s days, the 1 min month and 1 h year, as a daemon writes.
ChunkIndex ten_days() {
  ChunkIndex index;
  for (std::int64_t h = 0; h < 240; ++h) index.add(Resolution::kRaw, kYear + h * kHour, kYear + (h + 1) * kHour);
  for (std::int64_t d = 0; d < 10; ++d) index.add(Resolution::kSecond, kYear + d * kDay, kYear + (d + 1) * kDay);
  index.add(Resolution::kMinute, kYear, kYear + 31 * kDay);
  index.add(Resolution::kHour, kYear, kYear + 365 * kDay);
  return index;
}

std::vector<std::int64_t> starts(const std::vector<ChunkPeriod>& periods, Resolution r) {
  std::vector<std::int64_t> out;
  for (const auto& p : periods) {
    if (p.key.resolution == r) out.push_back(p.key.start_ms);
  }
  return out;
}

TEST(DetailPlanner, NeededResolutionFollowsTheLevel) {
  EXPECT_EQ(needed_resolution(0), Resolution::kRaw);
  EXPECT_EQ(needed_resolution(1'000), Resolution::kSecond);
  EXPECT_EQ(needed_resolution(15'000), Resolution::kSecond);
  EXPECT_EQ(needed_resolution(60'000), Resolution::kMinute);
  EXPECT_EQ(needed_resolution(86'400'000), Resolution::kHour);
  EXPECT_TRUE(is_pinned(Resolution::kMinute));
  EXPECT_FALSE(is_pinned(Resolution::kRaw));
}

std::vector<LoadedChunkInfo> pinned_loaded() {
  return {{{{Resolution::kMinute, kYear}, kYear + 31 * kDay}, 40'000'000},
          {{{Resolution::kHour, kYear}, kYear + 365 * kDay}, 1'000'000}};
}

TEST(DetailPlanner, CoarseViewsLoadNothingMoreOncePinnedTiersAreIn) {
  const DetailPlan plan = plan_detail(ten_days(), pinned_loaded(), {kYear, kYear + 10 * kDay}, 300'000, {});
  EXPECT_TRUE(plan.load.empty());
  EXPECT_TRUE(plan.evict.empty());
}

TEST(DetailPlanner, PinnedTiersTheViewShowsComeFirstOthersAfterTheDetail) {
  ChunkIndex index = ten_days();
  index.add(Resolution::kMinute, kYear + 31 * kDay, kYear + 59 * kDay);  // February
  const std::vector<LoadedChunkInfo> hour_only = {pinned_loaded()[1]};
  // A day view (5 min level) in February: its 1 min month, then January's.
  const TimeRange feb{kYear + 40 * kDay, kYear + 41 * kDay};
  DetailPlan plan = plan_detail(index, hour_only, feb, 300'000, {});
  ASSERT_EQ(plan.load.size(), 2u);
  EXPECT_EQ(plan.load[0].key, (ChunkKey{Resolution::kMinute, kYear + 31 * kDay}));
  EXPECT_EQ(plan.load[1].key, (ChunkKey{Resolution::kMinute, kYear}));
  // A minute in January at raw level: its raw hour(s) first, January's 1 min month (shown
  // around them) before them, February's last.
  const TimeRange minute{kYear + 5 * kHour + 60'000, kYear + 5 * kHour + 120'000};
  plan = plan_detail(index, hour_only, minute, 0, {});
  ASSERT_EQ(plan.load.size(), 3u);
  EXPECT_EQ(plan.load[0].key, (ChunkKey{Resolution::kMinute, kYear}));
  EXPECT_EQ(plan.load[1].key, (ChunkKey{Resolution::kRaw, kYear + 5 * kHour}));
  EXPECT_EQ(plan.load[2].key, (ChunkKey{Resolution::kMinute, kYear + 31 * kDay}));
  EXPECT_TRUE(plan.evict.empty());
}

TEST(DetailPlanner, AMinuteAtRawLevelLoadsItsHourFirstThenTheMargin) {
  const std::int64_t t = kYear + 5 * kDay + 3 * kHour + 59 * 60'000;  // 05:03:59..05:04:59 on day 6
  const TimeRange view{t, t + 60'000};
  const DetailPlan plan = plan_detail(ten_days(), pinned_loaded(), view, 0, {});
  ASSERT_EQ(plan.load.size(), 2u);  // the margin (30 s) reaches into the next hour
  EXPECT_EQ(plan.load[0].key, (ChunkKey{Resolution::kRaw, kYear + 5 * kDay + 3 * kHour}));
  EXPECT_EQ(plan.load[1].key, (ChunkKey{Resolution::kRaw, kYear + 5 * kDay + 4 * kHour}));
}

TEST(DetailPlanner, SecondLevelsUseTheSecondTierNotTheRawHours) {
  const TimeRange view{kYear + 2 * kDay + kHour, kYear + 2 * kDay + 2 * kHour};
  const DetailPlan plan = plan_detail(ten_days(), pinned_loaded(), view, 5'000, {});
  EXPECT_EQ(starts(plan.load, Resolution::kSecond), (std::vector<std::int64_t>{kYear + 2 * kDay}));
  EXPECT_TRUE(starts(plan.load, Resolution::kRaw).empty());
}

TEST(DetailPlanner, ADayWithoutSecondTierFallsBackToItsRawHours) {
  ChunkIndex index;
  for (std::int64_t h = 0; h < 48; ++h) index.add(Resolution::kRaw, kYear + h * kHour, kYear + (h + 1) * kHour);
  index.add(Resolution::kSecond, kYear, kYear + kDay);  // day 2 has raw hours only
  const TimeRange view{kYear + kDay - kHour, kYear + kDay + kHour};
  const DetailPlan plan = plan_detail(index, {}, view, 5'000, {});  // index has no pinned tier
  EXPECT_EQ(starts(plan.load, Resolution::kSecond), (std::vector<std::int64_t>{kYear}));
  const auto raw = starts(plan.load, Resolution::kRaw);
  ASSERT_FALSE(raw.empty());
  EXPECT_TRUE(std::all_of(raw.begin(), raw.end(), [](std::int64_t s) { return s >= kYear + kDay; }));
}

TEST(DetailPlanner, LoadedChunksAreNotLoadedAgain) {
  const ChunkIndex index = ten_days();
  const TimeRange view{kYear + kHour + 60'000, kYear + kHour + 120'000};
  std::vector<LoadedChunkInfo> loaded = pinned_loaded();
  loaded.push_back({{{Resolution::kRaw, kYear + kHour}, kYear + 2 * kHour}, 2'000'000});
  const DetailPlan plan = plan_detail(index, loaded, view, 0, {});
  EXPECT_TRUE(plan.load.empty());
  EXPECT_TRUE(plan.evict.empty());
}

TEST(DetailPlanner, EvictsFarthestDetailFirstToStayWithinBudgetAndKeepsPinned) {
  const ChunkIndex index = ten_days();
  std::vector<LoadedChunkInfo> loaded;
  for (std::int64_t h = 0; h < 200; h += 10) {
    loaded.push_back({{{Resolution::kRaw, kYear + h * kHour}, kYear + (h + 1) * kHour}, 1'000'000});
  }
  for (const auto& p : pinned_loaded()) loaded.push_back(p);
  DetailBudget budget;
  budget.max_bytes = 5'500'000;
  // Looking at hour 100 at raw level: its chunk (estimated ~2.6 MB) must load; the other
  // loaded hours are spare and the farthest go first.
  const TimeRange view{kYear + 100 * kHour + 600'000, kYear + 100 * kHour + 660'000};
  const DetailPlan plan = plan_detail(index, loaded, view, 0, budget);
  EXPECT_TRUE(plan.load.empty());  // hour 100 is loaded already
  std::size_t kept = 0;
  for (const auto& c : loaded) {
    if (is_pinned(c.period.key.resolution)) continue;
    if (std::find(plan.evict.begin(), plan.evict.end(), c.period.key) == plan.evict.end()) kept += c.bytes;
  }
  EXPECT_LE(kept, budget.max_bytes);
  ASSERT_FALSE(plan.evict.empty());
  EXPECT_EQ(plan.evict.front(), (ChunkKey{Resolution::kRaw, kYear}));  // 100 h away
  for (const ChunkKey& k : plan.evict) {
    EXPECT_NE(k.resolution, Resolution::kMinute);
    EXPECT_NE(k, (ChunkKey{Resolution::kRaw, kYear + 100 * kHour}));
  }
  // The nearest spare ones stay.
  EXPECT_EQ(std::count(plan.evict.begin(), plan.evict.end(), ChunkKey{Resolution::kRaw, kYear + 90 * kHour}), 0);
}

TEST(DetailPlanner, MarginChunksThatDoNotFitTheBudgetAreSkipped) {
  DetailBudget budget;
  budget.max_bytes = 1;  // only what the view itself shows
  const TimeRange view{kYear + 5 * kHour + 60'000, kYear + 5 * kHour + 120'000};
  budget.margin = 100.0;  // the margin would reach many hours
  const DetailPlan plan = plan_detail(ten_days(), pinned_loaded(), view, 0, budget);
  ASSERT_EQ(plan.load.size(), 1u);
  EXPECT_EQ(plan.load[0].key.start_ms, kYear + 5 * kHour);
}

}  // namespace
}  // namespace zzping::view
