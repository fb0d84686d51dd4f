// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The seam between the pinger and whoever consumes its results: the file writer, the live
// console, the TCP stream server, the metrics. The loop thread calls every sink in order;
// a sink must not block (the stream server queues per client and drops slow ones).
#include <cstdint>
#include <string>

#include "zzping/common/attribution.hpp"
#include "zzping/common/frame.hpp"
#include "zzping/common/path.hpp"
#include "zzping/daemon/config.hpp"

namespace zzping::daemon {

struct HostInfo {
  std::string name;     // as configured (file folder, stream key)
  std::string address;  // current resolved address, "" while unresolved
  std::uint32_t rate = 0;
  std::uint32_t frame_ms = 0;
  double precision = 0.0;
  attribution::Role role = attribution::Role::internet;
  std::uint32_t timeout_ms = 0;  // the probe timeout; 0: unknown (not written to file headers)
};

struct HostStatus {
  std::uint32_t in_flight = 0;
  std::int64_t last_reply_age_ms = -1;  // -1: no reply yet
  std::uint64_t probes_sent = 0;
};

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void on_frame(const HostInfo& host, const Frame& frame) = 0;
  // A loss burst as soon as it ended (its cause comes later, in on_burst_attributed).
  virtual void on_event(const HostInfo& host, const LossEvent& event) = 0;
  // The same burst once the frames of every target covering it are final and its cause
  // is known (docs/attribution.md); every burst gets exactly one, at the latest at stop.
  // For a host removed by a reload it may come after on_host_removed (the other targets'
  // frames covering the burst become final later): `host` is then a copy, ignore or log it.
  virtual void on_burst_attributed(const HostInfo& /*host*/, const attribution::AttributedBurst& /*burst*/) {}
  // Attributed bursts of all targets merged into one incident, once no later burst can
  // join it.
  virtual void on_incident(const attribution::Incident& /*incident*/) {}
  // A path snapshot of one target (trace at start, every trace_interval_s, at a burst).
  virtual void on_path(const HostInfo& /*host*/, const PathSnapshot& /*path*/) {}
  // Called once per frame interval per host.
  virtual void on_status(const HostInfo& host, const HostStatus& status) = 0;
  // A host stopped (removed by a reload, or shutdown): release what belongs to it.
  virtual void on_host_removed(const HostInfo& host) = 0;
  // Periodic (flush_ms) and at shutdown: persist what is buffered.
  virtual void flush() = 0;
  // After a SIGHUP reload: the configuration now in effect (live keys changed, restart
  // keys kept; reload_plan.hpp). A sink applies the live keys it owns (e.g. stream_token).
  virtual void on_config_reloaded(const DaemonConfig& /*effective*/) {}
};

}  // namespace zzping::daemon
