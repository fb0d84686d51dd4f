// SPDX-License-Identifier: GPL-3.0-or-later
// Integration: zzpingd traces the path to targets behind real routers (tests/netns/
// topology.sh: pinger - r1 - r2 - targets, r3 for a re-route) and writes path and
// route_change lines to frames_jsonl; the trace probes never change the targets' frames.
// Root only (skips with the reason otherwise).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "child_process.hpp"
#include "prerequisite.hpp"
#include "router_network.hpp"
#include "test_files.hpp"
#include "test_network.hpp"
#include "zzpingd_run.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using zzping::testing::ChildProcess;
using zzping::testing::read_file;
using zzping::testing::read_json_lines;
using zzping::testing::wall_ms;
using zzping::testing::RouterNetwork;
using zzping::testing::TestNetwork;

namespace {

constexpr std::uint64_t kTraceCounterBit = std::uint64_t{1} << 63;
constexpr std::int64_t kTimeoutMs = 1000;

std::vector<std::string> hop_addresses(const json& path) {
  std::vector<std::string> out;
  for (const json& hop : path["hops"]) out.push_back(hop["addr"].is_null() ? "" : hop["addr"].get<std::string>());
  return out;
}

class PathTraceNetns : public ::testing::Test {
 protected:
  void build(const RouterNetwork::Options& options) {
    std::string why;
    auto created = RouterNetwork::create(options, why);
    ZZPING_REQUIRE(created.has_value(), "router network: " + why);
    net_.emplace(std::move(*created));
    dir_.make("zzpingd-pathtrace", ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override {
    daemon_.reset();
    responders_.clear();
    dir_.remove_unless(HasFailure());
  }
  std::string path(const std::string& name) const { return dir_.path(name); }

  void start_responders(int count) {
    for (int i = 1; i <= count; ++i) {
      const std::string t = "t" + std::to_string(i);
      responders_.push_back(std::make_unique<ChildProcess>(
          TestNetwork::in_ns(net_->ns(t), {RESPONDER_PATH, "--log", path(t + ".jsonl")}), path(t + ".out")));
      ASSERT_TRUE(zzping::testing::wait_for_text(path(t + ".out"), "ready", 5s)) << read_file(path(t + ".out"));
    }
  }

  // zzpingd in the pinger namespace with these [daemon] lines and targets (rate 10; a
  // target may carry more [[target]] lines after a newline: "host\ntrace = false").
  void start_daemon(const std::string& daemon_keys, const std::vector<std::string>& targets) {
    zzping::testing::write_zzpingd_config(path("zzpingd.toml"), path("data"), path("frames.jsonl"),
                                          "flush_ms = 100\ntimeout_ms = " + std::to_string(kTimeoutMs) + "\n" + daemon_keys,
                                          targets, 10);
    daemon_ = std::make_unique<ChildProcess>(
        TestNetwork::in_ns(net_->ns("p"), {ZZPINGD_PATH, "--config", path("zzpingd.toml")}), path("daemon.log"));
  }

  void stop_all() { zzping::testing::stop_daemon_and_responders(*daemon_, path("daemon.log"), responders_, 5s); }

  bool wait_for(const std::string& text, std::chrono::milliseconds timeout) {
    return zzping::testing::wait_for_text(path("frames.jsonl"), text, timeout);
  }

  // Polls frames_jsonl (flushed every 100 ms) until `host` has `count` path lines.
  bool wait_for_paths(const std::string& host, std::size_t count, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (lines_of(host, "path").size() < count) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(100ms);
    }
    return true;
  }

  std::vector<json> lines_of(const std::string& host, const std::string& event) {
    std::vector<json> out;
    for (const json& line : read_json_lines(path("frames.jsonl"))) {
      if (line["host"] != host) continue;
      if (event.empty() ? !line.contains("event") : line.value("event", "") == event) out.push_back(line);
    }
    return out;
  }

  // The target's frames count only its own probes: the responder (target `t`) logged every
  // probe it answered; trace probes (counters with the top bit) among them must not be in
  // the frames. Returns how many of the host's own probes and of its trace probes the
  // responder saw.
  struct Seen {
    std::size_t own = 0;
    std::size_t trace = 0;
  };
  Seen expect_frames_count_only_own_probes(const std::string& host, const std::string& t,
                                                  bool all_answered) {
    std::map<std::uint64_t, std::int64_t> own;  // counter -> send wall ns
    std::size_t trace_probes = 0;
    for (const json& entry : read_json_lines(path(t + ".jsonl"))) {
      if (entry["counter"].is_null()) continue;
      const auto counter = entry["counter"].get<std::uint64_t>();
      if ((counter & kTraceCounterBit) != 0) {
        ++trace_probes;
      } else {
        own[counter] = entry["send_wall_ns"].get<std::int64_t>();
      }
    }
    EXPECT_GT(trace_probes, 0u) << "trace probes reached the target " << host;
    std::uint64_t sent = 0, recv = 0, lost = 0;
    std::map<std::int64_t, std::uint32_t> seen_per_frame;
    for (const auto& [counter, send_ns] : own) ++seen_per_frame[send_ns / 1'000'000 / 100 * 100];
    for (const json& frame : lines_of(host, "")) {
      sent += frame["sent"].get<std::uint64_t>();
      recv += frame["recv"].get<std::uint64_t>();
      lost += frame["lost"].get<std::uint64_t>();
      EXPECT_EQ(frame["icmp_errors"], 0) << host << " frame " << frame["t_ms"] << ": a trace answer was counted";
      EXPECT_EQ(frame["dup"], 0) << host << " frame " << frame["t_ms"];
      EXPECT_EQ(frame["late"], 0) << host << " frame " << frame["t_ms"];
      const auto t_ms = frame["t_ms"].get<std::int64_t>();
      EXPECT_EQ(frame["recv"].get<std::uint32_t>(), seen_per_frame.count(t_ms) ? seen_per_frame[t_ms] : 0u)
          << host << " frame " << t_ms;
      if (all_answered) {
        EXPECT_EQ(frame["sent"], frame["recv"]) << host << " frame " << t_ms;
      }
    }
    EXPECT_EQ(recv, own.size()) << host;
    EXPECT_EQ(lost, sent - own.size()) << host;
    if (all_answered) {
      EXPECT_EQ(sent, own.size()) << host;
      EXPECT_EQ(own.rbegin()->first + 1, own.size()) << host << ": counters 0..N-1, none taken by a trace";
    }
    return Seen{own.size(), trace_probes};
  }

  // The frames' sent, summed over `hosts`, is exactly what the schedule sent (rate x
  // duration, less the deadlines a stall skipped): zzpingd's exit line "schedule: sent N of
  // M probes asked" counts schedule sends only.
  void expect_sent_is_the_schedules(const std::vector<std::string>& hosts) {
    const std::string log = read_file(path("daemon.log"));
    const auto at = log.find("schedule: sent ");
    ASSERT_NE(at, std::string::npos) << log;
    const std::uint64_t schedule_sent = std::stoull(log.substr(at + 15));
    std::uint64_t frames_sent = 0;
    for (const auto& host : hosts) {
      for (const json& frame : lines_of(host, "")) frames_sent += frame["sent"].get<std::uint64_t>();
    }
    EXPECT_EQ(frames_sent, schedule_sent) << log.substr(at, 80);
  }

  std::optional<RouterNetwork> net_;
  zzping::testing::TestDirectory dir_;
  std::vector<std::unique_ptr<ChildProcess>> responders_;
  std::unique_ptr<ChildProcess> daemon_;
};

class PathTraceBySocket : public PathTraceNetns, public ::testing::WithParamInterface<std::string> {};

// Start and interval traces list r1, r2 and the target (IPv4 and IPv6), reached; with
// icmp_ratelimit = 0 in the routers every hop answers every time; the frames are untouched.
TEST_P(PathTraceBySocket, TracesListRoutersAndTargetAndLeaveFramesAlone) {
  build({});
  const std::string socket = GetParam();
  if (socket == "dgram") {
    ASSERT_EQ(zzping::testing::run_command(TestNetwork::in_ns(
                  net_->ns("p"), {"sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647"})),
              0);
  }
  start_responders(2);
  const std::string t1 = net_->address("t1"), t2 = net_->address("t2_v6");
  start_daemon("socket = \"" + socket + "\"\ntrace_interval_s = 1\ntrace_max_ttl = 8\n", {t1, t2});
  // Start trace + 4 interval traces per host (one per second), then stop.
  for (const auto& host : {t1, t2}) ASSERT_TRUE(wait_for_paths(host, 5, 15s)) << read_file(path("frames.jsonl"));
  stop_all();
  EXPECT_NE(read_file(path("daemon.log")).find(socket == "raw" ? "raw ICMP socket" : "datagram socket"), std::string::npos);

  const std::map<std::string, std::vector<std::string>> expected = {
      {t1, {net_->address("r1"), net_->address("r2"), t1}},
      {t2, {net_->address("r1_v6"), net_->address("r2_v6"), t2}}};
  for (const auto& [host, hops] : expected) {
    const auto paths = lines_of(host, "path");
    ASSERT_GE(paths.size(), 4u) << host;
    EXPECT_EQ(paths.front()["trigger"], "start") << host;
    for (std::size_t i = 0; i < paths.size(); ++i) {
      EXPECT_EQ(hop_addresses(paths[i]), hops) << host << " path " << i << ": " << paths[i].dump();
      EXPECT_EQ(paths[i]["reached"], true) << host;
      if (i > 0) {
        EXPECT_EQ(paths[i]["trigger"], "interval") << host;
      }
      for (const json& hop : paths[i]["hops"]) EXPECT_TRUE(hop["rtt_us"].is_number()) << host;
    }
    EXPECT_TRUE(lines_of(host, "route_change").empty()) << host;
  }
  // The budget: one probe per TTL and none above the target's: exactly one probe of each
  // trace reached the target (the trace still running at stop may add one).
  for (const auto& [host, t] : std::map<std::string, std::string>{{t1, "t1"}, {t2, "t2"}}) {
    const Seen seen = expect_frames_count_only_own_probes(host, t, true);
    const std::size_t traces = lines_of(host, "path").size();
    EXPECT_GE(seen.trace, traces) << host;
    EXPECT_LE(seen.trace, traces + 1) << host;
  }
  expect_sent_is_the_schedules({t1, t2});
}

INSTANTIATE_TEST_SUITE_P(Sockets, PathTraceBySocket, ::testing::Values("raw", "dgram"),
                         [](const auto& param_info) { return param_info.param; });

// An upstream outage (blackhole in r2): the trace taken at the burst's start, while it goes
// on, ends at r1 and does not reach the target; it starts one timeout after the first lost
// probe was sent. Frames: sent, recv and lost exact against the responder's log.
TEST_F(PathTraceNetns, TraceAtAnUpstreamOutageEndsAtTheGateway) {
  build({});
  start_responders(2);
  const std::string t1 = net_->address("t1"), t2 = net_->address("t2");
  start_daemon("socket = \"raw\"\ntrace_interval_s = 0\ntrace_max_ttl = 8\n", {t1, t2});
  ASSERT_TRUE(wait_for("\"host\":\"" + t1 + "\",\"event\":\"path\"", 10s));
  ASSERT_TRUE(wait_for("\"host\":\"" + t2 + "\",\"event\":\"path\"", 10s));
  std::this_thread::sleep_for(1s);  // some answered probes before the outage
  const std::int64_t outage_from = wall_ms();
  ASSERT_TRUE(net_->topology("blackhole", {"1", "on"}));
  const std::int64_t outage_set = wall_ms();
  ASSERT_TRUE(wait_for("\"trigger\":\"loss_burst\"", 10s)) << read_file(path("frames.jsonl"));
  std::this_thread::sleep_for(2s);  // the outage goes on a little after the trace
  ASSERT_TRUE(net_->topology("blackhole", {"1", "off"}));
  ASSERT_TRUE(wait_for("\"event\":\"incident\"", 10s));
  std::this_thread::sleep_for(1s);
  stop_all();

  const auto paths = lines_of(t1, "path");
  ASSERT_EQ(paths.size(), 2u) << "start and loss_burst, nothing else with trace_interval_s = 0";
  EXPECT_EQ(paths[0]["trigger"], "start");
  EXPECT_EQ(paths[0]["reached"], true);
  const json& during = paths[1];
  EXPECT_EQ(during["trigger"], "loss_burst");
  EXPECT_EQ(during["reached"], false);
  EXPECT_EQ(hop_addresses(during), std::vector<std::string>{net_->address("r1")}) << during.dump();
  EXPECT_TRUE(lines_of(t1, "route_change").empty()) << "silent hops are no route change";
  const auto bursts = lines_of(t1, "loss_burst");
  ASSERT_EQ(bursts.size(), 1u);
  const auto burst_start = bursts[0]["start_ms"].get<std::int64_t>();
  EXPECT_GE(burst_start, outage_from - 100);
  EXPECT_LE(burst_start, outage_set + 100);
  const auto trace_delay = during["t_ms"].get<std::int64_t>() - burst_start;
  EXPECT_GE(trace_delay, kTimeoutMs);
  EXPECT_LE(trace_delay, kTimeoutMs + 100) << "the trace starts as soon as the first probe times out";
  std::cout << "[ figures ] loss-burst trace started " << trace_delay << " ms after the burst's first lost probe was sent\n";
  // The incident (t1 alone: t2 answered, so "destination") cites that trace's last hop.
  std::vector<json> incidents;
  for (const json& line : read_json_lines(path("frames.jsonl"))) {
    if (line.value("event", "") == "incident") incidents.push_back(line);
  }
  ASSERT_EQ(incidents.size(), 1u) << read_file(path("frames.jsonl"));
  EXPECT_EQ(incidents[0]["targets"], json::array({t1}));
  EXPECT_EQ(incidents[0]["last_hop"], net_->address("r1"));
  // The other target never lost a probe and was traced only at start.
  EXPECT_EQ(lines_of(t2, "path").size(), 1u);

  const std::size_t seen = expect_frames_count_only_own_probes(t1, "t1", false).own;
  std::uint64_t lost = 0;
  for (const json& frame : lines_of(t1, "")) lost += frame["lost"].get<std::uint64_t>();
  EXPECT_EQ(bursts[0]["probes_lost"].get<std::uint64_t>(), lost) << "one burst holds every lost probe";
  EXPECT_GT(lost, 20u);
  EXPECT_GT(seen, 20u);
  expect_frames_count_only_own_probes(t2, "t2", true);
  expect_sent_is_the_schedules({t1, t2});
}

// A route change (r1 sends the target's traffic via r3 instead of r2): the next trace shows
// r3, has route_changed, and a route_change line follows it.
TEST_F(PathTraceNetns, ReRouteThroughAnotherRouterIsARouteChange) {
  build({});
  start_responders(1);
  const std::string t1 = net_->address("t1");
  start_daemon("socket = \"raw\"\ntrace_interval_s = 1\ntrace_max_ttl = 8\n", {t1});
  ASSERT_TRUE(wait_for("\"event\":\"path\"", 10s));
  ASSERT_TRUE(net_->topology("reroute", {"1", "r3"}));
  ASSERT_TRUE(wait_for("\"event\":\"route_change\"", 10s)) << read_file(path("frames.jsonl"));
  stop_all();

  const std::vector<std::string> via_r2 = {net_->address("r1"), net_->address("r2"), t1};
  const std::vector<std::string> via_r3 = {net_->address("r1"), net_->address("r3"), t1};
  bool rerouted = false;
  const auto lines = read_json_lines(path("frames.jsonl"));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].value("event", "") != "path") continue;
    const auto hops = hop_addresses(lines[i]);
    EXPECT_EQ(lines[i]["reached"], true);
    if (!rerouted) {
      if (hops == via_r2) continue;
      EXPECT_EQ(hops, via_r3) << lines[i].dump();
      rerouted = true;
      ASSERT_LT(i + 1, lines.size());
      EXPECT_EQ(lines[i + 1]["event"], "route_change") << "a route_change line follows the changed path";
      EXPECT_EQ(lines[i + 1]["t_ms"], lines[i]["t_ms"]);
      EXPECT_EQ(lines[i + 1]["hops"], json(via_r3));
    } else {
      EXPECT_EQ(hops, via_r3) << lines[i].dump();
    }
  }
  EXPECT_TRUE(rerouted);
  EXPECT_EQ(lines_of(t1, "route_change").size(), 1u);
  expect_frames_count_only_own_probes(t1, "t1", true);
}

// Loopback targets and targets with trace = false are never traced.
TEST_F(PathTraceNetns, LoopbackAndUntracedTargetsGetNoTrace) {
  build({});
  start_responders(2);
  const std::string t1 = net_->address("t1"), t2 = net_->address("t2");
  start_daemon("socket = \"raw\"\ntrace_interval_s = 1\ntrace_max_ttl = 8\n",
               {t1, t2 + "\ntrace = false", "127.0.0.1", "::1"});
  ASSERT_TRUE(wait_for_paths(t1, 3, 10s)) << read_file(path("frames.jsonl"));
  stop_all();
  for (const std::string& host : {t2, std::string("127.0.0.1"), std::string("::1")}) {
    EXPECT_TRUE(lines_of(host, "path").empty()) << host;
    EXPECT_FALSE(lines_of(host, "").empty()) << host << " was pinged";
  }
  expect_frames_count_only_own_probes(t1, "t1", true);
}

// The kernel's default ICMP rate limit in the routers (1 error per second towards one
// address, bursts of 6): two hosts traced every second ask each router for 2 time-exceeded
// per second, so some hops stay empty (null). Such a trace still reaches the target, and
// empty hops are wildcards: no route change is reported.
TEST_F(PathTraceNetns, RateLimitedTimeExceededLeavesHopsEmptyButNoRouteChange) {
  RouterNetwork::Options options;
  options.default_icmp_ratelimit = true;
  build(options);
  start_responders(2);
  const std::string t1 = net_->address("t1"), t2 = net_->address("t2");
  start_daemon("socket = \"raw\"\ntrace_interval_s = 1\ntrace_max_ttl = 8\n", {t1, t2});
  std::size_t empty = 0, paths_seen = 0;
  for (int second = 0; second < 30 && empty < 4; ++second) {
    std::this_thread::sleep_for(1s);
    empty = 0;
    paths_seen = 0;
    for (const auto& host : {t1, t2}) {
      for (const json& path : lines_of(host, "path")) {
        ++paths_seen;
        for (const json& hop : path["hops"]) empty += hop["addr"].is_null() ? 1u : 0u;
      }
    }
  }
  stop_all();
  EXPECT_GE(empty, 4u) << "the routers' rate limit left hops unanswered";
  std::size_t hops_total = 0;
  for (const auto& host : {t1, t2}) {
    for (const json& path : lines_of(host, "path")) {
      EXPECT_EQ(path["reached"], true) << path.dump();
      EXPECT_EQ(path["hops"].size(), 3u) << path.dump();
      EXPECT_EQ(path["hops"][2]["addr"], host);
      hops_total += 2;
    }
    EXPECT_TRUE(lines_of(host, "route_change").empty()) << host;
  }
  std::cout << "[ figures ] default icmp_ratelimit, 2 hosts traced every second: " << empty << " of " << hops_total
            << " router hops empty in " << paths_seen << " traces\n";
  expect_frames_count_only_own_probes(t1, "t1", true);
  expect_frames_count_only_own_probes(t2, "t2", true);
}

}  // namespace
