// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: parse_netlink on arbitrary bytes (what a NETLINK_ROUTE socket delivers),
// then the GatewayTracker on the default routes found. Beyond "no crash":
//   - a malformed buffer stops with an error naming an offset; the messages before it stay;
//   - every default route has 1..kMaxRouteNexthops nexthops; a link-local IPv6 gateway
//     carries its nexthop's interface as scope, any other gateway none;
//   - the tracker never targets a configured (taken) address, never more than
//     kMaxGatewaysPerFamily per family, never the same target twice, and its changes
//     turn the old target list into the new one.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "zzping/daemon/gateway_tracker.hpp"
#include "zzping/daemon/route_message.hpp"

namespace {

using namespace zzping::daemon;

void check(bool condition) {
  if (!condition) std::abort();
}

void check_route(const DefaultRoute& route) {
  check(!route.nexthops.empty() && route.nexthops.size() <= kMaxRouteNexthops);
  for (const RouteNexthop& hop : route.nexthops) {
    if (!hop.gateway) continue;
    if (hop.gateway->is_link_local_v6()) {
      check(hop.gateway->scope_id == hop.interface_index);
    } else {
      check(hop.gateway->scope_id == 0);
    }
  }
}

void check_tracker(const std::vector<DefaultRoute>& routes) {
  GatewayTracker tracker;
  std::vector<IpAddress> taken;
  if (!routes.empty() && routes[0].nexthops[0].gateway) taken.push_back(*routes[0].nexthops[0].gateway);
  tracker.set_constraints(taken, 10);
  std::vector<GatewayTarget> before;
  for (std::size_t cut = 0; cut <= routes.size(); ++cut) {
    const auto changes = tracker.on_routes(std::span(routes).first(routes.size() - cut), [](std::uint32_t) { return "x"; });
    std::vector<GatewayTarget> expected;
    for (const auto& target : before) {
      if (std::find(changes.removed.begin(), changes.removed.end(), target) == changes.removed.end()) expected.push_back(target);
    }
    expected.insert(expected.end(), changes.added.begin(), changes.added.end());
    auto got = tracker.targets();
    const auto order = [](const GatewayTarget& a, const GatewayTarget& b) { return a.host() < b.host(); };
    std::sort(expected.begin(), expected.end(), order);
    std::sort(got.begin(), got.end(), order);
    check(expected == got);
    std::size_t per_family[2] = {0, 0};
    for (std::size_t i = 0; i < got.size(); ++i) {
      check(std::find(taken.begin(), taken.end(), got[i].address) == taken.end());
      check(i == 0 || !(got[i] == got[i - 1]));
      ++per_family[got[i].address.family == Family::v4 ? 0 : 1];
    }
    check(per_family[0] <= kMaxGatewaysPerFamily && per_family[1] <= kMaxGatewaysPerFamily);
    before = tracker.targets();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  const ParsedNetlink parsed = parse_netlink(bytes);
  std::vector<DefaultRoute> routes;
  for (const NetlinkMessage& message : parsed.messages) {
    if (!message.default_route) continue;
    check_route(*message.default_route);
    routes.push_back(*message.default_route);
  }
  if (!parsed.error.empty()) {
    check(parsed.error.find(" at byte ") != std::string::npos);
  } else {
    check(size == 0 || !parsed.messages.empty());
  }
  check_tracker(routes);
  return 0;
}
