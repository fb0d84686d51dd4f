// SPDX-License-Identifier: GPL-3.0-or-later
// zzping-tail: the loop (run_tail) against an in-process server, and the binary's CLI.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <asio/executor_work_guard.hpp>
#include <asio/post.hpp>
#include <cstdio>
#include <map>
#include <mutex>
#include <algorithm>
#include <future>
#include <sstream>
#include <thread>

#include "tail_app.hpp"
#include "zzping/stream_server/stream_server.hpp"

namespace zzping::stream {
namespace {

Frame frame_at(std::int64_t t_ms) {
  Frame f;
  f.t_ms = t_ms;
  f.sent = 10;
  f.recv = t_ms % 1000 == 0 ? 0 : 10;  // every 10th frame: no reply
  f.lost = 10 - f.recv;
  for (std::uint32_t i = 0; i < f.recv; ++i) f.rtt.add_us(1000.0 + i * 100.0);
  const std::uint32_t pairs = f.recv > 0 ? f.recv - 1 : 0;
  f.jitter = JitterSum{pairs * std::uint64_t{100'000}, pairs};  // 100 us between neighbours
  return f;
}

class Server {
 public:
  explicit Server(std::uint16_t port, std::optional<std::string> token = {}) {
    StreamServerConfig c;
    c.listen = {"127.0.0.1:" + std::to_string(port)};
    c.token = std::move(token);
    server_.emplace(io_, c);
    server_->start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Server() {
    run([this] { server_->stop(); });
    work_.reset();
    io_.stop();
    thread_.join();
  }
  void run(std::function<void()> f) {
    std::promise<void> done;
    asio::post(io_, [&] {
      f();
      done.set_value();
    });
    done.get_future().get();
  }
  std::uint16_t port() const { return server_->local_endpoints().at(0).port(); }
  StreamServer& server() { return *server_; }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::optional<StreamServer> server_;
  std::thread thread_;
};

// Ends the tail loop if an assertion returns early (the future would wait forever).
struct StopOnExit {
  std::atomic<bool>& stop;
  ~StopOnExit() { stop = true; }
};

tail::TailOptions options_for(std::uint16_t port) {
  tail::TailOptions o;
  o.server_port = port;
  o.format = tools::OutputFormat::Jsonl;
  o.initial_backoff_ms = 50;
  o.max_backoff_ms = 200;
  return o;
}

TEST(ZzpingTail, PrintsBackfillThenLiveAsJsonLinesAndStopsAfterCount) {
  Server s(0);
  s.run([&] {
    s.server().publish_host(HostInfo{"r1", "192.0.2.1", 100, 100, 0.01});
    for (int i = 0; i < 20; ++i) s.server().publish_frame("r1", frame_at(10'000 + i * 100));
  });
  auto o = options_for(s.port());
  o.count = 25;
  o.backfill_s = 4'000'000'000u;  // everything held (frames are from 1970)
  std::ostringstream out, err;
  std::atomic<bool> stop{false};
  auto tail = std::async(std::launch::async, [&] { return tail::run_tail(o, out, err, stop); });
  const StopOnExit stop_on_failure{stop};
  // Live frames once it is connected.
  for (int i = 20; i < 30; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(i == 20 ? 300 : 10));
    s.run([&] { s.server().publish_frame("r1", frame_at(10'000 + i * 100)); });
  }
  ASSERT_EQ(tail.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(tail.get(), 0) << err.str();
  std::istringstream lines(out.str());
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j.at("host"), "r1");
    EXPECT_EQ(j.at("t_ms"), 10'000 + n * 100);
    for (const char* key : {"length_ms", "sent", "recv", "lost", "dup", "late", "icmp_errors", "inflight"}) {
      EXPECT_TRUE(j.contains(key)) << key;
    }
    if (j.at("recv") == 0) {
      EXPECT_TRUE(j.at("rtt_us").is_null());
      EXPECT_TRUE(j.at("jitter_us").is_null());
    } else {
      EXPECT_EQ(j.at("rtt_us").size(), 7u);
      EXPECT_EQ(j.at("jitter_us"), 100);  // carried by the stream's optional field
    }
    ++n;
  }
  EXPECT_EQ(n, 25);
}

// An ostream whose text another thread may read while the tail loop writes it (recursive:
// stringbuf's xsputn calls overflow).
class SharedText : public std::stringbuf {
 public:
  std::string text() {
    std::lock_guard lock(mutex_);
    return str();
  }

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    std::lock_guard lock(mutex_);
    return std::stringbuf::xsputn(s, n);
  }
  int_type overflow(int_type c) override {
    std::lock_guard lock(mutex_);
    return std::stringbuf::overflow(c);
  }

 private:
  std::recursive_mutex mutex_;
};

// Stream 1.2: the attributed event (from the log, like any event), then the live-only
// incident and path (with its route change), in the jsonl of zzping-dump (docs/output.md).
TEST(ZzpingTail, PrintsCausesIncidentsAndPathsAsDumpDoes) {
  Server s(0);
  s.run([&] {
    s.server().publish_host(HostInfo{"r1", "192.0.2.1", 100, 100, 0.01, attribution::Role::isp});
    for (int i = 0; i < 5; ++i) s.server().publish_frame("r1", frame_at(10'100 + i * 100));
  });
  auto o = options_for(s.port());
  o.count = 6;
  o.backfill_s = 4'000'000'000u;
  SharedText text;
  std::ostream out(&text);
  std::ostringstream err;
  std::atomic<bool> stop{false};
  auto tail = std::async(std::launch::async, [&] { return tail::run_tail(o, out, err, stop); });
  const StopOnExit stop_on_failure{stop};
  // The 5 backfill frames printed: the server marked the client live in the same pump.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (std::string now = text.text(); std::count(now.begin(), now.end(), '\n') < 5; now = text.text()) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << text.text() << err.str();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  s.run([&] {
    s.server().publish_event("r1", EventMessage{"r1", LossEvent{10'100, 10'400, 4}, attribution::Cause::destination,
                                                "others answered", {}, {"r2"}});
    s.server().publish_incident({10'100, 10'400, attribution::Cause::destination, {"r1"}, 4, "198.51.100.1"});
    s.server().publish_path("r1", {10'200, PathTrigger::loss_burst, false, {{1, "198.51.100.1", 900}, {2, "", std::nullopt}},
                                   true});
    s.server().publish_frame("r1", frame_at(10'600));
  });
  ASSERT_EQ(tail.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(tail.get(), 0) << err.str();
  std::map<std::string, nlohmann::json> by_event;
  std::istringstream lines(text.text());
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);
    if (j.contains("event")) by_event[j.at("event")] = j;
  }
  ASSERT_EQ(by_event.size(), 4u) << text.text();
  EXPECT_EQ(by_event["loss_burst"], nlohmann::json::parse(R"({"host":"r1","event":"loss_burst","start_ms":10100,
      "end_ms":10400,"probes_lost":4,"cause":"destination","reason":"others answered","lost_too":[],"answered":["r2"]})"));
  EXPECT_EQ(by_event["incident"], nlohmann::json::parse(R"({"event":"incident","start_ms":10100,"end_ms":10400,
      "cause":"destination","targets":["r1"],"probes_lost":4,"last_hop":"198.51.100.1"})"));
  EXPECT_EQ(by_event["path"], nlohmann::json::parse(R"({"host":"r1","event":"path","t_ms":10200,"trigger":"loss_burst",
      "reached":false,"hops":[{"ttl":1,"addr":"198.51.100.1","rtt_us":900},{"ttl":2,"addr":null,"rtt_us":null}]})"));
  EXPECT_EQ(by_event["route_change"], nlohmann::json::parse(R"({"host":"r1","event":"route_change","t_ms":10200,
      "hops":["198.51.100.1",null]})"));
}

TEST(ZzpingTail, ReconnectsWhenTheDaemonRestartsWithoutRepeatingFrames) {
  std::uint16_t port = 0;
  auto first = std::make_unique<Server>(0);
  port = first->port();
  first->run([&] {
    first->server().publish_host(HostInfo{"r1", "", 10, 100, 0.01});
    for (int i = 0; i < 5; ++i) first->server().publish_frame("r1", frame_at(i * 100));
  });
  auto o = options_for(port);
  o.count = 8;
  o.backfill_s = 4'000'000'000u;
  std::ostringstream out, err;
  std::atomic<bool> stop{false};
  auto tail = std::async(std::launch::async, [&] { return tail::run_tail(o, out, err, stop); });
  const StopOnExit stop_on_failure{stop};
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  first.reset();  // the daemon goes away
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  Server second(port);  // and comes back with frames 3..9 in memory (3, 4 already printed)
  second.run([&] {
    second.server().publish_host(HostInfo{"r1", "", 10, 100, 0.01});
    for (int i = 3; i < 10; ++i) second.server().publish_frame("r1", frame_at(i * 100));
  });
  ASSERT_EQ(tail.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(tail.get(), 0) << err.str();
  std::istringstream lines(out.str());
  std::string line;
  std::vector<std::int64_t> times;
  while (std::getline(lines, line)) times.push_back(nlohmann::json::parse(line).at("t_ms"));
  EXPECT_EQ(times, (std::vector<std::int64_t>{0, 100, 200, 300, 400, 500, 600, 700}));
  EXPECT_NE(err.str().find("reconnecting"), std::string::npos);
}

TEST(ZzpingTail, HostFilterAndUnknownHosts) {
  Server s(0);
  s.run([&] {
    for (const char* h : {"a", "b"}) {
      s.server().publish_host(HostInfo{h, "", 10, 100, 0.01});
      for (int i = 0; i < 5; ++i) s.server().publish_frame(h, frame_at(i * 100));
    }
  });
  auto o = options_for(s.port());
  o.hosts = {"b"};
  o.count = 5;
  o.backfill_s = 4'000'000'000u;
  std::ostringstream out, err;
  std::atomic<bool> stop{false};
  ASSERT_EQ(tail::run_tail(o, out, err, stop), 0) << err.str();
  std::istringstream lines(out.str());
  std::string line;
  while (std::getline(lines, line)) EXPECT_EQ(nlohmann::json::parse(line).at("host"), "b");

  o.hosts = {"c"};
  std::ostringstream out2, err2;
  EXPECT_EQ(tail::run_tail(o, out2, err2, stop), 1);
  EXPECT_EQ(err2.str(), "zzping-tail: server closed the stream: subscribe: unknown host 'c'\n");
}

TEST(ZzpingTail, AWrongTokenIsAOneLineFatalError) {
  Server s(0, std::string("right"));
  auto o = options_for(s.port());
  o.token = "wrong";
  std::ostringstream out, err;
  std::atomic<bool> stop{false};
  EXPECT_EQ(tail::run_tail(o, out, err, stop), 1);
  EXPECT_EQ(err.str(),
            "zzping-tail: server closed the stream: authentication failed: wrong token\n");
}

TEST(ZzpingTail, GivesUpAfterMaxAttemptsWithTheReason) {
  auto o = options_for(1);  // nothing listens on port 1
  o.max_attempts = 2;
  std::ostringstream out, err;
  std::atomic<bool> stop{false};
  EXPECT_EQ(tail::run_tail(o, out, err, stop), 1);
  EXPECT_NE(err.str().find("cannot connect to 127.0.0.1:1: Connection refused"), std::string::npos)
      << err.str();
}

std::pair<int, std::string> run_binary(const std::string& args) {
  const std::string cmd = std::string(ZZPING_BINARY_DIR) + "/tools/zzping-tail/zzping-tail " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string output;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p)) output += buf;
  const int status = pclose(p);
  return {WEXITSTATUS(status), output};
}

TEST(ZzpingTailBinary, HelpVersionAndOneLineErrors) {
  auto [help_rc, help] = run_binary("--help");
  EXPECT_EQ(help_rc, 0);
  EXPECT_NE(help.find("--backfill"), std::string::npos);
  auto [version_rc, version] = run_binary("--version");
  EXPECT_EQ(version_rc, 0);
  EXPECT_EQ(version, std::string("zzping-tail ") + ZZPING_VERSION + "\n");
  auto [bad_rc, bad] = run_binary("--connect nowhere");
  EXPECT_EQ(bad_rc, 1);
  EXPECT_EQ(bad, "zzping-tail: --connect 'nowhere': expected HOST:PORT\n");
  auto [fmt_rc, fmt] = run_binary("--format xml");
  EXPECT_EQ(fmt_rc, 1);
  EXPECT_EQ(fmt, "zzping-tail: unknown output format 'xml' (expected text, csv or jsonl)\n");
  auto [opt_rc, opt] = run_binary("--bogus");
  EXPECT_EQ(opt_rc, 2);
  EXPECT_EQ(std::count(opt.begin(), opt.end(), '\n'), 1);
}

}  // namespace
}  // namespace zzping::stream
