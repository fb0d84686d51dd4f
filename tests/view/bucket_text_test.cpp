// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/bucket_text.hpp"
#include "zzping/common/view/bucket_span.hpp"
#include "zzping/common/view/pyramid.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

namespace zzping::view {
namespace {

BucketSummary sample() {
  BucketSummary b;
  b.t_ms = 1'609'488'004'218;
  b.length_ms = 100;
  b.sent = 10;
  b.recv = 9;
  b.lost = 1;
  b.rtt_us = {800.f, 900.f, 1000.f, 1522.f, 2000.f, 2357.f, 201470.f};
  return b;
}

TEST(BucketText, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(format_utc(1'609'488'004'218), "2021-01-01T08:00:04.218Z");
  EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_utc(-1), "1969-12-31T23:59:59.999Z");
}

TEST(BucketText, FormatsDurations) {
  EXPECT_EQ(format_duration(100), "100 ms");
  EXPECT_EQ(format_duration(5000), "5 s");
  EXPECT_EQ(format_duration(2500), "2.5 s");
  EXPECT_EQ(format_duration(120000), "2 min");
  EXPECT_EQ(format_duration(86'400'000), "1 d");
}

TEST(BucketText, DescribeShowsCountsAndQuantiles) {
  const std::string text = describe(sample());
  EXPECT_NE(text.find("2021-01-01T08:00:04.218Z + 100 ms"), std::string::npos);
  EXPECT_NE(text.find("sent 10  recv 9  lost 1  (loss 10.00%)"), std::string::npos);
  EXPECT_NE(text.find("median: 1.522 ms"), std::string::npos);
  EXPECT_NE(text.find("max: 201.5 ms"), std::string::npos);
  BucketSummary dark = sample();
  dark.rtt_us.fill(std::nanf(""));
  EXPECT_NE(describe(dark).find("no RTT sample"), std::string::npos);
}

TEST(BucketText, CsvHasHeaderRowsAndEmptyQuantilesWithoutSamples) {
  std::ostringstream out;
  write_csv_header(out);
  BucketSummary dark = sample();
  dark.t_ms += 100;
  dark.rtt_us.fill(std::nanf(""));
  const std::vector<BucketSummary> rows = {sample(), dark};
  write_csv_rows(out, "router, lan", rows);
  std::istringstream in(out.str());
  std::string header, row1, row2, extra;
  std::getline(in, header);
  std::getline(in, row1);
  std::getline(in, row2);
  EXPECT_FALSE(std::getline(in, extra));
  EXPECT_EQ(header,
            "host,t_utc,t_ms,length_ms,sent,recv,lost,loss_pct,p0_us,p12_5_us,p25_us,p50_us,"
            "p75_us,p87_5_us,p100_us,jitter_us");
  EXPECT_EQ(row1,
            "\"router, lan\",2021-01-01T08:00:04.218Z,1609488004218,100,10,9,1,10.0000,800.0,"
            "900.0,1000.0,1522.0,2000.0,2357.0,201470.0,");
  EXPECT_EQ(row2, "\"router, lan\",2021-01-01T08:00:04.318Z,1609488004318,100,10,9,1,10.0000,,,,,,,,");
}

}  // namespace
}  // namespace zzping::view

namespace zzping::view {
namespace {

TEST(BucketText, JitterInHoverAndCsvAbsentIsNotZero) {
  BucketSummary b;
  b.t_ms = 1'609'488'004'218;
  b.length_ms = 100;
  b.sent = 10;
  b.recv = 10;
  b.rtt_us = {800.f, 900.f, 1000.f, 1522.f, 2000.f, 2357.f, 3000.f};
  EXPECT_NE(describe(b).find("jitter: - (not measured)"), std::string::npos);
  b.jitter_measured = true;
  EXPECT_NE(describe(b).find("jitter: - (no pair)"), std::string::npos);
  b.jitter_sum_ns = 9 * 250'000;
  b.jitter_pairs = 9;
  EXPECT_NE(describe(b).find("jitter: 0.250 ms (9 pairs)"), std::string::npos) << describe(b);
  std::ostringstream out;
  write_csv_rows(out, "h", std::span<const BucketSummary>(&b, 1));
  EXPECT_NE(out.str().find(",3000.0,250.000\n"), std::string::npos) << out.str();
}

TEST(BucketSpan, CountsAndJitterOfMergedBucketsEqualTheFrames) {
  // Frames of 100 ms with jitter; the pyramid's 1 s buckets summed over [1 s, 4 s) equal
  // the SpanAccumulator of the frames there.
  Pyramid pyramid;
  SpanAccumulator direct(1000, 4000, RttQuantiser{});
  for (int i = 0; i < 60; ++i) {
    Frame f;
    f.t_ms = i * 100;
    f.sent = 10;
    f.lost = static_cast<std::uint32_t>(i % 3);
    f.recv = f.sent - f.lost;
    f.rtt.add_us(1000.0 + i);
    f.jitter = JitterSum{static_cast<std::uint64_t>(i) * 1000, 2};
    pyramid.append(f);
    direct.add(f, BurstRecording::kRecorded);
  }
  const LossEvent burst{1500, 1700, 3};
  direct.add(burst);
  const auto buckets = pyramid.visible(1, {1000, 4000});
  const BucketSpanSummary s = summarize_buckets("h", {1000, 4000}, buckets, std::span(&burst, 1), BurstRecording::kRecorded);
  const SpanSummary want = direct.summarize("h");
  EXPECT_EQ(s.buckets, 3u);
  EXPECT_EQ(s.straddling, 0u);
  EXPECT_EQ(s.summary.sent, want.sent);
  EXPECT_EQ(s.summary.lost, want.lost);
  EXPECT_EQ(s.summary.covered_ms, want.covered_ms);
  EXPECT_EQ(s.summary.loss_pct, want.loss_pct);
  EXPECT_EQ(s.summary.jitter_us, want.jitter_us);
  EXPECT_EQ(s.summary.loss_bursts, want.loss_bursts);
  EXPECT_EQ(s.summary.availability_pct, want.availability_pct);
  EXPECT_FALSE(s.summary.rtt_us);  // buckets keep no histogram
  // The same buckets from a source without loss-event records: bursts unknown.
  const BucketSpanSummary unrecorded =
      summarize_buckets("h", {1000, 4000}, buckets, {}, BurstRecording::kNotRecorded);
  EXPECT_GT(unrecorded.summary.lost, 0u);
  EXPECT_FALSE(unrecorded.summary.loss_bursts);
  EXPECT_FALSE(unrecorded.summary.availability_pct);
}

}  // namespace
}  // namespace zzping::view
