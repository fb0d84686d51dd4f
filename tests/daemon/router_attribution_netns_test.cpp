// SPDX-License-Identifier: GPL-3.0-or-later
// Integration (issue 13 acceptance): every branch of the classification against the router
// chain of tests/netns/topology.sh — pinger -- r1 ("gateway", a target of role gateway) --
// r2 ("ISP") -- internet targets t1, t2 answered by zzping-responder (kernel echo off),
// icmp_ratelimit = 0 in the routers. One daemon run injects, in this order:
//   upstream      `ip route add blackhole` for t1 and t2 in r2 (around the commands)
//   destination   t1's responder --outage (scheduled: exact)
//   gateway_only  r1's kernel echo off and its responder's --outage (scheduled: exact)
//   local         `ip link set` down the pinger's link to r1 (around the commands)
// (and, in a run of its own, upstream by `ip route add prohibit`: errors rate-limited)
// A second run has one internet target only (unknown: "upstream needs two") and then
// re-routes it through r3 (route_change). Both check frames_jsonl while the daemon runs
// (synchronised on its lines) and zzping-dump --format jsonl of every host's files after.
// Spans: a burst runs from its first to its last lost probe's send time; the tolerance is
// one frame at each edge (docs/attribution.md). Namespaces causes-<pid>-<n>-*, always deleted.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

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
using zzping::testing::RouterNetwork;
using zzping::testing::TestNetwork;
using zzping::testing::wall_ms;

namespace {

constexpr std::int64_t kFrameMs = 100;
constexpr std::int64_t kTimeoutMs = 500;
constexpr std::int64_t kFlushMs = 50;
constexpr std::int64_t kPollMs = 10;
constexpr int kRate = 50;

// frames_jsonl, read as it grows: every complete line once, with the wall time this test
// first saw it (for "how soon is the cause known").
class FramesWatcher {
 public:
  explicit FramesWatcher(std::string path) : path_(std::move(path)) {}

  void poll() {
    std::ifstream in(path_);
    in.seekg(static_cast<std::streamoff>(offset_));
    std::string line;
    while (std::getline(in, line)) {
      if (in.eof()) break;  // no newline yet: the daemon is still writing it
      offset_ += line.size() + 1;
      if (line.empty()) continue;
      lines_.push_back(Seen{json::parse(line), wall_ms()});
    }
  }
  // Polls every 10 ms until `done` holds (true) or `timeout` passes (false).
  template <typename Done>
  bool wait_until(Done done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      poll();
      if (done()) return true;
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
    }
  }
  // Lines of `event` ("" = frames) for `host` ("" = any host).
  std::vector<json> lines(const std::string& event, const std::string& host = "") const {
    std::vector<json> out;
    for (const Seen& seen : lines_) {
      if (!host.empty() && seen.line.value("host", "") != host) continue;
      if (seen.line.value("event", "") == event) out.push_back(seen.line);
    }
    return out;
  }
  std::size_t count(const std::string& event, const std::string& host = "") const { return lines(event, host).size(); }
  // ms from each loss burst's end to when its (attributed) line was seen, by cause.
  std::map<std::string, std::vector<std::int64_t>> attribution_delays() const {
    std::map<std::string, std::vector<std::int64_t>> out;
    for (const Seen& seen : lines_) {
      if (seen.line.value("event", "") != "loss_burst") continue;
      out[seen.line["cause"]].push_back(seen.seen_ms - seen.line["end_ms"].get<std::int64_t>());
    }
    return out;
  }
  std::string text() const { return read_file(path_); }

 private:
  struct Seen {
    json line;
    std::int64_t seen_ms = 0;
  };
  std::string path_;
  std::size_t offset_ = 0;
  std::vector<Seen> lines_;
};

using Span = zzping::testing::DroppedRun;
using zzping::testing::responder_dropped_runs;

// The send time of the first request a responder logged (its --outage times count from it).
std::int64_t first_request_ms(const std::string& log_path) {
  for (const json& entry : zzping::testing::read_json_lines(log_path)) {
    if (entry["send_wall_ns"].is_number()) return entry["send_wall_ns"].get<std::int64_t>() / 1'000'000;
  }
  return 0;
}

std::vector<std::string> hop_addresses(const json& path) {
  std::vector<std::string> out;
  for (const json& hop : path["hops"]) out.push_back(hop["addr"].is_null() ? "" : hop["addr"].get<std::string>());
  return out;
}

class RouterAttributionNetns : public ::testing::Test {
 protected:
  void build(int targets) {
    std::string why;
    RouterNetwork::Options options;
    options.targets = targets;
    options.name_prefix = "causes";
    auto created = RouterNetwork::create(options, why);
    ZZPING_REQUIRE(created.has_value(), "router network: " + why);
    net_.emplace(std::move(*created));
    dir_.make("zzpingd-causes", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    frames_.emplace(path("frames.jsonl"));
  }
  void TearDown() override {
    daemon_.reset();
    responders_.clear();
    dir_.remove_unless(HasFailure());
  }
  std::string path(const std::string& name) const { return dir_.path(name); }

  void start_responder(const std::string& node, std::vector<std::string> plan) {
    std::vector<std::string> argv = {RESPONDER_PATH, "--log", path(node + ".jsonl")};
    argv.insert(argv.end(), plan.begin(), plan.end());
    responders_.push_back(std::make_unique<ChildProcess>(TestNetwork::in_ns(net_->ns(node), argv), path(node + ".out")));
    ASSERT_TRUE(zzping::testing::wait_for_text(path(node + ".out"), "ready", 5s)) << read_file(path(node + ".out"));
  }

  // zzpingd in the pinger namespace: r1 as the gateway target, the others internet targets,
  // all at 50/s, timeout 500 ms.
  void start_daemon(const std::vector<std::string>& internet, int trace_interval_s, int trace_max_ttl = 4) {
    std::vector<std::string> targets = {net_->address("r1") + "\nrole = \"gateway\""};
    targets.insert(targets.end(), internet.begin(), internet.end());
    zzping::testing::write_zzpingd_config(path("zzpingd.toml"), path("data"), path("frames.jsonl"),
                                          "socket = \"raw\"\nflush_ms = " + std::to_string(kFlushMs) +
                                              "\ntimeout_ms = " + std::to_string(kTimeoutMs) +
                                              "\ntrace_interval_s = " + std::to_string(trace_interval_s) +
                                              "\ntrace_max_ttl = " + std::to_string(trace_max_ttl) + "\n",
                                          targets, kRate);
    daemon_ = std::make_unique<ChildProcess>(
        TestNetwork::in_ns(net_->ns("p"), {ZZPINGD_PATH, "--config", path("zzpingd.toml")}), path("daemon.log"));
  }

  void stop_all() {
    zzping::testing::stop_daemon_and_responders(*daemon_, path("daemon.log"), responders_, 10s);
    frames_->poll();
  }

  // A frame of `host` that lost or answered probes and started at or after `t_ms`.
  bool has_frame(const std::string& host, std::int64_t t_ms, bool lost) const {
    for (const json& frame : frames_->lines("", host)) {
      if (frame["t_ms"].get<std::int64_t>() < t_ms) continue;
      if (lost ? frame["lost"].get<int>() > 0 : frame["recv"].get<int>() > 0) return true;
    }
    return false;
  }
  bool wait_frame(const std::string& host, std::int64_t t_ms, bool lost) {
    return frames_->wait_until([&] { return has_frame(host, t_ms, lost); }, 20s);
  }
  // The incident of `cause` whose span holds `t_ms` (null json if none).
  json incident_at(const std::string& cause, std::int64_t from_ms) const {
    for (const json& incident : frames_->lines("incident")) {
      if (incident["cause"] == cause && incident["end_ms"].get<std::int64_t>() >= from_ms) return incident;
    }
    return json();
  }
  bool wait_incident(const std::string& cause, std::int64_t from_ms) {
    return frames_->wait_until([&] { return !incident_at(cause, from_ms).is_null(); }, 20s);
  }

  // zzping-dump --format jsonl of one host's raw hour files, parsed.
  std::vector<json> dump_host(const std::string& host) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(std::filesystem::path(path("data")) / host)) {
      const std::string p = e.path().string();
      if (e.is_regular_file() && e.path().extension() == ".zzf" && p.find("/tiers/") == std::string::npos) {
        files.push_back(e.path());
      }
    }
    std::sort(files.begin(), files.end());
    EXPECT_FALSE(files.empty()) << host;
    std::string command = std::string(DUMP_PATH) + " --format jsonl";
    for (const auto& f : files) command += " '" + f.string() + "'";
    std::FILE* pipe = popen(command.c_str(), "r");
    EXPECT_NE(pipe, nullptr);
    if (pipe == nullptr) return {};
    std::string out;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
    EXPECT_EQ(pclose(pipe), 0) << command;
    std::vector<json> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
      if (line.find("\"event\"") != std::string::npos) lines.push_back(json::parse(line));
    }
    return lines;
  }

  // Within one frame of the injected edge: [before - frame, after + frame].
  static void expect_edge(const json& incident, const char* key, std::int64_t before, std::int64_t after) {
    const auto at = incident[key].get<std::int64_t>();
    EXPECT_GE(at, before - kFrameMs) << key << " " << incident.dump();
    EXPECT_LE(at, after + kFrameMs) << key << " " << incident.dump();
  }
  // Against a responder's scheduled outage: the burst's edges are those probes' send times.
  static void expect_span(const json& incident, const Span& dropped) {
    EXPECT_LE(std::abs(incident["start_ms"].get<std::int64_t>() - dropped.first_ms), 1) << incident.dump();
    EXPECT_LE(std::abs(incident["end_ms"].get<std::int64_t>() - dropped.last_ms), 1) << incident.dump();
  }

  std::optional<RouterNetwork> net_;
  zzping::testing::TestDirectory dir_;
  std::optional<FramesWatcher> frames_;
  std::vector<std::unique_ptr<ChildProcess>> responders_;
  std::unique_ptr<ChildProcess> daemon_;
};

TEST_F(RouterAttributionNetns, UpstreamDestinationGatewayOnlyAndLocalAgainstTheRouterChain) {
  build(2);
  const std::string r1 = net_->address("r1"), t1 = net_->address("t1"), t2 = net_->address("t2");
  // The gateway answers through a responder too (kernel echo off in r1), so it can drop.
  ASSERT_EQ(zzping::testing::run_command(TestNetwork::in_ns(net_->ns("r1"), {"sysctl", "-qw", "net.ipv4.icmp_echo_ignore_all=1"})), 0);
  // Scheduled well after the upstream phase (normally over 5 s after start; bounded below).
  constexpr std::int64_t kDestinationAt = 15000, kGatewayOnlyAt = 18000, kOutageMs = 700;
  start_responder("r1", {"--outage", std::to_string(kGatewayOnlyAt) + ":" + std::to_string(kOutageMs)});
  start_responder("t1", {"--outage", std::to_string(kDestinationAt) + ":" + std::to_string(kOutageMs)});
  start_responder("t2", {});
  start_daemon({t1, t2}, 0);

  // 1. upstream: r2 drops what goes to t1 and t2, until both loss-burst traces are written.
  ASSERT_TRUE(frames_->wait_until([&] { return frames_->count("path", t1) >= 1 && frames_->count("path", t2) >= 1; }, 20s))
      << read_file(path("daemon.log"));
  ASSERT_TRUE(wait_frame(t2, frames_->lines("path", t2)[0]["t_ms"].get<std::int64_t>() + 1000, false));
  const std::int64_t upstream_before = wall_ms();
  ASSERT_TRUE(net_->topology("blackhole", {"1", "on"}));
  ASSERT_TRUE(net_->topology("blackhole", {"2", "on"}));
  const std::int64_t upstream_after = wall_ms();
  const auto traced_at_outage = [&](const std::string& host) {
    for (const json& p : frames_->lines("path", host)) {
      if (p["trigger"] == "loss_burst") return true;
    }
    return false;
  };
  const bool traced = frames_->wait_until([&] { return traced_at_outage(t1) && traced_at_outage(t2); }, 20s);
  const std::int64_t upstream_end_before = wall_ms();
  ASSERT_TRUE(net_->topology("blackhole", {"1", "off"}));
  ASSERT_TRUE(net_->topology("blackhole", {"2", "off"}));
  const std::int64_t upstream_end_after = wall_ms();
  ASSERT_TRUE(traced) << frames_->text();
  ASSERT_TRUE(wait_incident("upstream", upstream_before)) << frames_->text();
  const std::int64_t t1_start = first_request_ms(path("t1.jsonl"));
  ASSERT_LT(wall_ms(), t1_start + kDestinationAt - 500)
      << "the upstream phase overran the scheduled outages (machine too slow?)";

  // 2. destination and 3. gateway_only: the responders' scheduled outages.
  ASSERT_TRUE(wait_incident("destination", t1_start + kDestinationAt - kFrameMs)) << frames_->text();
  ASSERT_TRUE(wait_incident("gateway_only", t1_start + kGatewayOnlyAt - 2 * kFrameMs)) << frames_->text();

  // 4. local: the pinger's link to r1 down until r1's frames show a second of loss.
  const std::int64_t local_before = wall_ms();
  ASSERT_TRUE(net_->topology("link", {"down"}));
  const std::int64_t local_after = wall_ms();
  const bool lost_a_second = wait_frame(r1, local_after + 1000, true);
  const std::int64_t local_end_before = wall_ms();
  ASSERT_TRUE(net_->topology("link", {"up"}));
  const std::int64_t local_end_after = wall_ms();
  ASSERT_TRUE(lost_a_second) << frames_->text();
  ASSERT_TRUE(wait_incident("local", local_before)) << frames_->text();
  ASSERT_TRUE(wait_frame(t1, local_end_after + 200, false)) << "t1 answers again after the link is back";
  stop_all();

  // Bursts: each host's causes in order.
  const std::map<std::string, std::vector<std::string>> expected_causes = {
      {r1, {"gateway_only", "local"}}, {t1, {"upstream", "destination", "local"}}, {t2, {"upstream", "local"}}};
  for (const auto& [host, causes] : expected_causes) {
    std::vector<std::string> got;
    for (const json& burst : frames_->lines("loss_burst", host)) got.push_back(burst["cause"]);
    EXPECT_EQ(got, causes) << host << "\n" << frames_->text();
  }
  for (const json& burst : frames_->lines("loss_burst", t1)) {
    if (burst["cause"] == "upstream") {
      EXPECT_EQ(burst["answered"], json::array({r1})) << burst.dump();
      EXPECT_EQ(burst["lost_too"], json::array({t2})) << burst.dump();
    }
  }

  // Incidents: causes, targets, spans against the injected times.
  const auto incidents = frames_->lines("incident");
  ASSERT_EQ(incidents.size(), 4u) << frames_->text();
  const json& upstream = incidents[0];
  EXPECT_EQ(upstream["cause"], "upstream");
  EXPECT_EQ(upstream["targets"], json::array({t1, t2}));
  expect_edge(upstream, "start_ms", upstream_before, upstream_after);
  expect_edge(upstream, "end_ms", upstream_end_before, upstream_end_after);
  EXPECT_EQ(upstream["last_hop"], r1) << "the trace taken during the outage ends at the gateway";
  for (const std::string& host : {t1, t2}) {
    for (const json& p : frames_->lines("path", host)) {
      if (p["trigger"] != "loss_burst") continue;
      EXPECT_EQ(hop_addresses(p), std::vector<std::string>{r1}) << p.dump();
      EXPECT_EQ(p["reached"], false) << p.dump();
      EXPECT_GE(p["t_ms"].get<std::int64_t>(), upstream["start_ms"].get<std::int64_t>());
      EXPECT_LE(p["t_ms"].get<std::int64_t>(), upstream["end_ms"].get<std::int64_t>());
    }
  }
  const auto t1_dropped = responder_dropped_runs(path("t1.jsonl"));
  const auto r1_dropped = responder_dropped_runs(path("r1.jsonl"));
  ASSERT_EQ(t1_dropped.size(), 1u) << "only the scheduled outage reached t1's responder";
  ASSERT_EQ(r1_dropped.size(), 1u);
  const json& destination = incidents[1];
  EXPECT_EQ(destination["cause"], "destination");
  EXPECT_EQ(destination["targets"], json::array({t1}));
  expect_span(destination, t1_dropped[0]);
  const json& gateway_only = incidents[2];
  EXPECT_EQ(gateway_only["cause"], "gateway_only");
  EXPECT_EQ(gateway_only["targets"], json::array({r1}));
  expect_span(gateway_only, r1_dropped[0]);
  const json& local = incidents[3];
  EXPECT_EQ(local["cause"], "local");
  std::vector<std::string> all = {r1, t1, t2};
  std::sort(all.begin(), all.end());
  EXPECT_EQ(local["targets"], json(all));
  expect_edge(local, "start_ms", local_before, local_after);
  expect_edge(local, "end_ms", local_end_before, local_end_after);
  // No trace ran in these three: t1's and t2's loss-burst traces are held off for 60 s
  // after the upstream one, and the gateway is never traced.
  for (const json* incident : {&destination, &gateway_only, &local}) {
    EXPECT_TRUE((*incident)["last_hop"].is_null()) << incident->dump();
  }
  std::printf("[ figures ] incident edges - injected: upstream start %+lld..%+lld end %+lld..%+lld ms; "
              "destination %+lld/%+lld; gateway_only %+lld/%+lld; local start %+lld..%+lld end %+lld..%+lld ms\n",
              static_cast<long long>(upstream["start_ms"].get<std::int64_t>() - upstream_after),
              static_cast<long long>(upstream["start_ms"].get<std::int64_t>() - upstream_before),
              static_cast<long long>(upstream["end_ms"].get<std::int64_t>() - upstream_end_after),
              static_cast<long long>(upstream["end_ms"].get<std::int64_t>() - upstream_end_before),
              static_cast<long long>(destination["start_ms"].get<std::int64_t>() - t1_dropped[0].first_ms),
              static_cast<long long>(destination["end_ms"].get<std::int64_t>() - t1_dropped[0].last_ms),
              static_cast<long long>(gateway_only["start_ms"].get<std::int64_t>() - r1_dropped[0].first_ms),
              static_cast<long long>(gateway_only["end_ms"].get<std::int64_t>() - r1_dropped[0].last_ms),
              static_cast<long long>(local["start_ms"].get<std::int64_t>() - local_after),
              static_cast<long long>(local["start_ms"].get<std::int64_t>() - local_before),
              static_cast<long long>(local["end_ms"].get<std::int64_t>() - local_end_after),
              static_cast<long long>(local["end_ms"].get<std::int64_t>() - local_end_before));

  // How soon the cause is known: from the burst's last lost probe to its line in the file.
  // By construction timeout + 1..2 frames, plus the 20 ms tick, the flush period and this
  // test's polling (docs/daemon.md "Attribution"); 200 ms more for a loaded machine.
  const std::int64_t bound = kTimeoutMs + 2 * kFrameMs + 20 + kFlushMs + kPollMs;
  for (const auto& [cause, delays] : frames_->attribution_delays()) {
    const auto [low, high] = std::minmax_element(delays.begin(), delays.end());
    std::printf("[ figures ] %s: burst end -> attributed line %lld..%lld ms (%zu bursts; bound %lld)\n", cause.c_str(),
                static_cast<long long>(*low), static_cast<long long>(*high), delays.size(),
                static_cast<long long>(bound));
    EXPECT_GE(*low, kTimeoutMs + kFrameMs) << cause << ": never before the frames after the burst are final";
    EXPECT_LE(*high, bound + 200) << cause;
  }

  // The files: every host's dump shows its bursts with causes and every incident that hit
  // it; the internet targets' dumps hold their paths.
  for (const auto& [host, causes] : expected_causes) {
    const auto lines = dump_host(host);
    std::vector<std::string> got;
    std::vector<json> host_incidents;
    std::size_t paths = 0;
    for (const json& line : lines) {
      if (line["event"] == "loss_burst") got.push_back(line.value("cause", "(none)"));
      if (line["event"] == "incident") host_incidents.push_back(line);
      if (line["event"] == "path") ++paths;
    }
    EXPECT_EQ(got, causes) << host;
    std::vector<json> want;
    for (const json& incident : incidents) {
      const auto targets = incident["targets"].get<std::vector<std::string>>();
      if (std::find(targets.begin(), targets.end(), host) != targets.end()) want.push_back(incident);
    }
    ASSERT_EQ(host_incidents.size(), want.size()) << host;
    for (std::size_t i = 0; i < want.size(); ++i) {
      for (const char* key : {"start_ms", "end_ms", "cause", "targets", "probes_lost", "last_hop"}) {
        EXPECT_EQ(host_incidents[i][key], want[i][key]) << host << " incident " << i << " " << key;
      }
    }
    EXPECT_EQ(paths, host == r1 ? 0u : 2u) << host << ": the start trace and the upstream outage's";
  }
}

// One internet target only: its burst while the gateway answers is "unknown" (upstream
// needs two; no other internet target is missing). The outage ends by r1 sending t1's
// traffic through r3: the loss-burst trace (started during the outage, 30 TTLs) gets through
// with its later TTLs, and the incident must not cite those: last_hop is r1 (the trace
// finished before the incident was emitted) or null (it had not), never t1. The first trace
// after shows r3: a route_change against the route known before the outage.
TEST_F(RouterAttributionNetns, OneInternetTargetIsUnknownAndAReRouteIsARouteChange) {
  build(1);
  const std::string r1 = net_->address("r1"), t1 = net_->address("t1");
  start_responder("t1", {});
  start_daemon({t1}, 1, 30);  // r1 answers with kernel echo
  ASSERT_TRUE(frames_->wait_until([&] { return frames_->count("path", t1) >= 1; }, 20s)) << read_file(path("daemon.log"));
  ASSERT_TRUE(wait_frame(t1, wall_ms() + 500, false));
  const std::int64_t before = wall_ms();
  ASSERT_TRUE(net_->topology("blackhole", {"1", "on"}));
  const std::int64_t after = wall_ms();
  // The loss-burst trace starts one timeout after the first lost probe; its TTL 2 goes out
  // 60 ms later: the re-route comes after that.
  ASSERT_TRUE(wait_frame(t1, after + 300, true));
  const std::int64_t end_before = wall_ms();
  ASSERT_TRUE(net_->topology("reroute", {"1", "r3"}));
  ASSERT_TRUE(net_->topology("blackhole", {"1", "off"}));
  const std::int64_t end_after = wall_ms();
  ASSERT_TRUE(wait_incident("unknown", before)) << frames_->text();
  ASSERT_TRUE(frames_->wait_until([&] { return frames_->count("route_change", t1) >= 1; }, 20s)) << frames_->text();
  stop_all();

  const auto bursts = frames_->lines("loss_burst", t1);
  ASSERT_EQ(bursts.size(), 1u) << frames_->text();
  EXPECT_EQ(bursts[0]["cause"], "unknown");
  EXPECT_EQ(bursts[0]["reason"],
            "only this internet/isp target lost while the gateway answered; upstream needs two "
            "(other internet/isp targets without data: none)");
  EXPECT_EQ(bursts[0]["answered"], json::array({r1}));
  const auto incidents = frames_->lines("incident");
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0]["cause"], "unknown");
  EXPECT_EQ(incidents[0]["targets"], json::array({t1}));
  expect_edge(incidents[0], "start_ms", before, after);
  expect_edge(incidents[0], "end_ms", end_before, end_after);
  EXPECT_TRUE(frames_->lines("loss_burst", r1).empty());

  // The loss-burst trace: r1, silent TTLs sent during the outage, then t1 (after it).
  const auto all = zzping::testing::read_json_lines(path("frames.jsonl"));
  std::size_t trace_line = 0, incident_line = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].value("event", "") == "incident") incident_line = i;
    if (all[i].value("event", "") == "path" && all[i]["trigger"] == "loss_burst") trace_line = i;
  }
  ASSERT_GT(trace_line, 0u) << frames_->text();
  const json& trace = all[trace_line];
  const auto hops = hop_addresses(trace);
  ASSERT_GE(hops.size(), 4u) << trace.dump();
  EXPECT_EQ(hops.front(), r1);
  EXPECT_EQ(hops[1], "") << "TTL 2 was sent during the outage";
  EXPECT_EQ(hops.back(), t1) << trace.dump();
  EXPECT_EQ(trace["reached"], true);
  EXPECT_NE(incidents[0]["last_hop"], t1) << "t1 answered a probe sent after the outage";
  if (trace_line < incident_line) {
    EXPECT_EQ(incidents[0]["last_hop"], r1) << "the trace had finished";
  } else {
    EXPECT_TRUE(incidents[0]["last_hop"].is_null()) << "the trace was still running: null, not a stale hop";
  }
  std::printf("[ figures ] outage ended by a re-route: loss-burst trace of %zu hops %s the incident; last_hop %s\n",
              hops.size(), trace_line < incident_line ? "finished before" : "finished after",
              incidents[0]["last_hop"].dump().c_str());

  const std::vector<std::string> via_r3 = {r1, net_->address("r3"), t1};
  const auto changes = frames_->lines("route_change", t1);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0]["hops"], json(via_r3));
  EXPECT_GT(changes[0]["t_ms"].get<std::int64_t>(), trace["t_ms"].get<std::int64_t>()) << "the first trace after";

  // The dump of t1's files: the burst with its cause, the incident, the paths with the
  // route_change right after the changed one.
  const auto lines = dump_host(t1);
  std::size_t paths = 0, route_changes = 0, unknown_bursts = 0, unknown_incidents = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const json& line = lines[i];
    if (line["event"] == "loss_burst" && line.value("cause", "") == "unknown") ++unknown_bursts;
    if (line["event"] == "incident" && line["cause"] == "unknown" && line["last_hop"] == incidents[0]["last_hop"]) {
      ++unknown_incidents;
    }
    if (line["event"] == "path") ++paths;
    if (line["event"] == "route_change") {
      ++route_changes;
      ASSERT_GT(i, 0u);
      EXPECT_EQ(lines[i - 1]["event"], "path");
      EXPECT_EQ(hop_addresses(lines[i - 1]), via_r3);
      EXPECT_EQ(line["hops"], json(via_r3));
      EXPECT_EQ(line["t_ms"], lines[i - 1]["t_ms"]);
    }
  }
  EXPECT_EQ(unknown_bursts, 1u);
  EXPECT_EQ(unknown_incidents, 1u);
  EXPECT_EQ(route_changes, 1u);
  EXPECT_EQ(paths, frames_->count("path", t1)) << "every path of frames_jsonl is in the file";
}

// The provider refuses instead of dropping (`ip route add prohibit` in r2: r2 answers with
// "administratively prohibited"): still upstream, and the refused probes count as lost.
// Linux rate-limits those errors per source (net.ipv4.route.error_cost / error_burst: 5,
// then 1 per second; icmp_ratelimit does not apply), so only a few come back as ICMP errors
// and the trace's TTL 2 probe usually gets none: its path ends at r1, or at r2 when it got
// one of them.
TEST_F(RouterAttributionNetns, AProhibitRouteIsUpstreamThoughItsErrorsAreRateLimited) {
  build(2);
  const std::string r1 = net_->address("r1"), r2 = net_->address("r2");
  const std::string t1 = net_->address("t1"), t2 = net_->address("t2");
  start_responder("t1", {});
  start_responder("t2", {});
  start_daemon({t1, t2}, 0);
  ASSERT_TRUE(frames_->wait_until([&] { return frames_->count("path", t1) >= 1 && frames_->count("path", t2) >= 1; }, 20s))
      << read_file(path("daemon.log"));
  ASSERT_TRUE(wait_frame(t2, wall_ms() + 300, false));
  const std::int64_t before = wall_ms();
  ASSERT_TRUE(net_->topology("blackhole", {"1", "on", "prohibit"}));
  ASSERT_TRUE(net_->topology("blackhole", {"2", "on", "prohibit"}));
  const std::int64_t after = wall_ms();
  const auto traced = [&] {
    std::size_t n = 0;
    for (const std::string& host : {t1, t2}) {
      for (const json& p : frames_->lines("path", host)) n += p["trigger"] == "loss_burst" ? 1U : 0U;
    }
    return n == 2;
  };
  const bool both_traced = frames_->wait_until(traced, 20s);
  const std::int64_t end_before = wall_ms();
  ASSERT_TRUE(net_->topology("blackhole", {"1", "off", "prohibit"}));
  ASSERT_TRUE(net_->topology("blackhole", {"2", "off", "prohibit"}));
  const std::int64_t end_after = wall_ms();
  ASSERT_TRUE(both_traced) << frames_->text();
  ASSERT_TRUE(wait_incident("upstream", before)) << frames_->text();
  stop_all();

  const auto incidents = frames_->lines("incident");
  ASSERT_EQ(incidents.size(), 1u) << frames_->text();
  EXPECT_EQ(incidents[0]["targets"], json::array({t1, t2}));
  EXPECT_TRUE(incidents[0]["last_hop"] == r1 || incidents[0]["last_hop"] == r2) << incidents[0].dump();
  expect_edge(incidents[0], "start_ms", before, after);
  expect_edge(incidents[0], "end_ms", end_before, end_after);
  std::uint64_t all_errors = 0, all_lost = 0;
  for (const std::string& host : {t1, t2}) {
    const auto bursts = frames_->lines("loss_burst", host);
    ASSERT_EQ(bursts.size(), 1u) << host;
    EXPECT_EQ(bursts[0]["cause"], "upstream") << bursts[0]["reason"];
    for (const json& p : frames_->lines("path", host)) {
      if (p["trigger"] != "loss_burst") continue;
      const auto hops = hop_addresses(p);
      EXPECT_TRUE(hops == std::vector<std::string>{r1} || hops == (std::vector<std::string>{r1, r2})) << p.dump();
      EXPECT_EQ(p["reached"], false);
    }
    std::uint64_t lost = 0, errors = 0;
    for (const json& frame : frames_->lines("", host)) {
      lost += frame["lost"].get<std::uint64_t>();
      errors += frame["icmp_errors"].get<std::uint64_t>();
    }
    EXPECT_EQ(lost, bursts[0]["probes_lost"].get<std::uint64_t>()) << host;
    EXPECT_LT(errors, lost) << host << ": the router's error rate limit";
    all_errors += errors;
    all_lost += lost;
  }
  EXPECT_GE(all_errors, 1u) << "r2 refused, it did not drop silently";
  std::printf("[ figures ] prohibit route: %llu of %llu refused probes came back as ICMP errors; last_hop %s\n",
              static_cast<unsigned long long>(all_errors), static_cast<unsigned long long>(all_lost),
              incidents[0]["last_hop"].dump().c_str());
}

}  // namespace
