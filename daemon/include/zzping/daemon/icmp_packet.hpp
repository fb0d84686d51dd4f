// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// ICMP echo packets for IPv4 and IPv6: build requests, parse replies and errors.
// Pure functions over bytes, no sockets.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace zzping::daemon {

enum class Family : std::uint8_t { v4, v6 };

inline constexpr std::size_t kIcmpHeaderSize = 8;

// RFC 1071 one's-complement sum, as stored in the ICMP checksum field.
std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes);

// Writes an echo request (type 8 for v4, 128 for v6) into `out` and returns its size.
// The v4 checksum is filled in; the v6 checksum is left 0 (the kernel computes it, it
// needs the pseudo-header). Throws std::length_error if `out` is too small.
std::size_t build_echo_request(Family family, std::uint16_t ident, std::uint16_t seq,
                               std::span<const std::uint8_t> payload,
                               std::span<std::uint8_t> out);

enum class IcmpKind : std::uint8_t { echo_reply, dest_unreachable, time_exceeded };

// An echo reply, or an ICMP error quoting one of our echo requests. For errors, ident, seq
// and payload are those of the quoted request (the payload may be cut short by the router).
struct ParsedIcmp {
  IcmpKind kind = IcmpKind::echo_reply;
  std::uint8_t type = 0;
  std::uint8_t code = 0;
  std::uint16_t ident = 0;
  std::uint16_t seq = 0;
  std::span<const std::uint8_t> payload;
};

// Parses a received packet. `with_ip_header`: raw IPv4 sockets deliver the IP header,
// datagram sockets and all IPv6 sockets do not. Returns nullopt for anything that is not
// an echo reply or an error quoting an echo request, for truncated packets and (IPv4) for
// a bad checksum (IPv6 checksums are verified by the kernel).
std::optional<ParsedIcmp> parse_icmp(Family family, bool with_ip_header,
                                     std::span<const std::uint8_t> packet);

// Parses an echo request as the sender wrote it (used on datagram-socket error queues,
// where the kernel returns our own request, and by the test responder).
std::optional<ParsedIcmp> parse_echo_request(Family family, std::span<const std::uint8_t> icmp);

}  // namespace zzping::daemon
