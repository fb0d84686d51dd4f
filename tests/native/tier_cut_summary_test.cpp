// SPDX-License-Identifier: GPL-3.0-or-later
// Property: a span summary built from tier frames for the buckets wholly inside the span
// and raw frames for its edges equals the summary of the raw frames alone (counts and
// jitter exactly; quantiles exactly too, since merged histograms are identical), and its
// quantiles are within the quantiser's precision of the quantiles of all samples.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "zzping/common/span_summary.hpp"
#include "zzping/formats/native/tiers.hpp"

namespace zzping::native {
namespace {

constexpr std::int64_t kT0 = 1'767'225'600'000;

struct Data {
  std::vector<Frame> raw;
  std::vector<TierFrame> tiers;
  std::vector<std::pair<std::int64_t, double>> samples_ns;  // (frame start, sample)
};

Data make_data(std::mt19937_64& rng, std::int64_t minutes) {
  Data d;
  std::lognormal_distribution<double> rtt_ns(std::log(3e6), 0.7);
  TierAggregator aggregator;
  for (std::int64_t t = kT0; t < kT0 + minutes * 60'000; t += 100) {
    if (rng() % 50 == 0) continue;  // missing frames
    Frame f;
    f.t_ms = t;
    f.sent = 5;
    f.recv = static_cast<std::uint32_t>(rng() % 6);
    f.lost = f.sent - f.recv;
    for (std::uint32_t i = 0; i < f.recv; ++i) {
      const double s = std::round(rtt_ns(rng));
      f.rtt.add_ns(s);
      d.samples_ns.emplace_back(t, s);
    }
    const std::uint32_t pairs = f.recv > 0 ? f.recv - 1 : 0;
    f.jitter = JitterSum{pairs * (rng() % 1'000'000), pairs};
    aggregator.add(f, d.tiers);
    d.raw.push_back(f);
  }
  aggregator.flush(d.tiers);
  return d;
}

// Coarsest tier buckets wholly inside [from, to), then finer ones, then raw frames.
SpanSummary from_tiers_and_edges(const Data& d, std::int64_t from, std::int64_t to) {
  SpanAccumulator acc(from, to, RttQuantiser{});
  std::vector<std::pair<std::int64_t, std::int64_t>> taken;  // [start, end) already added
  const auto is_taken = [&](std::int64_t s, std::int64_t e) {
    return std::any_of(taken.begin(), taken.end(), [&](const auto& r) { return s < r.second && e > r.first; });
  };
  for (const Tier tier : {Tier::kHour, Tier::kMinute, Tier::kSecond}) {
    for (const TierFrame& tf : d.tiers) {
      const std::int64_t s = tf.frame.t_ms, e = s + tf.frame.length_ms;
      if (tf.tier != tier || s < from || e > to || is_taken(s, e)) continue;
      acc.add(tf.frame, BurstRecording::kRecorded);
      taken.emplace_back(s, e);
    }
  }
  for (const Frame& f : d.raw) {
    if (!is_taken(f.t_ms, f.t_ms + 1)) acc.add(f, BurstRecording::kRecorded);
  }
  return acc.summarize("h");
}

TEST(TierCutSummary, EqualsTheRawSummaryAndTheSamplesWithinPrecision) {
  std::mt19937_64 rng(77);
  const Data d = make_data(rng, 150);  // 2.5 h: hour, minute and second buckets all cut
  const double bound = RttQuantiser{}.max_relative_error() + 1e-12;
  for (int trial = 0; trial < 40; ++trial) {
    const std::int64_t a = kT0 + static_cast<std::int64_t>(rng() % (150 * 60'000));
    const std::int64_t b = kT0 + static_cast<std::int64_t>(rng() % (150 * 60'000));
    const std::int64_t from = std::min(a, b), to = std::max(a, b) + 1;
    SpanAccumulator raw(from, to, RttQuantiser{});
    for (const Frame& f : d.raw) raw.add(f, BurstRecording::kRecorded);
    const SpanSummary want = raw.summarize("h");
    const SpanSummary got = from_tiers_and_edges(d, from, to);
    EXPECT_EQ(got.sent, want.sent) << trial;
    EXPECT_EQ(got.recv, want.recv) << trial;
    EXPECT_EQ(got.lost, want.lost) << trial;
    EXPECT_EQ(got.jitter_us, want.jitter_us) << trial;
    EXPECT_EQ(got.rtt_us, want.rtt_us) << trial;
    EXPECT_EQ(got.mos, want.mos) << trial;
    std::vector<double> samples;
    for (const auto& [t, s] : d.samples_ns) {
      if (t >= from && t < to) samples.push_back(s);
    }
    if (samples.empty()) continue;
    std::sort(samples.begin(), samples.end());
    for (std::size_t k = 0; k < kSummaryQuantiles.size(); ++k) {
      const double x = kSummaryQuantiles[k] * static_cast<double>(samples.size() - 1);
      const auto lo = static_cast<std::size_t>(std::floor(x)), hi = static_cast<std::size_t>(std::ceil(x));
      const double exact_us = (samples[lo] + (samples[hi] - samples[lo]) * (x - static_cast<double>(lo))) / 1000.0;
      EXPECT_LE(std::abs((*got.rtt_us)[k] - exact_us), bound * exact_us) << trial << " q" << kSummaryQuantiles[k];
    }
  }
}

}  // namespace
}  // namespace zzping::native
