// SPDX-License-Identifier: GPL-3.0-or-later
#include "incident_evidence.hpp"

#include <algorithm>
#include <tuple>

#include "zzping/formats/native/evidence_records.hpp"

namespace zzping::gui {

// Both lists are kept in time order, so a duplicate can only be among the entries with the
// same start: a lookup stays logarithmic in a month's thousands of incidents (each is stored
// in every hit target's file, so most arrive more than once).
bool Evidence::add_incident(const attribution::Incident& incident) {
  const auto [first, last] = std::equal_range(incidents_.begin(), incidents_.end(), incident,
                                              [](const auto& a, const auto& b) { return a.start_ms < b.start_ms; });
  if (std::any_of(first, last, [&](const auto& known) { return native::same_incident(known, incident); })) return false;
  incidents_.insert(last, incident);
  return true;
}

bool Evidence::add_path(const std::string& host, const PathSnapshot& path) {
  std::vector<PathSnapshot>& list = paths_[host];
  const auto [first, last] = std::equal_range(list.begin(), list.end(), path,
                                              [](const auto& a, const auto& b) { return a.t_ms < b.t_ms; });
  if (std::find(first, last, path) != last) return false;
  list.insert(last, path);
  return true;
}

const std::vector<PathSnapshot>& Evidence::paths(const std::string& host) const {
  static const std::vector<PathSnapshot> none;
  const auto it = paths_.find(host);
  return it == paths_.end() ? none : it->second;
}

std::vector<IncidentPath> incident_paths(const Evidence& evidence, const attribution::Incident& incident) {
  std::vector<IncidentPath> out;
  for (const std::string& target : incident.targets) {
    const std::vector<PathSnapshot>& paths = evidence.paths(target);
    IncidentPath entry{target, std::nullopt, std::nullopt};
    for (const PathSnapshot& p : paths) {
      if (p.t_ms < incident.start_ms) {
        entry.before = p;  // in time order: the last one before wins
      } else if (p.t_ms <= incident.end_ms + kDuringSlackMs) {
        // The trace the burst triggered is the evidence; else the first one in the span.
        const bool better = !entry.during || (entry.during->trigger != PathTrigger::loss_burst &&
                                              p.trigger == PathTrigger::loss_burst);
        if (better) entry.during = p;
      }
    }
    if (entry.before || entry.during) out.push_back(std::move(entry));
  }
  return out;
}

int role_rank(std::optional<attribution::Role> role) {
  switch (role.value_or(attribution::Role::internet)) {
    case attribution::Role::gateway: return 0;
    case attribution::Role::isp: return 1;
    case attribution::Role::internet: return 2;
  }
  return 2;
}

bool host_before(std::optional<attribution::Role> role_a, std::string_view name_a,
                 std::optional<attribution::Role> role_b, std::string_view name_b) {
  return std::tuple(role_rank(role_a), name_a) < std::tuple(role_rank(role_b), name_b);
}

std::string host_label(std::string_view name, std::optional<attribution::Role> role) {
  std::string out(name);
  if (role) out += " (" + std::string(attribution::to_string(*role)) + ")";
  return out;
}

std::string_view cause_explanation(attribution::Cause cause) {
  switch (cause) {
    case attribution::Cause::local:
      return "the gateway lost too: this machine, its link, Wi-Fi or the LAN";
    case attribution::Cause::upstream:
      return "the gateway answered while the internet-side targets lost: the provider or beyond";
    case attribution::Cause::destination:
      return "other internet-side targets answered: only this destination (or its route) failed";
    case attribution::Cause::gateway_only:
      return "only the gateway lost while internet targets answered: ICMP deprioritised at the "
             "router, not user-affecting";
    case attribution::Cause::unknown:
      return "not enough targets (or data) to decide; the burst's reason says what was missing";
  }
  return "";
}

}  // namespace zzping::gui
