// SPDX-License-Identifier: GPL-3.0-or-later
// GatewayTracker: which default gateways are targets as the routing table changes —
// appear, change, disappear (kept), multipath, IPv6 link-local, configured duplicates.
#include "zzping/daemon/gateway_tracker.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

using namespace zzping::daemon;

namespace {

IpAddress ip(const std::string& text, std::uint32_t scope = 0) {
  auto parsed = IpAddress::parse(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  parsed->scope_id = scope;
  return *parsed;
}

DefaultRoute route(const std::string& gateway, std::uint32_t interface, std::uint32_t metric = 100) {
  const IpAddress address = ip(gateway, ip(gateway).is_link_local_v6() ? interface : 0);
  return DefaultRoute{address.family, metric, {RouteNexthop{address, interface}}};
}

std::string name_of(std::uint32_t index) {
  static const std::map<std::uint32_t, std::string> names = {{2, "eth0"}, {3, "wlan0"}, {4, "eth1"}};
  const auto found = names.find(index);
  return found == names.end() ? "" : found->second;
}

std::vector<std::string> hosts(const std::vector<GatewayTarget>& targets) {
  std::vector<std::string> out;
  for (const auto& target : targets) out.push_back(target.host());
  return out;
}

using Names = std::vector<std::string>;

}  // namespace

TEST(GatewayTracker, AppearingDefaultRoutesOfBothFamiliesAreAdded) {
  GatewayTracker tracker;
  EXPECT_TRUE(tracker.on_routes({}, name_of).empty());
  const std::vector<DefaultRoute> routes = {route("192.168.1.1", 3), route("fe80::1", 3, 1024)};
  const auto changes = tracker.on_routes(routes, name_of);
  EXPECT_EQ(hosts(changes.added), (Names{"192.168.1.1", "fe80::1%wlan0"}));
  EXPECT_TRUE(changes.removed.empty());
  EXPECT_TRUE(changes.kept.empty());
  EXPECT_EQ(changes.added[0].interface, "wlan0");
  EXPECT_EQ(changes.added[0].rate, 10u);
  EXPECT_EQ(changes.added[1].address, ip("fe80::1", 3)) << "the scope goes with the address probes are sent to";
  EXPECT_TRUE(tracker.on_routes(routes, name_of).empty()) << "the same table again changes nothing";
}

TEST(GatewayTracker, ChangedDefaultRouteReplacesTheGateway) {
  GatewayTracker tracker;
  tracker.on_routes(std::vector{route("10.0.0.1", 2)}, name_of);
  const auto changes = tracker.on_routes(std::vector{route("10.0.1.1", 4)}, name_of);
  EXPECT_EQ(hosts(changes.removed), (Names{"10.0.0.1"}));
  EXPECT_EQ(hosts(changes.added), (Names{"10.0.1.1"}));
  EXPECT_EQ(changes.added[0].interface, "eth1");
  EXPECT_EQ(hosts(tracker.targets()), (Names{"10.0.1.1"}));
}

TEST(GatewayTracker, DisappearedDefaultRouteKeepsTheLastGateway) {
  GatewayTracker tracker;
  tracker.on_routes(std::vector{route("10.0.0.1", 3), route("fe80::1", 3)}, name_of);
  // Wi-Fi lost: the IPv4 route goes first, then the IPv6 one.
  auto changes = tracker.on_routes(std::vector{route("fe80::1", 3)}, name_of);
  EXPECT_TRUE(changes.added.empty());
  EXPECT_TRUE(changes.removed.empty());
  EXPECT_EQ(hosts(changes.kept), (Names{"10.0.0.1"}));
  changes = tracker.on_routes({}, name_of);
  EXPECT_TRUE(changes.removed.empty());
  EXPECT_EQ(hosts(changes.kept), (Names{"fe80::1%wlan0"}));
  EXPECT_TRUE(tracker.on_routes({}, name_of).empty()) << "kept is said once";
  EXPECT_EQ(hosts(tracker.targets()), (Names{"10.0.0.1", "fe80::1%wlan0"}));
  // Back on another network: the new gateway replaces the kept one.
  changes = tracker.on_routes(std::vector{route("172.16.0.1", 3)}, name_of);
  EXPECT_EQ(hosts(changes.removed), (Names{"10.0.0.1"}));
  EXPECT_EQ(hosts(changes.added), (Names{"172.16.0.1"}));
  EXPECT_EQ(hosts(tracker.targets()), (Names{"172.16.0.1", "fe80::1%wlan0"}));
}

TEST(GatewayTracker, DefaultRouteWithoutGatewayCountsAsGone) {
  GatewayTracker tracker;
  tracker.on_routes(std::vector{route("10.0.0.1", 2)}, name_of);
  // "default dev ppp0": no address to ping; the last gateway stays.
  const std::vector<DefaultRoute> tunnel = {DefaultRoute{Family::v4, 0, {RouteNexthop{std::nullopt, 7}}}};
  const auto changes = tracker.on_routes(tunnel, name_of);
  EXPECT_EQ(hosts(changes.kept), (Names{"10.0.0.1"}));
  EXPECT_EQ(hosts(tracker.targets()), (Names{"10.0.0.1"}));
}

TEST(GatewayTracker, MultipathGivesEveryNexthopAndOnlyTheLowestMetricCounts) {
  GatewayTracker tracker;
  const DefaultRoute ecmp{Family::v4, 100, {RouteNexthop{ip("10.0.0.1"), 2}, RouteNexthop{ip("10.0.1.1"), 4}}};
  const std::vector<DefaultRoute> routes = {route("192.168.9.1", 3, 600), ecmp, route("fd00::1", 2, 1024)};
  const auto changes = tracker.on_routes(routes, name_of);
  EXPECT_EQ(hosts(changes.added), (Names{"10.0.0.1", "10.0.1.1", "fd00::1"})) << "the metric-600 backup is not used";
}

TEST(GatewayTracker, GatewaysPerFamilyAreBounded) {
  DefaultRoute wide{Family::v4, 0, {}};
  for (int i = 1; i <= 20; ++i) wide.nexthops.push_back(RouteNexthop{ip("10.0.0." + std::to_string(i)), 2});
  GatewayTracker tracker;
  EXPECT_EQ(tracker.on_routes(std::vector{wide}, name_of).added.size(), kMaxGatewaysPerFamily);
}

TEST(GatewayTracker, LinkLocalGatewaysOnTwoInterfacesAreTwoTargets) {
  GatewayTracker tracker;
  const auto changes = tracker.on_routes(std::vector{route("fe80::1", 2), route("fe80::1", 3)}, name_of);
  EXPECT_EQ(hosts(changes.added), (Names{"fe80::1%eth0", "fe80::1%wlan0"}));
  // An interface without a name (gone meanwhile) is named by its index.
  GatewayTracker other;
  EXPECT_EQ(hosts(other.on_routes(std::vector{route("fe80::9", 77)}, name_of).added), (Names{"fe80::9%77"}));
}

TEST(GatewayTracker, ConfiguredAddressesAreNeverDuplicated) {
  GatewayTracker tracker;
  EXPECT_TRUE(tracker.set_constraints({ip("10.0.0.1")}, 20).empty());
  auto changes = tracker.on_routes(std::vector{route("10.0.0.1", 2), route("fe80::1", 2)}, name_of);
  EXPECT_EQ(hosts(changes.added), (Names{"fe80::1%eth0"}));
  EXPECT_EQ(changes.added[0].rate, 20u);
  // The configured target goes (a reload): the gateway becomes an automatic target.
  changes = tracker.set_constraints({ip("fe80::1", 2)}, 20);
  EXPECT_EQ(hosts(changes.added), (Names{"10.0.0.1"}));
  EXPECT_EQ(hosts(changes.removed), (Names{"fe80::1%eth0"})) << "now configured, with its scope";
  // A link-local address without the right scope is another address.
  changes = tracker.set_constraints({ip("fe80::1")}, 20);
  EXPECT_EQ(hosts(changes.added), (Names{"fe80::1%eth0"}));
}

TEST(GatewayTracker, RouteGoneWhileConfiguredKeepsTheGatewayForLater) {
  GatewayTracker tracker;
  tracker.set_constraints({ip("10.0.0.1")}, 10);
  tracker.on_routes(std::vector{route("10.0.0.1", 2)}, name_of);
  EXPECT_TRUE(tracker.on_routes({}, name_of).empty()) << "nothing kept: the configured target pings it";
  const auto changes = tracker.set_constraints({}, 10);
  EXPECT_EQ(hosts(changes.added), (Names{"10.0.0.1"})) << "the last gateway, once it is no longer configured";
}

TEST(GatewayTracker, RateChangeRestartsTheTargets) {
  GatewayTracker tracker;
  tracker.on_routes(std::vector{route("10.0.0.1", 2)}, name_of);
  const auto changes = tracker.set_constraints({}, 100);
  ASSERT_EQ(changes.removed.size(), 1u);
  ASSERT_EQ(changes.added.size(), 1u);
  EXPECT_EQ(changes.removed[0].rate, 10u);
  EXPECT_EQ(changes.added[0].rate, 100u);
}

TEST(GatewayTracker, ClearRemovesEverything) {
  GatewayTracker tracker;
  tracker.on_routes(std::vector{route("10.0.0.1", 2), route("fd00::1", 2)}, name_of);
  const auto changes = tracker.clear();
  EXPECT_EQ(hosts(changes.removed), (Names{"10.0.0.1", "fd00::1"}));
  EXPECT_TRUE(tracker.targets().empty());
}
