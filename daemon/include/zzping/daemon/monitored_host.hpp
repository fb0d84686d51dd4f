// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One monitored host: where it is (its name's resolver and resolve state), when to ping it
// (its schedule), what its probes became (its aggregator), and its optional path tracer.
// Plain data the loop's pieces share; HostTable owns the hosts.
#include <cstdint>
#include <optional>

#include "zzping/daemon/config.hpp"
#include "zzping/daemon/frame_aggregator.hpp"
#include "zzping/daemon/frame_sink.hpp"
#include "zzping/daemon/host_resolver.hpp"
#include "zzping/daemon/path_tracer.hpp"
#include "zzping/daemon/probe_schedule.hpp"
#include "zzping/daemon/probe_sender.hpp"
#include "zzping/daemon/resolve_state.hpp"

namespace zzping::daemon {

// What the configuration says about every host's aggregation and tracing.
AggregatorSettings aggregator_settings(const DaemonConfig& config);
TraceSettings trace_settings(const DaemonConfig& config);
ResolveTiming resolve_timing(const DaemonConfig& config);

struct MonitoredHost {
  MonitoredHost(const TargetConfig& target_config, const DaemonConfig& config, std::int64_t start_ns,
                std::uint64_t host_cookie);

  // The address probes go to; unset until the name first resolves.
  const std::optional<IpAddress>& address() const { return resolve_state.address(); }
  ProbeTarget probe_target() { return ProbeTarget{info.name, cookie, address(), schedule, aggregator, send_failures}; }
  // Drives the name's lookup: starts one when due, takes its result when done, logs what
  // ResolveState says is worth logging. Returns the new address when it changed.
  std::optional<IpAddress> poll_resolution(std::int64_t now_ns, const ResolveTiming& timing);
  HostStatus status(std::int64_t now_ns) const;

  TargetConfig target;
  HostInfo info;
  std::uint64_t cookie;
  HostResolver resolver;
  ResolveState resolve_state;
  ProbeSchedule schedule;
  FrameAggregator aggregator;
  std::uint64_t send_failures = 0;
  std::optional<PathTracer> tracer;  // path snapshots (target.trace), under a cookie of its own
  std::uint64_t trace_cookie = 0;
  bool automatic = false;  // a gateway added by gateway = "auto" (not one of config.targets)

 private:
  void log(const ResolveLog& line) const;
};

}  // namespace zzping::daemon
