// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/host_health.hpp"

#include <cstdio>

namespace zzping::daemon {
namespace {

std::string seconds_text(std::int64_t ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(ms) / 1000.0);
  return text;
}

std::string icmp_clause(std::uint64_t icmp_errors) {
  if (icmp_errors == 0) return "no ICMP errors";
  return std::to_string(icmp_errors) + " ICMP errors: the network reports it unreachable";
}

}  // namespace

HostHealth::HostHealth(HealthSettings settings) : settings_(settings) {}

std::optional<HealthMessage> HostHealth::on_frame(const Frame& frame) {
  if (frame.sent == 0) return std::nullopt;
  return frame.recv == 0 ? on_silent_frame(frame) : on_answered_frame(frame);
}

std::optional<HealthMessage> HostHealth::on_silent_frame(const Frame& frame) {
  if (silence_start_ms_ < 0) silence_start_ms_ = frame.t_ms;
  silence_lost_ += frame.lost;
  silence_icmp_errors_ += frame.icmp_errors;
  const std::int64_t silent_for_ms = frame.t_ms + frame.length_ms - silence_start_ms_;
  if (silent_ || silent_for_ms < settings_.silence_ms) return std::nullopt;
  silent_ = true;
  // The ICMP errors of this outage are told here; not again as "errors while answering".
  icmp_unreported_ = 0;
  icmp_window_start_ms_ = -1;
  return HealthMessage{HealthMessage::Level::warn,
                       "no replies for " + seconds_text(silent_for_ms) + " (" + std::to_string(silence_lost_) +
                           " probes lost, " + icmp_clause(silence_icmp_errors_) + ")"};
}

std::optional<HealthMessage> HostHealth::on_answered_frame(const Frame& frame) {
  std::optional<HealthMessage> message;
  if (silent_) {
    message = HealthMessage{HealthMessage::Level::info,
                            "replies again after " + seconds_text(frame.t_ms - silence_start_ms_) +
                                " without (" + std::to_string(silence_lost_) + " probes lost, " +
                                std::to_string(silence_icmp_errors_) + " ICMP errors)"};
  }
  silent_ = false;
  silence_start_ms_ = -1;
  silence_lost_ = 0;
  silence_icmp_errors_ = 0;
  if (message || frame.icmp_errors == 0) return message;
  // ICMP errors of a host that still answers (a flapping route, a firewall dropping some).
  if (icmp_window_start_ms_ < 0) icmp_window_start_ms_ = frame.t_ms;
  icmp_unreported_ += frame.icmp_errors;
  if (frame.t_ms - icmp_last_report_ms_ < settings_.icmp_report_ms) return std::nullopt;
  message = HealthMessage{HealthMessage::Level::warn,
                          std::to_string(icmp_unreported_) + " ICMP errors (unreachable / time exceeded) quoting our probes within " +
                              seconds_text(frame.t_ms + frame.length_ms - icmp_window_start_ms_) +
                              " while it still answers"};
  icmp_last_report_ms_ = frame.t_ms;
  icmp_unreported_ = 0;
  icmp_window_start_ms_ = -1;
  return message;
}

}  // namespace zzping::daemon
