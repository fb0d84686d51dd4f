// SPDX-License-Identifier: GPL-3.0-or-later
// The stream protocol codec and the sans-I/O client/server sessions, wired back to back.
#include <algorithm>
#include <gtest/gtest.h>

#include <random>

#include "zzping/formats/stream/client_session.hpp"
#include "zzping/formats/stream/frame_payload.hpp"
#include "zzping/formats/stream/messages.hpp"
#include "zzping/formats/stream/server_session.hpp"

namespace zzping::stream {
namespace {

std::vector<Frame> random_frames(std::mt19937& rng, int n, std::int64_t t0) {
  std::vector<Frame> frames;
  std::uniform_int_distribution<std::uint32_t> small(0, 20);
  std::uniform_real_distribution<double> rtt_us(50.0, 80000.0);
  for (int i = 0; i < n; ++i) {
    Frame f;
    f.t_ms = t0 + i * 100;
    f.recv = small(rng);
    f.lost = small(rng) / 10;
    f.sent = f.recv + f.lost;
    f.dup = small(rng) / 15;
    f.inflight = small(rng);
    for (std::uint32_t k = 0; k < f.recv; ++k) f.rtt.add_us(rtt_us(rng));
    frames.push_back(f);
  }
  return frames;
}

std::vector<Message> one_of_each() {
  std::mt19937 rng(1);
  return {
      Hello{1, 0, "zzpingd 0.3.0", std::nullopt, 5000},
      Hello{1, 7, "zzping-tail", std::string("s3cret"), 2000},
      HostList{{HostInfo{"router", "192.168.0.1", 100.0, 100, 0.01},
                HostInfo{"dns", "2001:db8::1", 10.5, 1000, 0.001}}},
      Subscribe{{"router"}, std::int64_t{1'700'000'000'000}, std::nullopt},
      Subscribe{{}, std::nullopt, std::uint64_t{3'600'000}},
      FrameBlock{"router", encode_frame_payload(random_frames(rng, 5, 1'700'000'000'000))},
      EventMessage{"router", LossEvent{1'700'000'000'100, 1'700'000'000'900, 9}},
      HostStatus{"router", 1'700'000'000'000, 3, std::int64_t{12}, 99.9},
      HostStatus{"dns", -5, 0, std::nullopt, 0.0},
      CaughtUp{"router"},
      Heartbeat{42},
      Close{"bye"},
      // 1.2: roles, the cause on events, incidents and paths.
      HostList{{HostInfo{"gw", "192.168.0.1", 100.0, 100, 0.01, attribution::Role::gateway},
                HostInfo{"isp", "198.51.100.1", 10.0, 100, 0.01, attribution::Role::isp}}},
      EventMessage{"router", LossEvent{1, 2, 3}, attribution::Cause::upstream, "gateway answered",
                   {"dns", "isp"}, {"gw"}},
      EventMessage{"router", LossEvent{1, 2, 3}, attribution::Cause::unknown, "", {}, {}},
      IncidentMessage{10, 20, attribution::Cause::local, {"dns", "gw", "router"}, 17, "192.168.0.1"},
      IncidentMessage{10, 10, attribution::Cause::gateway_only, {}, 0, ""},
      PathMessage{"dns", PathSnapshot{1'700'000'000'000, PathTrigger::loss_burst, false,
                                      {{1, "192.168.0.1", 700}, {2, "", std::nullopt}, {3, "2001:db8::9", 0}},
                                      true}},
      PathMessage{"dns", PathSnapshot{5, PathTrigger::start, true, {}, false}},
  };
}

// What a 1.1 peer's decoder keeps of a 1.2 message: the fields it knew (unknown fields are
// skipped by every version's read_map, which this reuses).
TEST(StreamMessages, OneTwoFieldsAreOptionalForOlderClients) {
  // An event without cause (from a 1.1 server, or a kind 2 record) decodes without one.
  const EventMessage plain{"router", LossEvent{1, 2, 3}};
  const auto plain_bytes = encode_message(plain);
  const auto decoded = std::get<EventMessage>(decode_body(std::span(plain_bytes).subspan(kLengthPrefixBytes)));
  EXPECT_FALSE(decoded.cause.has_value());
  EXPECT_EQ(decoded, plain);
  // A host map without role (1.1 server) reads as internet.
  const std::vector<std::uint8_t> old_list = {0x92, 0x02, 0x81, 0xa5, 'h', 'o', 's', 't', 's', 0x91, 0x81,
                                              0xa4, 'n',  'a',  'm', 'e', 0xa2, 'g', 'w'};
  const auto list = std::get<HostList>(decode_body(old_list));
  ASSERT_EQ(list.hosts.size(), 1u);
  EXPECT_EQ(list.hosts[0].role, attribution::Role::internet);
  EXPECT_EQ(minor_of(MessageType::Incident), 2u);
  EXPECT_EQ(minor_of(MessageType::Event), 0u);
}

TEST(StreamMessages, BadPathHopsAreProtocolErrors) {
  PathMessage p{"dns", PathSnapshot{5, PathTrigger::start, true, {{1, "a", 1}}, false}};
  auto bytes = encode_message(p);
  // The hop's ttl (positive fixint 1) right after its array marker 0x93: make it 0.
  const std::vector<std::uint8_t> hop_start = {0x93, 0x01};
  const auto at = std::search(bytes.begin(), bytes.end(), hop_start.begin(), hop_start.end());
  ASSERT_NE(at, bytes.end());
  *(at + 1) = 0;
  EXPECT_THROW(decode_body(std::span(bytes).subspan(kLengthPrefixBytes)), ProtocolError);
}

TEST(StreamMessages, EveryMessageRoundTripsFedByteByByte) {
  const auto messages = one_of_each();
  std::vector<std::uint8_t> stream;
  for (const auto& m : messages) append_message(stream, m);
  MessageReader reader(kMaxServerMessageBytes);
  std::vector<Message> decoded;
  for (const std::uint8_t b : stream) {
    reader.feed(std::span(&b, 1));
    while (auto m = reader.next()) decoded.push_back(std::move(*m));
  }
  EXPECT_EQ(decoded, messages);
  EXPECT_EQ(reader.buffered_bytes(), 0u);
}

TEST(StreamMessages, HelloBytesMatchTheDocumentedExample) {
  // docs/protocol.md shows this exact message.
  const auto bytes = encode_message(Hello{1, 0, "zzpingd", std::nullopt, 5000});
  const std::vector<std::uint8_t> expected = {
      0x00, 0x00, 0x00, 0x46, 0x92, 0x01, 0x85,
      0xa5, 'p', 'r', 'o', 't', 'o',
      0xad, 'z', 'z', 'p', 'i', 'n', 'g', '-', 's', 't', 'r', 'e', 'a', 'm',
      0xa5, 'm', 'a', 'j', 'o', 'r', 0x01,
      0xa5, 'm', 'i', 'n', 'o', 'r', 0x00,
      0xa8, 's', 'o', 'f', 't', 'w', 'a', 'r', 'e',
      0xa7, 'z', 'z', 'p', 'i', 'n', 'g', 'd',
      0xac, 'h', 'e', 'a', 'r', 't', 'b', 'e', 'a', 't', '_', 'm', 's', 0xcd, 0x13, 0x88};
  EXPECT_EQ(bytes, expected);
}

TEST(StreamMessages, FrameBlockFastPathEqualsGenericEncoding) {
  std::mt19937 rng(2);
  const auto payload = encode_frame_payload(random_frames(rng, 30, 0));
  std::vector<std::uint8_t> fast;
  append_frame_block(fast, "h", payload);
  EXPECT_EQ(fast, encode_message(FrameBlock{"h", payload}));
}

TEST(StreamMessages, FramesWithJitterCarryItInTheOptionalField) {
  std::mt19937 rng(4);
  auto frames = random_frames(rng, 20, 1'700'000'000'000);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const auto pairs = static_cast<std::uint32_t>(i % 3);
    frames[i].jitter = JitterSum{pairs * i * 1000, pairs};
  }
  frames[4].jitter.reset();
  std::vector<std::uint8_t> bytes;
  append_frames_message(bytes, "h", frames);
  EXPECT_EQ(bytes, encode_message(FrameBlock{"h", encode_frame_payload(frames), encode_frame_jitter(frames)}));
  const Message decoded = decode_body(std::span(bytes).subspan(kLengthPrefixBytes));
  const auto& block = std::get<FrameBlock>(decoded);
  EXPECT_FALSE(block.jitter.empty());
  EXPECT_EQ(decode_frames(block), frames);
  // What a 1.0 client decodes: the block alone (it skips the unknown field).
  for (const Frame& f : decode_frame_payload(block.block)) EXPECT_FALSE(f.jitter);
}

TEST(StreamMessages, FramesWithoutJitterSendNoJitterFieldAndDecodeAbsent) {
  std::mt19937 rng(5);
  const auto frames = random_frames(rng, 10, 0);
  std::vector<std::uint8_t> bytes;
  append_frames_message(bytes, "h", frames);
  std::vector<std::uint8_t> old_bytes;
  append_frame_block(old_bytes, "h", encode_frame_payload(frames));
  EXPECT_EQ(bytes, old_bytes) << "a message a 1.0 peer writes";
  const Message decoded = decode_body(std::span(bytes).subspan(kLengthPrefixBytes));
  const auto& block = std::get<FrameBlock>(decoded);
  for (const Frame& f : decode_frames(block)) EXPECT_FALSE(f.jitter);
}

TEST(StreamMessages, JitterOfTheWrongFrameCountIsAProtocolError) {
  std::mt19937 rng(6);
  auto frames = random_frames(rng, 5, 0);
  for (Frame& f : frames) f.jitter = JitterSum{};
  const FrameBlock block{"h", encode_frame_payload(frames), encode_frame_jitter(std::span(frames).first(4))};
  EXPECT_THROW(decode_frames(block), ProtocolError);
  const FrameBlock garbage{"h", encode_frame_payload(frames), {0xff, 0xff, 0xff}};
  EXPECT_THROW(decode_frames(garbage), ProtocolError);
}

TEST(StreamMessages, FramePayloadRoundTripsExactly) {
  std::mt19937 rng(3);
  for (int n : {1, 7, 600}) {
    const auto frames = random_frames(rng, n, 1'600'000'000'000);
    EXPECT_EQ(decode_frame_payload(encode_frame_payload(frames)), frames) << n;
  }
  EXPECT_THROW(encode_frame_payload({}), std::invalid_argument);
}

TEST(StreamMessages, OversizedLengthIsRefusedBeforeTheBodyArrives) {
  MessageReader reader(1000);
  const std::vector<std::uint8_t> header = {0x00, 0x00, 0x03, 0xe9};  // 1001 bytes
  reader.feed(header);
  try {
    reader.next();
    FAIL() << "expected ProtocolError";
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.offset(), 0u);
    EXPECT_NE(std::string(e.what()).find("exceeds the limit of 1000"), std::string::npos);
  }
}

TEST(StreamMessages, ErrorsNameTheStreamOffset) {
  std::vector<std::uint8_t> stream = encode_message(Heartbeat{1});
  const std::size_t second = stream.size();
  // A body [99, {}]: unknown type, found at the byte after the array header.
  stream.insert(stream.end(), {0x00, 0x00, 0x00, 0x03, 0x92, 0x63, 0x80});
  MessageReader reader(100);
  reader.feed(stream);
  EXPECT_TRUE(reader.next().has_value());
  try {
    reader.next();
    FAIL() << "expected ProtocolError";
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.offset(), second + 5);
    EXPECT_NE(std::string(e.what()).find("unknown message type 99"), std::string::npos);
  }
}

TEST(StreamMessages, MalformedBodiesAreProtocolErrors) {
  const std::vector<std::vector<std::uint8_t>> bodies = {
      {},                                   // empty
      {0x91, 0x01},                         // [type] without fields
      {0x92, 0x08, 0x81, 0xa4, 't', '_'},   // truncated inside the map
      {0x92, 0x08, 0x80, 0x00},             // trailing byte
      {0x92, 0x01, 0x80},                   // hello without proto
      {0x92, 0x04, 0x81, 0xa4, 'h', 'o', 's', 't', 0xa1, 'x'},  // frames without block
      {0x92, 0x08, 0x81, 0xa4, 't', '_', 'm', 's', 0xa1, 'x'},  // t_ms not an integer
      {0xc1},                               // reserved marker
  };
  for (const auto& body : bodies) {
    EXPECT_THROW(decode_body(body), ProtocolError) << ::testing::PrintToString(body);
  }
}

TEST(StreamMessages, UnknownFieldsAreSkippedForForwardCompatibility) {
  // [8, {"t_ms": 5, "future": [1, {"x": nil}]}]
  const std::vector<std::uint8_t> body = {0x92, 0x08, 0x82, 0xa4, 't', '_', 'm', 's', 0x05,
                                          0xa6, 'f', 'u', 't', 'u', 'r', 'e',
                                          0x92, 0x01, 0x81, 0xa1, 'x', 0xc0};
  EXPECT_EQ(decode_body(body), Message(Heartbeat{5}));
}

TEST(StreamMessages, CorruptFramePayloadIsAnErrorNotACrash) {
  std::mt19937 rng(4);
  const auto good = encode_frame_payload(random_frames(rng, 20, 0));
  std::uniform_int_distribution<std::size_t> pos(0, good.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  int errors = 0;
  for (int i = 0; i < 2000; ++i) {
    auto bad = good;
    bad[pos(rng)] = static_cast<std::uint8_t>(byte(rng));
    bad.resize(pos(rng) + 1);
    try {
      decode_frame_payload(bad);
    } catch (const ProtocolError&) {
      ++errors;
    }
  }
  EXPECT_GT(errors, 1900);  // a cut payload is nearly always detected
}

// ---- sessions back to back ----

ServerSessionConfig server_config(std::optional<std::string> token, LinkTiming timing = {}) {
  ServerSessionConfig c;
  c.token = std::move(token);
  c.timing = timing;
  return c;
}

ClientConfig client_config(std::optional<std::string> token, LinkTiming timing = {}) {
  ClientConfig c;
  c.token = std::move(token);
  c.timing = timing;
  return c;
}

struct Pair {
  explicit Pair(ServerSessionConfig server_config = {}, ClientConfig client_config = {})
      : server(std::move(server_config), 0), client(std::move(client_config), 0) {}
  // Moves queued bytes both ways until neither side has anything to say.
  void pump(std::int64_t now) {
    for (int i = 0; i < 10; ++i) {
      auto to_server = client.take_outgoing();
      auto to_client = server.take_outgoing();
      if (to_server.empty() && to_client.empty()) return;
      server.feed(to_server, now);
      client.feed(to_client, now);
    }
  }
  std::vector<ServerEvent> server_events() {
    std::vector<ServerEvent> out;
    while (auto e = server.poll()) out.push_back(std::move(*e));
    return out;
  }
  std::vector<ClientEvent> client_events() {
    std::vector<ClientEvent> out;
    while (auto e = client.poll()) out.push_back(std::move(*e));
    return out;
  }
  ServerSession server;
  ClientSession client;
};

TEST(StreamSessions, HandshakeSubscribeBackfillThenLive) {
  Pair p;
  p.client.subscribe(Subscribe{{"router"}, std::nullopt, std::uint64_t{60'000}}, 0);
  p.pump(1);
  auto sev = p.server_events();
  ASSERT_EQ(sev.size(), 2u);
  ASSERT_TRUE(std::holds_alternative<ClientAccepted>(sev[0]));
  ASSERT_TRUE(std::holds_alternative<SubscribeRequest>(sev[1]));
  EXPECT_EQ(std::get<SubscribeRequest>(sev[1]).subscription.backfill_ms, 60'000u);

  std::mt19937 rng(5);
  const auto frames = random_frames(rng, 4, 1000);
  const std::vector<HostInfo> hosts = {HostInfo{"router", "10.0.0.1", 100, 100, 0.01}};
  p.server.send_hosts(hosts, 2);
  p.server.send_frames("router", encode_frame_payload(std::span(frames).first(3)), 2);
  p.server.send_caught_up("router", 2);
  p.server.send_frames("router", encode_frame_payload(std::span(frames).last(1)), 2);
  p.server.send_event("router", LossEvent{1, 2, 3}, 2);
  p.server.send_status(HostStatus{"router", 5, 1, std::int64_t{7}, 100}, 2);
  p.pump(2);

  auto cev = p.client_events();
  ASSERT_EQ(cev.size(), 7u);
  EXPECT_EQ(std::get<ServerHello>(cev[0]).hello.software, "zzpingd");
  EXPECT_EQ(std::get<HostList>(cev[1]).hosts, hosts);
  const auto& backfill = std::get<ReceivedFrames>(cev[2]);
  EXPECT_TRUE(backfill.backfill);
  EXPECT_EQ(backfill.frames, std::vector<Frame>(frames.begin(), frames.begin() + 3));
  EXPECT_EQ(std::get<CaughtUp>(cev[3]).host, "router");
  const auto& live = std::get<ReceivedFrames>(cev[4]);
  EXPECT_FALSE(live.backfill);
  EXPECT_EQ(live.frames.front(), frames.back());
  EXPECT_EQ(std::get<EventMessage>(cev[5]).event, (LossEvent{1, 2, 3}));
  EXPECT_EQ(std::get<HostStatus>(cev[6]).since_reply_ms, 7);
  EXPECT_FALSE(p.client.closed());
  EXPECT_FALSE(p.server.closed());
}

// Incidents and paths (1.2) reach a 1.2 client; a client whose hello said minor 1 never
// gets them (it would take the unknown type for an error) but still gets the event, whose
// new fields it skips.
TEST(StreamSessions, OneTwoMessagesGoOnlyToClientsThatKnowThem) {
  for (const std::uint32_t minor : {1u, 2u}) {
    Pair p;
    p.client.subscribe(Subscribe{{}, std::nullopt, std::nullopt}, 0);
    p.pump(1);
    auto sev = p.server_events();
    ASSERT_FALSE(sev.empty());
    EXPECT_EQ(p.server.peer_minor(), kProtocolMinor);
    // Emulate an older client: the session's hello announced `minor`.
    ServerSession old_server(ServerSessionConfig{}, 0);
    Hello hello;
    hello.minor = minor;
    hello.software = "old";
    old_server.feed(encode_message(hello), 0);
    EXPECT_EQ(old_server.peer_minor(), minor);
    old_server.take_outgoing();
    const attribution::Incident incident{10, 20, attribution::Cause::upstream, {"a", "b"}, 4, ""};
    const PathSnapshot path{15, PathTrigger::loss_burst, false, {{1, "192.0.2.1", 100}}, false};
    old_server.send_incident(incident, 2);
    old_server.send_path("a", path, 2);
    old_server.send_event(EventMessage{"a", LossEvent{10, 20, 4}, attribution::Cause::upstream, "r", {"b"}, {}}, 2);
    MessageReader reader(kMaxServerMessageBytes);
    reader.feed(old_server.take_outgoing());
    std::vector<MessageType> types;
    while (auto m = reader.next()) types.push_back(type_of(*m));
    if (minor < 2) {
      EXPECT_EQ(types, std::vector<MessageType>{MessageType::Event});
    } else {
      EXPECT_EQ(types, (std::vector<MessageType>{MessageType::Incident, MessageType::Path, MessageType::Event}));
    }
  }
  // A 1.2 client sees them as events.
  Pair p;
  p.client.subscribe(Subscribe{{}, std::nullopt, std::nullopt}, 0);
  p.pump(1);
  p.server_events();
  p.server.send_hosts({HostInfo{"a", "", 10, 100, 0.01, attribution::Role::isp}}, 2);
  p.server.send_incident({10, 20, attribution::Cause::local, {"a"}, 4, "192.0.2.1"}, 2);
  p.server.send_path("a", {15, PathTrigger::interval, true, {{1, "192.0.2.1", 100}}, true}, 2);
  p.pump(2);
  auto cev = p.client_events();
  ASSERT_EQ(cev.size(), 4u);
  EXPECT_EQ(std::get<HostList>(cev[1]).hosts[0].role, attribution::Role::isp);
  EXPECT_EQ(std::get<IncidentMessage>(cev[2]).last_hop, "192.0.2.1");
  EXPECT_TRUE(std::get<PathMessage>(cev[3]).path.route_changed);
}

TEST(StreamSessions, WrongTokenIsRefusedWithAReasonOnBothSides) {
  Pair p(server_config("right"), client_config("wrong"));
  p.pump(1);
  auto sev = p.server_events();
  ASSERT_EQ(sev.size(), 1u);
  EXPECT_EQ(std::get<ClientGone>(sev[0]).reason, "authentication failed: wrong token");
  auto cev = p.client_events();
  ASSERT_EQ(cev.size(), 2u);  // the server's hello, then its Close
  const auto& gone = std::get<Disconnected>(cev[1]);
  EXPECT_TRUE(gone.by_peer);
  EXPECT_NE(gone.reason.find("wrong token"), std::string::npos);
}

TEST(StreamSessions, MissingTokenIsRefusedAndRightTokenAccepted) {
  Pair missing(server_config("t"), client_config(std::nullopt));
  missing.pump(1);
  EXPECT_TRUE(missing.server.closed());
  Pair right(server_config("t"), client_config("t"));
  right.pump(1);
  EXPECT_FALSE(right.server.closed());
  EXPECT_TRUE(std::holds_alternative<ClientAccepted>(right.server_events().at(0)));
}

TEST(StreamSessions, OutOfOrderClientMessagesCloseWithAReason) {
  struct Case {
    std::vector<Message> sequence;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {{Subscribe{}}, "client sent 'subscribe' before its hello"},
      {{Hello{}, Hello{}}, "client sent a second hello"},
      {{Hello{}, Subscribe{}, Subscribe{}}, "client subscribed twice"},
      {{Hello{}, CaughtUp{"x"}}, "client sent server-only message 'caught_up'"},
      {{Hello{2, 0, "future", std::nullopt, 5000}},
       "client speaks protocol version 2.0, this server speaks 1.x"},
  };
  for (const auto& c : cases) {
    ServerSession server({}, 0);
    std::vector<std::uint8_t> bytes;
    for (const auto& m : c.sequence) append_message(bytes, m);
    server.feed(bytes, 1);
    ASSERT_TRUE(server.closed());
    ClientGone gone;
    while (auto e = server.poll()) {
      if (auto* g = std::get_if<ClientGone>(&*e)) gone = *g;
    }
    EXPECT_EQ(gone.reason, c.reason);
  }
}

TEST(StreamSessions, GarbageClosesTheServerSessionWithOffset) {
  ServerSession server({}, 0);
  const std::vector<std::uint8_t> garbage = {0x47, 0x45, 0x54, 0x20, 0x2f};  // "GET /"
  server.feed(garbage, 1);
  ASSERT_TRUE(server.closed());
  auto ev = server.poll();
  ASSERT_TRUE(ev);
  EXPECT_NE(std::get<ClientGone>(*ev).reason.find("exceeds the limit"), std::string::npos);
  EXPECT_NE(std::get<ClientGone>(*ev).reason.find("at stream byte 0"), std::string::npos);
}

TEST(StreamSessions, ClientRejectsFramesOfUnlistedHostsAndMessagesBeforeHello) {
  Pair p;
  p.pump(1);
  p.server.send_hosts({HostInfo{"a", "", 1, 100, 0.01}}, 1);
  std::mt19937 rng(6);
  p.server.send_frames("b", encode_frame_payload(random_frames(rng, 1, 0)), 1);
  p.pump(1);
  auto cev = p.client_events();
  ASSERT_TRUE(std::holds_alternative<Disconnected>(cev.back()));
  EXPECT_NE(std::get<Disconnected>(cev.back()).reason.find("unlisted host 'b'"),
            std::string::npos);

  ClientSession client({}, 0);
  client.feed(encode_message(HostList{}), 1);
  auto ev = client.poll();
  ASSERT_TRUE(ev);
  EXPECT_EQ(std::get<Disconnected>(*ev).reason, "server sent 'hosts' before its hello");
}

TEST(StreamSessions, HeartbeatsAreSentAndSilentPeersDropped) {
  const LinkTiming timing{.heartbeat_ms = 1000, .peer_timeout_ms = 3000};
  Pair p(server_config(std::nullopt, timing), client_config(std::nullopt, timing));
  p.pump(0);
  p.client.tick(999);
  EXPECT_TRUE(p.client.take_outgoing().empty());
  p.client.tick(1000);
  const auto beat = p.client.take_outgoing();
  MessageReader reader(100);
  reader.feed(beat);
  EXPECT_EQ(reader.next(), Message(Heartbeat{1000}));
  p.server.feed(beat, 1000);
  // The server heard the client at 1000: it is still alive at 4000, dead after.
  p.server.tick(4000);
  EXPECT_FALSE(p.server.closed());
  p.server.tick(4001);
  EXPECT_TRUE(p.server.closed());
  p.server_events();
  // The client heard nothing since 0.
  p.client.tick(3001);
  EXPECT_TRUE(p.client.closed());
}

TEST(StreamSessions, PeerHeartbeatIntervalWidensTheTimeout) {
  const LinkTiming fast{.heartbeat_ms = 100, .peer_timeout_ms = 300};
  ServerSession server(server_config(std::nullopt, fast), 0);
  server.feed(encode_message(Hello{1, 0, "slow", std::nullopt, 10'000}), 0);
  server.tick(29'000);
  EXPECT_FALSE(server.closed());
  server.tick(30'001);
  EXPECT_TRUE(server.closed());
}

TEST(StreamSessions, TokensCompareExactly) {
  EXPECT_TRUE(tokens_equal("abc", "abc"));
  EXPECT_FALSE(tokens_equal("abc", "abd"));
  EXPECT_FALSE(tokens_equal("abc", "abcd"));
  EXPECT_FALSE(tokens_equal("", "a"));
  EXPECT_TRUE(tokens_equal("", ""));
}

}  // namespace
}  // namespace zzping::stream
