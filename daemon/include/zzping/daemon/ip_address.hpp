// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// An IPv4 or IPv6 address as plain bytes (comparable, copyable into the reply ring).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "zzping/daemon/icmp_packet.hpp"

struct sockaddr;
struct sockaddr_storage;

namespace zzping::daemon {

struct IpAddress {
  Family family = Family::v4;
  std::array<std::uint8_t, 16> bytes{};  // v4 uses the first 4
  // IPv6 link-local (fe80::/10) only: the interface index it is reached through (a
  // gateway "fe80::1%wlan0"); 0 otherwise. The kernel reports it on replies from such
  // addresses too, so replies compare equal to the probed address.
  std::uint32_t scope_id = 0;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;

  std::string to_string() const;  // without the scope
  bool is_link_local_v6() const { return family == Family::v6 && bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80; }
  // 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104 (never traced: there is no path to show).
  bool is_loopback() const;
  // Parses a literal address (no names, no "%scope"); nullopt if it is not one.
  static std::optional<IpAddress> parse(std::string_view text);
  // From a sockaddr_in / sockaddr_in6; nullopt for other families.
  static std::optional<IpAddress> from_sockaddr(const sockaddr* address);
  // Fills a sockaddr_in / sockaddr_in6 (port 0); returns its length.
  unsigned to_sockaddr(sockaddr_storage& out) const;
};

}  // namespace zzping::daemon
