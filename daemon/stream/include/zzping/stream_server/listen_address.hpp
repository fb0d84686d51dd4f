#pragma once
// "HOST:PORT" endpoints for the stream: "127.0.0.1:7878", "[::1]:7878", "0.0.0.0:7878".
#include <cstdint>
#include <string>
#include <string_view>

namespace zzping::stream {

struct HostPort {
  std::string host;  // without brackets
  std::uint16_t port = 0;
};

// Throws std::invalid_argument naming the problem ("missing port", "port out of range"...).
HostPort parse_host_port(std::string_view text);

}  // namespace zzping::stream
