// SPDX-License-Identifier: GPL-3.0-or-later
// The RFC 3339 subset chrono 0.4.23 accepted for keyframes, and the daemon's format.
#include <gtest/gtest.h>

#include "zzping/formats/zzping02/rfc3339.hpp"

namespace zzping::zzping02 {
namespace {

constexpr std::int64_t k2021 = 1609459200;  // 2021-01-01T00:00:00Z

ChronoTime parse_ok(std::string_view text) {
  const Rfc3339Parse r = parse_rfc3339(text);
  EXPECT_TRUE(r.ok) << text << ": " << r.error;
  return r.time;
}

TEST(Rfc3339, DaemonFormatRoundTrips) {
  const std::string text = "2021-01-01T08:00:04.218908+00:00";
  const ChronoTime t = parse_ok(text);
  EXPECT_EQ(t.seconds, k2021 + 8 * 3600 + 4);
  EXPECT_EQ(t.nanos, 218'908'000u);
  EXPECT_EQ(t.unix_micros(), 1609488004218908);
  EXPECT_EQ(format_rfc3339_micros(t), text);
}

TEST(Rfc3339, AcceptsWhatChronoAccepted) {
  EXPECT_EQ(parse_ok("2021-01-01t00:00:00Z").seconds, k2021);
  EXPECT_EQ(parse_ok("2021-01-01T00:00:00z").seconds, k2021);
  EXPECT_EQ(parse_ok("2021-01-01T00:00:00UTC").seconds, k2021);
  EXPECT_EQ(parse_ok("2021-01-01T00:00:00uTc").seconds, k2021);
  EXPECT_EQ(parse_ok("2021-01-01T01:00:00+01:00").seconds, k2021);
  EXPECT_EQ(parse_ok("2020-12-31T18:30:00-05:30").seconds, k2021);
  EXPECT_EQ(parse_ok("2021-01-01T00:00:00-00:00").seconds, k2021);
  EXPECT_EQ(parse_ok("2021-01-01T23:59:00+23:59").seconds, k2021);
  EXPECT_EQ(parse_ok("2021-01-01T00:00:00.5Z").nanos, 500'000'000u);
  EXPECT_EQ(parse_ok("2021-01-01T00:00:00.123456789Z").nanos, 123'456'789u);
  EXPECT_EQ(parse_ok("2021-01-01T00:00:00.1234567891234567Z").nanos, 123'456'789u);  // extra digits skipped
  EXPECT_EQ(parse_ok("2020-02-29T00:00:00Z").seconds, k2021 - 307 * 86400);
  EXPECT_EQ(parse_ok("0000-01-01T00:00:00Z").seconds, -62167219200);
  EXPECT_EQ(parse_ok("9999-12-31T23:59:59Z").seconds, 253402300799);
}

TEST(Rfc3339, LeapSecondIsSecond59PlusOneMoreSecond) {
  const ChronoTime t = parse_ok("2016-12-31T23:59:60.5+00:00");
  EXPECT_TRUE(t.in_leap_second());
  EXPECT_EQ(t.seconds, 1483228799);  // 23:59:59
  EXPECT_EQ(t.nanos, 1'500'000'000u);
  EXPECT_EQ(t.unix_micros(), 1483228800'500000);  // chrono's timestamp_micros: next second
  EXPECT_EQ(format_rfc3339_micros(t), "2016-12-31T23:59:60.500000+00:00");
}

TEST(Rfc3339, RejectsEverythingElse) {
  for (const char* text : {
           "", "2021-01-01", "2021-01-01T00:00:00", "2021-01-01 00:00:00Z", " 2021-01-01T00:00:00Z",
           "2021-01-01T00:00:00Z ", "2021-1-01T00:00:00Z", "21-01-01T00:00:00Z", "2021-01-01T0:00:00Z",
           "2021-02-29T00:00:00Z", "2021-13-01T00:00:00Z", "2021-00-01T00:00:00Z", "2021-01-00T00:00:00Z",
           "2021-01-01T24:00:00Z", "2021-01-01T00:60:00Z", "2021-01-01T00:00:61Z", "2021-01-01T00:00:00.Z",
           "2021-01-01T00:00:00+24:00", "2021-01-01T00:00:00+00:60", "2021-01-01T00:00:00+0000",
           "2021-01-01T00:00:00+00", "2021-01-01T00:00:00UT", "2021-01-01T00:00:00GMT",
           "+2021-01-01T00:00:00Z", "2021-01-01T00:00:00,5Z", "2021-01-01X00:00:00Z"}) {
    const Rfc3339Parse r = parse_rfc3339(text);
    EXPECT_FALSE(r.ok) << '"' << text << '"';
    EXPECT_NE(std::string(r.error), "") << text;
  }
}

TEST(Rfc3339, FormatsYearsOutsideFourDigitsLikeChrono) {
  EXPECT_EQ(format_rfc3339_micros({253402300800, 0}), "+10000-01-01T00:00:00.000000+00:00");
  EXPECT_EQ(format_rfc3339_micros({-62167219201, 999'999'999}), "-0001-12-31T23:59:59.999999+00:00");
}

}  // namespace
}  // namespace zzping::zzping02
