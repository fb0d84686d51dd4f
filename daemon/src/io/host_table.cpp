// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/host_table.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "zzping/daemon/clock.hpp"
#include "zzping/daemon/host_resolver.hpp"

namespace zzping::daemon {

HostTable::HostTable(const DaemonConfig& config, ReplyDispatcher& dispatcher, SinkFanout& fanout,
                     CookieSource cookies)
    : config_(config), dispatcher_(dispatcher), fanout_(fanout), cookies_(std::move(cookies)) {}

MonitoredHost& HostTable::add(const TargetConfig& target, std::int64_t start_ns, bool automatic) {
  auto host = std::make_unique<MonitoredHost>(target, config_, start_ns, cookies_());
  host->automatic = automatic;
  dispatcher_.add(host->cookie, ReplyDispatcher::Destination{&host->aggregator, &host->address()});
  fanout_.host_added(host->info, wall_ns() / kNsPerMs);
  if (target.trace) {
    host->tracer.emplace(trace_settings(config_));
    host->trace_cookie = cookies_();
    dispatcher_.add_trace(host->trace_cookie, ReplyDispatcher::TraceDestination{&*host->tracer, &host->address()});
  }
  spdlog::info("host {}: {} probes/s", target.host, target.rate);
  hosts_.push_back(std::move(host));
  return *hosts_.back();
}

void HostTable::remove(std::size_t index) {
  MonitoredHost& host = *hosts_[index];
  host.aggregator.finish(output_);
  fanout_.publish(host.info, output_);
  fanout_.host_removed(host.info, wall_ns() / kNsPerMs);
  dispatcher_.remove(host.cookie);
  if (host.tracer) dispatcher_.remove_trace(host.trace_cookie);
  spdlog::info("host {}: removed", host.info.name);
  hosts_.erase(hosts_.begin() + static_cast<std::ptrdiff_t>(index));
}

void HostTable::remove_configured(const std::vector<TargetConfig>& removed) {
  for (std::size_t i = hosts_.size(); i-- > 0;) {
    if (!hosts_[i]->automatic && std::find(removed.begin(), removed.end(), hosts_[i]->target) != removed.end()) {
      remove(i);
    }
  }
}

void HostTable::change_roles(const std::vector<TargetConfig>& changed) {
  for (const auto& target : changed) {
    for (const auto& host : hosts_) {
      if (host->automatic || host->target.host != target.host) continue;
      host->target.role = target.role;
      host->info.role = target.role;
      fanout_.role_changed(target.host, target.role);
    }
  }
}

void HostTable::update_trace_settings() {
  for (const auto& host : hosts_) {
    if (host->tracer) host->tracer->set_settings(trace_settings(config_));
  }
}

void HostTable::apply_gateway_changes(const GatewayChanges& changes, std::int64_t start_ns) {
  for (const auto& gone : changes.removed) {
    for (std::size_t i = hosts_.size(); i-- > 0;) {
      if (hosts_[i]->automatic && hosts_[i]->target.host == gone.host()) remove(i);
    }
  }
  for (const auto& gateway : changes.added) {
    const auto family = gateway.address.family == Family::v4 ? AddressFamily::v4 : AddressFamily::v6;
    add(TargetConfig{gateway.host(), gateway.rate, family, attribution::Role::gateway}, start_ns, true);
  }
}

std::vector<IpAddress> HostTable::configured_addresses() const {
  std::vector<IpAddress> taken;
  for (const auto& target : config_.targets) {
    if (auto literal = parse_address_literal(target.host)) taken.push_back(*literal);
  }
  for (const auto& host : hosts_) {
    if (!host->automatic && host->address()) taken.push_back(*host->address());
  }
  return taken;
}

bool HostTable::idle() const {
  return std::all_of(hosts_.begin(), hosts_.end(), [](const auto& host) { return host->aggregator.in_flight() == 0; });
}

}  // namespace zzping::daemon

