// SPDX-License-Identifier: GPL-3.0-or-later
// parse_netlink: default routes from NETLINK_ROUTE messages. The hex strings are real
// kernel messages captured in a throw-away namespace (Linux 6.1: a route dump's answers and
// the notifications of `ip route del`); the builder below makes the cases a kernel rarely
// sends (RTA_VIA, a table above 255, malformed lengths).
#include "zzping/daemon/route_message.hpp"

#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>
#include <string>
#include <vector>

using namespace zzping::daemon;

namespace {

std::vector<std::uint8_t> from_hex(const std::string& hex) {
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) bytes.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return bytes;
}

IpAddress address(const std::string& text, std::uint32_t scope = 0) {
  auto parsed = IpAddress::parse(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  parsed->scope_id = scope;
  return *parsed;
}

// Captured: `ip route add default via 10.9.1.254 dev a0 metric 100` (a0 = index 3), as a dump answer.
const std::string kV4Default =
    "3c00000018000200070000003761000002000000fe0300010000000008000f00fe0000000800060064000000080005000a0901fe0800"
    "040003000000";
// Captured: `ip route add default metric 200 nexthop via 10.9.1.253 dev a0 nexthop via 10.9.2.254 dev b0`.
const std::string kV4Multipath =
    "5000000018000200070000003761000002000000fe0300010000000008000f00fe00000008000600c8000000240009001000000003"
    "000000080005000a0901fd1000000005000000080005000a0902fe";
// Captured: `ip -6 route add default via fe80::1 dev a0` (metric 1024).
const std::string kV6LinkLocal =
    "740000001800020007000000376100000a000000fe0300010000000008000f00fe000000080006000004000014000500fe8000000000"
    "0000000000000000000108000400030000002400"
    "0c0000000000000000000000000000000000000000000000000000000000000000000500140000000000";
// Captured notifications: `ip route del default via 10.9.1.254` and `ip -6 route del default`.
const std::string kV4Deleted =
    "3c000000190000002f79146b4b62000002000000fe0300010000000008000f00fe0000000800060064000000080005000a0901fe0800"
    "040003000000";
const std::string kV6Deleted =
    "74000000190000003379146b816200000a000000fe0300010000000008000f00fe000000080006000004000014000500fe8000000000"
    "0000000000000000000108000400030000002400"
    "0c0000000000000000000000000000000000000000000000000000000000000000000500140000000000";
// Captured: a local-table IPv6 route (fe80::.../128) in the same notification stream.
const std::string kV6LocalTable =
    "740000001800000600000000000000000a800000ff0200020000000008000f00ff00000014000100fe80000000000000643ee4fffec6"
    "a0c10800060000000000080004000300000024000c00000000000000000000000000000000000000000000000000000000000000000005"
    "00140000000000";

// Builds route messages attribute by attribute.
class Message {
 public:
  Message(std::uint16_t type, std::uint8_t family, std::uint8_t dst_len = 0, std::uint8_t table = RT_TABLE_MAIN) {
    nlmsghdr header{};
    header.nlmsg_type = type;
    header.nlmsg_seq = 5;
    append(&header, sizeof(header));
    rtmsg route{};
    route.rtm_family = family;
    route.rtm_dst_len = dst_len;
    route.rtm_table = table;
    route.rtm_type = RTN_UNICAST;
    append(&route, sizeof(route));
  }
  Message& attribute(std::uint16_t type, const void* data, std::size_t size) {
    rtattr header{static_cast<unsigned short>(sizeof(rtattr) + size), type};
    append(&header, sizeof(header));
    append(data, size);
    pad();
    return *this;
  }
  Message& u32(std::uint16_t type, std::uint32_t value) { return attribute(type, &value, 4); }
  Message& route_type(std::uint8_t type) {
    bytes_[sizeof(nlmsghdr) + offsetof(rtmsg, rtm_type)] = type;
    return *this;
  }
  Message& route_flags(std::uint32_t flags) {
    std::memcpy(bytes_.data() + sizeof(nlmsghdr) + offsetof(rtmsg, rtm_flags), &flags, 4);
    return *this;
  }
  std::vector<std::uint8_t> bytes() const {
    auto out = bytes_;
    const auto length = static_cast<std::uint32_t>(out.size());
    std::memcpy(out.data(), &length, 4);
    return out;
  }

 private:
  void append(const void* data, std::size_t size) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    bytes_.insert(bytes_.end(), p, p + size);
  }
  void pad() {
    while (bytes_.size() % 4 != 0) bytes_.push_back(0);
  }
  std::vector<std::uint8_t> bytes_;
};

std::vector<std::uint8_t> concat(std::vector<std::vector<std::uint8_t>> parts) {
  std::vector<std::uint8_t> out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

std::vector<std::uint8_t> done_message(std::uint32_t sequence, int negated_errno, std::uint16_t flags = NLM_F_MULTI) {
  nlmsghdr header{};
  header.nlmsg_len = sizeof(header) + sizeof(int);
  header.nlmsg_type = NLMSG_DONE;
  header.nlmsg_flags = flags;
  header.nlmsg_seq = sequence;
  std::vector<std::uint8_t> out(header.nlmsg_len);
  std::memcpy(out.data(), &header, sizeof(header));
  std::memcpy(out.data() + sizeof(header), &negated_errno, sizeof(int));
  return out;
}

}  // namespace

TEST(RouteMessage, CapturedIpv4DefaultRoute) {
  const auto parsed = parse_netlink(from_hex(kV4Default));
  EXPECT_EQ(parsed.error, "");
  ASSERT_EQ(parsed.messages.size(), 1u);
  const NetlinkMessage& message = parsed.messages[0];
  EXPECT_EQ(message.type, RTM_NEWROUTE);
  EXPECT_EQ(message.sequence, 7u);
  EXPECT_NE(message.flags & NLM_F_MULTI, 0);
  ASSERT_TRUE(message.default_route.has_value());
  EXPECT_EQ(message.default_route->family, Family::v4);
  EXPECT_EQ(message.default_route->metric, 100u);
  ASSERT_EQ(message.default_route->nexthops.size(), 1u);
  EXPECT_EQ(message.default_route->nexthops[0], (RouteNexthop{address("10.9.1.254"), 3}));
}

TEST(RouteMessage, CapturedIpv4MultipathGivesEveryNexthop) {
  const auto parsed = parse_netlink(from_hex(kV4Multipath));
  ASSERT_EQ(parsed.messages.size(), 1u);
  const auto& route = parsed.messages[0].default_route;
  ASSERT_TRUE(route.has_value());
  EXPECT_EQ(route->metric, 200u);
  EXPECT_EQ(route->nexthops,
            (std::vector<RouteNexthop>{{address("10.9.1.253"), 3}, {address("10.9.2.254"), 5}}));
}

TEST(RouteMessage, CapturedIpv6LinkLocalGatewayGetsTheInterfaceAsScope) {
  const auto parsed = parse_netlink(from_hex(kV6LinkLocal));
  ASSERT_EQ(parsed.messages.size(), 1u);
  const auto& route = parsed.messages[0].default_route;
  ASSERT_TRUE(route.has_value());
  EXPECT_EQ(route->family, Family::v6);
  EXPECT_EQ(route->metric, 1024u);
  ASSERT_EQ(route->nexthops.size(), 1u);
  EXPECT_EQ(route->nexthops[0].gateway, address("fe80::1", 3));
  EXPECT_EQ(route->nexthops[0].interface_index, 3u);
}

TEST(RouteMessage, CapturedDeletionsAreParsedLikeAdditions) {
  const auto parsed = parse_netlink(concat({from_hex(kV4Deleted), from_hex(kV6Deleted)}));
  EXPECT_EQ(parsed.error, "");
  ASSERT_EQ(parsed.messages.size(), 2u);
  for (const auto& message : parsed.messages) {
    EXPECT_EQ(message.type, RTM_DELROUTE);
    // A notification caused by a request carries the requester's port (here `ip`'s).
    EXPECT_EQ(message.port_id, message.type == RTM_DELROUTE && message.default_route->family == Family::v4 ? 0x624bu : 0x6281u);
    ASSERT_TRUE(message.default_route.has_value());
  }
  EXPECT_EQ(parsed.messages[0].default_route->nexthops[0].gateway, address("10.9.1.254"));
  EXPECT_EQ(parsed.messages[1].default_route->nexthops[0].gateway, address("fe80::1", 3));
}

TEST(RouteMessage, OtherRoutesAreMessagesWithoutADefaultRoute) {
  const auto local = parse_netlink(from_hex(kV6LocalTable));
  ASSERT_EQ(local.messages.size(), 1u);
  EXPECT_FALSE(local.messages[0].default_route.has_value()) << "local table, /128";
  const std::uint8_t net[4] = {10, 0, 0, 0};
  const std::uint8_t gateway[4] = {10, 0, 0, 1};
  const auto not_default = Message(RTM_NEWROUTE, AF_INET, 8).attribute(RTA_DST, net, 4).attribute(RTA_GATEWAY, gateway, 4);
  const auto other_table = Message(RTM_NEWROUTE, AF_INET, 0, 100).attribute(RTA_GATEWAY, gateway, 4);
  const auto blackhole = Message(RTM_NEWROUTE, AF_INET).route_type(RTN_BLACKHOLE);
  const auto cloned = Message(RTM_NEWROUTE, AF_INET6).route_flags(RTM_F_CLONED);
  const auto parsed = parse_netlink(concat({not_default.bytes(), other_table.bytes(), blackhole.bytes(), cloned.bytes()}));
  EXPECT_EQ(parsed.error, "");
  ASSERT_EQ(parsed.messages.size(), 4u);
  for (const auto& message : parsed.messages) EXPECT_FALSE(message.default_route.has_value());
}

TEST(RouteMessage, TableAttributeOverridesTheHeaderAndNoGatewayIsKept) {
  // A table number above 255 is only in RTA_TABLE (the header says RT_TABLE_UNSPEC).
  const auto high_table = Message(RTM_NEWROUTE, AF_INET, 0, RT_TABLE_UNSPEC).u32(RTA_TABLE, 1000).u32(RTA_OIF, 2);
  const auto main_in_attribute = Message(RTM_NEWROUTE, AF_INET, 0, RT_TABLE_UNSPEC).u32(RTA_TABLE, RT_TABLE_MAIN).u32(RTA_OIF, 9);
  const auto parsed = parse_netlink(concat({high_table.bytes(), main_in_attribute.bytes()}));
  ASSERT_EQ(parsed.messages.size(), 2u);
  EXPECT_FALSE(parsed.messages[0].default_route.has_value());
  ASSERT_TRUE(parsed.messages[1].default_route.has_value());
  // "default dev ppp0": a default route without a gateway address.
  EXPECT_EQ(parsed.messages[1].default_route->nexthops, (std::vector<RouteNexthop>{{std::nullopt, 9}}));
}

TEST(RouteMessage, ViaAttributeGivesAnIpv6GatewayToAnIpv4Route) {
  std::uint8_t via[2 + 16] = {};
  const std::uint16_t family = AF_INET6;
  std::memcpy(via, &family, 2);
  const auto gateway = address("fe80::7");
  std::memcpy(via + 2, gateway.bytes.data(), 16);
  const auto message = Message(RTM_NEWROUTE, AF_INET).attribute(RTA_VIA, via, sizeof(via)).u32(RTA_OIF, 4);
  const auto parsed = parse_netlink(message.bytes());
  ASSERT_TRUE(parsed.messages.at(0).default_route.has_value());
  EXPECT_EQ(parsed.messages[0].default_route->family, Family::v4);
  EXPECT_EQ(parsed.messages[0].default_route->nexthops[0].gateway, address("fe80::7", 4));
}

TEST(RouteMessage, DoneAndErrorCarryTheKernelsErrno) {
  nlmsghdr error_header{};
  error_header.nlmsg_len = sizeof(nlmsghdr) + sizeof(nlmsgerr);
  error_header.nlmsg_type = NLMSG_ERROR;
  error_header.nlmsg_seq = 9;
  std::vector<std::uint8_t> error(error_header.nlmsg_len);
  std::memcpy(error.data(), &error_header, sizeof(error_header));
  const int eperm = -EPERM;
  std::memcpy(error.data() + sizeof(nlmsghdr), &eperm, sizeof(int));
  const auto parsed = parse_netlink(concat({done_message(8, 0, NLM_F_MULTI | NLM_F_DUMP_INTR), error, done_message(10, INT32_MIN)}));
  EXPECT_EQ(parsed.error, "");
  ASSERT_EQ(parsed.messages.size(), 3u);
  EXPECT_EQ(parsed.messages[0].type, NLMSG_DONE);
  EXPECT_EQ(parsed.messages[0].error, 0);
  EXPECT_NE(parsed.messages[0].flags & NLM_F_DUMP_INTR, 0);
  EXPECT_EQ(parsed.messages[1].type, NLMSG_ERROR);
  EXPECT_EQ(parsed.messages[1].error, EPERM);
  EXPECT_EQ(parsed.messages[1].sequence, 9u);
  EXPECT_EQ(parsed.messages[2].error, INT32_MAX) << "INT_MIN cannot be negated";
}

TEST(RouteMessage, MalformedLengthsStopWithTheOffsetNamed) {
  const auto good = from_hex(kV4Default);
  auto truncated = good;
  truncated.resize(truncated.size() - 4);  // the header still claims the full length
  auto parsed = parse_netlink(concat({good, truncated}));
  EXPECT_EQ(parsed.messages.size(), 1u) << "the good message before the bad one is kept";
  EXPECT_EQ(parsed.error, "netlink message length 60 outside the 56 bytes left at byte 60");

  parsed = parse_netlink(std::vector<std::uint8_t>(good.begin(), good.begin() + 10));
  EXPECT_EQ(parsed.error, "truncated netlink header (10 bytes) at byte 0");

  auto short_length = good;
  short_length[0] = 8;  // shorter than the header itself
  EXPECT_EQ(parse_netlink(short_length).error, "netlink message length 8 outside the 60 bytes left at byte 0");

  auto overrun = good;
  overrun[28] = 0xff;  // the first attribute (RTA_TABLE) claims 255 bytes
  EXPECT_EQ(parse_netlink(overrun).error, "route attribute overruns the message at byte 0");

  auto nexthop_overrun = from_hex(kV4Multipath);
  nexthop_overrun[48] = 0x40;  // the first nexthop claims 64 bytes inside a 36-byte RTA_MULTIPATH
  EXPECT_EQ(parse_netlink(nexthop_overrun).error, "RTA_MULTIPATH nexthop overruns its attribute at byte 0");

  const auto no_rtmsg = Message(RTM_DELROUTE, AF_INET).bytes();
  std::vector<std::uint8_t> cut(no_rtmsg.begin(), no_rtmsg.begin() + 20);
  cut[0] = 20;
  EXPECT_EQ(parse_netlink(cut).error, "route message shorter than its rtmsg header at byte 0");
}

TEST(RouteMessage, NexthopsAreBounded) {
  std::vector<std::uint8_t> multipath;
  for (int i = 0; i < 100; ++i) {
    rtnexthop hop{};
    hop.rtnh_len = sizeof(rtnexthop) + 8;
    hop.rtnh_ifindex = 2;
    const rtattr attribute{8, RTA_GATEWAY};
    const std::uint8_t gateway[4] = {10, 0, 0, static_cast<std::uint8_t>(i)};
    const auto* h = reinterpret_cast<const std::uint8_t*>(&hop);
    multipath.insert(multipath.end(), h, h + sizeof(hop));
    const auto* a = reinterpret_cast<const std::uint8_t*>(&attribute);
    multipath.insert(multipath.end(), a, a + sizeof(attribute));
    multipath.insert(multipath.end(), gateway, gateway + 4);
  }
  const auto message = Message(RTM_NEWROUTE, AF_INET).attribute(RTA_MULTIPATH, multipath.data(), multipath.size());
  const auto parsed = parse_netlink(message.bytes());
  EXPECT_EQ(parsed.error, "");
  ASSERT_TRUE(parsed.messages.at(0).default_route.has_value());
  EXPECT_EQ(parsed.messages[0].default_route->nexthops.size(), kMaxRouteNexthops);
}

TEST(RouteMessage, DumpRequestAsksForAllFamilies) {
  const auto request = build_route_dump_request(42);
  nlmsghdr header{};
  std::memcpy(&header, request.data(), sizeof(header));
  EXPECT_EQ(header.nlmsg_len, request.size());
  EXPECT_EQ(header.nlmsg_type, RTM_GETROUTE);
  EXPECT_EQ(header.nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
  EXPECT_EQ(header.nlmsg_seq, 42u);
  EXPECT_EQ(request[sizeof(nlmsghdr)], AF_UNSPEC);
}
