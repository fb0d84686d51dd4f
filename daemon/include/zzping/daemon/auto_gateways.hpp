// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// gateway = "auto" in the daemon: the RouteMonitor's default routes go through the
// GatewayTracker; its decisions are logged ("gateway auto: added 10.0.0.1 (via wlan0)")
// and handed to GatewayFollower, which adds and removes the hosts like a reload does.
#include <functional>
#include <memory>
#include <vector>

#include "zzping/daemon/gateway_tracker.hpp"

namespace asio { class io_context; }

namespace zzping::daemon {

class RouteMonitor;

class AutoGateways {
 public:
  using Apply = std::function<void(const GatewayChanges&)>;
  // Starts watching the routing table. If netlink cannot be used, says so in the log and
  // adds no target (the daemon goes on with the configured ones).
  AutoGateways(asio::io_context& io, Apply apply);
  AutoGateways(const AutoGateways&) = delete;
  AutoGateways& operator=(const AutoGateways&) = delete;
  ~AutoGateways();

  // The addresses the configured targets ping (never added twice) and the probe rate.
  void set_constraints(std::vector<IpAddress> taken, std::uint32_t rate);
  // gateway = "off" after a reload: every automatic target is removed.
  void stop();

 private:
  void on_routes(const std::vector<DefaultRoute>& routes);
  void apply(const GatewayChanges& changes);

  GatewayTracker tracker_;
  Apply apply_;
  bool first_routes_ = true;
  std::unique_ptr<RouteMonitor> monitor_;
};

}  // namespace zzping::daemon
