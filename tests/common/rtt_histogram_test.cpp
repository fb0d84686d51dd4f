// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/rtt_histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace zzping {
namespace {

double exact_quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double x = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(x));
  const auto hi = static_cast<std::size_t>(std::ceil(x));
  return v[lo] + (x - std::floor(x)) * (v[hi] - v[lo]);
}

TEST(RttQuantiser, EveryValueWithinHalfPrecision) {
  for (double p : {0.001, 0.01, 0.05, 0.1}) {
    RttQuantiser quantiser(p);
    EXPECT_LT(quantiser.max_relative_error(), p / 2);
    for (double v = 1.0; v < 1e11; v *= 1.0037) {
      const double back = quantiser.value_of(quantiser.key_of(v));
      ASSERT_LE(std::abs(back - v) / v, quantiser.max_relative_error() * (1 + 1e-9))
          << "p=" << p << " v=" << v;
    }
  }
}

TEST(RttQuantiser, ZeroAndNonsenseMapToKeyZero) {
  RttQuantiser quantiser;
  EXPECT_EQ(quantiser.key_of(0.0), 0);
  EXPECT_EQ(quantiser.key_of(-5.0), 0);
  EXPECT_EQ(quantiser.key_of(std::nan("")), 0);
  EXPECT_EQ(quantiser.value_of(0), 0.0);
}

TEST(RttQuantiser, RejectsBadPrecision) {
  EXPECT_THROW(RttQuantiser(0.0), std::invalid_argument);
  EXPECT_THROW(RttQuantiser(0.9), std::invalid_argument);
  EXPECT_THROW(RttQuantiser(std::nan("")), std::invalid_argument);
}

// Property: however samples are split into frames and merged back (any grouping, any
// order), the merged histogram is identical, and its quantiles are within the quantiser
// precision of the exact quantiles of the raw samples.
TEST(RttHistogram, MergeIsExactAndQuantilesWithinPrecision) {
  std::mt19937_64 rng(12345);
  for (int trial = 0; trial < 200; ++trial) {
    const double p = std::array{0.001, 0.01, 0.02, 0.1}[static_cast<std::size_t>(trial % 4)];
    const RttQuantiser quantiser(p);
    std::lognormal_distribution<double> rtt(std::log(1.5e6), 0.3 + (trial % 7) * 0.3);
    const std::size_t n = 1 + rng() % 3000;
    std::vector<double> samples(n);
    for (auto& s : samples) s = rtt(rng);

    RttHistogram whole(quantiser);
    for (double s : samples) whole.add_ns(s);

    std::vector<RttHistogram> parts;
    std::size_t i = 0;
    while (i < n) {
      const std::size_t len = std::min<std::size_t>(n - i, 1 + rng() % 40);
      RttHistogram part(quantiser);
      for (std::size_t j = i; j < i + len; ++j) part.add_ns(samples[j]);
      parts.push_back(part);
      i += len;
    }
    std::shuffle(parts.begin(), parts.end(), rng);
    // Merge as a random tree: repeatedly merge two random parts.
    while (parts.size() > 1) {
      const std::size_t a = rng() % parts.size();
      std::size_t b = rng() % parts.size();
      if (a == b) b = (b + 1) % parts.size();
      parts[a].merge(parts[b]);
      parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(b));
    }
    ASSERT_EQ(parts[0], whole);
    ASSERT_EQ(whole.count(), n);
    for (double q : {0.0, 0.01, 0.125, 0.25, 0.5, 0.75, 0.875, 0.99, 0.999, 1.0}) {
      const double exact = exact_quantile(samples, q);
      const double got = whole.quantile_ns(q);
      ASSERT_LE(std::abs(got - exact) / exact, quantiser.max_relative_error() * (1 + 1e-9))
          << "trial " << trial << " q=" << q << " n=" << n;
    }
  }
}

TEST(RttHistogram, EmptyGivesNaN) {
  RttHistogram h;
  EXPECT_TRUE(std::isnan(h.quantile_ns(0.5)));
  EXPECT_TRUE(h.empty());
}

TEST(RttHistogram, MergeRejectsDifferentPrecision) {
  RttHistogram a(RttQuantiser(0.01));
  RttHistogram b(RttQuantiser(0.02));
  b.add_us(100);
  EXPECT_THROW(a.merge(b), std::invalid_argument);
}

TEST(RttHistogram, AssignBinsValidates) {
  RttHistogram h;
  EXPECT_THROW(h.assign_bins({{5, 1}, {5, 2}}), std::invalid_argument);
  EXPECT_THROW(h.assign_bins({{5, 0}}), std::invalid_argument);
  h.assign_bins({{5, 1}, {9, 3}});
  EXPECT_EQ(h.count(), 4u);
}

}  // namespace
}  // namespace zzping
