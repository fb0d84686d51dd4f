// SPDX-License-Identifier: GPL-3.0-or-later
// Integration: the real zzpingd pings zzping-responder across a veth pair between two
// throw-away network namespaces; the frames it writes must match what the responder did.
// The truth for a probe's RTT is the responder's log: its reply's kernel transmit stamp
// minus the probe's send stamp (in the probe token). On a veth pair zzpingd's kernel stamps
// the reply's arrival inside that same transmit, so this is exactly the RTT zzpingd must
// report, however late the responder's timer fired or either program was scheduled.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <cstdio>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <thread>

#include "child_process.hpp"
#include "zzping/common/rtt_histogram.hpp"
#include "test_files.hpp"
#include "test_network.hpp"
#include "prerequisite.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using zzping::testing::ChildProcess;
using zzping::testing::read_file;
using zzping::testing::read_json_lines;
using zzping::testing::TestNetwork;

namespace {

constexpr std::int64_t kFrameMs = 100;
constexpr std::int64_t kTimeoutNs = 1'000'000'000;
// A frame's RTT quantiles must be within 0.2 ms of the true ones, plus what the frame's
// log-binned histogram cannot represent: zzpingd runs with the default precision, whose
// bins hold any value within +-0.4975 % (docs/summary.md). That part matters only for RTTs
// above ~10 ms: under load a starved responder answered after 431 ms once, and the exact
// 431 522 us came out as 432 773 us.
constexpr double kRttToleranceUs = 200.0;
const zzping::RttQuantiser kQuantiser{zzping::RttQuantiser::kDefaultPrecision};

struct Expected {
  std::uint32_t sent = 0, recv = 0, lost = 0, dup = 0, icmp = 0;
  std::vector<double> rtts_us;      // the true RTT of every probe answered in time
  std::uint32_t jitter_pairs = 0;  // consecutive probes (by counter) both answered in time
  double jitter_sum_us = 0;        // sum of |true RTT difference| over those pairs
};

struct Probe {
  std::int64_t send_wall_ns = 0;
  bool received = false;
};

// The rule of RttHistogram::quantile_ns, applied to exact samples.
double quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double x = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(x));
  const auto hi = static_cast<std::size_t>(std::ceil(x));
  return values[lo] + (values[hi] - values[lo]) * (x - static_cast<double>(lo));
}

class DaemonNetns : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    auto created = TestNetwork::create(why);
    ZZPING_REQUIRE(created.has_value(), "namespace test: " + why);
    net_.emplace(std::move(*created));
    dir_.make("zzpingd-netns", ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override { dir_.remove_unless(HasFailure()); }
  std::string path(const std::string& name) const { return dir_.path(name); }

  std::unique_ptr<ChildProcess> start_responder(std::vector<std::string> plan) {
    std::vector<std::string> argv = {RESPONDER_PATH, "--log", path("responder.jsonl")};
    argv.insert(argv.end(), plan.begin(), plan.end());
    auto responder = std::make_unique<ChildProcess>(TestNetwork::in_ns(net_->responder_ns(), argv), path("responder.out"));
    EXPECT_TRUE(zzping::testing::wait_for_text(path("responder.out"), "ready", 5s)) << read_file(path("responder.out"));
    return responder;
  }

  std::unique_ptr<ChildProcess> start_daemon(std::vector<std::string> args) {
    std::vector<std::string> argv = {ZZPINGD_PATH, "--no-console", "--data-dir", path("data"),
                                     "--frames-jsonl", path("frames.jsonl")};
    argv.insert(argv.end(), args.begin(), args.end());
    return std::make_unique<ChildProcess>(TestNetwork::in_ns(net_->pinger_ns(), argv), path("daemon.log"));
  }

  // SIGINT, then the daemon must finish its frames and exit 0 within timeout + margin.
  void stop_daemon(ChildProcess& daemon) {
    daemon.signal(SIGINT);
    const auto code = daemon.wait(5s);
    ASSERT_TRUE(code.has_value()) << "zzpingd did not exit after SIGINT";
    EXPECT_EQ(*code, 0) << read_file(path("daemon.log"));
  }

  void stop_responder(ChildProcess& responder) {
    responder.signal(SIGTERM);
    ASSERT_EQ(responder.wait(5s).value_or(-1), 0);
  }

  // Compares zzpingd's frames and loss events with the responder's log, host by host.
  void expect_frames_match_responder(const std::string& host, int family, std::int64_t stop_wall_ns) {
    std::map<std::uint64_t, json> by_counter;
    for (const json& entry : read_json_lines(path("responder.jsonl"))) {
      if (entry["family"] != family || entry["counter"].is_null()) continue;
      const auto counter = entry["counter"].get<std::uint64_t>();
      // Path trace probes (top bit set, docs/daemon.md "Path snapshots") are not the host's.
      if ((counter >> 63) == 0) by_counter[counter] = entry;
    }
    ASSERT_FALSE(by_counter.empty()) << "the responder saw no probe for " << host;
    ASSERT_EQ(by_counter.rbegin()->first + 1, by_counter.size()) << "every probe reached the responder";

    std::map<std::int64_t, Expected> expected;
    std::vector<Probe> probes;
    std::uint32_t late_sent_early = 0, late_any = 0;
    bool previous_answered = false;  // the previous probe (by counter) was answered in time
    double previous_rtt_us = 0;
    for (const auto& [counter, entry] : by_counter) {
      const auto send_wall_ns = entry["send_wall_ns"].get<std::int64_t>();
      Expected& frame = expected[send_wall_ns / 1'000'000 / kFrameMs * kFrameMs];
      const std::string action = entry["action"];
      const bool replied = entry["tx_wall_ns"].is_number() && (action == "reply" || action == "dup");
      if (replied) {
        EXPECT_TRUE(entry["tx_kernel"].get<bool>()) << "no kernel transmit stamp, so no exact truth: " << entry.dump();
      }
      const std::int64_t tx_wall_ns = replied ? entry["tx_wall_ns"].get<std::int64_t>() : 0;
      const std::int64_t rtt_ns = tx_wall_ns - send_wall_ns;
      const bool in_time = replied && rtt_ns < kTimeoutNs;
      ++frame.sent;
      if (in_time) {
        ++frame.recv;
        frame.rtts_us.push_back(static_cast<double>(rtt_ns) / 1000.0);
        if (action == "dup") ++frame.dup;
        if (previous_answered) {
          ++frame.jitter_pairs;
          frame.jitter_sum_us += std::abs(frame.rtts_us.back() - previous_rtt_us);
        }
        previous_answered = true;
        previous_rtt_us = frame.rtts_us.back();
      } else {
        ++frame.lost;
        previous_answered = false;
      }
      if (replied && !in_time) {
        ++late_any;
        if (tx_wall_ns < stop_wall_ns) ++late_sent_early;
      }
      if (action == "unreach") ++frame.icmp;
      probes.push_back(Probe{send_wall_ns, in_time});
    }

    std::map<std::int64_t, json> frames;
    std::vector<json> events;
    for (const json& line : read_json_lines(path("frames.jsonl"))) {
      if (!line.contains("host") || line["host"] != host) continue;  // incidents have no host
      if (line.contains("event")) {
        if (line["event"] == "loss_burst") events.push_back(line);  // not path snapshots
      } else {
        EXPECT_EQ(frames.count(line["t_ms"].get<std::int64_t>()), 0u) << "frame written twice";
        frames[line["t_ms"].get<std::int64_t>()] = line;
      }
    }
    ASSERT_EQ(frames.size(), expected.size()) << host;
    std::uint32_t late_counted = 0;
    std::vector<double> quantile_errors_us;
    double jitter_error_us = 0, jitter_truth_us = 0;  // sums over all pairs
    std::uint64_t jitter_pairs = 0;
    for (const auto& [t_ms, want] : expected) {
      ASSERT_EQ(frames.count(t_ms), 1u) << host << " frame " << t_ms << " missing";
      const json& got = frames[t_ms];
      EXPECT_EQ(got["sent"], want.sent) << host << " frame " << t_ms;
      EXPECT_EQ(got["recv"], want.recv) << host << " frame " << t_ms;
      EXPECT_EQ(got["lost"], want.lost) << host << " frame " << t_ms;
      EXPECT_EQ(got["dup"], want.dup) << host << " frame " << t_ms;
      EXPECT_EQ(got["icmp_errors"], want.icmp) << host << " frame " << t_ms;
      late_counted += got["late"].get<std::uint32_t>();
      EXPECT_EQ(got["jitter_pairs"], want.jitter_pairs) << host << " frame " << t_ms;
      if (got.contains("jitter_sum_ns")) {
        const double got_us = got["jitter_sum_ns"].get<double>() / 1000.0;
        // 0.2 ms per RTT, as for the quantiles, so 0.4 ms per pair (the sums are of exact
        // RTTs, not of histogram bins).
        EXPECT_LE(std::abs(got_us - want.jitter_sum_us), 2 * kRttToleranceUs * want.jitter_pairs + 1.0)
            << host << " frame " << t_ms << " jitter sum vs true RTTs";
        jitter_error_us += std::abs(got_us - want.jitter_sum_us);
        jitter_truth_us += want.jitter_sum_us;
        jitter_pairs += want.jitter_pairs;
      }
      if (want.rtts_us.empty()) {
        EXPECT_TRUE(got["rtt_us"].is_null());
        continue;
      }
      for (std::size_t i = 0; i < zzping::kSevenQuantiles.size(); ++i) {
        const double q = zzping::kSevenQuantiles[i];
        const double truth_us = quantile(want.rtts_us, q);
        const double diff = got["rtt_us"][i].get<double>() - truth_us;
        EXPECT_LT(std::abs(diff), kRttToleranceUs + kQuantiser.max_relative_error() * truth_us)
            << host << " frame " << t_ms << " RTT quantile " << q << " vs true RTTs";
        quantile_errors_us.push_back(std::abs(diff));
      }
    }
    if (!quantile_errors_us.empty()) {  // printed so a change of the receive path can be compared
      std::printf("%s: |RTT quantile - truth| over %zu quantiles: p50 %.1f us, p99 %.1f us, max %.1f us\n", host.c_str(),
                  quantile_errors_us.size(), quantile(quantile_errors_us, 0.5), quantile(quantile_errors_us, 0.99),
                  quantile(quantile_errors_us, 1.0));
    }
    ASSERT_GT(jitter_pairs, 0u) << host;
    const double span_error_us = jitter_error_us / static_cast<double>(jitter_pairs);
    truth_span_jitter_us_ = jitter_truth_us / static_cast<double>(jitter_pairs);
    std::printf("%s: %llu jitter pairs, mean true |delta RTT| %.1f us, mean per-pair error of the frames' sums %.2f us\n",
                host.c_str(), static_cast<unsigned long long>(jitter_pairs), truth_span_jitter_us_, span_error_us);
    ::testing::Test::RecordProperty(host + "_jitter_error_us_per_pair", std::to_string(span_error_us));
    EXPECT_LT(span_error_us, 100.0) << host << ": span jitter vs true RTTs";
    EXPECT_GE(late_counted, late_sent_early) << host;
    EXPECT_LE(late_counted, late_any) << host;

    std::vector<std::tuple<std::int64_t, std::int64_t, std::uint32_t>> want_events;
    std::size_t i = 0;
    while (i < probes.size()) {
      if (probes[i].received) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < probes.size() && !probes[j].received) ++j;
      if (j - i >= 2) {
        want_events.emplace_back(probes[i].send_wall_ns / 1'000'000, probes[j - 1].send_wall_ns / 1'000'000,
                                 static_cast<std::uint32_t>(j - i));
      }
      i = j;
    }
    std::vector<std::tuple<std::int64_t, std::int64_t, std::uint32_t>> got_events;
    for (const json& e : events) {
      got_events.emplace_back(e["start_ms"].get<std::int64_t>(), e["end_ms"].get<std::int64_t>(),
                              e["probes_lost"].get<std::uint32_t>());
    }
    EXPECT_EQ(got_events, want_events) << host << " loss bursts";
  }

  std::optional<TestNetwork> net_;
  zzping::testing::TestDirectory dir_;
  double truth_span_jitter_us_ = 0;  // of the last host compared: mean true |delta RTT| per pair
};

std::int64_t wall_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

const std::vector<std::string> kFullPlan = {
    "--delay-ms", "2", "--jitter-ms", "1", "--loss", "0.03", "--burst-every", "97", "--burst-length", "4",
    "--outage", "2500:300", "--dup", "0.03", "--corrupt", "0.02", "--foreign", "0.02", "--unreach", "0.02",
    "--reorder", "0.05", "--reorder-ms", "10", "--late", "0.01", "--late-ms", "1500", "--seed", "7"};

}  // namespace

TEST_F(DaemonNetns, RawSocketsFramesMatchResponderExactly) {
  auto responder = start_responder(kFullPlan);
  auto daemon = start_daemon({"--target", net_->responder_v4() + "@100", "--target", net_->responder_v6() + "@100"});
  std::this_thread::sleep_for(6s);
  const std::int64_t stop_wall = wall_now_ns();
  stop_daemon(*daemon);
  stop_responder(*responder);
  EXPECT_NE(read_file(path("daemon.log")).find("raw ICMP socket"), std::string::npos);
  expect_frames_match_responder(net_->responder_v4(), 4, stop_wall);
  expect_frames_match_responder(net_->responder_v6(), 6, stop_wall);
}

TEST_F(DaemonNetns, DatagramSocketsFramesMatchResponderExactly) {
  ASSERT_TRUE(net_->enable_ping_sockets());
  std::ofstream(path("dgram.toml")) << "[daemon]\nsocket = \"dgram\"\n";
  auto responder = start_responder(kFullPlan);
  auto daemon = start_daemon({"--config", path("dgram.toml"), "--target", net_->responder_v4() + "@100", "--target",
                              net_->responder_v6() + "@100"});
  std::this_thread::sleep_for(5s);
  const std::int64_t stop_wall = wall_now_ns();
  stop_daemon(*daemon);
  stop_responder(*responder);
  EXPECT_NE(read_file(path("daemon.log")).find("unprivileged ICMP datagram socket"), std::string::npos);
  expect_frames_match_responder(net_->responder_v4(), 4, stop_wall);
  expect_frames_match_responder(net_->responder_v6(), 6, stop_wall);
}

// A zzpingd built with ThreadSanitizer (ZZPING_SANITIZE=thread) crashes in getaddrinfo_a:
// glibc starts its lookup thread without the pthread_create TSan intercepts (a 10-line
// program does the same; docs/reliability.md). That build pings literals only.
#if defined(__SANITIZE_THREAD__)
constexpr bool kCanResolveNames = false;
#else
constexpr bool kCanResolveNames = true;
#endif

// Jitter (docs/summary.md): holds alternating between 2 and 12 ms (every |delta| is
// 10 ms) and 5 % random loss; the frames' pair counts equal the truth from the
// responder's log exactly, their sums within the RTTs' tolerance, checked inside
// expect_frames_match_responder; over the span the frames' jitter equals the truth's.
TEST_F(DaemonNetns, JitterPairsAndSumsMatchResponderHolds) {
  auto responder = start_responder({"--delay-ms", "2", "--alternate-ms", "10", "--loss", "0.05", "--seed", "3"});
  auto daemon = start_daemon({"--target", net_->responder_v4() + "@100"});
  std::this_thread::sleep_for(4s);
  const std::int64_t stop_wall = wall_now_ns();
  stop_daemon(*daemon);
  stop_responder(*responder);
  expect_frames_match_responder(net_->responder_v4(), 4, stop_wall);
  std::uint64_t sum_ns = 0, pairs = 0;
  for (const json& line : read_json_lines(path("frames.jsonl"))) {
    if (line.contains("event")) continue;
    sum_ns += line["jitter_sum_ns"].get<std::uint64_t>();
    pairs += line["jitter_pairs"].get<std::uint64_t>();
  }
  ASSERT_GT(pairs, 100u);
  const double span_jitter_us = static_cast<double>(sum_ns) / 1000.0 / static_cast<double>(pairs);
  std::printf("span jitter %.1f us over %llu pairs, truth %.1f us (holds alternate by 10000 us)\n", span_jitter_us,
              static_cast<unsigned long long>(pairs), truth_span_jitter_us_);
  EXPECT_NEAR(span_jitter_us, truth_span_jitter_us_, 100.0);
  // The alternation happened (else the comparison above proves little): the responder's
  // timer lateness moves the true |delta| by a millisecond or two either way under load
  // (9 497 and 12 117 us seen at load 6 and 10), without alternation it is ~0.1 ms.
  EXPECT_GT(truth_span_jitter_us_, 5'000.0);
}

TEST_F(DaemonNetns, KernelEchoOnLoopbackAndUnresolvableNameIsNotFatal) {
  // Kernel echo is on in the pinger namespace: its loopback answers every probe.
  std::vector<std::string> args = {"--target", "127.0.0.1@200", "--target", "::1@200"};
  if (kCanResolveNames) args.insert(args.end(), {"--target", "no-such-host.invalid@10"});
  auto daemon = start_daemon(args);
  std::this_thread::sleep_for(3s);
  stop_daemon(*daemon);
  std::map<std::string, std::uint32_t> sent;
  for (const json& line : read_json_lines(path("frames.jsonl"))) {
    if (line.contains("event")) {
      ADD_FAILURE() << "loss on loopback: " << line.dump();
      continue;
    }
    const std::string host = line["host"];
    sent[host] += line["sent"].get<std::uint32_t>();
    EXPECT_EQ(line["recv"], line["sent"]) << line.dump();
    EXPECT_EQ(line["lost"], 0) << line.dump();
    EXPECT_EQ(line["dup"], 0) << line.dump();
    EXPECT_LT(line["rtt_us"][3].get<double>(), 5000.0) << line.dump();
    EXPECT_GE(line["rtt_us"][0].get<double>(), 0.0) << line.dump();
  }
  // About 3 s at 200/s each (the first probes start after the namespace exec).
  EXPECT_GT(sent["127.0.0.1"], 450u);
  EXPECT_GT(sent["::1"], 450u);
  EXPECT_EQ(sent.count("no-such-host.invalid"), 0u);
  if (kCanResolveNames) {
    EXPECT_NE(read_file(path("daemon.log")).find("no-such-host.invalid: cannot resolve"), std::string::npos);
  }
}

TEST_F(DaemonNetns, SighupAddsHostWithoutGapInUnchangedHost) {
  auto responder = start_responder({"--delay-ms", "1"});
  const std::string config = path("zzpingd.toml");
  std::ofstream(config) << "[[target]]\nhost = \"" << net_->responder_v4() << "\"\nrate = 100\n";
  auto daemon = start_daemon({"--config", config});
  std::this_thread::sleep_for(2s);
  // Also a key applied live (stream_token) and one that needs a restart (frame_ms).
  std::ofstream(config) << "[daemon]\nstream_token = \"rotated\"\nframe_ms = 50\n"
                        << "[[target]]\nhost = \"" << net_->responder_v4() << "\"\nrate = 100\n"
                        << "[[target]]\nhost = \"" << net_->responder_v6() << "\"\nrate = 50\n";
  daemon->signal(SIGHUP);
  std::this_thread::sleep_for(2s);
  stop_daemon(*daemon);
  stop_responder(*responder);
  std::vector<std::int64_t> v4_frames;
  std::uint32_t v6_sent = 0;
  for (const json& line : read_json_lines(path("frames.jsonl"))) {
    if (line.contains("event")) continue;
    if (line["host"] == net_->responder_v4()) {
      v4_frames.push_back(line["t_ms"].get<std::int64_t>());
      EXPECT_EQ(line["lost"], 0) << line.dump();
    } else if (line["host"] == net_->responder_v6()) {
      v6_sent += line["sent"].get<std::uint32_t>();
    }
  }
  ASSERT_GT(v4_frames.size(), 30u);
  for (std::size_t i = 1; i < v4_frames.size(); ++i) {
    EXPECT_EQ(v4_frames[i] - v4_frames[i - 1], kFrameMs) << "gap in the unchanged host at frame " << i;
  }
  EXPECT_GT(v6_sent, 50u) << "the added host is pinged";
  const std::string log = read_file(path("daemon.log"));
  EXPECT_NE(log.find("reload: 2 hosts (+1 -0 =1); applied live: targets, stream_token; need a restart (kept): frame_ms"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("reload: frame_ms changed but needs a restart; the running value is kept"), std::string::npos) << log;
}
