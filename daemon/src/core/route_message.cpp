// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/route_message.hpp"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <climits>
#include <cstring>

namespace zzping::daemon {
namespace {

using Bytes = std::span<const std::uint8_t>;

constexpr std::size_t kHeaderSize = sizeof(nlmsghdr);    // 16
constexpr std::size_t kRouteHeaderSize = sizeof(rtmsg);  // 12
constexpr std::size_t kAttributeHeaderSize = sizeof(rtattr);  // 4
constexpr std::size_t kNexthopHeaderSize = sizeof(rtnexthop);  // 8

constexpr std::size_t align4(std::size_t size) { return (size + 3) & ~std::size_t{3}; }

// Netlink is in host byte order; memcpy because nothing in a datagram is aligned for us.
template <class T>
T read(Bytes bytes, std::size_t at) {
  T value;
  std::memcpy(&value, bytes.data() + at, sizeof(T));
  return value;
}

// Walks rtattr-style attributes (rtattr and the nexthop's attributes share the format).
// Calls visit(type, payload) for each well-formed one; returns false if one overruns.
template <class Visit>
bool for_each_attribute(Bytes area, Visit visit) {
  std::size_t at = 0;
  while (at + kAttributeHeaderSize <= area.size()) {
    const auto attribute = read<rtattr>(area, at);
    if (attribute.rta_len < kAttributeHeaderSize || attribute.rta_len > area.size() - at) return false;
    visit(attribute.rta_type, area.subspan(at + kAttributeHeaderSize, attribute.rta_len - kAttributeHeaderSize));
    at += align4(attribute.rta_len);
  }
  return true;
}

// RTA_GATEWAY holds an address of the route's family; RTA_VIA (RFC 5549, an IPv4 route
// through an IPv6 gateway) a struct rtvia: its own family, then the address.
std::optional<IpAddress> address_of(int family, Bytes bytes) {
  IpAddress address;
  if (family == AF_INET && bytes.size() == 4) {
    address.family = Family::v4;
  } else if (family == AF_INET6 && bytes.size() == 16) {
    address.family = Family::v6;
  } else {
    return std::nullopt;
  }
  std::memcpy(address.bytes.data(), bytes.data(), bytes.size());
  return address;
}

std::optional<IpAddress> via_address(Bytes bytes) {
  if (bytes.size() < sizeof(__kernel_sa_family_t)) return std::nullopt;
  const auto family = read<__kernel_sa_family_t>(bytes, 0);
  return address_of(family, bytes.subspan(sizeof(__kernel_sa_family_t)));
}

// A link-local IPv6 gateway means nothing without its interface.
RouteNexthop make_nexthop(std::optional<IpAddress> gateway, std::uint32_t interface_index) {
  if (gateway && gateway->is_link_local_v6()) gateway->scope_id = interface_index;
  return RouteNexthop{gateway, interface_index};
}

// The nexthops packed in RTA_MULTIPATH: rtnexthop headers, each followed by attributes.
bool read_multipath(int family, Bytes area, std::vector<RouteNexthop>& out) {
  std::size_t at = 0;
  while (at + kNexthopHeaderSize <= area.size()) {
    const auto header = read<rtnexthop>(area, at);
    if (header.rtnh_len < kNexthopHeaderSize || header.rtnh_len > area.size() - at) return false;
    std::optional<IpAddress> gateway;
    const bool ok = for_each_attribute(area.subspan(at + kNexthopHeaderSize, header.rtnh_len - kNexthopHeaderSize),
                                       [&](std::uint16_t type, Bytes payload) {
                                         if (type == RTA_GATEWAY) gateway = address_of(family, payload);
                                         if (type == RTA_VIA) gateway = via_address(payload);
                                       });
    if (!ok) return false;
    if (out.size() < kMaxRouteNexthops) {
      out.push_back(make_nexthop(gateway, header.rtnh_ifindex < 0 ? 0 : static_cast<std::uint32_t>(header.rtnh_ifindex)));
    }
    at += align4(header.rtnh_len);
  }
  return true;
}

// The route in an RTM_NEWROUTE/RTM_DELROUTE payload if it is a unicast default route of
// the main table; `error` set if its attributes are malformed.
std::optional<DefaultRoute> read_route(Bytes payload, std::string& error) {
  if (payload.size() < kRouteHeaderSize) {
    error = "route message shorter than its rtmsg header";
    return std::nullopt;
  }
  const auto header = read<rtmsg>(payload, 0);
  std::uint32_t table = header.rtm_table;
  std::uint32_t metric = 0;
  std::uint32_t interface_index = 0;
  std::optional<IpAddress> gateway;
  std::vector<RouteNexthop> multipath;
  bool multipath_ok = true;
  const bool ok = for_each_attribute(payload.subspan(kRouteHeaderSize), [&](std::uint16_t type, Bytes value) {
    if (type == RTA_TABLE && value.size() == 4) table = read<std::uint32_t>(value, 0);
    if (type == RTA_PRIORITY && value.size() == 4) metric = read<std::uint32_t>(value, 0);
    if (type == RTA_OIF && value.size() == 4) interface_index = read<std::uint32_t>(value, 0);
    if (type == RTA_GATEWAY) gateway = address_of(header.rtm_family, value);
    if (type == RTA_VIA) gateway = via_address(value);
    if (type == RTA_MULTIPATH) multipath_ok = read_multipath(header.rtm_family, value, multipath);
  });
  if (!ok || !multipath_ok) {
    error = ok ? "RTA_MULTIPATH nexthop overruns its attribute" : "route attribute overruns the message";
    return std::nullopt;
  }
  const bool wanted = (header.rtm_family == AF_INET || header.rtm_family == AF_INET6) && header.rtm_dst_len == 0 &&
                      header.rtm_type == RTN_UNICAST && table == RT_TABLE_MAIN && (header.rtm_flags & RTM_F_CLONED) == 0;
  if (!wanted) return std::nullopt;
  DefaultRoute route;
  route.family = header.rtm_family == AF_INET ? Family::v4 : Family::v6;
  route.metric = metric;
  if (!multipath.empty()) {
    route.nexthops = std::move(multipath);
  } else {
    route.nexthops.push_back(make_nexthop(gateway, interface_index));
  }
  return route;
}

}  // namespace

ParsedNetlink parse_netlink(std::span<const std::uint8_t> bytes) {
  ParsedNetlink parsed;
  std::size_t at = 0;
  while (at < bytes.size()) {
    const auto fail = [&](const std::string& what) { parsed.error = what + " at byte " + std::to_string(at); };
    if (bytes.size() - at < kHeaderSize) {
      fail("truncated netlink header (" + std::to_string(bytes.size() - at) + " bytes)");
      break;
    }
    const auto header = read<nlmsghdr>(bytes, at);
    if (header.nlmsg_len < kHeaderSize || header.nlmsg_len > bytes.size() - at) {
      fail("netlink message length " + std::to_string(header.nlmsg_len) + " outside the " +
           std::to_string(bytes.size() - at) + " bytes left");
      break;
    }
    const Bytes payload = bytes.subspan(at + kHeaderSize, header.nlmsg_len - kHeaderSize);
    NetlinkMessage message;
    message.type = header.nlmsg_type;
    message.flags = header.nlmsg_flags;
    message.sequence = header.nlmsg_seq;
    message.port_id = header.nlmsg_pid;
    if (header.nlmsg_type == NLMSG_ERROR || header.nlmsg_type == NLMSG_DONE) {
      // Both start with an int: the negated errno (0 = acknowledgement / dump complete).
      if (payload.size() >= sizeof(int)) {
        const int negated = read<int>(payload, 0);
        message.error = negated == INT_MIN ? INT_MAX : -negated;  // -INT_MIN overflows
      }
    } else if (header.nlmsg_type == RTM_NEWROUTE || header.nlmsg_type == RTM_DELROUTE) {
      std::string error;
      message.default_route = read_route(payload, error);
      if (!error.empty()) {
        fail(error);
        break;
      }
    }
    parsed.messages.push_back(std::move(message));
    at += align4(header.nlmsg_len);
  }
  return parsed;
}

std::array<std::uint8_t, 28> build_route_dump_request(std::uint32_t sequence) {
  std::array<std::uint8_t, 28> bytes{};
  nlmsghdr header{};
  header.nlmsg_len = bytes.size();
  header.nlmsg_type = RTM_GETROUTE;
  header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  header.nlmsg_seq = sequence;
  rtmsg route{};
  route.rtm_family = AF_UNSPEC;  // both families
  std::memcpy(bytes.data(), &header, sizeof(header));
  std::memcpy(bytes.data() + sizeof(header), &route, sizeof(route));
  return bytes;
}

}  // namespace zzping::daemon
