// SPDX-License-Identifier: GPL-3.0-or-later
// Acceptance of zzping-report against real recordings: zzpingd pings the gateway (r1) and
// two internet targets behind real routers (tests/netns/topology.sh) while an upstream
// outage (r2 blackholes both targets), a destination outage (r2 blackholes t1 only) and a
// local outage (the pinger's link down) are injected at known times. The report's incident
// list (its CSV, the same list as the PDF) has each one, start and end within one frame of
// the injection, with the right cause, and its summary rows equal zzping-dump --summary.
// Root only (skips with the reason otherwise; fails under CI=true).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "report_test_text.hpp"
#include "../tools/run_command.hpp"
#include "child_process.hpp"
#include "prerequisite.hpp"
#include "router_network.hpp"
#include "test_network.hpp"

using namespace std::chrono_literals;
using zzping::testing::ChildProcess;
using zzping::testing::RouterNetwork;
using zzping::testing::TestNetwork;

namespace {

constexpr std::int64_t kFrameMs = 100;

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Injected {
  std::string cause;
  std::int64_t on_before = 0, on_after = 0, off_before = 0, off_after = 0;
};

using zzping::report::test::split;

TEST(ReportNetns, IncidentsMatchInjectedOutagesAndSummaryEqualsDump) {
  ZZPING_REQUIRE_PROGRAM("pdftotext");
  std::string why;
  auto net = RouterNetwork::create({.targets = 2}, why);
  ZZPING_REQUIRE(net.has_value(), "router network: " + why);
  zzping::test::TempDir dir("zzping-report-netns");
  const auto path = [&](const std::string& name) { return (dir / name).string(); };
  std::vector<std::unique_ptr<ChildProcess>> responders;
  for (const std::string t : {"t1", "t2"}) {
    responders.push_back(std::make_unique<ChildProcess>(
        TestNetwork::in_ns(net->ns(t), {RESPONDER_PATH, "--log", path(t + ".jsonl")}), path(t + ".out")));
    ASSERT_TRUE(zzping::testing::wait_for_text(path(t + ".out"), "ready", 5s));
  }
  {
    std::ofstream config(path("zzpingd.toml"));
    config << "[daemon]\ndata_dir = \"" << path("data") << "\"\nconsole = \"off\"\nflush_ms = 100\ntimeout_ms = 500\n";
    config << "\n[[target]]\nhost = \"" << net->address("r1") << "\"\nrate = 50\nrole = \"gateway\"\n";
    for (const std::string t : {"t1", "t2"}) {
      config << "\n[[target]]\nhost = \"" << net->address(t) << "\"\nrate = 50\nrole = \"internet\"\n";
    }
  }
  auto daemon = std::make_unique<ChildProcess>(
      TestNetwork::in_ns(net->ns("p"), {ZZPINGD_PATH, "--config", path("zzpingd.toml")}), path("daemon.log"));
  std::this_thread::sleep_for(3s);
  std::vector<Injected> truth;
  const auto inject = [&](const std::string& cause, const std::vector<std::vector<std::string>>& on,
                          const std::vector<std::vector<std::string>>& off, const std::string& verb) {
    Injected i{cause};
    i.on_before = wall_ms();
    for (const auto& args : on) ASSERT_TRUE(net->topology(verb, args));
    i.on_after = wall_ms();
    std::this_thread::sleep_for(2s);
    i.off_before = wall_ms();
    for (const auto& args : off) ASSERT_TRUE(net->topology(verb, args));
    // A link taken down loses the routes through it: `topology.sh link up` brings back
    // only the connected one, so the default route via r1 is put back here.
    if (verb == "link") {
      ASSERT_EQ(std::system(("ip -n " + net->ns("p") + " route replace default via " + net->address("r1")).c_str()), 0);
    }
    i.off_after = wall_ms();
    truth.push_back(i);
    std::this_thread::sleep_for(3s);
  };
  inject("upstream", {{"1", "on"}, {"2", "on"}}, {{"1", "off"}, {"2", "off"}}, "blackhole");
  inject("destination", {{"1", "on"}}, {{"1", "off"}}, "blackhole");
  inject("local", {{"down"}}, {{"up"}}, "link");
  daemon->signal(SIGINT);
  ASSERT_TRUE(daemon->wait(5s).has_value());
  for (auto& r : responders) {
    r->signal(SIGTERM);
    r->wait(5s);
  }

  const std::string csv = path("csv");
  const std::string pdf = path("report.pdf");
  const auto r = zzping::test::run_command(std::string(ZZPING_REPORT_BIN) + " --data-dir " + path("data") +
                                               " --tz utc --csv " + csv + " -o " + pdf,
                                           dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(csv + "/incidents.csv");
  std::string line;
  std::getline(in, line);
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) rows.push_back(split(line, ','));
  for (const Injected& t : truth) {
    bool found = false;
    for (const auto& row : rows) {
      const std::int64_t start = std::stoll(row[0]), end = std::stoll(row[1]);
      if (start < t.on_before - kFrameMs || start > t.on_after + kFrameMs) continue;
      found = true;
      EXPECT_LE(end, t.off_after + kFrameMs) << t.cause;
      EXPECT_GE(end, t.off_before - kFrameMs) << t.cause;
      EXPECT_EQ(row[6], t.cause) << "incident at " << row[2];
    }
    EXPECT_TRUE(found) << t.cause << " outage injected at " << t.on_before << "-" << t.on_after
                       << " ms is not in the incident list:\n" << zzping::test::slurp(csv + "/incidents.csv");
  }
  EXPECT_EQ(rows.size(), truth.size()) << zzping::test::slurp(csv + "/incidents.csv");

  // The summary rows equal zzping-dump --summary over the same period (cut mid-hour, so
  // both read raw frames at the edges).
  const auto rfc = [](std::int64_t ms) {
    const std::time_t t = ms / 1000;
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return std::string(buf);
  };
  const std::string span = " --from " + rfc(truth.front().on_before - 2000) + " --to " + rfc(truth.back().off_after + 2000);
  const auto cut = zzping::test::run_command(std::string(ZZPING_REPORT_BIN) + " --data-dir " + path("data") +
                                                 " --tz utc" + span + " -o " + pdf,
                                             dir);
  ASSERT_EQ(cut.exit_code, 0) << cut.err;
  const auto text = zzping::test::run_command("pdftotext -layout " + pdf + " -", dir);
  const auto dump = zzping::test::run_command(std::string(ZZPING_DUMP_BIN) + " --summary --format csv" + span + " " +
                                                  path("data"),
                                              dir);
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  // The table's columns are runs of spaces in the -layout text: one space each here.
  const std::string squeezed = zzping::report::test::squeeze_spaces(text.out);
  std::istringstream lines(dump.out);
  std::getline(lines, line);
  int hosts = 0;
  while (std::getline(lines, line)) {
    const auto cells = split(line, ',');
    const std::string row = cells[0] + " " + cells[4] + " " + cells[6] + " ";  // host, sent, lost
    EXPECT_NE(squeezed.find(row), std::string::npos) << row << "\n" << text.out;
    ++hosts;
  }
  EXPECT_EQ(hosts, 3);
}

}  // namespace
