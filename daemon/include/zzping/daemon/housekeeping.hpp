// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the loop does between sends, every housekeeping period (HousekeepingClock), host by
// host: probes timed out and frames finished (up to the reply lag before now: replies reach
// the loop up to the receive thread's burst wait after their kernel stamp, so a reply in
// time is never taken for late), published; the host's name lookup driven; its path trace
// stepped (not while stopping). Then the bursts that can be attributed, the per-host status
// and the flush when due; while stopping, the stop ends once nothing is in flight. At
// shutdown, every host's last frames and everything pending go out. No sockets: the hosts
// and the sinks come in, so it is tested with literal hosts and fake sinks.
#include <cstdint>
#include <functional>

#include "zzping/daemon/frame_aggregator.hpp"
#include "zzping/daemon/host_table.hpp"
#include "zzping/daemon/housekeeping_clock.hpp"
#include "zzping/daemon/probe_sender.hpp"
#include "zzping/daemon/sink_fanout.hpp"
#include "zzping/daemon/trace_step.hpp"

namespace zzping::daemon {

class Housekeeping {
 public:
  struct Parts {
    HostTable& hosts;
    SinkFanout& fanout;
    TraceStep& tracing;
    HousekeepingClock& clock;
    ProbeSender& sender;  // its send_error_log is flushed with the sinks
  };
  // Drives one host's name lookup (and acts on a new address).
  using Resolve = std::function<void(MonitoredHost& host, std::int64_t now_ns)>;

  Housekeeping(Parts parts, Resolve resolve, std::int64_t reply_lag_ns)
      : parts_(parts), resolve_(std::move(resolve)), reply_lag_ns_(reply_lag_ns) {}

  void run(std::int64_t now_ns, std::int64_t now_wall_ns, bool stopping);
  // Shutdown (no more replies coming): every probe in flight is lost, every frame final,
  // every pending burst attributed, then each sink releases every host and flushes.
  void finish(std::int64_t now_ns, std::int64_t now_wall_ns);

 private:
  Parts parts_;
  Resolve resolve_;
  std::int64_t reply_lag_ns_;
  AggregatorOutput output_;
};

}  // namespace zzping::daemon
