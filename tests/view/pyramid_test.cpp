// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/pyramid.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "synthetic.hpp"

namespace zzping::view {
namespace {

constexpr std::int64_t kT0 = 1'609'488'000'000;  // 2021-01-01T08:00:00Z, day-aligned + 8 h

TEST(Pyramid, RejectsBucketsThatDoNotNest) {
  EXPECT_THROW(Pyramid({1000, 1500}), std::invalid_argument);
  EXPECT_THROW(Pyramid({1000, 1000}), std::invalid_argument);
  EXPECT_THROW(Pyramid({0}), std::invalid_argument);
  EXPECT_NO_THROW(Pyramid({1000, 5000, 30000}));
}

TEST(Pyramid, RawLevelKeepsEveryFrame) {
  Pyramid p({1000});
  for (const Frame& f : testing::ramp_frames(kT0, 25)) p.append(f);
  ASSERT_EQ(p.level(0).size(), 25u);
  EXPECT_EQ(p.level(0).buckets()[3].t_ms, kT0 + 300);
  EXPECT_EQ(p.bucket_ms(0), 0u);
  EXPECT_EQ(p.bucket_ms(1), 1000u);
}

TEST(Pyramid, AggregatedBucketsEqualExactMergeOfTheirFrames) {
  const auto frames = testing::ramp_frames(kT0, 35);
  Pyramid p({1000, 5000});
  for (const Frame& f : frames) p.append(f);
  // 35 frames of 100 ms: 3 closed 1 s buckets and one open with 5 frames.
  ASSERT_EQ(p.level(1).size(), 3u);
  Frame expected = frames[10];
  for (std::size_t i = 11; i < 20; ++i) merge_into(expected, frames[i]);
  const BucketSummary got = p.level(1).buckets()[1];
  EXPECT_EQ(got.t_ms, kT0 + 1000);
  EXPECT_EQ(got.length_ms, 1000u);
  EXPECT_EQ(got.sent, expected.sent);
  EXPECT_EQ(got.recv, expected.recv);
  EXPECT_EQ(got.lost, expected.lost);
  const auto q = expected.rtt.seven_quantiles_us();
  for (std::size_t i = 0; i < 7; ++i) EXPECT_FLOAT_EQ(got.rtt_us[i], static_cast<float>(q[i]));

  const auto open = p.open_bucket(1);
  ASSERT_TRUE(open.has_value());
  EXPECT_EQ(open->t_ms, kT0 + 3000);
  EXPECT_EQ(open->sent, 50u);
}

TEST(Pyramid, OpenCoarseBucketIncludesFinerOpenData) {
  Pyramid p({1000, 5000});
  for (const Frame& f : testing::ramp_frames(kT0, 35)) p.append(f);
  // Nothing closed at 5 s yet, but the open bucket holds all 35 frames.
  EXPECT_EQ(p.level(2).size(), 0u);
  const auto open = p.open_bucket(2);
  ASSERT_TRUE(open.has_value());
  EXPECT_EQ(open->sent, 350u);
  EXPECT_EQ(open->t_ms, kT0);
  EXPECT_EQ(open->length_ms, 5000u);
}

TEST(Pyramid, CoarseQuantilesComeFromAllSamplesNotFromPooledPercentiles) {
  // One frame with 1000 fast samples and one with a single slow sample: pooling the two
  // frames' percentiles would give a median half way; the exact median is fast.
  Frame fast;
  fast.t_ms = kT0;
  fast.sent = fast.recv = 1000;
  fast.rtt.add_us(1000.0, 1000);
  Frame slow;
  slow.t_ms = kT0 + 100;
  slow.sent = slow.recv = 1;
  slow.rtt.add_us(90000.0);
  Pyramid p({1000});
  p.append(fast);
  p.append(slow);
  const auto open = p.open_bucket(1);
  ASSERT_TRUE(open);
  EXPECT_NEAR(open->rtt_us[kP50], 1000.0f, 10.0f);
  EXPECT_NEAR(open->rtt_us[kP100], 90000.0f, 900.0f);
}

TEST(Pyramid, DropsFramesOlderThanWhatItHolds) {
  Pyramid p({1000});
  const auto frames = testing::ramp_frames(kT0, 30);
  for (const Frame& f : frames) p.append(f);
  p.append(frames[2]);
  EXPECT_EQ(p.dropped_frames(), 1u);
  EXPECT_EQ(p.level(0).size(), 30u);
  EXPECT_EQ(p.frames_appended(), 31u);
}

TEST(Pyramid, ChoosesTheFinestLevelWithinTheBudget) {
  Pyramid p({1000, 5000, 30000});
  for (const Frame& f : testing::ramp_frames(kT0, 6000)) p.append(f);  // 10 minutes
  const TimeRange all{kT0, kT0 + 600'000};
  EXPECT_EQ(p.choose_level(all, 10000), 0u);  // 6000 raw frames fit
  EXPECT_EQ(p.choose_level(all, 1000), 1u);   // 600 one-second buckets
  EXPECT_EQ(p.choose_level(all, 200), 2u);    // 120 five-second buckets
  EXPECT_EQ(p.choose_level(all, 50), 3u);     // 20 thirty-second buckets
  EXPECT_EQ(p.choose_level(all, 5), 3u);      // nothing fits: the coarsest
  const TimeRange ten_seconds{kT0 + 100'000, kT0 + 110'000};
  EXPECT_EQ(p.choose_level(ten_seconds, 200), 0u);
}

TEST(Pyramid, TierOnlyDataIsNeverDrawnFromEmptyFinerLevels) {
  Pyramid p({1000, 60000});
  for (int i = 0; i < 30; ++i) {
    Frame f;
    f.t_ms = kT0 + i * 60000;
    f.length_ms = 60000;
    f.sent = 600;
    f.recv = 600;
    f.rtt.add_us(2000.0, 600);
    p.append_tier(f);
  }
  EXPECT_EQ(p.level(0).size(), 0u);
  EXPECT_EQ(p.level(1).size(), 0u);
  EXPECT_EQ(p.level(2).size(), 29u);  // + 1 open
  // Even a tiny budget picks the 1 min level: the finer ones hold nothing.
  EXPECT_EQ(p.choose_level({kT0, kT0 + 120'000}, 1e9), 2u);
  Frame no_such_tier;
  no_such_tier.t_ms = kT0;
  no_such_tier.length_ms = 5000;
  EXPECT_THROW(p.append_tier(no_such_tier), std::invalid_argument);
  Frame misaligned;
  misaligned.t_ms = kT0 + 31 * 60000 + 5;
  misaligned.length_ms = 60000;
  EXPECT_THROW(p.append_tier(misaligned), std::invalid_argument);
}

TEST(Pyramid, VisibleIncludesNeighboursAndTheOpenBucket) {
  Pyramid p({1000});
  for (const Frame& f : testing::ramp_frames(kT0, 55)) p.append(f);
  const auto v = p.visible(1, {kT0 + 2500, kT0 + 3500});
  // Buckets 2 and 3 overlap; 1 and 4 are the neighbours.
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v.front().t_ms, kT0 + 1000);
  EXPECT_EQ(v.back().t_ms, kT0 + 4000);
  const auto tail = p.visible(1, {kT0 + 4500, kT0 + 9000});
  ASSERT_FALSE(tail.empty());
  EXPECT_EQ(tail.back().t_ms, kT0 + 5000);  // the open bucket
  EXPECT_EQ(tail.back().sent, 50u);
}

TEST(Pyramid, BucketAtFindsClosedAndOpenBuckets) {
  Pyramid p({1000});
  for (const Frame& f : testing::ramp_frames(kT0, 15)) p.append(f);
  auto raw = p.bucket_at(0, kT0 + 1234);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->t_ms, kT0 + 1200);
  auto closed = p.bucket_at(1, kT0 + 999);
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->t_ms, kT0);
  auto open = p.bucket_at(1, kT0 + 1001);
  ASSERT_TRUE(open);
  EXPECT_EQ(open->sent, 50u);
  EXPECT_FALSE(p.bucket_at(0, kT0 - 1));
  EXPECT_FALSE(p.bucket_at(1, kT0 + 5000));
}

TEST(Pyramid, ExtentFollowsTheData) {
  Pyramid p;
  EXPECT_FALSE(p.extent());
  for (const Frame& f : testing::ramp_frames(kT0 + 50, 10)) p.append(f);
  ASSERT_TRUE(p.extent());
  EXPECT_EQ(p.extent()->begin_ms, kT0 + 50);
  EXPECT_EQ(p.extent()->end_ms, kT0 + 1050);
}

TEST(Pyramid, NegativeTimesFloorToTheirBucket) {
  Pyramid p({1000});
  Frame f;
  f.t_ms = -1500;
  f.sent = 1;
  p.append(f);
  ASSERT_TRUE(p.open_bucket(1));
  EXPECT_EQ(p.open_bucket(1)->t_ms, -2000);
}

}  // namespace
}  // namespace zzping::view
