// SPDX-License-Identifier: GPL-3.0-or-later
// zzping-report as a user runs it, the PDF read back with pdftotext (poppler-utils): the
// summary numbers equal zzping-dump --summary, the incident list is the files' incidents
// (once each), a period without data says so, --redact leaves no private address or host
// name, the CSV files, and bad input names the file.
#include <gtest/gtest.h>

#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include "report_test_text.hpp"
#include "../tools/run_command.hpp"
#include "prerequisite.hpp"

namespace zzping::test {
namespace {

constexpr std::int64_t kT0 = 1'735'689'600'000;  // 2025-01-01T00:00:00Z
constexpr const char* kFrom = "2025-01-01T00:30:00Z";
constexpr const char* kTo = "2025-01-01T02:45:00Z";

class ReportCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new TempDir("zzping-report-data");
    // 3 hours of 3 hosts, 18 incidents (one every 10 min, causes cycling).
    const auto r = run_command(std::string(ZZPING_MAKE_REPORT_DATA_BIN) + " " + shell_quote((*data_ / "d").string()) +
                                   " 1 " + std::to_string(kT0) + " 3",
                               *data_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { delete data_; }

  void SetUp() override { ZZPING_REQUIRE_PROGRAM("pdftotext"); }

  CommandResult report(const std::string& args) {
    return run_command(std::string(ZZPING_REPORT_BIN) + " " + args + " -o " + shell_quote(pdf().string()), scratch_);
  }
  std::string pdf_text() {
    const auto r = run_command("pdftotext -layout " + shell_quote(pdf().string()) + " -", scratch_);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  // The text as one line (paragraphs wrap anywhere): runs of white space become one space.
  std::string pdf_words() {
    const std::string text = pdf_text();
    std::string out;
    for (char c : text) {
      const bool space = c == ' ' || c == '\n' || c == '\f';
      if (space && (out.empty() || out.back() == ' ')) continue;
      out += space ? ' ' : c;
    }
    return out;
  }
  std::filesystem::path pdf() const { return scratch_ / "report.pdf"; }
  std::string data_dir() const { return shell_quote((*data_ / "d").string()); }

  static TempDir* data_;
  TempDir scratch_{"zzping-report-cli"};
};
TempDir* ReportCli::data_ = nullptr;

using zzping::report::test::split;

// How often `needle` stands in `text` once each run of spaces (the -layout columns) is
// one space.
std::size_t count_in(const std::string& text, const std::string& needle) {
  const std::string squeezed = zzping::report::test::squeeze_spaces(text);
  std::size_t n = 0;
  for (auto at = squeezed.find(needle); at != std::string::npos; at = squeezed.find(needle, at + needle.size())) ++n;
  return n;
}

std::string fixed3(const std::string& v, double scale) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", std::stod(v) / scale);
  return buf;
}

TEST_F(ReportCli, SummaryNumbersEqualZzpingDumpSummary) {
  const auto r = report("--data-dir " + data_dir() + " --from " + kFrom + " --to " + kTo + " --tz utc");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = pdf_text();
  const auto dump = run_command(std::string(ZZPING_DUMP_BIN) + " --summary --format csv --from " + kFrom + " --to " + kTo +
                                    " " + data_dir(),
                                scratch_);
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  std::istringstream lines(dump.out);
  std::string line;
  std::getline(lines, line);
  const auto names = split(line, ',');
  int hosts = 0;
  while (std::getline(lines, line)) {
    const auto cells = split(line, ',');
    std::map<std::string, std::string> v;
    for (std::size_t i = 0; i < names.size() && i < cells.size(); ++i) v[names[i]] = cells[i];
    // The summary table's row: target sent lost loss% avail% bursts longest p50 p95 p99 jitter MOS.
    const std::string row = v["host"] + " " + v["sent"] + " " + v["lost"] + " " + fixed3(v["loss_pct"], 1) + " " +
                            fixed3(v["availability_pct"], 1) + " " + v["loss_bursts"] + " " +
                            v["loss_burst_longest_ms"] + " ms " + fixed3(v["p50_us"], 1000) + " " +
                            fixed3(v["p95_us"], 1000) + " " + fixed3(v["p99_us"], 1000) + " " +
                            fixed3(v["jitter_us"], 1000) + " ";
    EXPECT_EQ(count_in(text, row), 1u) << "no row /" << row << "/ in:\n" << text;
    ++hosts;
  }
  EXPECT_EQ(hosts, 3);
}

// The daemon-like files record the probe timeout (header timeout_ms = 1000): the "What was
// measured" table shows it next to the frame length for each of the 3 targets.
TEST_F(ReportCli, WhatWasMeasuredShowsTheProbeTimeout) {
  const auto r = report("--data-dir " + data_dir() + " --from " + kFrom + " --to " + kTo + " --tz utc");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = pdf_text();
  ASSERT_NE(text.find("timeout"), std::string::npos) << "no timeout column in:\n" << text;
  EXPECT_EQ(count_in(text, "100 ms 1000 ms ±"), 3u) << text;
}

// Files that do not record the timeout (zzping 0.2 data imported by zzping-convert: here the
// hour goes through zzping 0.2's FDQ format and back) show "–" in its column, not a guessed
// value. (Native input keeps its timeout through zzping-convert.)
TEST_F(ReportCli, TimeoutNotRecordedIsADash) {
  const auto raw = *data_ / "d" / "1.1.1.1" / "2025-01-01" / "2025-01-01T00Z.zzf";
  const auto fdq = scratch_ / "hour.fdq";
  const auto converted = scratch_ / "converted";
  const std::string convert = ZZPING_CONVERT_BIN;
  auto c = run_command(convert + " --to fdq101 " + shell_quote(raw.string()) + " -o " + shell_quote(fdq.string()),
                       scratch_);
  ASSERT_EQ(c.exit_code, 0) << c.err;
  c = run_command(convert + " --host 1.1.1.1 --data-dir " + shell_quote(converted.string()) + " " +
                      shell_quote(fdq.string()),
                  scratch_);
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const auto r = report("--data-dir " + shell_quote(converted.string()) + " --tz utc");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = pdf_text();
  EXPECT_EQ(count_in(text, "100 ms – ±"), 1u) << text;
  EXPECT_EQ(text.find("1000 ms"), std::string::npos) << text;
}

TEST_F(ReportCli, IncidentListIsTheFilesIncidentsOnceEach) {
  const auto csv = scratch_ / "csv";
  const auto r = report("--data-dir " + data_dir() + " --tz utc --csv " + shell_quote(csv.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = pdf_words();
  // The generator wrote one incident every 10 min at minute 5, each in every hit target's file.
  std::set<std::string> expected;
  for (int i = 0; i < 18; ++i) expected.insert(std::to_string(kT0 + 300'000 + i * 600'000LL));
  const std::string incidents = slurp(csv / "incidents.csv");
  std::istringstream lines(incidents);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "start_ms,end_ms,start,end,duration_ms,probes_lost,cause,targets,last_hop");
  std::set<std::string> starts;
  int rows = 0;
  while (std::getline(lines, line)) {
    const auto cells = split(line, ',');
    ASSERT_EQ(cells.size(), 9u) << line;
    starts.insert(cells[0]);
    EXPECT_EQ(cells[4], "2900");
    EXPECT_EQ(cells[5], "90");
    ++rows;
  }
  EXPECT_EQ(rows, 18);
  EXPECT_EQ(starts, expected);
  EXPECT_NE(text.find("The connection was interrupted 12 times (longest 2.9 s, starting 2025-01-01 00:05:00"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("6 were upstream of the home router"), std::string::npos) << text;
  EXPECT_NE(text.find("Not counted as interruptions: 6 losses at one destination only"), std::string::npos) << text;
  // Every incident is a row of the list: its start, to the millisecond.
  for (int i = 0; i < 18; ++i) {
    const int minute = 5 + 10 * i;
    char start[64];
    std::snprintf(start, sizeof start, "2025-01-01 %02d:%02d:00.000", minute / 60, minute % 60);
    EXPECT_NE(text.find(start), std::string::npos) << start;
  }
  const std::string minutes = slurp(csv / "minutes.csv");
  EXPECT_TRUE(minutes.starts_with("host,t_ms,time,sent,recv,lost,loss_pct,p50_us,p95_us,p99_us,jitter_us\n"));
  EXPECT_NE(minutes.find("\n1.1.1.1,1735689600000,2025-01-01 00:00:00,6000,"), std::string::npos);
  EXPECT_EQ(std::count(minutes.begin(), minutes.end(), '\n'), 1 + 3 * 180);
}

TEST_F(ReportCli, PeriodWithoutDataSaysSo) {
  const auto r = report("--data-dir " + data_dir() + " --from 2030-01-01T00:00:00Z --to 2030-01-02T00:00:00Z --tz utc");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = pdf_words();
  EXPECT_NE(text.find("no measurements were recorded: there is nothing to report for this period."), std::string::npos)
      << text;
  EXPECT_EQ(text.find("Hour of day"), std::string::npos);
  EXPECT_EQ(text.find("Day 2030"), std::string::npos);
}

TEST_F(ReportCli, RedactLeavesNoPrivateAddressOrHostName) {
  const auto r = report("--data-dir " + data_dir() + " --redact --tz utc");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = pdf_text();
  for (const char* secret : {"router.lan", "192.168.1.1", "10.20.0.1"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(text.find("host-1"), std::string::npos);
  EXPECT_NE(text.find("private-"), std::string::npos);
  EXPECT_NE(text.find("203.0.113.9"), std::string::npos);  // a public address is evidence, kept
}

TEST_F(ReportCli, BadInputNamesTheFile) {
  const auto bad = scratch_ / "garbage.zzf";
  std::ofstream(bad) << "not a zzping file at all, just words";
  const auto r = report(shell_quote(bad.string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("garbage.zzf"), std::string::npos) << r.err;
  std::filesystem::create_directories(scratch_ / "empty");
  const auto empty = report("--data-dir " + shell_quote((scratch_ / "empty").string()));
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.err.find("empty: not a data directory"), std::string::npos) << empty.err;
  const auto usage = run_command(std::string(ZZPING_REPORT_BIN) + " --tz mars -o x.pdf " + data_dir(), scratch_);
  EXPECT_EQ(usage.exit_code, 1);
  EXPECT_NE(usage.err.find("bad time zone 'mars'"), std::string::npos) << usage.err;
}

}  // namespace
}  // namespace zzping::test

namespace zzping::test {
namespace {

TEST_F(ReportCli, HostChoosesTargetsAndAnUnknownHostIsAnError) {
  auto r = report("--data-dir " + data_dir() + " --host 9.9.9.9 --tz utc");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = pdf_words();
  EXPECT_NE(text.find("1 target was measured"), std::string::npos) << text;
  EXPECT_EQ(text.find("To 1.1.1.1,"), std::string::npos);
  EXPECT_NE(text.find("To 9.9.9.9,"), std::string::npos);
  r = report("--data-dir " + data_dir() + " --host 8.8.8.8");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--host 8.8.8.8: no such target in the data"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace zzping::test
