// SPDX-License-Identifier: GPL-3.0-or-later
// The report's model: time zones, durations, heatmap cells, the verdict paragraph (exact
// strings), redaction, CSV rows, gaps and incident deduplication.
#include <gtest/gtest.h>

#include <sstream>

#include "zzping/common/report/report_text.hpp"
#include "zzping/formats/report/report_data.hpp"

namespace zzping::report {
namespace {

constexpr std::int64_t kT0 = 1'764'957'600'000;  // 2025-12-05T18:00:00Z

Frame minute(std::int64_t t, std::uint32_t sent, std::uint32_t lost, double rtt_us) {
  Frame f;
  f.t_ms = t;
  f.length_ms = 60'000;
  f.sent = sent;
  f.lost = lost;
  f.recv = sent - lost;
  if (f.recv > 0) f.rtt.add_us(rtt_us, f.recv);
  return f;
}

attribution::Incident incident(std::int64_t start, std::int64_t end, attribution::Cause cause,
                               std::vector<std::string> targets, std::string last_hop = "") {
  attribution::Incident i;
  i.start_ms = start;
  i.end_ms = end;
  i.cause = cause;
  i.targets = std::move(targets);
  i.probes_lost = 7;
  i.last_hop = std::move(last_hop);
  return i;
}

TEST(ReportTime, ZonesAndFormatting) {
  EXPECT_EQ(format_time(kT0, parse_time_zone("utc")), "2025-12-05 18:00:00");
  EXPECT_EQ(format_time(kT0, parse_time_zone("+01:00")), "2025-12-05 19:00:00");
  EXPECT_EQ(format_time(kT0, parse_time_zone("-05:30")), "2025-12-05 12:30:00");
  EXPECT_EQ(format_time_ms(kT0 + 250, parse_time_zone("utc")), "2025-12-05 18:00:00.250");
  EXPECT_EQ(parse_time_zone("+01:00").describe(kT0), "UTC+01:00");
  EXPECT_THROW(parse_time_zone("CET"), std::invalid_argument);
  EXPECT_THROW(parse_time_zone("+1:00"), std::invalid_argument);
  EXPECT_EQ(day_start(kT0, parse_time_zone("utc")), kT0 - 18 * 3'600'000LL);
  EXPECT_EQ(day_start(kT0, parse_time_zone("+08:00")), kT0 + 6 * 3'600'000LL - 8 * 3'600'000LL + 0 - 0);
}

TEST(ReportTime, Durations) {
  EXPECT_EQ(format_duration(4200), "4.2 s");
  EXPECT_EQ(format_duration(725'000), "12 min 05 s");
  EXPECT_EQ(format_duration(3 * 3'600'000 + 120'000), "3 h 02 min");
  EXPECT_EQ(format_duration(2 * 86'400'000LL + 4 * 3'600'000), "2 d 04 h");
}

TEST(ReportHeatmap, CellsMergeTheMinutesOfTheirLocalHour) {
  std::vector<Frame> minutes = {minute(kT0, 600, 6, 10'000), minute(kT0 + 60'000, 600, 0, 30'000),
                                minute(kT0 + 3'600'000, 600, 60, 20'000)};
  const Heatmap map = build_heatmap(minutes, kT0 - 18 * 3'600'000LL, kT0 + 6 * 3'600'000LL, parse_time_zone("+01:00"));
  ASSERT_EQ(map.day_starts.size(), 2u);  // 2025-12-05 and the day after in UTC+1
  const HeatCell& c = map.cells[0][19];
  EXPECT_EQ(c.sent, 1200u);
  EXPECT_DOUBLE_EQ(*c.loss_pct(), 0.5);
  EXPECT_NEAR(*c.p95_ms(), 30.0, 0.2);
  EXPECT_DOUBLE_EQ(*map.cells[0][20].loss_pct(), 10.0);
  EXPECT_FALSE(map.cells[0][3].loss_pct());
}

SpanSummary host(std::string name, std::uint64_t sent, std::uint64_t lost, double p50, double p95) {
  SpanSummary s;
  s.host = std::move(name);
  s.sent = sent;
  s.lost = lost;
  s.loss_pct = sent ? std::optional<double>(100.0 * static_cast<double>(lost) / static_cast<double>(sent)) : std::nullopt;
  if (sent > lost) s.rtt_us = std::array<double, 5>{p50 / 2, p50, p95, p95 * 2, p95 * 3};
  return s;
}

TEST(ReportVerdict, SaysWhatTheNumbersSay) {
  VerdictInput in;
  in.from_ms = kT0;
  in.to_ms = kT0 + 86'400'000;
  in.hosts = {host("1.1.1.1", 864'000, 1728, 12'345, 25'100), host("192.168.1.1", 864'000, 0, 800, 1'500)};
  in.incidents = {incident(kT0 + 1000, kT0 + 5200, attribution::Cause::upstream, {"1.1.1.1", "9.9.9.9"}),
                  incident(kT0 + 60'000, kT0 + 60'300, attribution::Cause::upstream, {"1.1.1.1", "9.9.9.9"}),
                  incident(kT0 + 90'000, kT0 + 91'000, attribution::Cause::local, {"1.1.1.1", "192.168.1.1"})};
  in.gap_ms = 3'600'000;
  EXPECT_EQ(verdict_text(in),
            "Between 2025-12-05 18:00:00 and 2025-12-06 18:00:00 (UTC), 2 targets were measured; the monitor was "
            "not recording for 1 h 00 min (4.2 % of the period, listed under Coverage). The connection was "
            "interrupted 3 times (longest 4.2 s, starting 2025-12-05 18:00:01; 5.5 s in total). Of these "
            "interruptions, 2 were upstream of the home router (the router answered while every internet target "
            "was lost) and 1 was local (the home router was lost too: this computer, its link or the home "
            "network). To 1.1.1.1, 0.200 % of 864 000 probes were lost; the median round-trip time was 12.3 ms "
            "and 95 % of replies came within 25.1 ms. To 192.168.1.1, 0.000 % of 864 000 probes were lost; the "
            "median round-trip time was 0.8 ms and 95 % of replies came within 1.5 ms.");
}

TEST(ReportVerdict, NoInterruptionNoGap) {
  VerdictInput in;
  in.from_ms = kT0;
  in.to_ms = kT0 + 3'600'000;
  in.hosts = {host("a", 36'000, 0, 1000, 2000)};
  EXPECT_EQ(verdict_text(in),
            "Between 2025-12-05 18:00:00 and 2025-12-05 19:00:00 (UTC), 1 target was measured without a gap. No "
            "interruption of the connection (2 or more consecutive probes lost) was recorded. To a, 0.000 % of 36 000 probes were "
            "lost; the median round-trip time was 1.0 ms and 95 % of replies came within 2.0 ms.");
}

// A loss at one destination or at the router alone did not cut the connection: listed,
// never counted as an interruption (a provider would rightly dismiss that).
TEST(ReportVerdict, DestinationAndRouterOnlyLossesAreNotInterruptions) {
  VerdictInput in;
  in.from_ms = kT0;
  in.to_ms = kT0 + 3'600'000;
  in.hosts = {host("a", 36'000, 0, 1000, 2000)};
  in.incidents = {incident(kT0 + 1000, kT0 + 9000, attribution::Cause::destination, {"9.9.9.9"}),
                  incident(kT0 + 20'000, kT0 + 21'000, attribution::Cause::gateway_only, {"192.168.1.1"}),
                  incident(kT0 + 30'000, kT0 + 32'000, attribution::Cause::unknown, {"a"})};
  EXPECT_EQ(verdict_text(in),
            "Between 2025-12-05 18:00:00 and 2025-12-05 19:00:00 (UTC), 1 target was measured without a gap. The "
            "connection was interrupted once (longest 2.0 s, starting 2025-12-05 18:00:30; 2.0 s in total). Of these "
            "interruptions, 1 was of undetermined cause (too few targets answered or lost to decide). Not counted as "
            "interruptions: 1 loss at one destination only (other internet targets answered) and 1 loss at the home "
            "router only while the internet targets answered (the router answering its own pings last, which does "
            "not affect traffic through it). To a, 0.000 % of 36 000 probes were lost; the median round-trip time "
            "was 1.0 ms and 95 % of replies came within 2.0 ms.");
  in.incidents.pop_back();
  EXPECT_NE(verdict_text(in).find("No interruption of the connection (2 or more consecutive probes lost) was "
                                  "recorded. Not counted as interruptions: 1 loss at one destination only"),
            std::string::npos)
      << verdict_text(in);
}

TEST(ReportVerdict, NoDataSaysSoPlainly) {
  VerdictInput in;
  in.from_ms = kT0;
  in.to_ms = kT0 + 3'600'000;
  in.zone = parse_time_zone("+01:00");
  EXPECT_EQ(verdict_text(in),
            "Between 2025-12-05 19:00:00 and 2025-12-05 20:00:00 (UTC+01:00), no measurements were recorded: there "
            "is nothing to report for this period.");
}

TEST(ReportRedact, PrivateAddressesAndNamesGetStableLabels) {
  Redactor r(true);
  EXPECT_EQ(r.label("192.168.1.1"), "private-1");
  EXPECT_EQ(r.label("router.lan"), "host-1");
  EXPECT_EQ(r.label("10.0.0.1"), "private-2");
  EXPECT_EQ(r.label("192.168.1.1"), "private-1");
  EXPECT_EQ(r.label("1.1.1.1"), "1.1.1.1");
  EXPECT_EQ(r.label("2606:4700::1111"), "2606:4700::1111");
  EXPECT_EQ(r.label("fd00::1"), "private-3");
  EXPECT_EQ(r.label("100.64.0.1"), "private-4");
  EXPECT_EQ(r.label(""), "");
  Redactor off(false);
  EXPECT_EQ(off.label("192.168.1.1"), "192.168.1.1");
}

TEST(ReportCsv, IncidentsAndMinutes) {
  Redactor r(true);
  std::ostringstream out;
  const std::vector<attribution::Incident> list = {
      incident(kT0 + 1000, kT0 + 5200, attribution::Cause::upstream, {"1.1.1.1", "9.9.9.9"}, "192.168.1.1")};
  write_incidents_csv(out, list, parse_time_zone("utc"), r);
  EXPECT_EQ(out.str(), std::string(kIncidentsCsvHeader) +
                           "\n1764957601000,1764957605200,2025-12-05 18:00:01.000,2025-12-05 18:00:05.200,4200,7,"
                           "upstream,1.1.1.1 9.9.9.9,private-1\n");
  std::ostringstream minutes;
  const std::vector<Frame> frames = {minute(kT0, 600, 6, 10'000)};
  write_minutes_csv(minutes, "a", frames, parse_time_zone("utc"));
  const std::string row = minutes.str();
  EXPECT_TRUE(row.starts_with("a,1764957600000,2025-12-05 18:00:00,600,594,6,1.000,")) << row;
  EXPECT_TRUE(row.ends_with(",\n")) << row;  // jitter not measured: empty cell
}

TEST(ReportData, GapsAreWholeMissingMinutes) {
  const std::vector<Frame> m = {minute(kT0, 1, 0, 1), minute(kT0 + 180'000, 1, 0, 1)};
  EXPECT_EQ(find_gaps(m, kT0, kT0 + 300'000),
            (std::vector<Gap>{{kT0 + 60'000, kT0 + 180'000}, {kT0 + 240'000, kT0 + 300'000}}));
  EXPECT_EQ(common_gaps({{{0, 100}, {200, 300}}, {{50, 250}}}), (std::vector<Gap>{{50, 100}, {200, 250}}));
  EXPECT_TRUE(find_gaps({}, kT0, kT0).empty());
}

TEST(ReportData, IncidentsOfEveryHitTargetsFileAppearOnce) {
  auto a = incident(kT0, kT0 + 900, attribution::Cause::upstream, {"a", "b"});
  auto b = a;
  b.last_hop = "10.0.0.1";
  auto other = incident(kT0 - 5000, kT0 - 4000, attribution::Cause::local, {"a"});
  const auto out = deduplicate_incidents({a, other, b, a});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].start_ms, kT0 - 5000);
  EXPECT_EQ(out[1].last_hop, "10.0.0.1");
}

TEST(ReportData, FoldIntoMinutes) {
  Frame a = minute(kT0 + 100, 10, 1, 1000);
  a.length_ms = 100;
  Frame b = minute(kT0 + 59'900, 10, 0, 1000);
  b.length_ms = 100;
  Frame c = minute(kT0 + 60'000, 10, 0, 1000);
  const auto out = fold_into_minutes({a, b, c});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].t_ms, kT0);
  EXPECT_EQ(out[0].sent, 20u);
  EXPECT_EQ(out[0].length_ms, 60'000u);
}

}  // namespace
}  // namespace zzping::report
