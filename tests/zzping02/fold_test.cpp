// SPDX-License-Identifier: GPL-3.0-or-later
// fold_vec arithmetic and the iter_fold windowing, by hand.
#include <gtest/gtest.h>

#include <numeric>

#include "zzping/formats/zzping02/fold.hpp"

namespace zzping::zzping02 {
namespace {

FdqFrame frame_at(std::int64_t ms) {
  FdqFrame f;
  f.timestamp_ms = ms;
  return f;
}

TEST(FoldVec, ComputesTheOriginalsStatistics) {
  FdqFrame a = frame_at(1000);
  a.inflight = 3;
  a.lost_packets = 1;
  a.recv_us_len = 3;
  a.recv_us = {10, 20, 30, 40, 50, 60, 70};
  FdqFrame b = frame_at(2001);
  b.inflight = 4;
  b.lost_packets = 2;
  b.recv_us_len = 4;  // no percentiles (-1): excluded from the pool
  const std::vector<FdqFrame> newest_first = {b, a};
  const FdqFrame f = fold_vec(newest_first);
  EXPECT_EQ(f.timestamp_ms, 1500);  // (1000 + 2001) / 2, truncated
  EXPECT_EQ(f.inflight, 4u);        // sqrt((9 + 16) / 2) = 3.54 -> 4
  EXPECT_EQ(f.lost_packets, 2u);    // 1.5 rounds away from zero
  EXPECT_EQ(f.recv_us_len, 3u);     // floor(3.5)
  // Percentiles of the 7 pooled values, e.g. p12.5 = 10*0.25 + 20*0.75 = 17.5 -> 18.
  EXPECT_EQ(f.recv_us, (Percentiles{10, 18, 25, 40, 55, 63, 70}));
}

TEST(FoldVec, AllFramesWithoutSamplesGiveMinusOnes) {
  const std::vector<FdqFrame> frames = {frame_at(0), frame_at(100)};
  EXPECT_EQ(fold_vec(frames).recv_us, kNoPercentiles);
}

std::vector<FdqFrame> numbered(std::size_t n) {
  std::vector<FdqFrame> frames;
  for (std::size_t i = 0; i < n; ++i) frames.push_back(frame_at(static_cast<std::int64_t>(i) * 100));
  return frames;
}

TEST(IterFold, OutputCountsMatchTheOriginal) {
  EXPECT_EQ(iter_fold(numbered(6000), 32, 8).size(), 753u);  // 750 + 32/8 - 1
  EXPECT_EQ(iter_fold(numbered(6000), 10, 10).size(), 600u);
  EXPECT_EQ(iter_fold(numbered(7), 3, 3).size(), 3u);  // ceil(7/3)
  EXPECT_EQ(iter_fold(numbered(0), 4, 2).size(), 0u);
}

TEST(IterFold, WindowsCoverTheRightFrames) {
  // Window 4, step 2 over 7 frames (ms 0..600): means show which frames each output covers.
  std::vector<std::int64_t> means;
  for (const FdqFrame& f : iter_fold(numbered(7), 4, 2)) means.push_back(f.timestamp_ms);
  // {0,1}, {0..3}, {2..5}, then the partial step {4,5,6} (room for `step` new ones: keeps 4,5),
  // then draining: {6} after dropping 4,5.
  EXPECT_EQ(means, (std::vector<std::int64_t>{50, 150, 350, 500, 600}));
}

TEST(IterFold, WindowAndStepOnePassFramesThroughUntouched) {
  FdqFrame f = frame_at(1234);
  f.inflight = 5000;  // f32 squaring would still be exact; the percentiles would not be
  f.recv_us = {7, 1, 5, 3, 9, 2, 8};
  f.recv_us_len = 9;
  const std::vector<FdqFrame> one = {f};
  const auto out = iter_fold(one, 1, 1);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], f);
}

TEST(IterFold, RejectsWindowSmallerThanStep) {
  EXPECT_THROW(FdqFolder(2, 3), std::invalid_argument);
  EXPECT_THROW(FdqFolder(2, 0), std::invalid_argument);
}

}  // namespace
}  // namespace zzping::zzping02
