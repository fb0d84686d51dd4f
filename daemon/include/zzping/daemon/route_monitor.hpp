// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Watches the routing table through a NETLINK_ROUTE socket on the loop's io_context
// (non-blocking: the pinger never waits for it). At start, and after every notification
// of a route, link or address change, it dumps the routes (RTM_GETROUTE) and hands over
// all default routes of the main table. A dump after each notification, rather than
// applying each RTM_NEWROUTE/RTM_DELROUTE: the kernel removes IPv4 routes silently when a
// link goes down or an address goes, so only a fresh dump is sure to be the table as it is.
#include <functional>
#include <memory>
#include <vector>

#include "zzping/daemon/route_message.hpp"

namespace asio { class io_context; }

namespace zzping::daemon {

class RouteMonitor {
 public:
  // Called on the loop thread with the default routes of each complete, consistent dump.
  using OnRoutes = std::function<void(const std::vector<DefaultRoute>&)>;
  // Opens and subscribes the socket and asks for the first dump. Throws std::system_error.
  RouteMonitor(asio::io_context& io, OnRoutes on_routes);
  RouteMonitor(const RouteMonitor&) = delete;
  RouteMonitor& operator=(const RouteMonitor&) = delete;
  ~RouteMonitor();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace zzping::daemon
