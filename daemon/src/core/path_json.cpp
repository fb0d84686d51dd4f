// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/path_json.hpp"

#include "zzping/common/json_text.hpp"

namespace zzping::daemon {
namespace {

std::string address_or_null(const PathHop& hop) { return hop.address.empty() ? "null" : json_string(hop.address); }

}  // namespace

std::string path_to_json(const std::string& host, const PathSnapshot& path) {
  std::string line = "{\"host\":" + json_string(host) + ",\"event\":\"path\",\"t_ms\":" + std::to_string(path.t_ms) +
                     ",\"trigger\":\"" + std::string(to_string(path.trigger)) + "\",\"reached\":" +
                     (path.reached ? "true" : "false") + ",\"hops\":[";
  for (std::size_t i = 0; i < path.hops.size(); ++i) {
    const PathHop& hop = path.hops[i];
    if (i > 0) line += ',';
    line += "{\"ttl\":" + std::to_string(hop.ttl) + ",\"addr\":" + address_or_null(hop) + ",\"rtt_us\":" +
            (hop.rtt_us ? std::to_string(*hop.rtt_us) : std::string("null")) + "}";
  }
  return line + "]}";
}

std::string route_change_to_json(const std::string& host, const PathSnapshot& path) {
  std::string line =
      "{\"host\":" + json_string(host) + ",\"event\":\"route_change\",\"t_ms\":" + std::to_string(path.t_ms) + ",\"hops\":[";
  for (std::size_t i = 0; i < path.hops.size(); ++i) {
    if (i > 0) line += ',';
    line += address_or_null(path.hops[i]);
  }
  return line + "]}";
}

}  // namespace zzping::daemon
