// SPDX-License-Identifier: GPL-3.0-or-later
// TraceStep against a fake transport (no sockets, no root): a traced host's TTL probes go
// out one per step with the trace's cookie, a trace counter and the TTL as hop limit, spaced
// by the probe gap; the budget shared by all hosts caps a burst of traces; gateways,
// loopback, unresolved and untraced hosts, and families without a socket send nothing; a
// finished trace comes back as a snapshot.
#include "zzping/daemon/trace_step.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <vector>

#include "zzping/daemon/icmp_packet.hpp"
#include "zzping/daemon/probe_token.hpp"

namespace zzping::daemon {
namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kS = 1000 * kMs;
constexpr std::int64_t kT0 = 10 * kS;
constexpr std::int64_t kWall0 = 1'700'000'000'000 * kMs;

struct SentProbe {
  IpAddress destination;
  std::uint8_t hop_limit = 0;
  ProbeToken token;
  std::uint16_t ident = 0;
};

class FakeTraceTransport final : public TraceTransport {
 public:
  std::optional<std::uint16_t> ident(Family family) const override {
    return family == Family::v4 ? std::optional<std::uint16_t>(0x4321) : std::nullopt;
  }
  int send_with_hop_limit(const IpAddress& destination, std::span<const std::uint8_t> packet,
                          std::uint8_t hop_limit) override {
    const auto parsed = parse_echo_request(destination.family, packet);
    EXPECT_TRUE(parsed.has_value());
    const auto token = decode_probe_token(parsed->payload);
    EXPECT_TRUE(token.has_value());
    sent.push_back(SentProbe{destination, hop_limit, *token, parsed->ident});
    return error;
  }
  std::vector<SentProbe> sent;
  int error = 0;
};

std::unique_ptr<MonitoredHost> host(const std::string& name, attribution::Role role = attribution::Role::internet,
                                    bool trace = true, bool resolve = true) {
  static const DaemonConfig config;
  TargetConfig target;
  target.host = name;
  target.role = role;
  target.trace = trace;
  auto out = std::make_unique<MonitoredHost>(target, config, 0, 7);
  if (trace) {
    out->tracer.emplace(trace_settings(config));
    out->trace_cookie = 99;
  }
  if (resolve) out->poll_resolution(0, ResolveTiming{});
  return out;
}

TEST(TraceStep, SendsOneTtlProbePerStepWithTheTracesCookieSpacedByTheGap) {
  FakeTraceTransport transport;
  TraceStep step(transport);
  auto h = host("192.0.2.7");
  EXPECT_FALSE(step.step(*h, kT0, kWall0).has_value());
  ASSERT_EQ(transport.sent.size(), 1u);
  const SentProbe& first = transport.sent[0];
  EXPECT_EQ(first.destination.to_string(), "192.0.2.7");
  EXPECT_EQ(first.hop_limit, 1);
  EXPECT_EQ(first.ident, 0x4321);
  EXPECT_EQ(first.token.cookie, 99u);
  EXPECT_NE(first.token.counter & kTraceCounterBit, 0u);
  EXPECT_EQ(first.token.counter & 0xff, 1u);
  EXPECT_EQ(first.token.send_wall_ns, kWall0);

  step.step(*h, kT0 + 20 * kMs, kWall0 + 20 * kMs);  // within the probe gap
  EXPECT_EQ(transport.sent.size(), 1u);
  transport.error = EHOSTUNREACH;  // a refused send is logged, the trace goes on
  step.step(*h, kT0 + kTraceProbeGapNs, kWall0 + kTraceProbeGapNs);
  ASSERT_EQ(transport.sent.size(), 2u);
  EXPECT_EQ(transport.sent[1].hop_limit, 2);
  EXPECT_EQ(h->tracer->probes_sent(), 2u);
}

TEST(TraceStep, GatewaysLoopbackUnresolvedUntracedAndSocketlessHostsSendNothing) {
  FakeTraceTransport transport;
  TraceStep step(transport);
  std::vector<std::unique_ptr<MonitoredHost>> hosts;
  hosts.push_back(host("192.0.2.1", attribution::Role::gateway));
  hosts.push_back(host("127.0.0.1"));
  hosts.push_back(host("192.0.2.7", attribution::Role::internet, true, false));
  hosts.push_back(host("192.0.2.8", attribution::Role::internet, false));
  hosts.push_back(host("2001:db8::7"));  // the fake has no IPv6 socket
  for (std::int64_t t = kT0; t < kT0 + 2 * kS; t += 20 * kMs) {
    for (auto& h : hosts) EXPECT_FALSE(step.step(*h, t, kWall0 + t).has_value());
  }
  EXPECT_TRUE(transport.sent.empty());
}

TEST(TraceStep, TheBudgetSharedByAllHostsCapsABurstOfTraces) {
  FakeTraceTransport transport;
  TraceStep step(transport);
  std::vector<std::unique_ptr<MonitoredHost>> hosts;
  for (int i = 0; i < 30; ++i) hosts.push_back(host("192.0.2." + std::to_string(10 + i)));
  for (auto& h : hosts) step.step(*h, kT0, kWall0);
  EXPECT_EQ(transport.sent.size(), static_cast<std::size_t>(kTraceProbeBurst));
  // One second later the bucket has refilled by kTraceProbesPerSecond (capped at the burst).
  for (auto& h : hosts) step.step(*h, kT0 + kS, kWall0 + kS);
  EXPECT_EQ(transport.sent.size(), 2 * static_cast<std::size_t>(kTraceProbeBurst));
}

TEST(TraceStep, AFinishedTraceComesBackAsASnapshot) {
  FakeTraceTransport transport;
  TraceStep step(transport);
  auto h = host("192.0.2.7");
  step.step(*h, kT0, kWall0);
  ASSERT_EQ(transport.sent.size(), 1u);
  // The target itself answers the TTL 1 probe: the trace ends there.
  h->tracer->on_answer(PathTracer::Answer::echo_reply, transport.sent[0].token.counter, "192.0.2.7", kT0 + 2 * kMs);
  const auto path = step.step(*h, kT0 + 20 * kMs, kWall0 + 20 * kMs);
  ASSERT_TRUE(path.has_value());
  EXPECT_TRUE(path->reached);
  EXPECT_EQ(path->trigger, PathTrigger::start);
  ASSERT_EQ(path->hops.size(), 1u);
  EXPECT_EQ(path->hops[0].address, "192.0.2.7");
  EXPECT_EQ(h->tracer->hop_sent_ms().size(), 1u);
}

}  // namespace
}  // namespace zzping::daemon
