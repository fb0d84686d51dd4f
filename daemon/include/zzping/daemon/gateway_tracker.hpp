// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// gateway = "auto": which default gateways are targets now. Pure: fed the default routes
// of each route dump, it returns the targets to add and to remove.
//   - A family's gateways are the gateway nexthops of its lowest-metric default route(s)
//     that have a gateway (RTA_MULTIPATH: each nexthop), at most kMaxGatewaysPerFamily.
//   - A change of default route replaces them (the new ones added, the old ones removed).
//   - When a family has no default route with a gateway any more (interface down, Wi-Fi
//     lost), its last gateways STAY targets: their probes fail and count as lost, which is
//     the outage the user wants to see.
//   - An address a configured target already pings is never added twice.
#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "zzping/daemon/ip_address.hpp"
#include "zzping/daemon/route_message.hpp"

namespace zzping::daemon {

constexpr std::size_t kMaxGatewaysPerFamily = 4;

struct GatewayTarget {
  IpAddress address;      // scope_id set for a link-local IPv6 gateway
  std::string interface;  // the outgoing interface's name ("" if unknown)
  std::uint32_t rate = 0;
  // The target's name (file folder, stream key): "10.0.0.1", "fe80::1%wlan0".
  std::string host() const;
  friend bool operator==(const GatewayTarget&, const GatewayTarget&) = default;
};

struct GatewayChanges {
  std::vector<GatewayTarget> removed;  // apply first (a changed rate is removed, then added)
  std::vector<GatewayTarget> added;
  // Targets whose family just lost its default route: they stay (for the log).
  std::vector<GatewayTarget> kept;
  bool empty() const { return removed.empty() && added.empty() && kept.empty(); }
};

class GatewayTracker {
 public:
  // Interface index -> name ("" if unknown); called only for the chosen nexthops.
  using InterfaceName = std::function<std::string(std::uint32_t index)>;

  // The default routes now (both families, a whole route dump's worth).
  GatewayChanges on_routes(std::span<const DefaultRoute> routes, const InterfaceName& name_of);
  // The addresses configured targets ping, and the rate of automatic targets, changed
  // (a reload, a name resolved): decide again with the same routes.
  GatewayChanges set_constraints(std::vector<IpAddress> taken, std::uint32_t rate);
  // gateway = "off": every automatic target goes.
  GatewayChanges clear();

  const std::vector<GatewayTarget>& targets() const { return targets_; }

 private:
  struct Gateway {
    IpAddress address;
    std::string interface;
    friend bool operator==(const Gateway&, const Gateway&) = default;
  };
  static std::vector<Gateway> gateways_of(std::span<const DefaultRoute> routes, Family family,
                                          const InterfaceName& name_of);
  GatewayChanges decide(const std::array<bool, 2>& route_lost);

  std::array<std::vector<Gateway>, 2> last_;  // per family (v4, v6): the last gateways seen
  std::array<bool, 2> routed_{};              // per family: a default route with a gateway now
  std::vector<IpAddress> taken_;
  std::uint32_t rate_ = 10;
  std::vector<GatewayTarget> targets_;
};

}  // namespace zzping::daemon
