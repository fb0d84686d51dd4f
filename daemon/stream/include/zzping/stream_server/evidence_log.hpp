// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The stream's memory of recent incidents and path snapshots (docs/protocol.md, "Backfill"):
// a client whose backfill covers them gets them when it catches up on a host, so a GUI that
// connects after an incident still learns it. Kept as long as the frames (LogLimits'
// retention), at most kMaxKept of each. Asio-free.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "zzping/common/attribution.hpp"
#include "zzping/common/path.hpp"

namespace zzping::stream {

struct HostPath {
  std::string host;
  PathSnapshot path;
};

// What identifies an incident or a path across the memory and the files (an incident is
// stored in the file of each of its targets): a client gets each once.
std::string evidence_key(const attribution::Incident& incident);
std::string evidence_key(const std::string& host, const PathSnapshot& path);

class EvidenceLog {
 public:
  static constexpr std::size_t kMaxKept = 4096;

  explicit EvidenceLog(std::int64_t retention_ms) : retention_ms_(retention_ms) {}

  // `now_ms`: wall clock; what ended longer ago than the retention goes.
  void add(const attribution::Incident& incident, std::int64_t now_ms);
  void add(const std::string& host, const PathSnapshot& path, std::int64_t now_ms);

  // Incidents that hit `host` and ended at or after since_ms; paths of `host` taken at or after it.
  std::vector<attribution::Incident> incidents_of(const std::string& host, std::int64_t since_ms) const;
  std::vector<PathSnapshot> paths_of(const std::string& host, std::int64_t since_ms) const;

 private:
  void trim(std::int64_t now_ms);

  std::int64_t retention_ms_;
  std::deque<attribution::Incident> incidents_;  // in emission order
  std::deque<HostPath> paths_;
};

}  // namespace zzping::stream
