// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/service_notifier.hpp"

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <csignal>
#include <string>

#if ZZPING_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace zzping::daemon {

bool ServiceNotifier::compiled_with_systemd() { return ZZPING_HAVE_SYSTEMD != 0; }

#if ZZPING_HAVE_SYSTEMD

bool ServiceNotifier::notify(std::string_view assignments) const {
  const std::string message(assignments);  // sd_notify wants a NUL-terminated string
  return sd_notify(0, message.c_str()) > 0;
}

std::chrono::microseconds ServiceNotifier::watchdog_ping_interval() const {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::chrono::microseconds{0};
  // Half the period, as sd_watchdog_enabled(3) advises: one late ping is not yet a kill.
  return std::chrono::microseconds{static_cast<std::int64_t>(usec / 2)};
}

#else

bool ServiceNotifier::notify(std::string_view) const { return false; }
std::chrono::microseconds ServiceNotifier::watchdog_ping_interval() const { return std::chrono::microseconds{0}; }

#endif

std::string service_status_line(const std::map<std::string, std::uint32_t, std::less<>>& host_rates) {
  std::uint64_t total_rate = 0;
  for (const auto& [name, rate] : host_rates) total_rate += rate;
  const std::size_t hosts = host_rates.size();
  return std::to_string(hosts) + (hosts == 1 ? " host, " : " hosts, ") + std::to_string(total_rate) + " probes/s";
}

struct ServiceNotifierSink::LoopHooks {
  explicit LoopHooks(asio::io_context& io) : watchdog(io), stop_signals(io, SIGINT, SIGTERM) {}
  asio::steady_timer watchdog;
  asio::signal_set stop_signals;
};

namespace {

// The ping comes from a timer on the loop thread: if the loop stops turning, so do the
// pings, and systemd's WatchdogSec kills and restarts the daemon.
void arm_watchdog(asio::steady_timer& timer, std::chrono::microseconds interval, const ServiceNotifier& notifier) {
  timer.expires_after(interval);
  timer.async_wait([&timer, interval, &notifier](const std::error_code& error) {
    if (error) return;
    notifier.notify("WATCHDOG=1");
    arm_watchdog(timer, interval, notifier);
  });
}

}  // namespace

ServiceNotifierSink::ServiceNotifierSink(asio::io_context& io) : hooks_(std::make_unique<LoopHooks>(io)) {
  // The hosts report in with their first status; STATUS= follows then.
  asio::post(io, [this] { notifier_.notify("READY=1"); });
  const std::chrono::microseconds watchdog_interval = notifier_.watchdog_ping_interval();
  if (watchdog_interval.count() > 0) arm_watchdog(hooks_->watchdog, watchdog_interval, notifier_);
  // Another signal_set on the same signals: Asio tells every set, the pinger still stops.
  hooks_->stop_signals.async_wait([this](const std::error_code& error, int) {
    if (error) return;
    stopping_ = true;
    notifier_.notify("STOPPING=1\nSTATUS=stopping: finishing the frames in flight");
  });
}

ServiceNotifierSink::~ServiceNotifierSink() = default;

void ServiceNotifierSink::on_status(const HostInfo& host, const HostStatus&) {
  const auto known = host_rates_.find(host.name);
  if (known != host_rates_.end() && known->second == host.rate) return;
  host_rates_.insert_or_assign(host.name, host.rate);
  publish_status_if_changed();
}

void ServiceNotifierSink::on_host_removed(const HostInfo& host) {
  const auto known = host_rates_.find(host.name);
  if (known == host_rates_.end()) return;
  host_rates_.erase(known);
  publish_status_if_changed();
}

void ServiceNotifierSink::publish_status_if_changed() {
  if (stopping_) return;  // the stop status stays until the process ends
  std::string status = service_status_line(host_rates_);
  if (status == last_status_) return;
  notifier_.notify("STATUS=" + status);
  last_status_ = std::move(status);
}

}  // namespace zzping::daemon
