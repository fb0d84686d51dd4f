// SPDX-License-Identifier: GPL-3.0-or-later
// ProbeSender against a fake transport (no sockets, no root): due deadlines become one
// request each with the host's cookie and counter, a failed send still counts as sent and
// so ends as lost, the send timing records |send - deadline|, and unresolved hosts or
// missing socket families send nothing.
#include "zzping/daemon/probe_sender.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "zzping/daemon/icmp_packet.hpp"
#include "zzping/daemon/probe_token.hpp"

namespace zzping::daemon {
namespace {

constexpr std::int64_t kMs = 1'000'000;

// The clock the sender reads: tests set it before each call.
ClockPair fake_now{};
ClockPair read_fake_clocks() { return fake_now; }

struct SentPacket {
  IpAddress destination;
  std::vector<std::uint8_t> bytes;
};

class FakeTransport final : public ProbeTransport {
 public:
  std::optional<std::uint16_t> ident(Family family) const override {
    return family == Family::v4 ? std::optional<std::uint16_t>(0x1234) : std::nullopt;
  }
  int send(const IpAddress& destination, std::span<const std::uint8_t> packet) override {
    sent.push_back(SentPacket{destination, {packet.begin(), packet.end()}});
    return error;
  }
  std::vector<SentPacket> sent;
  int error = 0;
};

struct Host {
  std::string name = "h";
  std::optional<IpAddress> address = IpAddress::parse("192.0.2.7");
  ProbeSchedule schedule{0, 100, 5};  // every 10 ms from t = 0, bursts of up to 5
  FrameAggregator aggregator{AggregatorSettings{100, 50 * kMs, RttQuantiser{0.01}}};
  std::uint64_t failures = 0;
  ProbeTarget target() { return ProbeTarget{name, 77, address, schedule, aggregator, failures}; }
};

TEST(ProbeSender, SendsEachDueProbeWithTheHostsCookieAndCounter) {
  FakeTransport transport;
  ProbeSender sender(transport, &read_fake_clocks);
  Host host;
  fake_now = {20 * kMs + 30'000, 1'000'000 * kMs};
  sender.send_due(host.target(), 20 * kMs);  // deadlines 0, 10 and 20 ms are due

  ASSERT_EQ(transport.sent.size(), 3u);
  EXPECT_EQ(host.aggregator.probes_sent(), 3u);
  for (std::uint64_t i = 0; i < 3; ++i) {
    const auto& packet = transport.sent[i];
    EXPECT_EQ(packet.destination, *host.address);
    const auto parsed = parse_echo_request(Family::v4, packet.bytes);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->ident, 0x1234);
    EXPECT_EQ(parsed->seq, sequence_of(i));
    const auto token = decode_probe_token(parsed->payload);
    ASSERT_TRUE(token.has_value());
    EXPECT_EQ(token->cookie, 77u);
    EXPECT_EQ(token->counter, i);
    EXPECT_EQ(token->send_wall_ns, fake_now.wall_ns);
  }
  // |send - deadline|: 20.03, 10.03 and 0.03 ms.
  EXPECT_EQ(sender.timing().sent(), 3u);
  EXPECT_NEAR(sender.timing().error_quantile_us(1.0), 20'030, 20'030 * 0.01);
  EXPECT_NEAR(sender.timing().error_quantile_us(0.0), 30, 30 * 0.01);
}

TEST(ProbeSender, ProbesDueWithinTheSendWindowShareTheWakeUp) {
  FakeTransport transport;
  ProbeSender sender(transport, &read_fake_clocks);
  Host host;
  const std::int64_t wake = ProbeSender::wake_ns(host.schedule);
  EXPECT_EQ(wake, -ProbeSender::kWakeLeadNs);
  fake_now = {wake, 0};
  sender.send_due(host.target(), wake);  // 50 µs before the first deadline: inside the window
  EXPECT_EQ(transport.sent.size(), 1u);
  EXPECT_EQ(ProbeSender::wake_ns(host.schedule), 10 * kMs - ProbeSender::kWakeLeadNs);
}

TEST(ProbeSender, AFailedSendCountsAsSentAndEndsAsLost) {
  FakeTransport transport;
  transport.error = ENETUNREACH;
  ProbeSender sender(transport, &read_fake_clocks);
  Host host;
  fake_now = {0, 1'000'000 * kMs};
  sender.send_due(host.target(), 0);
  EXPECT_EQ(host.failures, 1u);
  EXPECT_EQ(host.aggregator.in_flight(), 1u);
  AggregatorOutput out;
  host.aggregator.advance(1000 * kMs, 1'000'000 * kMs + 1000 * kMs, out);
  std::uint32_t sent = 0;
  std::uint32_t lost = 0;
  for (const Frame& frame : out.frames) {
    sent += frame.sent;
    lost += frame.lost;
  }
  EXPECT_EQ(sent, 1u);
  EXPECT_EQ(lost, 1u);
}

TEST(ProbeSender, AnUnresolvedHostLetsItsDeadlinesPassUnasked) {
  FakeTransport transport;
  ProbeSender sender(transport, &read_fake_clocks);
  Host host;
  host.address.reset();
  sender.send_due(host.target(), 50 * kMs);
  EXPECT_TRUE(transport.sent.empty());
  EXPECT_EQ(host.aggregator.probes_sent(), 0u);
  EXPECT_EQ(sender.timing().skipped(), 0u);
  // Once resolved it starts with the next deadline, not with a burst of the missed ones.
  host.address = IpAddress::parse("192.0.2.7");
  fake_now = {60 * kMs, 0};
  sender.send_due(host.target(), 60 * kMs);
  EXPECT_EQ(transport.sent.size(), 1u);
}

TEST(ProbeSender, NoSocketOfTheFamilySendsNothing) {
  FakeTransport transport;
  ProbeSender sender(transport, &read_fake_clocks);
  Host host;
  host.address = IpAddress::parse("2001:db8::7");
  sender.send_due(host.target(), 0);
  EXPECT_TRUE(transport.sent.empty());
  EXPECT_EQ(host.aggregator.probes_sent(), 0u);
}

TEST(ProbeSender, MissedDeadlinesBeyondTheBurstBoundAreSkippedAndCounted) {
  FakeTransport transport;
  ProbeSender sender(transport, &read_fake_clocks);
  Host host;
  fake_now = {95 * kMs, 0};
  sender.send_due(host.target(), 95 * kMs);  // deadlines 0..90 ms: 10 due, burst bound 5
  EXPECT_EQ(transport.sent.size(), 5u);
  EXPECT_EQ(sender.timing().skipped(), 5u);
}

}  // namespace
}  // namespace zzping::daemon
