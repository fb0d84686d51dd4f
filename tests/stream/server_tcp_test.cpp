// SPDX-License-Identifier: GPL-3.0-or-later
// The stream server over real TCP on loopback, fed by a fake producer on its Asio loop.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <asio/executor_work_guard.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <future>
#include <thread>

#include "posix_connection.hpp"
#include "temp_data_dir.hpp"
#include "zzping/formats/native/file_format.hpp"
#include "zzping/formats/stream/client_session.hpp"
#include "zzping/stream_server/stream_server.hpp"

namespace zzping::stream {
namespace {

using tail::monotonic_ms;
using tail::PosixConnection;

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Frame frame_at(std::int64_t t_ms, int samples = 10) {
  Frame f;
  f.t_ms = t_ms;
  f.sent = static_cast<std::uint32_t>(samples);
  f.recv = static_cast<std::uint32_t>(samples);
  for (int i = 0; i < samples; ++i) f.rtt.add_us(900.0 + static_cast<double>((t_ms / 100 * 7 + i * 13) % 400));
  return f;
}

HostInfo host_info(const std::string& name) { return HostInfo{name, "192.0.2.1", 100, 100, 0.01}; }

// A StreamServer running on its own io_context thread; the test talks to it via on_loop().
class LoopServer {
 public:
  explicit LoopServer(StreamServerConfig config) : server_(io_, std::move(config)) {
    server_.start();
    thread_ = std::thread([this] { io_.run(); });
  }
  template <typename F>
  auto on_loop(F f) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    asio::post(io_, [&task] { task(); });
    return result.get();
  }
  ~LoopServer() {
    on_loop([this] { server_.stop(); });
    work_.reset();
    io_.stop();
    thread_.join();
  }
  std::uint16_t port() { return server_.local_endpoints().at(0).port(); }
  StreamServer& server() { return server_; }
  asio::io_context& io() { return io_; }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  StreamServer server_;
  std::thread thread_;
};

StreamServerConfig loopback_config() {
  StreamServerConfig c;
  c.listen = {"127.0.0.1:0"};
  return c;
}

// A client over a real socket, collecting what it receives.
class TestClient {
 public:
  TestClient(std::uint16_t port, const Subscribe& subscription, std::optional<std::string> token = {},
             const std::string& address = "127.0.0.1")
      : connection_(PosixConnection::connect(address, port, 2000)),
        session_(config(std::move(token)), monotonic_ms()) {
    session_.subscribe(subscription, monotonic_ms());
  }
  void step(int wait_ms) {
    connection_.exchange(session_, wait_ms);
    while (auto ev = session_.poll()) {
      if (auto* f = std::get_if<ReceivedFrames>(&*ev)) {
        auto& v = frames[f->host];
        v.insert(v.end(), f->frames.begin(), f->frames.end());
      } else if (auto* h = std::get_if<HostList>(&*ev)) {
        hosts = h->hosts;
      } else if (auto* c = std::get_if<CaughtUp>(&*ev)) {
        caught_up.push_back(c->host);
      } else if (auto* s = std::get_if<HostStatus>(&*ev)) {
        ++statuses;
        (void)s;
      } else if (auto* d = std::get_if<Disconnected>(&*ev)) {
        disconnected = *d;
      } else if (auto* i = std::get_if<IncidentMessage>(&*ev)) {
        incidents.push_back(*i);
        order.push_back("incident " + std::to_string(i->start_ms));
      } else if (auto* p = std::get_if<PathMessage>(&*ev)) {
        paths.push_back(*p);
        order.push_back("path " + p->host + " " + std::to_string(p->path.t_ms));
      }
      if (auto* c = std::get_if<CaughtUp>(&*ev)) order.push_back("caught_up " + c->host);
    }
  }
  template <typename Pred>
  bool run_until(Pred done, int timeout_ms) {
    const std::int64_t deadline = monotonic_ms() + timeout_ms;
    while (!done() && !disconnected && monotonic_ms() < deadline) step(20);
    return done();
  }
  std::map<std::string, std::vector<Frame>> frames;
  std::vector<HostInfo> hosts;
  std::vector<std::string> caught_up;
  std::size_t statuses = 0;
  std::optional<Disconnected> disconnected;
  std::vector<IncidentMessage> incidents;
  std::vector<PathMessage> paths;
  std::vector<std::string> order;  // incidents, paths and caught_up as they came

 private:
  static ClientConfig config(std::optional<std::string> token) {
    ClientConfig c;
    c.token = std::move(token);
    return c;
  }
  PosixConnection connection_;
  ClientSession session_;
};

// A raw socket for hostile or non-reading peers.
class RawSocket {
 public:
  explicit RawSocket(std::uint16_t port, int rcvbuf = 0) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (rcvbuf > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("connect");
    timeval tv{0, 200'000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~RawSocket() { ::close(fd_); }
  void send(const std::vector<std::uint8_t>& bytes) {
    ASSERT_EQ(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  }
  // Reads until the server closes (or timeout); returns every message, the last one first
  // checked by the caller.
  std::vector<Message> read_until_closed(int timeout_ms) {
    MessageReader reader(kMaxServerMessageBytes);
    std::vector<Message> out;
    const std::int64_t deadline = monotonic_ms() + timeout_ms;
    while (monotonic_ms() < deadline) {
      std::uint8_t buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n == 0) {
        closed = true;
        break;
      }
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) continue;
        closed = true;  // reset
        break;
      }
      reader.feed(std::span(buf, static_cast<std::size_t>(n)));
      while (auto m = reader.next()) out.push_back(std::move(*m));
    }
    return out;
  }
  bool closed = false;

 private:
  int fd_;
};

std::string close_reason(const std::vector<Message>& messages) {
  if (messages.empty()) return "";
  if (const auto* c = std::get_if<Close>(&messages.back())) return c->reason;
  return "";
}

TEST(StreamServerTcp, FiftyClientsGetTheSameBackfillThenLiveWithoutGaps) {
  LoopServer s(loopback_config());
  const std::int64_t t0 = wall_ms() - 120'000;
  s.on_loop([&] {
    for (const char* h : {"a", "b"}) {
      s.server().publish_host(host_info(h));
      for (int i = 0; i < 1200; ++i) s.server().publish_frame(h, frame_at(t0 + i * 100));
    }
  });
  const std::int64_t since = t0 + 60'000;  // the second minute: frames 600..1199
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < 50; ++i) {
    clients.push_back(std::make_unique<TestClient>(s.port(), Subscribe{{}, since, std::nullopt}));
  }
  // Let every client subscribe and catch up, then publish 100 live frames per host.
  for (auto& c : clients) {
    ASSERT_TRUE(c->run_until([&] { return c->caught_up.size() == 2; }, 10'000));
  }
  s.on_loop([&] {
    for (int i = 1200; i < 1300; ++i) {
      for (const char* h : {"a", "b"}) s.server().publish_frame(h, frame_at(t0 + i * 100));
    }
  });
  std::vector<Frame> expected;
  for (int i = 600; i < 1300; ++i) expected.push_back(frame_at(t0 + i * 100));
  for (auto& c : clients) {
    ASSERT_TRUE(c->run_until([&] { return c->frames["a"].size() >= 700 && c->frames["b"].size() >= 700; },
                             10'000));
    EXPECT_FALSE(c->disconnected);
    EXPECT_EQ(c->frames["a"], expected);
    EXPECT_EQ(c->frames["b"], expected);
  }
  const auto stats = s.on_loop([&] { return s.server().stats(); });
  EXPECT_EQ(stats.clients, 50u);
  EXPECT_EQ(stats.accepted, 50u);
  EXPECT_EQ(stats.cut_slow, 0u);
}

// Time is compressed: 10 hosts x 10 frames/s for one minute (6000 frames, 10 RTT samples
// each) are published in about 3 s, 20x faster than the daemon would.
TEST(StreamServerTcp, AStalledClientIsBoundedThenCutOffAndDoesNotDelayOthers) {
  StreamServerConfig config = loopback_config();
  config.high_water_bytes = 64 * 1024;
  config.stall_timeout_ms = 1500;
  config.socket_send_buffer_bytes = 16 * 1024;  // else the kernel absorbs a whole minute
  LoopServer s(config);
  constexpr int kHosts = 10;
  constexpr int kFramesPerHost = 600;
  s.on_loop([&] {
    for (int h = 0; h < kHosts; ++h) s.server().publish_host(host_info("h" + std::to_string(h)));
  });
  RawSocket stalled(s.port(), 4096);
  std::vector<std::uint8_t> hello;
  append_message(hello, Hello{1, 0, "stalled", std::nullopt, 60'000});
  append_message(hello, Subscribe{});
  stalled.send(hello);
  TestClient reader(s.port(), Subscribe{});
  ASSERT_TRUE(reader.run_until([&] { return reader.caught_up.size() == kHosts; }, 5000));

  // The producer: a timer on the server's loop, one frame per host every 5 ms.
  const std::int64_t t0 = wall_ms();
  std::vector<std::int64_t> tick_lateness_us;
  std::atomic<bool> produced{false};
  asio::steady_timer timer(s.io());
  int tick = 0;
  auto start = std::chrono::steady_clock::now();
  std::function<void()> arm = [&] {
    timer.expires_at(start + std::chrono::milliseconds(5 * (tick + 1)));
    timer.async_wait([&](std::error_code) {
      const auto late = std::chrono::steady_clock::now() - timer.expiry();
      tick_lateness_us.push_back(std::chrono::duration_cast<std::chrono::microseconds>(late).count());
      for (int h = 0; h < kHosts; ++h) {
        s.server().publish_frame("h" + std::to_string(h), frame_at(t0 + tick * 100));
      }
      if (++tick < kFramesPerHost) arm();
      else produced = true;
    });
  };
  s.on_loop([&] { start = std::chrono::steady_clock::now(); arm(); });
  ASSERT_TRUE(reader.run_until([&] {
    if (!produced) return false;
    for (int h = 0; h < kHosts; ++h) {
      if (reader.frames["h" + std::to_string(h)].size() < kFramesPerHost) return false;
    }
    return true;
  }, 20'000));
  // Let the stall timeout pass.
  reader.run_until([] { return false; }, 2000);
  for (int h = 0; h < kHosts; ++h) {
    const auto& got = reader.frames["h" + std::to_string(h)];
    ASSERT_EQ(got.size(), static_cast<std::size_t>(kFramesPerHost));
    for (int i = 0; i < kFramesPerHost; ++i) ASSERT_EQ(got[static_cast<std::size_t>(i)].t_ms, t0 + i * 100);
  }
  const auto stats = s.on_loop([&] { return s.server().stats(); });
  EXPECT_EQ(stats.cut_slow, 1u);
  EXPECT_EQ(stats.clients, 1u);
  // Per-client memory stayed bounded: the high-water mark plus one message.
  EXPECT_LE(stats.peak_client_queue_bytes, config.high_water_bytes + 16 * 1024);
  std::sort(tick_lateness_us.begin(), tick_lateness_us.end());
  const auto p99 = tick_lateness_us[tick_lateness_us.size() * 99 / 100];
  std::printf("producer tick lateness p50 %lld us, p99 %lld us, max %lld us; peak client queue %zu B\n",
              static_cast<long long>(tick_lateness_us[tick_lateness_us.size() / 2]),
              static_cast<long long>(p99), static_cast<long long>(tick_lateness_us.back()),
              stats.peak_client_queue_bytes);
  EXPECT_LT(p99, 50'000);  // generous: a shared 2-core machine; the daemon test measures sends
}

TEST(StreamServerTcp, MalformedInputClosesOnlyThatConnectionWithAReason) {
  LoopServer s(loopback_config());
  s.on_loop([&] { s.server().publish_host(host_info("a")); });
  TestClient good(s.port(), Subscribe{});
  ASSERT_TRUE(good.run_until([&] { return good.caught_up.size() == 1; }, 5000));

  {
    RawSocket garbage(s.port());
    garbage.send({'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n'});
    const auto got = garbage.read_until_closed(3000);
    EXPECT_TRUE(garbage.closed);
    EXPECT_NE(close_reason(got).find("exceeds the limit"), std::string::npos) << close_reason(got);
  }
  {
    RawSocket oversized(s.port());
    oversized.send({0x7f, 0xff, 0xff, 0xff});
    const auto got = oversized.read_until_closed(3000);
    EXPECT_TRUE(oversized.closed);
    EXPECT_NE(close_reason(got).find("2147483647 bytes exceeds"), std::string::npos);
  }
  {
    RawSocket out_of_order(s.port());
    out_of_order.send(encode_message(Subscribe{}));
    const auto got = out_of_order.read_until_closed(3000);
    EXPECT_EQ(close_reason(got), "client sent 'subscribe' before its hello");
  }
  {
    RawSocket bad_body(s.port());
    bad_body.send({0x00, 0x00, 0x00, 0x02, 0x92, 0x01});  // truncated hello inside its length
    const auto got = bad_body.read_until_closed(3000);
    EXPECT_NE(close_reason(got).find("protocol error"), std::string::npos);
  }
  s.on_loop([&] { s.server().publish_frame("a", frame_at(1000)); });
  ASSERT_TRUE(good.run_until([&] { return good.frames["a"].size() == 1; }, 5000));
  EXPECT_FALSE(good.disconnected);
  const auto stats = s.on_loop([&] { return s.server().stats(); });
  EXPECT_EQ(stats.refused, 4u);  // none of them got past its hello
  EXPECT_EQ(stats.clients, 1u);
}

TEST(StreamServerTcp, NonLoopbackNeedsATokenAndTheTokenIsChecked) {
  StreamServerConfig open;
  open.listen = {"0.0.0.0:0"};
  EXPECT_THROW(validate(open), std::invalid_argument);
  open.listen = {"[::]:0"};
  EXPECT_THROW(validate(open), std::invalid_argument);
  open.token = "sesame";
  EXPECT_NO_THROW(validate(open));
  StreamServerConfig bad;
  bad.listen = {"localhost:7878"};
  EXPECT_THROW(validate(bad), std::invalid_argument);

  StreamServerConfig config = loopback_config();
  config.token = "sesame";
  LoopServer s(config);
  s.on_loop([&] { s.server().publish_host(host_info("a")); });
  TestClient wrong(s.port(), Subscribe{}, std::string("guess"));
  wrong.run_until([] { return false; }, 3000);
  ASSERT_TRUE(wrong.disconnected);
  EXPECT_TRUE(wrong.disconnected->by_peer);
  EXPECT_NE(wrong.disconnected->reason.find("authentication failed: wrong token"), std::string::npos);
  EXPECT_TRUE(wrong.hosts.empty());  // nothing is revealed without the token

  TestClient right(s.port(), Subscribe{}, std::string("sesame"));
  ASSERT_TRUE(right.run_until([&] { return right.caught_up.size() == 1; }, 3000));
  EXPECT_EQ(right.hosts.at(0).name, "a");
}

// A reload rotating stream_token: new connections need the new token, a client connected
// with the old one keeps its session; removing the token beyond loopback is refused.
TEST(StreamServerTcp, ARotatedTokenAppliesToNewConnectionsOnly) {
  StreamServerConfig config = loopback_config();
  config.token = "old";
  LoopServer s(config);
  s.on_loop([&] { s.server().publish_host(host_info("a")); });
  TestClient connected(s.port(), Subscribe{{"a"}, std::int64_t{0}, std::nullopt}, std::string("old"));
  ASSERT_TRUE(connected.run_until([&] { return connected.caught_up.size() == 1; }, 3000));

  s.on_loop([&] { s.server().set_token(std::string("new")); });
  TestClient stale(s.port(), Subscribe{}, std::string("old"));
  stale.run_until([] { return false; }, 2000);
  ASSERT_TRUE(stale.disconnected);
  EXPECT_NE(stale.disconnected->reason.find("wrong token"), std::string::npos);
  TestClient fresh(s.port(), Subscribe{}, std::string("new"));
  ASSERT_TRUE(fresh.run_until([&] { return fresh.caught_up.size() == 1; }, 3000));

  s.on_loop([&] { s.server().publish_frame("a", frame_at(5000)); });
  ASSERT_TRUE(connected.run_until([&] { return connected.frames["a"].size() == 1; }, 3000));
  EXPECT_FALSE(connected.disconnected);
}

TEST(StreamServerTcp, ATokenCannotBeRemovedBeyondLoopback) {
  StreamServerConfig config;
  // The wildcard listener is protected by the token the test keeps; clients use loopback.
  config.listen = {"127.0.0.1:0", "0.0.0.0:0"};
  config.token = "kept";
  LoopServer s(config);
  EXPECT_THROW(s.on_loop([&] { s.server().set_token(std::nullopt); }), std::invalid_argument);
  EXPECT_THROW(s.on_loop([&] { s.server().set_token(std::string()); }), std::invalid_argument);
  s.on_loop([&] { s.server().publish_host(host_info("a")); });
  TestClient still(s.port(), Subscribe{}, std::string("kept"));
  EXPECT_TRUE(still.run_until([&] { return still.caught_up.size() == 1; }, 3000));
}

TEST(StreamServerTcp, ListensOnIpv6Loopback) {
  StreamServerConfig config;
  config.listen = {"[::1]:0"};
  LoopServer s(config);
  s.on_loop([&] {
    s.server().publish_host(host_info("a"));
    s.server().publish_frame("a", frame_at(5000));
  });
  TestClient c(s.port(), Subscribe{{"a"}, std::int64_t{0}, std::nullopt}, std::nullopt, "::1");
  ASSERT_TRUE(c.run_until([&] { return c.frames["a"].size() == 1; }, 3000));
}

TEST(StreamServerTcp, ASilentClientIsDroppedAfterThePeerTimeout) {
  StreamServerConfig config = loopback_config();
  config.timing = LinkTiming{.heartbeat_ms = 200, .peer_timeout_ms = 600};
  LoopServer s(config);
  RawSocket silent(s.port());
  silent.send(encode_message(Hello{1, 0, "silent", std::nullopt, 100}));
  const std::int64_t t = monotonic_ms();
  const auto got = silent.read_until_closed(5000);
  EXPECT_TRUE(silent.closed);
  EXPECT_NE(close_reason(got).find("client peer silent"), std::string::npos) << close_reason(got);
  EXPECT_GE(monotonic_ms() - t, 500);
  // It got heartbeats meanwhile.
  EXPECT_TRUE(std::any_of(got.begin(), got.end(),
                          [](const Message& m) { return std::holds_alternative<Heartbeat>(m); }));
}

TEST(StreamServerTcp, StatusReachesLiveClientsAndNewHostsAreAnnounced) {
  LoopServer s(loopback_config());
  s.on_loop([&] { s.server().publish_host(host_info("a")); });
  TestClient c(s.port(), Subscribe{});
  ASSERT_TRUE(c.run_until([&] { return c.caught_up.size() == 1; }, 3000));
  s.on_loop([&] {
    s.server().publish_status(HostStatus{"a", wall_ms(), 2, std::int64_t{15}, 100.0});
    s.server().publish_host(host_info("b"));
    s.server().publish_frame("b", frame_at(100));
  });
  ASSERT_TRUE(c.run_until([&] { return c.statuses == 1 && c.frames["b"].size() == 1; }, 3000));
  EXPECT_EQ(c.hosts.size(), 2u);
}

TEST(StreamServerTcp, ClientsOverTheLimitAreRefused) {
  StreamServerConfig config = loopback_config();
  config.max_clients = 2;
  LoopServer s(config);
  s.on_loop([&] { s.server().publish_host(host_info("a")); });
  TestClient a(s.port(), Subscribe{});
  TestClient b(s.port(), Subscribe{});
  ASSERT_TRUE(a.run_until([&] { return a.caught_up.size() == 1; }, 3000));
  ASSERT_TRUE(b.run_until([&] { return b.caught_up.size() == 1; }, 3000));
  TestClient c(s.port(), Subscribe{});
  c.run_until([] { return false; }, 1000);
  ASSERT_TRUE(c.disconnected);
  EXPECT_FALSE(a.disconnected);
  EXPECT_FALSE(b.disconnected);
  const auto stats = s.on_loop([&] { return s.server().stats(); });
  EXPECT_EQ(stats.refused, 1u);
}

// A GUI that connects after an incident still learns it (docs/protocol.md, "Backfill"): a
// client whose since_ms reaches back gets the incidents and paths of its hosts from the files
// (an earlier run: the incident is in both targets' files) and from the server's memory (this
// run), each once and before that host's caught_up; a later incident comes live, once; a
// client without a backfill gets none of the earlier ones.
TEST(StreamServerTcp, IncidentsAndPathsAreBackfilledOnceFromFilesAndMemory) {
  TempDataDir dir("zzping-evidence-tcp");
  const std::int64_t now = wall_ms();
  const std::int64_t run1 = now - 1'800'000;  // the earlier run: half an hour ago
  const attribution::Incident on_disk{run1 + 1000, run1 + 1400, attribution::Cause::upstream, {"a", "b"}, 40, "10.0.0.1"};
  const PathSnapshot disk_path{run1 + 1500, PathTrigger::loss_burst, false, {{1, "10.0.0.1", 300}}, false};
  for (const std::string host : {"a", "b"}) {
    std::vector<Frame> frames;
    for (std::int64_t t = run1; t < run1 + 3000; t += 100) frames.push_back(frame_at(t));
    std::vector<std::uint8_t> more;
    native::append_incident_record(on_disk, more);
    if (host == "a") native::append_path_record(disk_path, more);
    dir.write(host, frames, 0, {}, more);
  }
  StreamServerConfig config = loopback_config();
  config.data_dir = dir.path();
  LoopServer s(config);
  const attribution::Incident in_memory{now - 5000, now - 4000, attribution::Cause::destination, {"a"}, 50, ""};
  const PathSnapshot memory_path{now - 4500, PathTrigger::loss_burst, true, {{1, "10.0.0.1", 300}, {2, "a", 900}}, true};
  s.on_loop([&] {
    for (const char* h : {"a", "b"}) {
      s.server().publish_host(host_info(h));
      for (std::int64_t t = now - 10'000; t < now; t += 100) s.server().publish_frame(h, frame_at(t));
    }
    s.server().publish_incident(in_memory);
    s.server().publish_path("a", memory_path);
  });

  TestClient client(s.port(), Subscribe{{"a", "b"}, run1, std::nullopt});
  TestClient live_only(s.port(), Subscribe{{"a", "b"}, std::nullopt, std::nullopt});
  ASSERT_TRUE(client.run_until([&] { return client.caught_up.size() == 2; }, 10'000));
  ASSERT_TRUE(live_only.run_until([&] { return live_only.caught_up.size() == 2; }, 10'000));
  ASSERT_EQ(client.incidents.size(), 2u);
  EXPECT_EQ(client.incidents[0], to_message(on_disk));
  EXPECT_EQ(client.incidents[1], to_message(in_memory));
  ASSERT_EQ(client.paths.size(), 2u);
  EXPECT_EQ(client.paths[0], (PathMessage{"a", disk_path}));
  EXPECT_EQ(client.paths[1], (PathMessage{"a", memory_path}));
  // Each before the caught_up of a host it belongs to.
  const auto at = [&](const std::string& entry) {
    return std::find(client.order.begin(), client.order.end(), entry) - client.order.begin();
  };
  EXPECT_LT(at("incident " + std::to_string(on_disk.start_ms)), at("caught_up a"));
  EXPECT_LT(at("path a " + std::to_string(disk_path.t_ms)), at("caught_up a"));
  EXPECT_LT(at("incident " + std::to_string(in_memory.start_ms)), at("caught_up a"));
  EXPECT_LT(at("path a " + std::to_string(memory_path.t_ms)), at("caught_up a"));
  EXPECT_EQ(client.frames["a"].size(), 30u + 100u) << "the earlier run's frames, then memory's";

  const attribution::Incident later{now + 100, now + 300, attribution::Cause::local, {"a", "b"}, 20, ""};
  s.on_loop([&] { s.server().publish_incident(later); });
  ASSERT_TRUE(client.run_until([&] { return client.incidents.size() == 3; }, 5000));
  ASSERT_TRUE(live_only.run_until([&] { return live_only.incidents.size() == 1; }, 5000));
  client.step(200);
  live_only.step(200);
  EXPECT_EQ(client.incidents.size(), 3u) << "once, though it hit both hosts";
  EXPECT_EQ(client.incidents[2], to_message(later));
  EXPECT_EQ(live_only.incidents.size(), 1u) << "no backfill asked: live only";
  EXPECT_TRUE(live_only.paths.empty());
  EXPECT_FALSE(client.disconnected);
}

}  // namespace
}  // namespace zzping::stream
