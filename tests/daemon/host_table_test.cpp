// SPDX-License-Identifier: GPL-3.0-or-later
// HostTable and MonitoredHost, no sockets: a host added is registered with the dispatcher
// (its replies and its trace answers reach it) and with the sinks; a host removed publishes
// its last frames, is released by every sink and its replies become foreign; a reload
// removes and relabels only configured hosts, gateway changes only automatic ones; the
// addresses an automatic gateway must not duplicate; literal names resolve at once.
#include "zzping/daemon/host_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "recorded_hosts.hpp"

namespace zzping::daemon {
namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kS = 1000 * kMs;

TargetConfig target(const std::string& name, attribution::Role role = attribution::Role::internet) {
  TargetConfig out;
  out.host = name;
  out.rate = 10;
  out.role = role;
  return out;
}

GatewayTarget gateway(const char* address) {
  return GatewayTarget{*IpAddress::parse(address), "eth0", 5};
}

struct Table : RecordedHosts {
  Table() : RecordedHosts(100) {}

  MonitoredHost& resolved(const TargetConfig& t, bool automatic = false) {
    MonitoredHost& host = hosts.add(t, 0, automatic);
    EXPECT_TRUE(host.poll_resolution(0, ResolveTiming{}).has_value());
    return host;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& host : hosts.hosts()) out.push_back(host->info.name + (host->automatic ? "*" : ""));
    return out;
  }
};

ReceivedReply reply(const MonitoredHost& host, std::uint64_t cookie, std::uint64_t counter,
                    IcmpKind kind = IcmpKind::echo_reply) {
  return ReceivedReply{*host.address(), cookie, counter, 5 * kMs, kind};
}

TEST(MonitoredHost, ALiteralResolvesAtOnceAndNeverAgain) {
  DaemonConfig config;
  MonitoredHost host(target("192.0.2.7"), config, 0, 1);
  EXPECT_FALSE(host.address().has_value());
  const auto address = host.poll_resolution(0, ResolveTiming{});
  ASSERT_TRUE(address.has_value());
  EXPECT_EQ(address->to_string(), "192.0.2.7");
  EXPECT_EQ(host.info.address, "192.0.2.7");
  EXPECT_FALSE(host.poll_resolution(1000 * kS, ResolveTiming{}).has_value());
  EXPECT_EQ(host.address(), address);
}

TEST(MonitoredHost, StatusSaysWhatIsInFlightAndHowOldTheLastReplyIs) {
  DaemonConfig config;
  MonitoredHost host(target("192.0.2.7"), config, 0, 1);
  EXPECT_EQ(host.status(0).last_reply_age_ms, -1);
  const auto first = host.aggregator.on_sent(1 * kMs, 1 * kMs);
  host.aggregator.on_sent(2 * kMs, 2 * kMs);
  host.aggregator.on_reply(first, 4 * kMs);
  const HostStatus status = host.status(54 * kMs);
  EXPECT_EQ(status.probes_sent, 2u);
  EXPECT_EQ(status.in_flight, 1u);
  EXPECT_EQ(status.last_reply_age_ms, 50);
}

TEST(HostTable, AnAddedHostGetsItsRepliesAndTraceAnswersUnderCookiesOfItsOwn) {
  Table t;
  MonitoredHost& a = t.resolved(target("192.0.2.7"));
  MonitoredHost& b = t.resolved(target("192.0.2.8"));
  EXPECT_NE(a.cookie, b.cookie);
  ASSERT_TRUE(a.tracer.has_value());
  EXPECT_NE(a.trace_cookie, a.cookie);
  const auto counter = a.aggregator.on_sent(1 * kMs, 1 * kMs);
  EXPECT_EQ(t.dispatcher.dispatch(reply(a, a.cookie, counter)), ReplyDispatcher::Outcome::reply);
  EXPECT_EQ(a.aggregator.last_reply_mono_ns(), 5 * kMs);
  EXPECT_EQ(t.dispatcher.dispatch(reply(a, a.trace_cookie, trace_counter(1, 1), IcmpKind::time_exceeded)),
            ReplyDispatcher::Outcome::trace);
}

TEST(HostTable, AnUntracedHostHasNoTracerAndNoTraceCookie) {
  Table t;
  TargetConfig quiet = target("192.0.2.7");
  quiet.trace = false;
  MonitoredHost& a = t.resolved(quiet);
  EXPECT_FALSE(a.tracer.has_value());
  EXPECT_EQ(t.dispatcher.dispatch(reply(a, 101, trace_counter(1, 1))), ReplyDispatcher::Outcome::unknown_cookie);
}

TEST(HostTable, ARemovedHostPublishesItsLastFramesIsReleasedAndItsRepliesBecomeForeign) {
  Table t;
  MonitoredHost& a = t.resolved(target("192.0.2.7"));
  const std::uint64_t cookie = a.cookie;
  const IpAddress address = *a.address();
  const auto counter = a.aggregator.on_sent(1 * kMs, 1'700'000'000'000 * kMs);
  t.hosts.remove(0);
  EXPECT_EQ(t.hosts.size(), 0u);
  ASSERT_GE(t.calls.size(), 2u);
  EXPECT_EQ(t.calls.front().rfind("frame 192.0.2.7 ", 0), 0u) << t.calls.front();  // the probe in flight, lost
  EXPECT_EQ(t.calls.back(), "removed 192.0.2.7");
  EXPECT_EQ(t.dispatcher.dispatch(ReceivedReply{address, cookie, counter, 5 * kMs, IcmpKind::echo_reply}),
            ReplyDispatcher::Outcome::unknown_cookie);
}

TEST(HostTable, AReloadRemovesAndRelabelsOnlyConfiguredHosts) {
  Table t;
  t.resolved(target("192.0.2.7"));
  t.resolved(target("192.0.2.8"));
  t.hosts.apply_gateway_changes(GatewayChanges{{}, {gateway("192.0.2.1")}, {}}, 0);
  // A configured target of the same name as the automatic gateway.
  t.resolved(target("192.0.2.1"));
  EXPECT_EQ(t.names(), (std::vector<std::string>{"192.0.2.7", "192.0.2.8", "192.0.2.1*", "192.0.2.1"}));

  t.hosts.remove_configured({target("192.0.2.7"), target("192.0.2.1")});
  EXPECT_EQ(t.names(), (std::vector<std::string>{"192.0.2.8", "192.0.2.1*"}));
  t.hosts.change_roles({target("192.0.2.8", attribution::Role::isp), target("192.0.2.1", attribution::Role::isp)});
  EXPECT_EQ(t.hosts.hosts()[0]->info.role, attribution::Role::isp);
  EXPECT_EQ(t.hosts.hosts()[0]->target.role, attribution::Role::isp);
  EXPECT_EQ(t.hosts.hosts()[1]->info.role, attribution::Role::gateway);  // automatic: untouched
}

TEST(HostTable, GatewayChangesAddAndRemoveOnlyAutomaticGateways) {
  Table t;
  t.resolved(target("192.0.2.1"));
  t.hosts.apply_gateway_changes(GatewayChanges{{}, {gateway("192.0.2.1"), gateway("2001:db8::1")}, {}}, 3 * kS);
  EXPECT_EQ(t.names(), (std::vector<std::string>{"192.0.2.1", "192.0.2.1*", "2001:db8::1*"}));
  const MonitoredHost& v6 = *t.hosts.hosts()[2];
  EXPECT_EQ(v6.info.role, attribution::Role::gateway);
  EXPECT_EQ(v6.info.rate, 5u);
  EXPECT_EQ(v6.target.family, AddressFamily::v6);
  EXPECT_EQ(v6.schedule.next_deadline_ns(), 3 * kS);

  t.hosts.apply_gateway_changes(GatewayChanges{{gateway("192.0.2.1")}, {}, {}}, 4 * kS);
  EXPECT_EQ(t.names(), (std::vector<std::string>{"192.0.2.1", "2001:db8::1*"}));
}

TEST(HostTable, AnAutomaticGatewayMustNotDuplicateWhatTheConfiguredTargetsPing) {
  Table t;
  t.config.targets = {target("192.0.2.9"), target("example.invalid")};
  t.resolved(target("192.0.2.7"));
  t.hosts.add(target("example.invalid"), 0);  // not resolved (yet): no address to keep free
  t.hosts.apply_gateway_changes(GatewayChanges{{}, {gateway("192.0.2.1")}, {}}, 0);
  t.hosts.hosts().back()->poll_resolution(0, ResolveTiming{});
  std::vector<std::string> taken;
  for (const auto& address : t.hosts.configured_addresses()) taken.push_back(address.to_string());
  std::sort(taken.begin(), taken.end());
  EXPECT_EQ(taken, (std::vector<std::string>{"192.0.2.7", "192.0.2.9"}));
}

TEST(HostTable, IdleOnceNoHostHasAProbeInFlight) {
  Table t;
  MonitoredHost& a = t.resolved(target("192.0.2.7"));
  t.resolved(target("192.0.2.8"));
  EXPECT_TRUE(t.hosts.idle());
  const auto counter = a.aggregator.on_sent(1 * kMs, 1 * kMs);
  EXPECT_FALSE(t.hosts.idle());
  a.aggregator.on_reply(counter, 2 * kMs);
  EXPECT_TRUE(t.hosts.idle());
}

}  // namespace
}  // namespace zzping::daemon
