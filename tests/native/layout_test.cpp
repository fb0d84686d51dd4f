// SPDX-License-Identifier: GPL-3.0-or-later
// Data directory naming: UTC hours and periods, numbered files after restarts, and host
// folder names that are safe and reversible.
#include "zzping/formats/native/layout.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace zzping::native::layout {
namespace {

constexpr std::int64_t kT = 1'609'488'004'218;  // 2021-01-01T08:00:04.218Z

TEST(Layout, RawFilesAreNamedByUtcHour) {
  EXPECT_EQ(raw_file("/data", "192.168.0.1", kT),
            std::filesystem::path("/data/192.168.0.1/2021-01-01/2021-01-01T08Z.zzf"));
  EXPECT_EQ(raw_file("/data", "192.168.0.1", kT, 2),
            std::filesystem::path("/data/192.168.0.1/2021-01-01/2021-01-01T08Z.2.zzf"));
  EXPECT_EQ(raw_file("d", "h", 0), std::filesystem::path("d/h/1970-01-01/1970-01-01T00Z.zzf"));
  EXPECT_EQ(raw_file("d", "h", 951'868'799'999),  // 2000-02-29T23:59:59.999Z
            std::filesystem::path("d/h/2000-02-29/2000-02-29T23Z.zzf"));
  EXPECT_THROW(raw_file("d", "h", -1), std::out_of_range);
}

TEST(Layout, TierFilesAreNamedByDayMonthYear) {
  EXPECT_EQ(tier_file("/data", "h", Tier::kSecond, kT),
            std::filesystem::path("/data/h/tiers/1s/2021-01-01.zzf"));
  EXPECT_EQ(tier_file("/data", "h", Tier::kMinute, kT),
            std::filesystem::path("/data/h/tiers/1min/2021-01.zzf"));
  EXPECT_EQ(tier_file("/data", "h", Tier::kHour, kT, 1),
            std::filesystem::path("/data/h/tiers/1h/2021.1.zzf"));
  const FilePeriod month = tier_file_period(Tier::kMinute, 951'868'799'999);
  EXPECT_EQ(month.start_ms, 949'363'200'000);  // 2000-02-01
  EXPECT_EQ(month.end_ms, 951'868'800'000);    // 2000-03-01
}

TEST(Layout, NamesParseBackToTheirPeriod) {
  const auto raw = parse_raw_file_name("2021-01-01T08Z.zzf");
  ASSERT_TRUE(raw);
  EXPECT_EQ(*raw, (FilePeriod{1'609'488'000'000, 1'609'491'600'000, 0}));
  EXPECT_EQ(parse_raw_file_name("2021-01-01T08Z.12.zzf")->sequence, 12u);
  for (const char* bad : {"2021-01-01T24Z.zzf", "2021-02-30T08Z.zzf", "2021-01-01T08Z.0.zzf",
                          "2021-01-01T08Z.zzf.tmp", "2021-01-01T08.zzf", "x", ""}) {
    EXPECT_FALSE(parse_raw_file_name(bad)) << bad;
  }
  EXPECT_EQ(parse_tier_file_name(Tier::kSecond, "2021-01-01.zzf")->start_ms, 1'609'459'200'000);
  EXPECT_EQ(parse_tier_file_name(Tier::kMinute, "2021-01.3.zzf")->sequence, 3u);
  EXPECT_EQ(parse_tier_file_name(Tier::kHour, "2021.zzf")->end_ms, 1'640'995'200'000);
  EXPECT_FALSE(parse_tier_file_name(Tier::kHour, "2021-01.zzf"));
  for (std::int64_t t = 0; t < 253'402'300'800'000; t += 7'777'777'777'77) {
    const auto p = parse_raw_file_name(raw_file("d", "h", t).filename().string());
    ASSERT_TRUE(p);
    EXPECT_LE(p->start_ms, t);
    EXPECT_GT(p->end_ms, t);
  }
}

TEST(Layout, FirstFreeNeverOverwrites) {
  const std::set<std::filesystem::path> existing = {raw_file("d", "h", kT), raw_file("d", "h", kT, 1)};
  const auto path = first_free([](unsigned n) { return raw_file("d", "h", kT, n); },
                               [&](const std::filesystem::path& p) { return existing.count(p) > 0; });
  EXPECT_EQ(path, raw_file("d", "h", kT, 2));
}

TEST(Layout, HostFolderNamesAreSafeAndReversible) {
  EXPECT_EQ(host_dir_name("192.168.0.1"), "192.168.0.1");
  EXPECT_EQ(host_dir_name("router.lan"), "router.lan");
  EXPECT_EQ(host_dir_name("fe80::1%eth0"), "fe80%3A%3A1%25eth0");
  EXPECT_EQ(host_dir_name("../etc"), "%2E.%2Fetc");
  EXPECT_EQ(host_dir_name(".."), "%2E.");
  EXPECT_THROW(host_dir_name(""), std::invalid_argument);
  std::mt19937_64 rng(5);
  for (int i = 0; i < 5000; ++i) {
    std::string host(1 + rng() % 20, ' ');
    for (char& c : host) c = static_cast<char>(rng() % 256);
    const std::string dir = host_dir_name(host);
    EXPECT_EQ(dir.find('/'), std::string::npos);
    EXPECT_NE(dir, ".");
    EXPECT_NE(dir, "..");
    EXPECT_EQ(host_from_dir_name(dir), host);
  }
  EXPECT_FALSE(host_from_dir_name("%3a"));  // not a spelling host_dir_name produces
  EXPECT_FALSE(host_from_dir_name("a%4"));
  EXPECT_FALSE(host_from_dir_name(""));
}

TEST(Layout, DayFoldersAreRecognisedByName) {
  EXPECT_TRUE(is_day_dir_name("2021-01-01"));
  EXPECT_FALSE(is_day_dir_name("tiers"));
  EXPECT_FALSE(is_day_dir_name("2021-01"));
  EXPECT_FALSE(is_day_dir_name("2021-01-01T08Z.zzf"));
}

}  // namespace
}  // namespace zzping::native::layout
