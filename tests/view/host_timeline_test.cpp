// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/host_timeline.hpp"

#include <gtest/gtest.h>

#include "synthetic.hpp"

namespace zzping::view {
namespace {

constexpr std::int64_t kT0 = 1'609'488'000'000;  // 2021-01-01T08:00:00Z
constexpr std::int64_t kMinute = 60'000;

std::size_t level_of(const HostTimeline& h, std::uint32_t ms) {
  for (std::size_t l = 0; l < h.level_count(); ++l) {
    if (h.level_bucket_ms(l) == ms) return l;
  }
  return h.level_count();
}

TEST(MergeEvents, RecordedWinWhereTheyOverlapDetectedElsewhereStillShow) {
  const std::vector<LossEvent> recorded = {{1'000, 2'000, 10}, {10'000, 10'500, 3}};
  const std::vector<LossEvent> detected = {{900, 1'900, 9},      // overlaps recorded[0]
                                           {5'000, 6'000, 7},    // alone: kept
                                           {10'400, 11'000, 4},  // overlaps recorded[1]
                                           {20'000, 20'100, 2}};
  const auto got = merge_events(recorded, detected);
  const std::vector<LossEvent> want = {{1'000, 2'000, 10}, {5'000, 6'000, 7},
                                       {10'000, 10'500, 3}, {20'000, 20'100, 2}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(merge_events({}, detected), detected);
  EXPECT_EQ(merge_events(recorded, {}), recorded);
}

TEST(HostTimeline, RecordedEventsNoLongerHideDetectedOnes) {
  HostTimeline h("h");
  // Frames 0..99 fine, 100..129 dark (3 s outage), then fine again.
  auto frames = testing::ramp_frames(kT0, 200, 100, 0);
  for (std::size_t i = 100; i < 130; ++i) {
    frames[i].recv = 0;
    frames[i].lost = 10;
    frames[i].rtt = RttHistogram();
  }
  for (const Frame& f : frames) h.append(f);
  ASSERT_EQ(h.events().size(), 1u);  // detected
  h.add_recorded_event({kT0 + 60'000, kT0 + 61'000, 10});  // elsewhere: both show
  EXPECT_EQ(h.events().size(), 2u);
  h.add_recorded_event({kT0 + 10'050, kT0 + 12'950, 29});  // the same outage, as recorded
  const auto events = h.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].probes_lost, 29u);
}

TEST(HostTimeline, LiveRetentionBoundsFineLevelsAndKeepsCoarseOnes) {
  HostTimeline h("live");
  h.set_fine_retention(10 * kMinute);
  std::size_t raw_after_1h = 0, buckets_after_1h = 0;
  const auto frames = testing::ramp_frames(kT0, 3 * 36'000, 100, 1);  // 3 hours
  for (std::size_t i = 0; i < frames.size(); ++i) {
    h.append(frames[i]);
    if (i + 1 == 36'000) {
      raw_after_1h = h.pyramid().level(0).size();
      buckets_after_1h = h.bucket_count();
    }
  }
  // Raw: at most the window plus the trimming step (1/8 window, at least 1 min).
  const std::size_t raw_max = (10 * kMinute + 2 * kMinute) / 100;
  EXPECT_LE(h.pyramid().level(0).size(), raw_max);
  EXPECT_LE(raw_after_1h, raw_max);
  // Two more hours add only coarse buckets: 120 min + 24 x 5 min + ... , far below a
  // raw hour (36 000).
  EXPECT_LT(h.bucket_count(), buckets_after_1h + 1'000);
  // The 1 min level still holds all three hours.
  EXPECT_GE(h.pyramid().level(level_of(h, 60'000)).size(), 179u);
  // An old minute is drawn from 1 min buckets, the newest from raw frames.
  const TimeRange old_minute{kT0 + 10 * kMinute, kT0 + 11 * kMinute};
  const std::size_t old_level = h.choose_level(old_minute, 2'000);
  EXPECT_EQ(h.level_bucket_ms(old_level), 60'000u);
  const auto old_buckets = h.visible(old_level, old_minute).buckets;
  ASSERT_FALSE(old_buckets.empty());
  const std::int64_t end = h.extent()->end_ms;
  EXPECT_EQ(h.choose_level({end - kMinute, end}, 2'000), 0u);
  EXPECT_EQ(h.pyramid().dropped_frames(), 0u);
}

TEST(HostTimeline, DataDirectoryHostChoosesLevelsFromTheSpanAndTakesChunkEventsOnce) {
  ChunkIndex index;
  index.add(Resolution::kRaw, kT0, kT0 + 3'600'000);
  HostTimeline h("dir", index);
  EXPECT_TRUE(h.chunked());
  EXPECT_FALSE(h.extent().has_value());
  EXPECT_EQ(h.choose_level({kT0, kT0 + kMinute}, 2'000), 0u);  // 600 raw frames
  EXPECT_EQ(h.level_bucket_ms(h.choose_level({kT0, kT0 + 3'600'000}, 2'000)), 5'000u);
  auto chunk = std::make_shared<Chunk>(Chunk{{{Resolution::kRaw, kT0}, kT0 + 3'600'000}, Pyramid()});
  for (const Frame& f : testing::ramp_frames(kT0, 100)) chunk->pyramid.append(f);
  const std::vector<LossEvent> recorded = {{kT0 + 100, kT0 + 300, 3}};
  const std::vector<LossEvent> detected = {{kT0 + 5'000, kT0 + 5'500, 5}};
  h.add_chunk(chunk, recorded, detected);
  EXPECT_EQ(h.events().size(), 2u);
  h.evict_chunk(chunk->period.key);
  h.add_chunk(chunk, recorded, detected);  // loaded again after eviction
  EXPECT_EQ(h.events().size(), 2u);
  EXPECT_EQ(h.loaded_chunks().size(), 1u);
  EXPECT_EQ(h.bucket_count(), chunk->pyramid.bucket_count());
  EXPECT_EQ(h.extent()->begin_ms, kT0);
}

}  // namespace
}  // namespace zzping::view
