// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The path snapshots an incident may cite (issue 13: "the trace taken during an outage
// shows the last hop that still answered: put it in the incident"). The loop hands every
// snapshot here and fills each incident before the sinks see it: its last_hop is the farthest
// hop that answered in the first snapshot of one of its targets taken within its span
// (normally the loss-burst trace, which starts while the burst goes on). Pure; bounded.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "zzping/common/attribution.hpp"
#include "zzping/common/path.hpp"

namespace zzping::daemon {

class IncidentPaths {
 public:
  // Snapshots kept (the oldest go first): far more than the traces that can run during the
  // few seconds an incident waits to be emitted (at most one loss-burst trace per host and
  // minute, one interval trace per host and trace_interval_s).
  static constexpr std::size_t kMaxKept = 4096;

  void on_path(const std::string& host, const PathSnapshot& path);
  // Sets incident.last_hop ("" when no snapshot of its targets was taken within its span).
  void fill(attribution::Incident& incident) const;

 private:
  struct Kept {
    std::string host;
    std::int64_t t_ms = 0;
    std::string last_hop;
  };
  std::deque<Kept> kept_;  // in arrival order (by the traces' end, not their start)
};

}  // namespace zzping::daemon
