// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/monitored_host.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "zzping/daemon/clock.hpp"

namespace zzping::daemon {
namespace {

// A late wake-up sends at most catch_up_ms worth of the host's missed probes at once.
std::uint32_t burst_bound(std::uint32_t rate, std::uint32_t catch_up_ms) {
  return std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::uint64_t{rate} * catch_up_ms / 1000));
}

}  // namespace

AggregatorSettings aggregator_settings(const DaemonConfig& config) {
  AggregatorSettings settings;
  settings.frame_ms = config.frame_ms;
  settings.timeout_ns = static_cast<std::int64_t>(config.timeout_ms) * kNsPerMs;
  settings.quantiser = RttQuantiser(config.precision);
  return settings;
}

TraceSettings trace_settings(const DaemonConfig& config) {
  TraceSettings settings;
  settings.interval_ns = static_cast<std::int64_t>(config.trace_interval_s) * kNsPerS;
  settings.max_ttl = static_cast<std::uint8_t>(config.trace_max_ttl);
  settings.timeout_ns = static_cast<std::int64_t>(config.timeout_ms) * kNsPerMs;
  return settings;
}

ResolveTiming resolve_timing(const DaemonConfig& config) {
  return ResolveTiming{static_cast<std::int64_t>(config.resolve_retry_s) * kNsPerS,
                       static_cast<std::int64_t>(config.resolve_interval_s) * kNsPerS};
}

MonitoredHost::MonitoredHost(const TargetConfig& target_config, const DaemonConfig& config, std::int64_t start_ns,
                             std::uint64_t host_cookie)
    : target(target_config),
      cookie(host_cookie),
      resolver(target_config.host, target_config.family),
      schedule(start_ns, target_config.rate, burst_bound(target_config.rate, config.catch_up_ms)),
      aggregator(aggregator_settings(config)) {
  info.name = target.host;
  info.rate = target.rate;
  info.frame_ms = config.frame_ms;
  info.precision = config.precision;
  info.role = target.role;
  info.timeout_ms = config.timeout_ms;
}

std::optional<IpAddress> MonitoredHost::poll_resolution(std::int64_t now_ns, const ResolveTiming& timing) {
  if (!resolver.running()) {
    if (!resolve_state.due(now_ns)) return std::nullopt;
    resolver.start();
    if (!resolver.running() && !resolver.is_literal()) {
      log(resolve_state.on_start_failed(now_ns, timing));
      return std::nullopt;
    }
  }
  const auto result = resolver.poll();
  if (!result) return std::nullopt;
  auto outcome = resolve_state.on_result(result->address, result->error, resolver.is_literal(), now_ns, timing);
  for (const auto& line : outcome.logs) log(line);
  if (outcome.new_address) info.address = outcome.new_address->to_string();
  return std::move(outcome.new_address);
}

HostStatus MonitoredHost::status(std::int64_t now_ns) const {
  HostStatus status;
  status.in_flight = aggregator.in_flight();
  status.probes_sent = aggregator.probes_sent();
  const std::int64_t last = aggregator.last_reply_mono_ns();
  status.last_reply_age_ms = last == 0 ? -1 : (now_ns - last) / kNsPerMs;
  return status;
}

void MonitoredHost::log(const ResolveLog& line) const {
  switch (line.level) {
    case ResolveLog::Level::info: spdlog::info("host {}: {}", info.name, line.text); break;
    case ResolveLog::Level::warn: spdlog::warn("host {}: {}", info.name, line.text); break;
    case ResolveLog::Level::error: spdlog::error("host {}: {}", info.name, line.text); break;
  }
}

}  // namespace zzping::daemon
