// SPDX-License-Identifier: GPL-3.0-or-later
// Tier aggregation: buckets aligned to UTC, sums exact, inflight the maximum, and the
// quantiles of a tier frame equal to those of all raw samples in its span within the
// quantiser's precision.
#include "zzping/formats/native/tiers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "random_frames.hpp"

namespace zzping::native {
namespace {

using testing::Rng;

struct RawSpan {
  std::vector<double> samples_ns;
  std::uint64_t sent = 0, recv = 0, lost = 0, dup = 0, late = 0, icmp = 0;
  std::uint32_t inflight = 0;
};

double exact_quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double x = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(x));
  const auto hi = static_cast<std::size_t>(std::ceil(x));
  return v[lo] + (x - std::floor(x)) * (v[hi] - v[lo]);
}

TEST(Tiers, BucketsAreAlignedToUtc) {
  EXPECT_EQ(tier_bucket_start(Tier::kSecond, 1'609'488'004'218), 1'609'488'004'000);
  EXPECT_EQ(tier_bucket_start(Tier::kMinute, 1'609'488'064'218), 1'609'488'060'000);
  EXPECT_EQ(tier_bucket_start(Tier::kHour, 1'609'491'599'999), 1'609'488'000'000);
  EXPECT_EQ(tier_bucket_start(Tier::kSecond, -1), -1000);
  EXPECT_EQ(tier_length_ms(Tier::kHour), 3'600'000u);
  EXPECT_EQ(tier_name(Tier::kMinute), "1min");
}

// Raw frames with known samples over 2.5 hours with gaps; every emitted tier frame is
// checked against the raw samples of its bucket.
TEST(Tiers, TierFramesMergeExactlyAndKeepQuantilesWithinPrecision) {
  Rng rng(21);
  const RttQuantiser q(0.01);
  std::lognormal_distribution<double> jitter(0.0, 0.6);
  std::map<std::pair<int, std::int64_t>, RawSpan> expected;  // (tier, bucket) -> raw content
  TierAggregator aggregator;
  std::vector<TierFrame> emitted;
  std::int64_t t = 1'609'488'000'000 - 30'000;  // starts 30 s before an hour
  for (int i = 0; i < 90'000; ++i) {
    t += (i % 7000 == 6999) ? 123'400 : 100;  // occasional gaps
    Frame f{.t_ms = t, .rtt = RttHistogram(q)};
    std::vector<double> samples;
    for (int k = static_cast<int>(rng() % 12); k > 0; --k) {
      samples.push_back((900 + 600 * jitter(rng)) * 1000.0);
      f.rtt.add_ns(samples.back());
    }
    f.recv = static_cast<std::uint32_t>(samples.size());
    f.lost = rng() % 50 == 0 ? 1 : 0;
    f.sent = f.recv + f.lost;
    f.dup = rng() % 500 == 0;
    f.late = rng() % 700 == 0;
    f.icmp_errors = rng() % 900 == 0;
    f.inflight = static_cast<std::uint32_t>(rng() % 5);
    for (Tier tier : kTiers) {
      RawSpan& span = expected[{static_cast<int>(tier), tier_bucket_start(tier, t)}];
      span.samples_ns.insert(span.samples_ns.end(), samples.begin(), samples.end());
      span.sent += f.sent;
      span.recv += f.recv;
      span.lost += f.lost;
      span.dup += f.dup;
      span.late += f.late;
      span.icmp += f.icmp_errors;
      span.inflight = std::max(span.inflight, f.inflight);
    }
    aggregator.add(f, emitted);
  }
  aggregator.flush(emitted);
  ASSERT_EQ(emitted.size(), expected.size()) << "one tier frame per non-empty bucket";
  const double bound = q.max_relative_error() * (1 + 1e-9);
  for (const TierFrame& tf : emitted) {
    const auto it = expected.find({static_cast<int>(tf.tier), tf.frame.t_ms});
    ASSERT_NE(it, expected.end()) << "unexpected bucket " << tf.frame.t_ms;
    const RawSpan& raw = it->second;
    EXPECT_EQ(tf.frame.length_ms, tier_length_ms(tf.tier));
    EXPECT_EQ(tf.frame.sent, raw.sent);
    EXPECT_EQ(tf.frame.recv, raw.recv);
    EXPECT_EQ(tf.frame.lost, raw.lost);
    EXPECT_EQ(tf.frame.dup, raw.dup);
    EXPECT_EQ(tf.frame.late, raw.late);
    EXPECT_EQ(tf.frame.icmp_errors, raw.icmp);
    EXPECT_EQ(tf.frame.inflight, raw.inflight);
    ASSERT_EQ(tf.frame.rtt.count(), raw.samples_ns.size());
    if (raw.samples_ns.empty()) continue;
    for (double quantile : {0.0, 0.01, 0.125, 0.5, 0.9, 0.99, 0.999, 1.0}) {
      const double exact = exact_quantile(raw.samples_ns, quantile);
      ASSERT_LE(std::abs(tf.frame.rtt.quantile_ns(quantile) - exact) / exact, bound)
          << tier_name(tf.tier) << " bucket " << tf.frame.t_ms << " q" << quantile;
    }
  }
}

// A coarse bucket closes when the first finer frame after it is emitted: the 1 min tier
// trails by one second, the 1 h tier by one minute.
TEST(Tiers, EmitsInTimeOrderFinestFirst) {
  const RttQuantiser q;
  TierAggregator aggregator;
  std::vector<TierFrame> out;
  auto add = [&](std::int64_t t) { aggregator.add(Frame{.t_ms = t, .rtt = RttHistogram(q)}, out); };
  add(3'599'900);
  EXPECT_TRUE(out.empty());
  add(3'600'000);  // next hour
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tier, Tier::kSecond);
  EXPECT_EQ(out[0].frame.t_ms, 3'599'000);
  add(3'601'000);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].tier, Tier::kSecond);
  EXPECT_EQ(out[1].frame.t_ms, 3'600'000);
  EXPECT_EQ(out[2].tier, Tier::kMinute);
  EXPECT_EQ(out[2].frame.t_ms, 3'540'000);
  add(3'660'000);
  add(3'661'000);
  ASSERT_EQ(out.size(), 7u);
  EXPECT_EQ(out[5].tier, Tier::kMinute);
  EXPECT_EQ(out[5].frame.t_ms, 3'600'000);
  EXPECT_EQ(out[6].tier, Tier::kHour);
  EXPECT_EQ(out[6].frame.t_ms, 0);
}

TEST(Tiers, LateFramesAreMergedIntoTheOpenBucketNotLost) {
  const RttQuantiser q;
  TierAggregator aggregator;
  std::vector<TierFrame> out;
  aggregator.add(Frame{.t_ms = 5000, .sent = 3, .rtt = RttHistogram(q)}, out);
  aggregator.add(Frame{.t_ms = 4100, .sent = 2, .rtt = RttHistogram(q)}, out);  // from the past
  aggregator.flush(out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].frame.t_ms, 5000);
  EXPECT_EQ(out[0].frame.sent, 5u);
}

TEST(Tiers, DifferentPrecisionsAreRefused) {
  TierAggregator aggregator;
  std::vector<TierFrame> out;
  aggregator.add(Frame{.t_ms = 0, .rtt = RttHistogram(RttQuantiser(0.01))}, out);
  Frame other{.t_ms = 100, .rtt = RttHistogram(RttQuantiser(0.02))};
  other.rtt.add_us(1000);
  EXPECT_THROW(aggregator.add(other, out), std::invalid_argument);
}

}  // namespace
}  // namespace zzping::native

namespace zzping::native {
namespace {

TEST(Tiers, JitterSumsAddAndAbsentJitterStaysAbsent) {
  const RttQuantiser q;
  TierAggregator measured;
  TierAggregator imported;
  std::vector<TierFrame> out;
  std::vector<TierFrame> out_imported;
  for (std::int64_t t = 0; t < 120'000; t += 100) {
    Frame f{.t_ms = t, .jitter = JitterSum{static_cast<std::uint64_t>(t % 7) * 1000, 2}, .rtt = RttHistogram(q)};
    measured.add(f, out);
    f.jitter.reset();
    imported.add(f, out_imported);
  }
  measured.flush(out);
  imported.flush(out_imported);
  for (const TierFrame& tf : out) {
    ASSERT_TRUE(tf.frame.jitter);
    const std::uint32_t covered_ms = std::min<std::uint32_t>(tf.frame.length_ms, 120'000);  // data: 2 min
    EXPECT_EQ(tf.frame.jitter->pairs, 2 * covered_ms / 100) << tf.frame.t_ms;
  }
  for (const TierFrame& tf : out_imported) EXPECT_FALSE(tf.frame.jitter);
  std::uint64_t minute_sum = 0;
  for (const TierFrame& tf : out) {
    if (tf.tier == Tier::kMinute) minute_sum += tf.frame.jitter->sum_ns;
  }
  std::uint64_t expected = 0;
  for (std::int64_t t = 0; t < 120'000; t += 100) expected += static_cast<std::uint64_t>(t % 7) * 1000;
  EXPECT_EQ(minute_sum, expected);
}

}  // namespace
}  // namespace zzping::native
