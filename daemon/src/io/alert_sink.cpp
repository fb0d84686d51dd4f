// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/alert_sink.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace zzping::daemon {
namespace {

// KEY=VALUE\n, or the binary form when the value holds a newline (a host name could).
void append_field(std::string& out, std::string_view key, std::string_view value) {
  out += key;
  if (value.find('\n') == std::string_view::npos) {
    out += '=';
    out += value;
  } else {
    out += '\n';
    const std::uint64_t size = value.size();
    for (int i = 0; i < 8; ++i) out += static_cast<char>((size >> (8 * i)) & 0xff);  // little endian
    out += value;
  }
  out += '\n';
}

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// 4 significant digits: "2.5", "0.0303", "153.2".
std::string brief(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

std::string unit_of(AlertWhen when) { return when == AlertWhen::loss_pct ? "%" : " ms"; }

}  // namespace

std::string describe(const AlertEvent& event) {
  std::string line = "alert " + event.alert + " " + std::string(to_string(event.phase));
  if (event.reason != "condition") line += " (" + event.reason + ")";
  line += ": " + std::string(to_string(event.when));
  if (event.value) line += " " + brief(*event.value) + unit_of(event.when);
  if (event.threshold) {
    line += std::string(event.phase == AlertPhase::start ? " > " : ", threshold ") + brief(*event.threshold) +
            unit_of(event.when);
  }
  if (event.window_s) line += " over " + std::to_string(*event.window_s) + " s";
  if (event.cause) line += ", cause " + std::string(attribution::to_string(*event.cause));
  std::string targets;
  for (const auto& target : event.targets) targets += (targets.empty() ? "" : " ") + target;
  line += (event.targets.size() == 1 ? ", target " : ", targets ") + targets;
  if (event.probes_lost) line += ", " + std::to_string(*event.probes_lost) + " probes lost";
  if (event.duration_ms) line += ", lasted " + fixed(static_cast<double>(*event.duration_ms) / 1000.0, 1) + " s";
  return line;
}

AlertJournal::AlertJournal(std::string socket_path)
    : path_(std::move(socket_path)), fd_(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) {}

AlertJournal::~AlertJournal() {
  if (fd_ >= 0) ::close(fd_);
}

std::string AlertJournal::entry(const AlertEvent& event) {
  std::string out;
  append_field(out, "MESSAGE", describe(event));
  append_field(out, "MESSAGE_ID", kAlertMessageId);
  append_field(out, "PRIORITY", event.phase == AlertPhase::start ? "4" : "5");
  append_field(out, "SYSLOG_IDENTIFIER", "zzpingd");
  for (const std::string& variable : to_environment(event)) {
    const auto equals = variable.find('=');
    append_field(out, std::string_view(variable).substr(0, equals), std::string_view(variable).substr(equals + 1));
  }
  return out;
}

bool AlertJournal::send(const AlertEvent& event) {
  if (fd_ < 0) return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path_.size() >= sizeof address.sun_path) return false;
  std::memcpy(address.sun_path, path_.c_str(), path_.size() + 1);
  const std::string payload = entry(event);
  const ssize_t sent = ::sendto(fd_, payload.data(), payload.size(), MSG_NOSIGNAL,
                                reinterpret_cast<const sockaddr*>(&address), sizeof address);
  return sent == static_cast<ssize_t>(payload.size());
}

AlertSink::AlertSink(asio::io_context& io, const DaemonConfig& config, AlertSinkOptions options)
    : options_(std::move(options)),
      engine_(config.alerts),
      journal_(options_.journal_socket),
      runner_(io, options_.max_running, options_.max_queued) {
  for (const auto& alert : config.alerts) spdlog::info("alert {}: when {}", alert.name, to_string(alert.when));
}

AlertSink::~AlertSink() { dispatch(engine_.finish(), engine_.alerts()); }

void AlertSink::on_frame(const HostInfo& host, const Frame& frame) {
  dispatch(engine_.on_frame(host.name, frame), engine_.alerts());
}

void AlertSink::on_event(const HostInfo& /*host*/, const LossEvent& /*event*/) {
  // loss_burst alerts wait for the attributed burst (its cause is a filter).
}

void AlertSink::on_burst_attributed(const HostInfo& host, const attribution::AttributedBurst& burst) {
  dispatch(engine_.on_burst(host.name, burst), engine_.alerts());
}

void AlertSink::on_incident(const attribution::Incident& incident) {
  dispatch(engine_.on_incident(incident), engine_.alerts());
}

void AlertSink::on_status(const HostInfo& /*host*/, const HostStatus& /*status*/) {}

void AlertSink::on_host_removed(const HostInfo& host) {
  dispatch(engine_.on_host_removed(host.name), engine_.alerts());
}

void AlertSink::flush() {}

void AlertSink::on_config_reloaded(const DaemonConfig& effective) {
  if (effective.alerts == engine_.alerts()) return;
  const std::vector<AlertConfig> previous = engine_.alerts();
  // Ends of removed or changed alerts run the command they were defined with.
  dispatch(engine_.set_alerts(effective.alerts), previous);
  spdlog::info("alerts: {} defined", effective.alerts.size());
}

void AlertSink::dispatch(const std::vector<AlertEvent>& events, const std::vector<AlertConfig>& configs) {
  for (const AlertEvent& event : events) {
    const bool in_journal = journal_.send(event);
    if (!in_journal || !options_.stderr_is_journal) {
      spdlog::log(event.phase == AlertPhase::start ? spdlog::level::warn : spdlog::level::info, "{}", describe(event));
    }
    const auto config = std::find_if(configs.begin(), configs.end(), [&](const auto& c) { return c.name == event.alert; });
    if (config == configs.end() || config->exec.empty()) continue;
    runner_.run(AlertCommand{event.alert, config->exec, to_environment(event), to_json(event) + "\n",
                             std::chrono::seconds(config->timeout_s)});
  }
}

}  // namespace zzping::daemon
