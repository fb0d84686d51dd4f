// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/path.hpp"

#include <algorithm>

namespace zzping {

std::string_view to_string(PathTrigger trigger) {
  switch (trigger) {
    case PathTrigger::start: return "start";
    case PathTrigger::interval: return "interval";
    case PathTrigger::loss_burst: return "loss_burst";
  }
  return "interval";
}

std::string last_answering_hop(const PathSnapshot& path) {
  for (auto it = path.hops.rbegin(); it != path.hops.rend(); ++it) {
    if (!it->address.empty()) return it->address;
  }
  return {};
}

bool route_changed(const PathSnapshot& before, const PathSnapshot& after) {
  const std::size_t n = std::max(before.hops.size(), after.hops.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view a = i < before.hops.size() ? std::string_view(before.hops[i].address) : "";
    const std::string_view b = i < after.hops.size() ? std::string_view(after.hops[i].address) : "";
    if (!a.empty() && !b.empty() && a != b) return true;
  }
  return false;
}

}  // namespace zzping
