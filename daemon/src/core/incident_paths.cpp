// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/incident_paths.hpp"

#include <algorithm>

namespace zzping::daemon {

void IncidentPaths::on_path(const std::string& host, const PathSnapshot& path) {
  kept_.push_back(Kept{host, path.t_ms, last_answering_hop(path)});
  if (kept_.size() > kMaxKept) kept_.pop_front();
}

void IncidentPaths::fill(attribution::Incident& incident) const {
  const Kept* first = nullptr;
  for (const Kept& kept : kept_) {
    if (kept.t_ms < incident.start_ms || kept.t_ms > incident.end_ms) continue;
    if (std::find(incident.targets.begin(), incident.targets.end(), kept.host) == incident.targets.end()) continue;
    if (first == nullptr || kept.t_ms < first->t_ms) first = &kept;
  }
  incident.last_hop = first != nullptr ? first->last_hop : std::string();
}

}  // namespace zzping::daemon
