// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/bucket_text.hpp"

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
            "p75_us,p87_5_us,p100_us");
  EXPECT_EQ(row1,
            "\"router, lan\",2021-01-01T08:00:04.218Z,1609488004218,100,10,9,1,10.0000,800.0,"
            "900.0,1000.0,1522.0,2000.0,2357.0,201470.0");
  EXPECT_EQ(row2, "\"router, lan\",2021-01-01T08:00:04.318Z,1609488004318,100,10,9,1,10.0000,,,,,,,");
}

}  // namespace
}  // namespace zzping::view
