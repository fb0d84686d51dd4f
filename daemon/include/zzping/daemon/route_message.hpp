// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// NETLINK_ROUTE messages as the kernel sends them (a route dump's answer, notifications):
// which are default routes of the main table, and through which gateway(s). Pure: bytes
// in, values out; every length is checked against the buffer (the kernel's bytes are
// input like any other; fuzz/route_parse.cpp).
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "zzping/daemon/ip_address.hpp"

namespace zzping::daemon {

// One way out of a default route: a gateway address (if the route has one; a
// point-to-point "default dev ppp0" has none) and the outgoing interface.
struct RouteNexthop {
  std::optional<IpAddress> gateway;  // link-local IPv6: scope_id = interface_index
  std::uint32_t interface_index = 0;  // 0: not given
  friend bool operator==(const RouteNexthop&, const RouteNexthop&) = default;
};

// A unicast default route (destination length 0) of the main table.
struct DefaultRoute {
  Family family = Family::v4;
  std::uint32_t metric = 0;  // RTA_PRIORITY; the kernel prefers the lowest
  std::vector<RouteNexthop> nexthops;  // one, or those of RTA_MULTIPATH
  friend bool operator==(const DefaultRoute&, const DefaultRoute&) = default;
};

// The nexthops kept per route: a default route with more is cut there (bounded work).
constexpr std::size_t kMaxRouteNexthops = 32;

struct NetlinkMessage {
  std::uint16_t type = 0;   // RTM_NEWROUTE, RTM_DELROUTE, NLMSG_DONE, NLMSG_ERROR, ...
  std::uint16_t flags = 0;  // NLM_F_MULTI, NLM_F_DUMP_INTR, ...
  std::uint32_t sequence = 0;
  std::uint32_t port_id = 0;  // 0: from the kernel unasked (a notification)
  int error = 0;  // NLMSG_ERROR / NLMSG_DONE: the errno the kernel reported (positive), else 0
  // RTM_NEWROUTE / RTM_DELROUTE of a default route of the main table; else nullopt.
  std::optional<DefaultRoute> default_route;
};

struct ParsedNetlink {
  std::vector<NetlinkMessage> messages;  // every well-formed message, in order
  // Non-empty: what was malformed and at which byte offset; parsing stopped there.
  std::string error;
};

// Parses one datagram read from a NETLINK_ROUTE socket (one or more messages).
ParsedNetlink parse_netlink(std::span<const std::uint8_t> bytes);

// An RTM_GETROUTE dump request for both families, with this sequence number.
std::array<std::uint8_t, 28> build_route_dump_request(std::uint32_t sequence);

}  // namespace zzping::daemon
