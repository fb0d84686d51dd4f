// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Where everything the loop learns about its hosts goes out: each host's final frames and
// loss events to every sink and to the AttributionTracker, the attributed bursts and the
// incidents (their last_hop filled from the path snapshots, IncidentPaths), the path
// snapshots, the per-host status, host removal, flushes and a reload's configuration. One
// place, so no result reaches some sinks and not the tracker. Loop thread only; pure (no
// clock: the caller passes the wall time).
#include <cstdint>
#include <memory>
#include <vector>

#include "zzping/daemon/attribution_tracker.hpp"
#include "zzping/daemon/frame_aggregator.hpp"
#include "zzping/daemon/frame_sink.hpp"
#include "zzping/daemon/incident_paths.hpp"

namespace zzping::daemon {

class SinkFanout {
 public:
  explicit SinkFanout(AttributionSettings attribution) : attribution_(attribution) {}

  void add_sink(std::unique_ptr<FrameSink> sink) { sinks_.push_back(std::move(sink)); }

  // A host starts being monitored (the tracker waits for its frames from now on).
  void host_added(const HostInfo& host, std::int64_t now_wall_ms);
  // A host stopped after its last frames were published: the sinks release it, the
  // tracker keeps its frames for the bursts they cover.
  void host_removed(const HostInfo& host, std::int64_t now_wall_ms);
  void role_changed(const std::string& name, attribution::Role role) { attribution_.set_role(name, role); }

  // A host's finished frames and ended loss bursts; `output` is cleared.
  void publish(const HostInfo& host, AggregatorOutput& output);
  // The bursts that can now be attributed and the incidents now closed.
  void attribute(std::int64_t now_wall_ms);
  void path(const HostInfo& host, const PathSnapshot& path, const std::vector<std::int64_t>& hop_sent_ms);
  void status(const HostInfo& host, const HostStatus& status);
  void flush();
  void config_reloaded(const DaemonConfig& effective);
  // Shutdown, after every host's last frames: everything pending is attributed, then each
  // sink is told every host stopped and flushes.
  void finish(const std::vector<const HostInfo*>& hosts);

 private:
  void publish_attributed();

  std::vector<std::unique_ptr<FrameSink>> sinks_;
  AttributionTracker attribution_;  // whose fault each loss burst was (docs/attribution.md)
  AttributionOutput attributed_;
  IncidentPaths incident_paths_;  // snapshots an incident's last_hop comes from
};

}  // namespace zzping::daemon
