// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The monitored hosts, and everything that must change in step when one comes or goes: its
// cookies registered with the ReplyDispatcher (so its replies and trace answers reach it),
// the sinks and the attribution told (SinkFanout), its last frames published on removal.
// Configured targets come and go with a reload (plan_reload), automatic gateways with
// GatewayChanges; neither ever removes the other's hosts. Loop thread only.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "zzping/daemon/config.hpp"
#include "zzping/daemon/frame_aggregator.hpp"
#include "zzping/daemon/gateway_tracker.hpp"
#include "zzping/daemon/monitored_host.hpp"
#include "zzping/daemon/reply_dispatcher.hpp"
#include "zzping/daemon/sink_fanout.hpp"

namespace zzping::daemon {

class HostTable {
 public:
  using Hosts = std::vector<std::unique_ptr<MonitoredHost>>;
  // A fresh random cookie per host and per trace (replies to an earlier run or a removed
  // host never match).
  using CookieSource = std::function<std::uint64_t()>;

  // `config` (the one in effect: reloads replace it in place) must outlive the table.
  HostTable(const DaemonConfig& config, ReplyDispatcher& dispatcher, SinkFanout& fanout, CookieSource cookies);
  HostTable(const HostTable&) = delete;
  HostTable& operator=(const HostTable&) = delete;

  MonitoredHost& add(const TargetConfig& target, std::int64_t start_ns, bool automatic = false);
  // Publishes the host's last frames, tells the sinks and forgets its cookies.
  void remove(std::size_t index);
  // A reload: the configured hosts of `removed` go; those of `changed` take the new role
  // (they go on probing, only their results are labelled anew).
  void remove_configured(const std::vector<TargetConfig>& removed);
  void change_roles(const std::vector<TargetConfig>& changed);
  // The tracers' interval and TTL limit from the configuration (after a reload).
  void update_trace_settings();
  // gateway = "auto": automatic gateways go and come (starting at `start_ns`).
  void apply_gateway_changes(const GatewayChanges& changes, std::int64_t start_ns);
  // The addresses the configured targets ping (literals and resolved names): an automatic
  // gateway never duplicates one.
  std::vector<IpAddress> configured_addresses() const;
  // No host has a probe in flight.
  bool idle() const;

  const Hosts& hosts() const { return hosts_; }
  std::size_t size() const { return hosts_.size(); }

 private:
  const DaemonConfig& config_;
  ReplyDispatcher& dispatcher_;
  SinkFanout& fanout_;
  CookieSource cookies_;
  Hosts hosts_;
  AggregatorOutput output_;  // a removed host's last frames
};

}  // namespace zzping::daemon
