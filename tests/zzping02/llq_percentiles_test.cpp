// SPDX-License-Identifier: GPL-3.0-or-later
// LinearLogQuantizer and compute_percentiles: the original's integers and the properties
// that make them usable.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "zzping/formats/zzping02/llq.hpp"
#include "zzping/formats/zzping02/percentiles.hpp"

namespace zzping::zzping02 {
namespace {

TEST(Llq, LinearPartAndKnownValues) {
  const LinearLogQuantizer p01(0.01), p1(0.1);
  EXPECT_EQ(p01.linear_part(), 100);
  EXPECT_EQ(p1.linear_part(), 10);
  for (std::int64_t v = -100; v <= 100; ++v) {
    EXPECT_EQ(p01.encode(v), v);
    EXPECT_EQ(p01.decode(v), v);
  }
  // README: "4294967295 becomes code 219 and then 4477867081 with p = 0.1".
  EXPECT_EQ(p1.encode(4294967295), 219);
  EXPECT_EQ(p1.decode(219), 4477867081);
  // The 1.1.1.1 log at p = 0.1 (fdq/llq-0.1_fes-60): 850 -> 57 -> 882, 1337 -> 61 -> 1291.
  EXPECT_EQ(p1.encode(850), 57);
  EXPECT_EQ(p1.decode(57), 882);
  EXPECT_EQ(p1.encode(1337), 61);
  EXPECT_EQ(p1.decode(61), 1291);
  EXPECT_EQ(p1.encode(-1), -1);  // what delta_enc subtracts after a frame without samples
  EXPECT_EQ(p1.encode(-850), -57);
  EXPECT_EQ(p1.decode(-57), -882);
}

TEST(Llq, NonsensicalPrecisionsGiveIntegersWithoutUndefinedBehaviour) {
  const double precisions[] = {0.0, -0.0, -0.5, -1.0, -2.0, 1e308, 1e-320, std::nan(""), INFINITY};
  for (const double p : precisions) {
    const LinearLogQuantizer q(p);
    for (const std::int64_t v : {INT64_MIN, std::int64_t{-5}, std::int64_t{0}, std::int64_t{7},
                                 std::int64_t{1} << 40, INT64_MAX}) {
      (void)q.encode(v);
      (void)q.decode(v);
    }
  }
  SUCCEED();  // run under the sanitizer build, this proves no UB on casts
}

class LlqProperties : public ::testing::TestWithParam<double> {};

// decode(encode(v)) is within a relative p/2 of v, up to the integer rounding of decode
// (0.5 absolute), and both directions are monotone.
TEST_P(LlqProperties, RoundTripErrorAndMonotonicity) {
  const double p = GetParam();
  const LinearLogQuantizer q(p);
  const double bucket_half_width = std::sqrt(1.0 + p) - 1.0;  // < p/2
  std::mt19937_64 rng(42);
  double worst_far = 0.0;  // for |v| >= 100/p, where the rounding of decode adds < 1%
  std::int64_t previous_code = q.encode(0);
  for (std::int64_t v = 0; v < 200'000; ++v) {  // dense near the linear part
    const std::int64_t code = q.encode(v);
    EXPECT_GE(code, previous_code) << v;
    previous_code = code;
  }
  for (int i = 0; i < 200'000; ++i) {
    const auto v = static_cast<std::int64_t>(std::exp(std::uniform_real_distribution<double>(0, 22)(rng)));
    const std::int64_t back = q.decode(q.encode(v));
    const double rel = std::fabs(static_cast<double>(back - v)) / static_cast<double>(v);
    if (v <= q.linear_part()) {
      ASSERT_EQ(back, v);
      continue;
    }
    ASSERT_LE(rel, bucket_half_width + 0.5 / static_cast<double>(v) + 1e-12) << v;
    ASSERT_EQ(q.decode(q.encode(-v)), -back);
    if (static_cast<double>(v) >= 100.0 / p) worst_far = std::max(worst_far, rel);
  }
  EXPECT_LE(worst_far, p / 2 * 1.02);
  EXPECT_GT(worst_far, p / 2 * 0.9);  // the bound is tight: the sampled range reaches it
  std::int64_t previous = q.decode(0);
  for (std::int64_t c = 1; c < 3000; ++c) {
    const std::int64_t d = q.decode(c);
    if (d == INT64_MAX) {  // saturated, as the original's `as i64`
      EXPECT_GE(d, previous) << c;
    } else {
      EXPECT_GT(d, previous) << c;
    }
    previous = d;
  }
}

INSTANTIATE_TEST_SUITE_P(Precisions, LlqProperties, ::testing::Values(0.01, 0.1, 0.05, 0.001));

TEST(Percentiles, EmptyGivesMinusOnes) {
  EXPECT_EQ(compute_percentiles(std::span<const std::uint32_t>{}), kNoPercentiles);
}

TEST(Percentiles, InterpolatesInF32AndRoundsHalfAwayFromZero) {
  // Golden (b) frame #1: [850, 1020, 1337] -> [850,893,935,1020,1179,1258,1337].
  const std::vector<std::uint32_t> three = {850, 1020, 1337};
  EXPECT_EQ(compute_percentiles(three), (Percentiles{850, 893, 935, 1020, 1179, 1258, 1337}));
  // Unsorted input is used as is (golden (e) frame #0).
  const std::vector<std::uint32_t> unsorted = {5000, 1000, 3000, 2000};
  EXPECT_EQ(compute_percentiles(unsorted), (Percentiles{5000, 3500, 2000, 2000, 2750, 2375, 2000}));
  // x.5 rounds away from zero: [1, 2] -> p50 = 1.5 -> 2.
  const std::vector<std::uint32_t> two = {1, 2};
  EXPECT_EQ(compute_percentiles(two), (Percentiles{1, 1, 1, 2, 2, 2, 2}));
  const std::vector<std::uint32_t> one = {4294967295u};
  EXPECT_EQ(compute_percentiles(one)[3], 4294967295);
}

TEST(Percentiles, F32PrecisionIsKept) {
  // 16777217 is not representable in f32: interpolation sees 16777216, as the original did.
  const std::vector<std::uint32_t> v = {16777217u, 16777217u, 16777217u};
  EXPECT_EQ(compute_percentiles(v)[1], 16777216);  // interpolated
  EXPECT_EQ(compute_percentiles(v)[0], 16777217);  // taken as is
}

}  // namespace
}  // namespace zzping::zzping02
