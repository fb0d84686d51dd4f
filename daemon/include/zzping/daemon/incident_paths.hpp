// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The path snapshots an incident may cite (issue 13: "the trace taken during an outage
// shows the last hop that still answered: put it in the incident"). The loop hands every
// snapshot here and fills each incident before the sinks see it: its last_hop is the farthest
// hop that answered, to a probe sent while the incident went on, in the first snapshot of
// one of its targets taken within its span (normally the loss-burst trace, which starts
// while the burst goes on). A hop probed after the incident ended (the outage was over: the
// trace may reach the target) is no evidence of it. A trace still running when the incident
// is emitted is not there yet: last_hop is then empty, never an older snapshot's. Pure; bounded.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "zzping/common/attribution.hpp"
#include "zzping/common/path.hpp"

namespace zzping::daemon {

class IncidentPaths {
 public:
  // Snapshots kept (the oldest go first): far more than the traces that can run during the
  // few seconds an incident waits to be emitted (at most one loss-burst trace per host and
  // minute, one interval trace per host and trace_interval_s).
  static constexpr std::size_t kMaxKept = 4096;

  // `hop_sent_ms`: when each hop's probe was sent (PathTracer::hop_sent_ms()).
  void on_path(const std::string& host, const PathSnapshot& path, const std::vector<std::int64_t>& hop_sent_ms);
  // Sets incident.last_hop ("" when no snapshot of its targets was taken within its span).
  void fill(attribution::Incident& incident) const;

 private:
  struct Kept {
    std::string host;
    std::int64_t t_ms = 0;
    std::vector<std::pair<std::string, std::int64_t>> answered;  // address, probe sent (ms), by TTL
  };
  std::deque<Kept> kept_;  // in arrival order (by the traces' end, not their start)
};

}  // namespace zzping::daemon
