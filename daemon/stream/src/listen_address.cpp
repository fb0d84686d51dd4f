#include "zzping/stream_server/listen_address.hpp"

#include <charconv>
#include <stdexcept>

namespace zzping::stream {

HostPort parse_host_port(std::string_view text) {
  const std::string quoted = "'" + std::string(text) + "'";
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument(quoted + ": missing ']'");
    host = text.substr(1, close - 1);
    if (close + 1 >= text.size() || text[close + 1] != ':') {
      throw std::invalid_argument(quoted + ": missing ':PORT' after ']'");
    }
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) throw std::invalid_argument(quoted + ": missing ':PORT'");
    host = text.substr(0, colon);
    if (host.find(':') != std::string_view::npos) {
      throw std::invalid_argument(quoted + ": write IPv6 addresses as [ADDRESS]:PORT");
    }
    port = text.substr(colon + 1);
  }
  if (host.empty()) throw std::invalid_argument(quoted + ": missing host");
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    throw std::invalid_argument(quoted + ": port must be a number 0..65535");
  }
  return HostPort{std::string(host), static_cast<std::uint16_t>(value)};
}

}  // namespace zzping::stream
