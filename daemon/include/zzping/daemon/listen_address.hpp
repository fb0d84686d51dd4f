// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// "HOST:PORT" addresses the daemon listens on (the stream, the metrics endpoint):
// "127.0.0.1:7878", "[::1]:7878", "0.0.0.0:7878". HOST must be an IP literal: a bind
// address is never looked up by name. Checked once in the configuration (so a bad value
// is reported with its file position) and again by the servers that bind it.
#include <cstdint>
#include <string>
#include <string_view>

namespace zzping::daemon {

struct HostPort {
  std::string host;  // an IPv4 or IPv6 literal, without brackets
  std::uint16_t port = 0;
};

// Throws std::invalid_argument "'TEXT': <problem>" (missing ':PORT', port not a number
// 0..65535, host not an IP address, IPv6 without brackets).
HostPort parse_listen_address(std::string_view text);

}  // namespace zzping::daemon
