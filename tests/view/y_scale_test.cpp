// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/y_scale.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace zzping::view {
namespace {

PlotSeries series_with(std::vector<double> p87, std::vector<double> p100) {
  PlotSeries s;
  s.x_s.resize(p87.size());
  for (auto& q : s.rtt_ms) q.assign(p87.size(), 1.0);
  s.rtt_ms[kP87] = std::move(p87);
  s.rtt_ms[kP100] = std::move(p100);
  return s;
}

TEST(YScale, OneSpikeDoesNotStretchTheAutoRange) {
  std::vector<double> p87(200, 2.0);
  std::vector<double> p100(200, 3.0);
  p100[50] = 300.0;  // one spike
  const double top = robust_top_ms(series_with(p87, p100));
  EXPECT_NEAR(top, 3.3, 1e-9);
}

TEST(YScale, ASustainedRiseDoesStretchIt) {
  std::vector<double> p87(200, 2.0);
  std::vector<double> p100(200, 3.0);
  for (std::size_t i = 0; i < 20; ++i) p100[i] = 300.0;
  EXPECT_NEAR(robust_top_ms(series_with(p87, p100)), 330.0, 1e-9);
}

TEST(YScale, IgnoresGapsAndDefaultsWithoutData) {
  EXPECT_DOUBLE_EQ(robust_top_ms(PlotSeries{}), 1.0);
  const double nan = std::nan("");
  EXPECT_NEAR(robust_top_ms(series_with({nan, 4.0}, {nan, 5.0})), 5.5, 1e-9);
}

TEST(YScale, SemiLogRoundTripsAndCompressesHighValues) {
  YScale y;
  y.set_semi_log(60);
  EXPECT_EQ(y.mode(), YMode::kSemiLog);
  for (double ms : {0.0, 0.5, 1.0, 20.0, 300.0}) EXPECT_NEAR(y.inverse(y.forward(ms)), ms, 1e-9);
  // Linear, 100 -> 200 ms takes 100 times the axis of 1 -> 2 ms; semi-log (knee 1 ms at
  // factor 60) brings that under 2, close to a log axis's 1.
  EXPECT_DOUBLE_EQ(y.knee_ms(), 1.0);
  EXPECT_LT((y.forward(200) - y.forward(100)) / (y.forward(2) - y.forward(1)), 2.0);
  y.set_semi_log(500);
  EXPECT_EQ(y.scale_factor(), YScale::kMaxScaleFactor);
}

TEST(YScale, LinearIsIdentityAndFixedKeepsItsRange) {
  YScale y;
  EXPECT_DOUBLE_EQ(y.forward(12.5), 12.5);
  y.set_fixed(0.0, 50.0);
  const YRange r = y.axis_range(series_with({400.0}, {400.0}));
  EXPECT_DOUBLE_EQ(r.lo, 0.0);
  EXPECT_DOUBLE_EQ(r.hi, 50.0);
  EXPECT_THROW(y.set_fixed(10.0, 5.0), std::invalid_argument);
  EXPECT_THROW(y.set_fixed(-1.0, 5.0), std::invalid_argument);
}

TEST(YScale, LinearTicksAreEvenNiceSteps) {
  YScale y;
  const auto t = y.ticks_ms({0.0, 10.0}, 5);
  ASSERT_EQ(t.size(), 6u);
  EXPECT_DOUBLE_EQ(t[1], 2.0);
  EXPECT_DOUBLE_EQ(t[5], 10.0);
}

TEST(YScale, SemiLogTicksAreNiceAndSpreadOnTheAxis) {
  YScale y;
  y.set_semi_log(60);
  const YRange r{y.forward(0.0), y.forward(400.0)};
  const auto t = y.ticks_ms(r, 8);
  ASSERT_GE(t.size(), 4u);
  EXPECT_DOUBLE_EQ(t[0], 0.0);
  for (std::size_t i = 1; i < t.size(); ++i) {
    EXPECT_GT(y.forward(t[i]) - y.forward(t[i - 1]), (r.hi - r.lo) / 8 - 1e-12);
    const double mantissa = t[i] / std::pow(10.0, std::floor(std::log10(t[i])));
    EXPECT_TRUE(std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 ||
                std::abs(mantissa - 5) < 1e-9);
  }
  EXPECT_LE(t.back(), 400.0);
}

}  // namespace
}  // namespace zzping::view
