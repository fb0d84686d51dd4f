// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A SIGHUP's ReloadPlan (plan_reload) carried out: each key needing a restart named in a
// warning; the configured hosts removed, relabelled and added (the running ones go on
// without a gap); the live keys in effect (log level, flush period, the tracers' interval
// and TTL limit, gateway = "auto", and the sinks' own keys such as stream_token); and the
// summary line. No sockets: tested with literal hosts and fake sinks.
#include <cstdint>
#include <functional>

#include "zzping/daemon/config.hpp"
#include "zzping/daemon/host_table.hpp"
#include "zzping/daemon/housekeeping_clock.hpp"
#include "zzping/daemon/reload_plan.hpp"
#include "zzping/daemon/sink_fanout.hpp"

namespace zzping::daemon {

class ReloadApplier {
 public:
  struct Parts {
    DaemonConfig& config;  // the configuration in effect, replaced by the plan's
    HostTable& hosts;
    SinkFanout& fanout;
    HousekeepingClock& clock;
  };
  // Called once the new configuration is in effect, before the new hosts are added (the
  // automatic gateways follow it first: a new target may take a gateway's address and name).
  using ConfigApplied = std::function<void()>;

  ReloadApplier(Parts parts, ConfigApplied applied) : parts_(parts), applied_(std::move(applied)) {}

  // New hosts start at `start_ns` (a whole second of the schedule grid).
  void apply(const ReloadPlan& plan, std::int64_t start_ns);

 private:
  Parts parts_;
  ConfigApplied applied_;
};

}  // namespace zzping::daemon
