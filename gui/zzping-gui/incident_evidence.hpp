// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the incident list shows beyond per-host outages (issue 13): the incidents of all
// targets (native 1.2 record kind 5, stream message 10), each host's path snapshots (kind
// 6, message 11) and the hosts' roles. Qt-free, so the choices (which snapshots belong to
// an incident, host order, what a cause means) are unit-tested without a window.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zzping/common/attribution.hpp"
#include "zzping/common/path.hpp"

namespace zzping::gui {

class Evidence {
 public:
  // Adds an incident unless the same one is known (each target's folder holds a copy of
  // the incidents it took part in; a live resume may send one again). True when new.
  bool add_incident(const attribution::Incident& incident);
  // Adds a host's path snapshot unless the same one is known. True when new.
  bool add_path(const std::string& host, const PathSnapshot& path);

  const std::vector<attribution::Incident>& incidents() const { return incidents_; }  // by start
  // The host's snapshots in time order (empty when none).
  const std::vector<PathSnapshot>& paths(const std::string& host) const;
  const std::map<std::string, std::vector<PathSnapshot>>& all_paths() const { return paths_; }

 private:
  std::vector<attribution::Incident> incidents_;
  std::map<std::string, std::vector<PathSnapshot>> paths_;
};

// The snapshots of one target that explain an incident: the one taken while it went on
// (the daemon traces as soon as a burst starts; the trace starts after the first lost
// probes, so up to kDuringSlackMs after the incident's end still counts) and the last one
// before it (the route as it was).
struct IncidentPath {
  std::string host;
  std::optional<PathSnapshot> before;
  std::optional<PathSnapshot> during;
};
inline constexpr std::int64_t kDuringSlackMs = 2'000;
// One entry per target of the incident that has snapshots (kept under the target's name),
// in the incident's target order.
std::vector<IncidentPath> incident_paths(const Evidence& evidence, const attribution::Incident& incident);

// Host order everywhere hosts are listed: gateway, isp, internet (an absent role, e.g.
// zzping 0.2 data, counts as internet), then by name.
int role_rank(std::optional<attribution::Role> role);
bool host_before(std::optional<attribution::Role> role_a, std::string_view name_a,
                 std::optional<attribution::Role> role_b, std::string_view name_b);
// "name (gateway)"; the bare name when the role is not known.
std::string host_label(std::string_view name, std::optional<attribution::Role> role);

// One line per cause, as docs/attribution.md defines it, for the list's legend and tooltips.
std::string_view cause_explanation(attribution::Cause cause);
inline constexpr attribution::Cause kAllCauses[] = {attribution::Cause::local, attribution::Cause::upstream,
                                                    attribution::Cause::destination,
                                                    attribution::Cause::gateway_only, attribution::Cause::unknown};

}  // namespace zzping::gui
