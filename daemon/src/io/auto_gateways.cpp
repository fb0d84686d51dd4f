// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/auto_gateways.hpp"

#include <net/if.h>
#include <spdlog/spdlog.h>

#include <system_error>

#include "zzping/daemon/route_monitor.hpp"

namespace zzping::daemon {
namespace {

std::string interface_name(std::uint32_t index) {
  char name[IF_NAMESIZE] = {};
  return if_indextoname(index, name) != nullptr ? std::string(name) : std::string();
}

std::string via(const GatewayTarget& target) {
  return target.interface.empty() ? std::string() : " (via " + target.interface + ")";
}

}  // namespace

AutoGateways::AutoGateways(asio::io_context& io, Apply apply) : apply_(std::move(apply)) {
  try {
    monitor_ = std::make_unique<RouteMonitor>(io, [this](const std::vector<DefaultRoute>& routes) { on_routes(routes); });
    spdlog::info("gateway auto: watching the routing table for default gateways");
  } catch (const std::system_error& error) {
    spdlog::error("gateway auto: cannot watch the routing table ({}); no gateway targets are added", error.what());
  }
}

AutoGateways::~AutoGateways() = default;

void AutoGateways::set_constraints(std::vector<IpAddress> taken, std::uint32_t rate) {
  apply(tracker_.set_constraints(std::move(taken), rate));
}

void AutoGateways::stop() {
  monitor_.reset();
  apply(tracker_.clear());
}

void AutoGateways::on_routes(const std::vector<DefaultRoute>& routes) {
  apply(tracker_.on_routes(routes, interface_name));
  if (first_routes_ && tracker_.targets().empty()) {
    spdlog::info("gateway auto: no default route with a gateway (or only configured targets' addresses); waiting for one");
  }
  first_routes_ = false;
}

void AutoGateways::apply(const GatewayChanges& changes) {
  for (const auto& target : changes.removed) spdlog::info("gateway auto: removed {}{}", target.host(), via(target));
  for (const auto& target : changes.added) {
    spdlog::info("gateway auto: added {}{} at {} probes/s", target.host(), via(target), target.rate);
  }
  for (const auto& target : changes.kept) {
    spdlog::warn("gateway auto: the IPv{} default route is gone; keeping {}{} as a target (its probes fail and count as lost)",
                 target.address.family == Family::v4 ? 4 : 6, target.host(), via(target));
  }
  if (!changes.removed.empty() || !changes.added.empty()) apply_(changes);
}

}  // namespace zzping::daemon
