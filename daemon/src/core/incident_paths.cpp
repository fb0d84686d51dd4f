// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/incident_paths.hpp"

#include <algorithm>

namespace zzping::daemon {

void IncidentPaths::on_path(const std::string& host, const PathSnapshot& path,
                            const std::vector<std::int64_t>& hop_sent_ms) {
  Kept kept{host, path.t_ms, {}};
  for (std::size_t i = 0; i < path.hops.size() && i < hop_sent_ms.size(); ++i) {
    if (!path.hops[i].address.empty()) kept.answered.emplace_back(path.hops[i].address, hop_sent_ms[i]);
  }
  kept_.push_back(std::move(kept));
  if (kept_.size() > kMaxKept) kept_.pop_front();
}

void IncidentPaths::fill(attribution::Incident& incident) const {
  const Kept* first = nullptr;
  for (const Kept& kept : kept_) {
    if (kept.t_ms < incident.start_ms || kept.t_ms > incident.end_ms) continue;
    if (std::find(incident.targets.begin(), incident.targets.end(), kept.host) == incident.targets.end()) continue;
    if (first == nullptr || kept.t_ms < first->t_ms) first = &kept;
  }
  incident.last_hop.clear();
  if (first == nullptr) return;
  for (const auto& [address, sent_ms] : first->answered) {
    if (sent_ms <= incident.end_ms) incident.last_hop = address;  // by TTL: the farthest wins
  }
}

}  // namespace zzping::daemon
