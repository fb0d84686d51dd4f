// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/icmp_packet.hpp"

#include <stdexcept>

namespace zzping::daemon {
namespace {

constexpr std::uint8_t kV4EchoReply = 0;
constexpr std::uint8_t kV4DestUnreachable = 3;
constexpr std::uint8_t kV4EchoRequest = 8;
constexpr std::uint8_t kV4TimeExceeded = 11;
constexpr std::uint8_t kV6DestUnreachable = 1;
constexpr std::uint8_t kV6TimeExceeded = 3;
constexpr std::uint8_t kV6EchoRequest = 128;
constexpr std::uint8_t kV6EchoReply = 129;
constexpr std::uint8_t kProtoIcmp = 1;
constexpr std::uint8_t kProtoIcmpV6 = 58;
constexpr std::size_t kIpv6HeaderSize = 40;

std::uint16_t read_be16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

// Length of an IPv4 header at the start of `packet`, or 0 if it is not a plausible one.
std::size_t ipv4_header_length(std::span<const std::uint8_t> packet, std::uint8_t want_proto) {
  if (packet.size() < 20 || (packet[0] >> 4) != 4) return 0;
  const std::size_t ihl = static_cast<std::size_t>(packet[0] & 0x0f) * 4;
  if (ihl < 20 || packet.size() < ihl || packet[9] != want_proto) return 0;
  return ihl;
}

std::optional<IcmpKind> error_kind(Family family, std::uint8_t type) {
  if (family == Family::v4) {
    if (type == kV4DestUnreachable) return IcmpKind::dest_unreachable;
    if (type == kV4TimeExceeded) return IcmpKind::time_exceeded;
  } else {
    if (type == kV6DestUnreachable) return IcmpKind::dest_unreachable;
    if (type == kV6TimeExceeded) return IcmpKind::time_exceeded;
  }
  return std::nullopt;
}

// The echo request quoted inside an ICMP error (after the error's 8-byte header).
std::optional<ParsedIcmp> parse_quoted_request(Family family, std::span<const std::uint8_t> quoted) {
  std::size_t inner_header = 0;
  if (family == Family::v4) {
    inner_header = ipv4_header_length(quoted, kProtoIcmp);
    if (inner_header == 0) return std::nullopt;
  } else {
    if (quoted.size() < kIpv6HeaderSize || (quoted[0] >> 4) != 6 || quoted[6] != kProtoIcmpV6) {
      return std::nullopt;
    }
    inner_header = kIpv6HeaderSize;
  }
  return parse_echo_request(family, quoted.subspan(inner_header));
}

}  // namespace

std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes) {
  std::uint32_t sum = 0;
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) sum += read_be16(bytes, i);
  if (i < bytes.size()) sum += static_cast<std::uint32_t>(bytes[i]) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

std::size_t build_echo_request(Family family, std::uint16_t ident, std::uint16_t seq,
                               std::span<const std::uint8_t> payload,
                               std::span<std::uint8_t> out) {
  const std::size_t size = kIcmpHeaderSize + payload.size();
  if (out.size() < size) throw std::length_error("ICMP buffer too small for the payload");
  out[0] = family == Family::v4 ? kV4EchoRequest : kV6EchoRequest;
  out[1] = 0;
  out[2] = 0;
  out[3] = 0;
  out[4] = static_cast<std::uint8_t>(ident >> 8);
  out[5] = static_cast<std::uint8_t>(ident);
  out[6] = static_cast<std::uint8_t>(seq >> 8);
  out[7] = static_cast<std::uint8_t>(seq);
  for (std::size_t i = 0; i < payload.size(); ++i) out[kIcmpHeaderSize + i] = payload[i];
  if (family == Family::v4) {
    const std::uint16_t sum = internet_checksum(out.first(size));
    out[2] = static_cast<std::uint8_t>(sum >> 8);
    out[3] = static_cast<std::uint8_t>(sum);
  }
  return size;
}

std::optional<ParsedIcmp> parse_echo_request(Family family, std::span<const std::uint8_t> icmp) {
  const std::uint8_t want = family == Family::v4 ? kV4EchoRequest : kV6EchoRequest;
  if (icmp.size() < kIcmpHeaderSize || icmp[0] != want) return std::nullopt;
  ParsedIcmp parsed;
  parsed.type = icmp[0];
  parsed.code = icmp[1];
  parsed.ident = read_be16(icmp, 4);
  parsed.seq = read_be16(icmp, 6);
  parsed.payload = icmp.subspan(kIcmpHeaderSize);
  return parsed;
}

std::optional<ParsedIcmp> parse_icmp(Family family, bool with_ip_header,
                                     std::span<const std::uint8_t> packet) {
  std::span<const std::uint8_t> icmp = packet;
  if (with_ip_header && family == Family::v4) {
    const std::size_t ihl = ipv4_header_length(packet, kProtoIcmp);
    if (ihl == 0) return std::nullopt;
    icmp = packet.subspan(ihl);
  }
  if (icmp.size() < kIcmpHeaderSize) return std::nullopt;
  if (family == Family::v4 && internet_checksum(icmp) != 0) return std::nullopt;

  const std::uint8_t type = icmp[0];
  const std::uint8_t reply_type = family == Family::v4 ? kV4EchoReply : kV6EchoReply;
  if (type == reply_type) {
    ParsedIcmp parsed;
    parsed.kind = IcmpKind::echo_reply;
    parsed.type = type;
    parsed.code = icmp[1];
    parsed.ident = read_be16(icmp, 4);
    parsed.seq = read_be16(icmp, 6);
    parsed.payload = icmp.subspan(kIcmpHeaderSize);
    return parsed;
  }
  const auto kind = error_kind(family, type);
  if (!kind) return std::nullopt;
  auto quoted = parse_quoted_request(family, icmp.subspan(kIcmpHeaderSize));
  if (!quoted) return std::nullopt;
  quoted->kind = *kind;
  quoted->type = type;
  quoted->code = icmp[1];
  return quoted;
}

}  // namespace zzping::daemon
