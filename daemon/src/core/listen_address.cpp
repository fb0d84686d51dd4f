// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/listen_address.hpp"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <stdexcept>

namespace zzping::daemon {
namespace {

bool is_ip_literal(const std::string& host) {
  std::array<unsigned char, 16> address{};
  return inet_pton(AF_INET, host.c_str(), address.data()) == 1 ||
         inet_pton(AF_INET6, host.c_str(), address.data()) == 1;
}

}  // namespace

HostPort parse_listen_address(std::string_view text) {
  const std::string quoted = "'" + std::string(text) + "'";
  const auto fail = [&quoted](const std::string& problem) {
    throw std::invalid_argument(quoted + ": " + problem);
  };
  constexpr const char* kBrackets = "write IPv6 addresses as [ADDRESS]:PORT";
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') fail(kBrackets);
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) fail("missing ':PORT'");
    host = text.substr(0, colon);
    if (host.find(':') != std::string_view::npos) fail(kBrackets);
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    fail("port must be a number 0..65535");
  }
  if (host.empty()) fail("missing host");
  HostPort result{std::string(host), static_cast<std::uint16_t>(value)};
  if (!is_ip_literal(result.host)) fail("'" + result.host + "' is not an IP address");
  return result;
}

}  // namespace zzping::daemon
