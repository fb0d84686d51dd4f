// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/stream_server/evidence_log.hpp"

#include <algorithm>

namespace zzping::stream {

std::string evidence_key(const attribution::Incident& incident) {
  std::string key = "i:" + std::to_string(incident.start_ms) + ":" + std::to_string(incident.end_ms);
  for (const auto& target : incident.targets) key += "\n" + target;
  return key;
}

std::string evidence_key(const std::string& host, const PathSnapshot& path) {
  return "p:" + std::to_string(path.t_ms) + ":" + host;
}

void EvidenceLog::add(const attribution::Incident& incident, std::int64_t now_ms) {
  incidents_.push_back(incident);
  trim(now_ms);
}

void EvidenceLog::add(const std::string& host, const PathSnapshot& path, std::int64_t now_ms) {
  paths_.push_back(HostPath{host, path});
  trim(now_ms);
}

void EvidenceLog::trim(std::int64_t now_ms) {
  const std::int64_t horizon = now_ms - retention_ms_;
  while (!incidents_.empty() && (incidents_.size() > kMaxKept || incidents_.front().end_ms < horizon)) {
    incidents_.pop_front();
  }
  while (!paths_.empty() && (paths_.size() > kMaxKept || paths_.front().path.t_ms < horizon)) paths_.pop_front();
}

std::vector<attribution::Incident> EvidenceLog::incidents_of(const std::string& host, std::int64_t since_ms) const {
  std::vector<attribution::Incident> out;
  for (const auto& incident : incidents_) {
    if (incident.end_ms < since_ms) continue;
    if (std::find(incident.targets.begin(), incident.targets.end(), host) != incident.targets.end()) {
      out.push_back(incident);
    }
  }
  return out;
}

std::vector<PathSnapshot> EvidenceLog::paths_of(const std::string& host, std::int64_t since_ms) const {
  std::vector<PathSnapshot> out;
  for (const auto& entry : paths_) {
    if (entry.host == host && entry.path.t_ms >= since_ms) out.push_back(entry.path);
  }
  return out;
}

}  // namespace zzping::stream
