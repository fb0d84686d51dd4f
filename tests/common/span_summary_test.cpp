// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/span_summary.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace zzping {
namespace {

// Random raw frames with their samples kept aside, so a test knows the truth.
struct RandomData {
  std::vector<Frame> frames;
  std::vector<std::vector<double>> samples_ns;  // per frame
};

RandomData random_data(std::mt19937_64& rng, std::size_t n) {
  RandomData d;
  std::lognormal_distribution<double> rtt_ns(std::log(2e6), 0.8);
  for (std::size_t i = 0; i < n; ++i) {
    Frame f;
    f.t_ms = static_cast<std::int64_t>(i) * 100;
    f.sent = 10;
    f.recv = static_cast<std::uint32_t>(rng() % 11);
    f.lost = f.sent - f.recv;
    f.dup = static_cast<std::uint32_t>(rng() % 2);
    f.icmp_errors = static_cast<std::uint32_t>(rng() % 3 == 0);
    std::vector<double> samples;
    for (std::uint32_t k = 0; k < f.recv; ++k) {
      samples.push_back(std::round(rtt_ns(rng)));
      f.rtt.add_ns(samples.back());
    }
    const std::uint32_t pairs = f.recv > 0 ? f.recv - 1 : 0;
    f.jitter = JitterSum{pairs * (rng() % 500'000), pairs};
    d.frames.push_back(std::move(f));
    d.samples_ns.push_back(std::move(samples));
  }
  return d;
}

// The quantile of sorted samples with the histogram's interpolation rule.
double exact_quantile(const std::vector<double>& sorted, double q) {
  const double x = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(x));
  const auto hi = static_cast<std::size_t>(std::ceil(x));
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (x - static_cast<double>(lo));
}

TEST(SpanSummary, RandomSpansHaveExactCountsAndQuantilesWithinPrecision) {
  std::mt19937_64 rng(42);
  const RandomData d = random_data(rng, 3000);
  const double bound = RttQuantiser{}.max_relative_error() + 1e-12;
  for (int trial = 0; trial < 200; ++trial) {
    const std::int64_t a = static_cast<std::int64_t>(rng() % 300'000);
    const std::int64_t b = static_cast<std::int64_t>(rng() % 300'000);
    const std::int64_t from = std::min(a, b), to = std::max(a, b) + 1;
    SpanAccumulator acc(from, to, RttQuantiser{});
    std::vector<double> samples;
    std::uint64_t sent = 0, recv = 0, lost = 0, dup = 0, icmp = 0, jsum = 0, jpairs = 0;
    std::int64_t covered = 0;
    // Fed in a random order: the summary does not depend on it.
    std::vector<std::size_t> order(d.frames.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    for (const std::size_t i : order) {
      const Frame& f = d.frames[i];
      acc.add(f, zzping::BurstRecording::kRecorded);
      if (f.t_ms < from || f.t_ms >= to) continue;
      samples.insert(samples.end(), d.samples_ns[i].begin(), d.samples_ns[i].end());
      sent += f.sent, recv += f.recv, lost += f.lost, dup += f.dup, icmp += f.icmp_errors;
      jsum += f.jitter->sum_ns, jpairs += f.jitter->pairs;
      covered += f.length_ms;
    }
    const SpanSummary s = acc.summarize("h");
    EXPECT_EQ(s.sent, sent);
    EXPECT_EQ(s.recv, recv);
    EXPECT_EQ(s.lost, lost);
    EXPECT_EQ(s.dup, dup);
    EXPECT_EQ(s.icmp_errors, icmp);
    EXPECT_EQ(s.covered_ms, covered);
    if (jpairs > 0) {
      ASSERT_TRUE(s.jitter_us);
      EXPECT_DOUBLE_EQ(*s.jitter_us, static_cast<double>(jsum) / 1000.0 / static_cast<double>(jpairs));
    }
    if (samples.empty()) {
      EXPECT_FALSE(s.rtt_us);
      continue;
    }
    std::sort(samples.begin(), samples.end());
    ASSERT_TRUE(s.rtt_us);
    for (std::size_t k = 0; k < kSummaryQuantiles.size(); ++k) {
      const double exact_us = exact_quantile(samples, kSummaryQuantiles[k]) / 1000.0;
      EXPECT_LE(std::abs((*s.rtt_us)[k] - exact_us), bound * exact_us)
          << "trial " << trial << " q" << kSummaryQuantiles[k];
    }
  }
}

TEST(SpanSummary, MosFollowsTheSimplifiedEModel) {
  // EL = 20 + 2*5 + 10 = 40 ms -> R = 93.2 - 1 = 92.2; no loss.
  const double r = 92.2;
  EXPECT_NEAR(estimate_mos(20, 5, 0), 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r), 1e-9);
  // EL = 200 ms -> R = 93.2 - 8 = 85.2; 2 % loss -> R = 80.2.
  const double r2 = 80.2;
  EXPECT_NEAR(estimate_mos(170, 10, 2), 1 + 0.035 * r2 + 7e-6 * r2 * (r2 - 60) * (100 - r2), 1e-9);
  EXPECT_EQ(estimate_mos(20, 5, 100), 1.0);
  EXPECT_LE(estimate_mos(0, 0, 0), 4.5);
  EXPECT_GE(estimate_mos(5000, 1000, 0), 1.0);
}

TEST(SpanSummary, LossBurstsAreClippedToTheSpanAndGiveAvailability) {
  SpanAccumulator acc(1000, 11'000, RttQuantiser{});
  for (std::int64_t t = 1000; t < 11'000; t += 100) {
    Frame f;
    f.t_ms = t;
    f.sent = 10;
    f.recv = 10;
    f.rtt.add_us(1000);
    acc.add(f, zzping::BurstRecording::kRecorded);
  }
  acc.add(LossEvent{500, 1500, 20});    // clipped: 500 ms inside
  acc.add(LossEvent{4000, 6000, 40});   // 2000 ms, the longest
  acc.add(LossEvent{9000, 9300, 6});
  acc.add(LossEvent{20'000, 21'000, 9});  // outside
  const SpanSummary s = acc.summarize("h");
  ASSERT_TRUE(s.loss_bursts);
  EXPECT_EQ(s.loss_bursts->count, 3u);
  EXPECT_EQ(s.loss_bursts->total_ms, 500 + 2000 + 300);
  EXPECT_EQ(s.loss_bursts->longest_ms, 2000);
  EXPECT_EQ(s.loss_bursts->longest_start_ms, 4000);
  EXPECT_EQ(s.covered_ms, 10'000);
  EXPECT_DOUBLE_EQ(*s.availability_pct, 100.0 * (10'000 - 2800) / 10'000);
}

TEST(SpanSummary, UnmeasuredJitterGivesNullJitterAndMos) {
  SpanAccumulator acc(0, 1000, RttQuantiser{});
  Frame f;
  f.sent = 10;
  f.recv = 10;
  f.rtt.add_us(1000, 10);
  acc.add(f, zzping::BurstRecording::kNotRecorded);  // zzping 0.2 data: jitter absent
  const SpanSummary s = acc.summarize("h");
  EXPECT_FALSE(s.jitter_us);
  EXPECT_FALSE(s.mos);
  EXPECT_EQ(s.loss_pct, 0.0);
}

// 100 ms frames over [0, 10 s) with `lost` lost probes in every 10th frame.
SpanAccumulator frames_with_loss(std::uint32_t lost, BurstRecording recording) {
  SpanAccumulator acc(0, 10'000, RttQuantiser{});
  for (std::int64_t t = 0; t < 10'000; t += 100) {
    Frame f;
    f.t_ms = t;
    f.sent = 10;
    f.lost = t % 1000 == 0 ? lost : 0;
    f.recv = f.sent - f.lost;
    f.rtt.add_us(1000, f.recv);
    acc.add(f, recording);
  }
  return acc;
}

TEST(SpanSummary, LossWhereBurstsAreNotRecordedGivesNullBurstsAndAvailability) {
  // zzping 0.2 data: 100 probes lost and no event -> bursts unknown, not 0 / 100 %.
  const SpanSummary s = frames_with_loss(10, BurstRecording::kNotRecorded).summarize("h");
  EXPECT_EQ(s.lost, 100u);
  EXPECT_FALSE(s.loss_bursts);
  EXPECT_FALSE(s.availability_pct);
  EXPECT_EQ(s.covered_ms, 10'000);  // the rest of the summary stands
  EXPECT_EQ(s.loss_pct, 10.0);
}

TEST(SpanSummary, DataWithoutRecordingButWithoutLossCannotHideABurst) {
  const SpanSummary s = frames_with_loss(0, BurstRecording::kNotRecorded).summarize("h");
  ASSERT_TRUE(s.loss_bursts);
  EXPECT_EQ(s.loss_bursts->count, 0u);
  EXPECT_EQ(s.availability_pct, 100.0);
}

TEST(SpanSummary, RecordedDataWithLossAndNoEventHasZeroBursts) {
  // zzpingd data: isolated losses are no burst, so 0 bursts next to lost > 0 is true here.
  const SpanSummary s = frames_with_loss(1, BurstRecording::kRecorded).summarize("h");
  EXPECT_EQ(s.lost, 10u);
  ASSERT_TRUE(s.loss_bursts);
  EXPECT_EQ(s.loss_bursts->count, 0u);
  EXPECT_EQ(s.availability_pct, 100.0);
}

TEST(SpanSummary, AMixIsNullWhenTheUnrecordedPartLostProbes) {
  SpanAccumulator acc = frames_with_loss(10, BurstRecording::kRecorded);
  acc.add(LossEvent{0, 90, 10});
  Frame imported;  // one frame of zzping 0.2 data with loss, inside the span
  imported.t_ms = 5050;
  imported.sent = 2;
  imported.lost = 2;
  SpanAccumulator clean_mix = acc;
  acc.add(imported, BurstRecording::kNotRecorded);
  EXPECT_FALSE(acc.summarize("h").loss_bursts);
  EXPECT_FALSE(acc.summarize("h").availability_pct);
  // The same frame without loss leaves the recorded bursts standing.
  imported.lost = 0;
  imported.recv = 2;
  clean_mix.add(imported, BurstRecording::kNotRecorded);
  const SpanSummary s = clean_mix.summarize("h");
  ASSERT_TRUE(s.loss_bursts);
  EXPECT_EQ(s.loss_bursts->count, 1u);
  EXPECT_EQ(s.loss_bursts->total_ms, 90);
  // Unrecorded lost probes outside the span change nothing.
  imported.t_ms = 20'000;
  imported.lost = 2;
  clean_mix.add(imported, BurstRecording::kNotRecorded);
  EXPECT_TRUE(clean_mix.summarize("h").loss_bursts);
}

TEST(SpanSummary, EmptySpanHasNoRatios) {
  const SpanSummary s = SpanAccumulator(0, 1000, RttQuantiser{}).summarize("h");
  EXPECT_EQ(s.sent, 0u);
  EXPECT_FALSE(s.loss_pct);
  EXPECT_FALSE(s.rtt_us);
  EXPECT_FALSE(s.mos);
  EXPECT_FALSE(s.availability_pct);
}

}  // namespace
}  // namespace zzping
