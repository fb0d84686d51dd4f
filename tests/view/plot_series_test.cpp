// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/plot_series.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace zzping::view {
namespace {

BucketSummary bucket(std::int64_t t, std::uint32_t lost, float p50_us) {
  BucketSummary b;
  b.t_ms = t;
  b.length_ms = 100;
  b.sent = 10;
  b.lost = lost;
  b.recv = 10 - lost;
  for (std::size_t i = 0; i < 7; ++i) b.rtt_us[i] = p50_us + 100.0f * (static_cast<float>(i) - 3.0f);
  return b;
}

TEST(PlotSeries, OnePointPerBucketAtItsCentreInMilliseconds) {
  const std::vector<BucketSummary> b = {bucket(1000, 0, 1500), bucket(1100, 5, 2500)};
  const PlotSeries s = make_plot_series(b);
  ASSERT_EQ(s.x_s.size(), 2u);
  EXPECT_DOUBLE_EQ(s.x_s[0], 1.05);
  EXPECT_DOUBLE_EQ(s.rtt_ms[kP50][1], 2.5);
  EXPECT_DOUBLE_EQ(s.rtt_ms[kP0][0], 1.2);
  EXPECT_DOUBLE_EQ(s.rtt_ms[kP100][0], 1.8);
  ASSERT_EQ(s.loss_x_s.size(), 3u);  // two steps + the end of the last
  EXPECT_DOUBLE_EQ(s.loss_pct[1], 50.0);
  EXPECT_DOUBLE_EQ(s.loss_x_s[2], 1.2);
}

TEST(PlotSeries, GapsBreakTheLinesInsteadOfBridgingThem) {
  const std::vector<BucketSummary> b = {bucket(1000, 0, 1500), bucket(1100, 0, 1500),
                                        bucket(9000, 0, 1500)};
  const PlotSeries s = make_plot_series(b);
  ASSERT_EQ(s.x_s.size(), 4u);
  EXPECT_TRUE(std::isnan(s.rtt_ms[kP50][2]));
  EXPECT_GT(s.x_s[2], 1.2);
  EXPECT_LT(s.x_s[2], 9.0);
  // The loss steps stop at the end of the bucket before the gap, then break.
  bool saw_break = false;
  for (double v : s.loss_pct) saw_break |= std::isnan(v);
  EXPECT_TRUE(saw_break);
}

TEST(PlotSeries, SmallJitterIsNotAGap) {
  BucketSummary a = bucket(1000, 0, 1500);
  BucketSummary b = bucket(1100 + 68, 0, 1500);  // zzping 0.2 frames: ~100.7 ms apart
  EXPECT_FALSE(is_gap(a, b));
  EXPECT_TRUE(is_gap(a, bucket(1201, 0, 1500)));
}

TEST(PlotSeries, BucketsWithoutSamplesHaveNoLatencyButShowTheirLoss) {
  BucketSummary dark = bucket(1000, 10, 0);
  dark.rtt_us.fill(std::nanf(""));
  const std::vector<BucketSummary> b = {dark};
  const PlotSeries s = make_plot_series(b);
  EXPECT_TRUE(std::isnan(s.rtt_ms[kP50][0]));
  EXPECT_DOUBLE_EQ(s.loss_pct[0], 100.0);
}

TEST(BucketSummary, LossPercentUsesRecvPlusLostWhenSentIsUnknown) {
  BucketSummary b;
  b.recv = 3;
  b.lost = 1;
  EXPECT_DOUBLE_EQ(b.loss_percent(), 25.0);
  b.sent = 8;
  EXPECT_DOUBLE_EQ(b.loss_percent(), 12.5);
  b.lost = 20;
  EXPECT_DOUBLE_EQ(b.loss_percent(), 100.0);
  EXPECT_DOUBLE_EQ(BucketSummary{}.loss_percent(), 0.0);
}

}  // namespace
}  // namespace zzping::view
