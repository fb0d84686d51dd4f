// SPDX-License-Identifier: GPL-3.0-or-later
// Housekeeping with literal hosts, fake transports and a recording sink (no sockets): probes
// time out and frames close only after the reply lag, every host's lookup is driven on every
// run, traces step only while not stopping, status and flush come when the clock says, a
// stop ends once nothing is in flight, and finish publishes the probes in flight as lost.
#include "zzping/daemon/housekeeping.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "recorded_hosts.hpp"

namespace zzping::daemon {
namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kWall0 = 1'700'000'000'000 * kMs;  // a whole second
constexpr std::int64_t kLag = 50 * kMs;

class NoSockets final : public ProbeTransport {
 public:
  std::optional<std::uint16_t> ident(Family) const override { return std::nullopt; }
  int send(const IpAddress&, std::span<const std::uint8_t>) override { return 0; }
};

class CountingTraceTransport final : public TraceTransport {
 public:
  std::optional<std::uint16_t> ident(Family) const override { return 1; }
  int send_with_hop_limit(const IpAddress&, std::span<const std::uint8_t>, std::uint8_t) override {
    ++sent;
    return 0;
  }
  int sent = 0;
};

struct Loop : RecordedHosts {
  CountingTraceTransport trace_transport;
  TraceStep tracing{trace_transport};
  HousekeepingClock clock{100 * kMs, 500 * kMs};
  NoSockets sockets;
  ProbeSender sender{sockets};
  int resolves = 0;
  Housekeeping housekeeping{{hosts, fanout, tracing, clock, sender},
                            [this](MonitoredHost& host, std::int64_t now_ns) {
                              ++resolves;
                              host.poll_resolution(now_ns, ResolveTiming{});
                            },
                            kLag};

  MonitoredHost& host(const char* name, bool trace = false) {
    TargetConfig target;
    target.host = name;
    target.trace = trace;
    return hosts.add(target, 0);
  }
  void run(std::int64_t now, bool stopping = false) { housekeeping.run(now, kWall0 + now, stopping); }
  long count(const std::string& prefix) const {
    return std::count_if(calls.begin(), calls.end(), [&](const std::string& c) { return c.rfind(prefix, 0) == 0; });
  }
};

TEST(Housekeeping, AProbeTimesOutAndItsFrameClosesOnlyAfterTheReplyLag) {
  Loop loop;
  MonitoredHost& a = loop.host("192.0.2.7");
  loop.clock.start(0);
  a.aggregator.on_sent(0, kWall0);
  // Its frame [0, 100 ms) is final 1000 ms (the timeout) after it ended, here seen kLag late.
  loop.run(1100 * kMs + kLag - 20 * kMs);
  EXPECT_EQ(a.aggregator.in_flight(), 0u);  // timed out (1000 ms + lag have passed)
  EXPECT_EQ(loop.count("frame 192.0.2.7"), 0);
  loop.run(1100 * kMs + kLag + 20 * kMs);
  EXPECT_EQ(loop.count("frame 192.0.2.7 " + std::to_string(kWall0 / kMs)), 1);
}

TEST(Housekeeping, EveryHostsLookupIsDrivenOnEveryRunAndStatusAndFlushComeWhenDue) {
  Loop loop;
  loop.host("192.0.2.7");
  loop.host("192.0.2.8");
  loop.clock.start(0);
  for (std::int64_t t = 0; t < 1000 * kMs; t += 20 * kMs) loop.run(t);
  EXPECT_EQ(loop.resolves, 2 * 50);
  EXPECT_EQ(loop.hosts.hosts()[0]->info.address, "192.0.2.7");
  EXPECT_EQ(loop.count("status 192.0.2.7"), 9);  // every 100 ms from 100 ms on
  EXPECT_EQ(loop.count("status 192.0.2.8"), 9);
  EXPECT_EQ(loop.count("flush"), 1);             // at 500 ms
}

TEST(Housekeeping, PathTracesStepOnlyWhileNotStopping) {
  Loop loop;
  loop.host("192.0.2.7", true);
  loop.clock.start(0);
  loop.run(0, true);  // resolved, but stopping: no trace probe
  loop.run(20 * kMs, true);
  EXPECT_EQ(loop.trace_transport.sent, 0);
  loop.run(40 * kMs);
  EXPECT_EQ(loop.trace_transport.sent, 1);
}

TEST(Housekeeping, AStopEndsOnceNothingIsInFlight) {
  Loop loop;
  MonitoredHost& a = loop.host("192.0.2.7");
  loop.clock.start(0);
  const auto counter = a.aggregator.on_sent(0, kWall0);
  loop.clock.begin_stop(10 * kMs, 1000 * kMs);
  loop.run(10 * kMs, true);
  EXPECT_FALSE(loop.clock.stop_due(10 * kMs));  // a probe in flight
  a.aggregator.on_reply(counter, 15 * kMs);
  loop.run(30 * kMs, true);
  EXPECT_TRUE(loop.clock.stop_due(30 * kMs));
}

TEST(Housekeeping, FinishPublishesTheProbesInFlightAsLostAndReleasesEveryHost) {
  Loop loop;
  MonitoredHost& a = loop.host("192.0.2.7");
  loop.host("192.0.2.8");
  a.aggregator.on_sent(0, kWall0);
  a.aggregator.on_sent(10 * kMs, kWall0 + 10 * kMs);
  loop.housekeeping.finish(20 * kMs, kWall0 + 20 * kMs);
  EXPECT_EQ(a.aggregator.in_flight(), 0u);
  EXPECT_EQ(loop.count("frame 192.0.2.7"), 1);
  EXPECT_EQ(loop.count("event 192.0.2.7"), 1);  // two lost in a row: a burst
  EXPECT_EQ(loop.count("burst 192.0.2.7"), 1);  // attributed at finish
  EXPECT_EQ(loop.count("removed "), 2);
  EXPECT_EQ(loop.calls.back(), "flush");
}

}  // namespace
}  // namespace zzping::daemon
