// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/gateway_tracker.hpp"

#include <algorithm>
#include <limits>

namespace zzping::daemon {
namespace {

std::size_t slot_of(Family family) { return family == Family::v4 ? 0 : 1; }

template <class T>
bool contains(const std::vector<T>& items, const T& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

bool is_gateway_of(const RouteNexthop& hop, Family family) { return hop.gateway && hop.gateway->family == family; }

bool has_gateway_of(const DefaultRoute& route, Family family) {
  return std::any_of(route.nexthops.begin(), route.nexthops.end(), [&](const auto& hop) { return is_gateway_of(hop, family); });
}

}  // namespace

std::string GatewayTarget::host() const {
  std::string name = address.to_string();
  if (address.scope_id != 0) name += "%" + (interface.empty() ? std::to_string(address.scope_id) : interface);
  return name;
}

// An IPv4 route through an IPv6 gateway (RTA_VIA) counts for the gateway's family: that
// is the address that gets pinged.
std::vector<GatewayTracker::Gateway> GatewayTracker::gateways_of(std::span<const DefaultRoute> routes, Family family,
                                                                 const InterfaceName& name_of) {
  std::uint32_t best = std::numeric_limits<std::uint32_t>::max();
  bool any = false;
  for (const DefaultRoute& route : routes) {
    if (!has_gateway_of(route, family)) continue;
    best = std::min(best, route.metric);
    any = true;
  }
  std::vector<Gateway> out;
  if (!any) return out;
  for (const DefaultRoute& route : routes) {
    if (route.metric != best) continue;
    for (const RouteNexthop& hop : route.nexthops) {
      if (!is_gateway_of(hop, family) || out.size() == kMaxGatewaysPerFamily) continue;
      const bool seen = std::any_of(out.begin(), out.end(), [&](const Gateway& g) { return g.address == *hop.gateway; });
      if (!seen) out.push_back(Gateway{*hop.gateway, hop.interface_index == 0 ? "" : name_of(hop.interface_index)});
    }
  }
  return out;
}

GatewayChanges GatewayTracker::on_routes(std::span<const DefaultRoute> routes, const InterfaceName& name_of) {
  std::array<bool, 2> route_lost{};
  for (const Family family : {Family::v4, Family::v6}) {
    const std::size_t slot = slot_of(family);
    auto gateways = gateways_of(routes, family, name_of);
    if (!gateways.empty()) {
      last_[slot] = std::move(gateways);
      routed_[slot] = true;
    } else if (routed_[slot]) {
      routed_[slot] = false;  // last_ stays: the last gateways remain targets
      route_lost[slot] = true;
    }
  }
  return decide(route_lost);
}

GatewayChanges GatewayTracker::set_constraints(std::vector<IpAddress> taken, std::uint32_t rate) {
  taken_ = std::move(taken);
  rate_ = rate;
  return decide({});
}

GatewayChanges GatewayTracker::clear() {
  last_ = {};
  routed_ = {};
  return decide({});
}

GatewayChanges GatewayTracker::decide(const std::array<bool, 2>& route_lost) {
  std::vector<GatewayTarget> wanted;
  for (const auto& family_gateways : last_) {
    for (const Gateway& gateway : family_gateways) {
      if (!contains(taken_, gateway.address)) wanted.push_back(GatewayTarget{gateway.address, gateway.interface, rate_});
    }
  }
  GatewayChanges changes;
  for (const auto& target : targets_) {
    if (!contains(wanted, target)) changes.removed.push_back(target);
  }
  for (const auto& target : wanted) {
    if (!contains(targets_, target)) changes.added.push_back(target);
    if (route_lost[slot_of(target.address.family)]) changes.kept.push_back(target);
  }
  targets_ = std::move(wanted);
  return changes;
}

}  // namespace zzping::daemon
