// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/icmp_packet.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

using namespace zzping::daemon;

namespace {

std::vector<std::uint8_t> ipv4_header(std::uint8_t protocol, std::size_t payload) {
  std::vector<std::uint8_t> h(20, 0);
  h[0] = 0x45;
  h[2] = static_cast<std::uint8_t>((20 + payload) >> 8);
  h[3] = static_cast<std::uint8_t>(20 + payload);
  h[8] = 64;
  h[9] = protocol;
  return h;
}

std::vector<std::uint8_t> request(Family family, std::uint16_t ident, std::uint16_t seq) {
  const std::array<std::uint8_t, 6> payload = {1, 2, 3, 4, 5, 6};
  std::vector<std::uint8_t> out(64);
  out.resize(build_echo_request(family, ident, seq, payload, out));
  return out;
}

// Turns a v4 request into the matching reply (type 0, checksum fixed).
std::vector<std::uint8_t> v4_reply_of(std::vector<std::uint8_t> icmp) {
  icmp[0] = 0;
  icmp[2] = icmp[3] = 0;
  const std::uint16_t sum = internet_checksum(icmp);
  icmp[2] = static_cast<std::uint8_t>(sum >> 8);
  icmp[3] = static_cast<std::uint8_t>(sum);
  return icmp;
}

}  // namespace

TEST(InternetChecksum, KnownVectorFromRfc1071) {
  const std::array<std::uint8_t, 8> data = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(internet_checksum(data), static_cast<std::uint16_t>(~0xddf2));
}

TEST(InternetChecksum, OddLengthPadsWithZero) {
  const std::array<std::uint8_t, 3> odd = {0x12, 0x34, 0x56};
  const std::array<std::uint8_t, 4> even = {0x12, 0x34, 0x56, 0x00};
  EXPECT_EQ(internet_checksum(odd), internet_checksum(even));
}

TEST(EchoRequest, V4HasTypeIdentSeqAndValidChecksum) {
  const auto bytes = request(Family::v4, 0xbeef, 0x0102);
  ASSERT_EQ(bytes.size(), 14u);
  EXPECT_EQ(bytes[0], 8);
  EXPECT_EQ(bytes[4], 0xbe);
  EXPECT_EQ(bytes[5], 0xef);
  EXPECT_EQ(bytes[6], 0x01);
  EXPECT_EQ(bytes[7], 0x02);
  EXPECT_EQ(internet_checksum(bytes), 0);
}

TEST(EchoRequest, V6LeavesChecksumToKernel) {
  const auto bytes = request(Family::v6, 7, 9);
  EXPECT_EQ(bytes[0], 128);
  EXPECT_EQ(bytes[2], 0);
  EXPECT_EQ(bytes[3], 0);
  const auto parsed = parse_echo_request(Family::v6, bytes);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->ident, 7);
  EXPECT_EQ(parsed->seq, 9);
}

TEST(EchoRequest, TooSmallBufferThrows) {
  std::array<std::uint8_t, 10> small{};
  const std::array<std::uint8_t, 6> payload{};
  EXPECT_THROW(build_echo_request(Family::v4, 1, 1, payload, small), std::length_error);
}

TEST(ParseIcmp, V4ReplyWithAndWithoutIpHeader) {
  const auto reply = v4_reply_of(request(Family::v4, 0x1234, 77));
  const auto bare = parse_icmp(Family::v4, false, reply);
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->kind, IcmpKind::echo_reply);
  EXPECT_EQ(bare->ident, 0x1234);
  EXPECT_EQ(bare->seq, 77);
  EXPECT_EQ(bare->payload.size(), 6u);

  auto packet = ipv4_header(1, reply.size());
  packet.insert(packet.end(), reply.begin(), reply.end());
  const auto raw = parse_icmp(Family::v4, true, packet);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->seq, 77);
}

TEST(ParseIcmp, V4BadChecksumIsRejected) {
  auto reply = v4_reply_of(request(Family::v4, 1, 2));
  reply.back() ^= 0xff;
  EXPECT_FALSE(parse_icmp(Family::v4, false, reply));
}

TEST(ParseIcmp, RequestsAndTruncatedPacketsAreNotReplies) {
  const auto req = request(Family::v4, 1, 2);
  EXPECT_FALSE(parse_icmp(Family::v4, false, req));
  const auto reply = v4_reply_of(req);
  EXPECT_FALSE(parse_icmp(Family::v4, false, std::span(reply).first(7)));
  EXPECT_FALSE(parse_icmp(Family::v4, true, std::span(reply).first(19)));
}

TEST(ParseIcmp, V4UnreachableQuotingOurRequest) {
  const auto req = request(Family::v4, 0x4242, 5);
  auto quoted = ipv4_header(1, req.size());
  quoted.insert(quoted.end(), req.begin(), req.end());
  std::vector<std::uint8_t> error = {3, 1, 0, 0, 0, 0, 0, 0};
  error.insert(error.end(), quoted.begin(), quoted.end());
  const std::uint16_t sum = internet_checksum(error);
  error[2] = static_cast<std::uint8_t>(sum >> 8);
  error[3] = static_cast<std::uint8_t>(sum);
  const auto parsed = parse_icmp(Family::v4, false, error);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->kind, IcmpKind::dest_unreachable);
  EXPECT_EQ(parsed->code, 1);
  EXPECT_EQ(parsed->ident, 0x4242);
  EXPECT_EQ(parsed->seq, 5);
  EXPECT_EQ(parsed->payload.size(), 6u);
}

TEST(ParseIcmp, V6ReplyAndTimeExceeded) {
  auto reply = request(Family::v6, 3, 4);
  reply[0] = 129;
  const auto parsed = parse_icmp(Family::v6, false, reply);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->kind, IcmpKind::echo_reply);
  EXPECT_EQ(parsed->seq, 4);

  const auto req = request(Family::v6, 3, 4);
  std::vector<std::uint8_t> error = {3, 0, 0, 0, 0, 0, 0, 0};
  std::vector<std::uint8_t> ip6(40, 0);
  ip6[0] = 0x60;
  ip6[6] = 58;
  error.insert(error.end(), ip6.begin(), ip6.end());
  error.insert(error.end(), req.begin(), req.end());
  const auto exceeded = parse_icmp(Family::v6, false, error);
  ASSERT_TRUE(exceeded);
  EXPECT_EQ(exceeded->kind, IcmpKind::time_exceeded);
  EXPECT_EQ(exceeded->ident, 3);
}

TEST(ParseIcmp, ErrorQuotingSomethingElseIsIgnored) {
  std::vector<std::uint8_t> error = {1, 0, 0, 0, 0, 0, 0, 0};
  std::vector<std::uint8_t> ip6(40, 0);
  ip6[0] = 0x60;
  ip6[6] = 17;  // UDP, not ICMPv6
  error.insert(error.end(), ip6.begin(), ip6.end());
  error.resize(error.size() + 16, 0);
  EXPECT_FALSE(parse_icmp(Family::v6, false, error));
}
