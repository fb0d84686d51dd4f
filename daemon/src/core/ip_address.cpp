// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/ip_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace zzping::daemon {

std::string IpAddress::to_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  const int af = family == Family::v4 ? AF_INET : AF_INET6;
  inet_ntop(af, bytes.data(), text, sizeof(text));
  return text;
}

bool IpAddress::is_loopback() const {
  if (family == Family::v4) return bytes[0] == 127;
  static constexpr std::array<std::uint8_t, 16> kLoopback6 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static constexpr std::array<std::uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  const bool mapped = std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), bytes.begin());
  return bytes == kLoopback6 || (mapped && bytes[12] == 127);
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  const std::string copy(text);
  IpAddress address;
  if (inet_pton(AF_INET, copy.c_str(), address.bytes.data()) == 1) {
    address.family = Family::v4;
    return address;
  }
  if (inet_pton(AF_INET6, copy.c_str(), address.bytes.data()) == 1) {
    address.family = Family::v6;
    return address;
  }
  return std::nullopt;
}

std::optional<IpAddress> IpAddress::from_sockaddr(const sockaddr* address) {
  IpAddress out;
  if (address->sa_family == AF_INET) {
    sockaddr_in v4{};
    std::memcpy(&v4, address, sizeof(v4));
    out.family = Family::v4;
    std::memcpy(out.bytes.data(), &v4.sin_addr, 4);
    return out;
  }
  if (address->sa_family == AF_INET6) {
    sockaddr_in6 v6{};
    std::memcpy(&v6, address, sizeof(v6));
    out.family = Family::v6;
    std::memcpy(out.bytes.data(), &v6.sin6_addr, 16);
    out.scope_id = v6.sin6_scope_id;
    return out;
  }
  return std::nullopt;
}

unsigned IpAddress::to_sockaddr(sockaddr_storage& out) const {
  std::memset(&out, 0, sizeof(out));
  if (family == Family::v4) {
    sockaddr_in v4{};
    v4.sin_family = AF_INET;
    std::memcpy(&v4.sin_addr, bytes.data(), 4);
    std::memcpy(&out, &v4, sizeof(v4));
    return sizeof(v4);
  }
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  std::memcpy(&v6.sin6_addr, bytes.data(), 16);
  v6.sin6_scope_id = scope_id;
  std::memcpy(&out, &v6, sizeof(v6));
  return sizeof(v6);
}

}  // namespace zzping::daemon
