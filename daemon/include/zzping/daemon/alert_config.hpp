// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Local alerts: the [[alert]] tables of zzpingd.toml (docs/alerts.md, "Local alerts").
// Kept apart from config.hpp so the alert keys, their checks and their parser live in one
// place; DaemonConfig holds the parsed list (the TOML reader: src/core/alert_config_toml.hpp).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "zzping/common/attribution.hpp"

namespace zzping::daemon {

struct TargetConfig;

enum class AlertWhen : std::uint8_t { incident, loss_burst, loss_pct, rtt_p95, jitter };
std::string_view to_string(AlertWhen when);
// True for the forms evaluated over a sliding window of frames (loss_pct, rtt_p95, jitter).
bool is_window_form(AlertWhen when);

struct AlertConfig {
  std::string name;  // unique among the alerts
  AlertWhen when = AlertWhen::incident;
  std::vector<attribution::Cause> causes;  // incident / loss_burst only; empty: any cause
  std::vector<std::string> targets;        // configured target hosts; empty: all targets
  std::uint32_t min_duration_ms = 0;       // a condition shorter than this does not alert
  double threshold = 0.0;                  // window forms: loss % (0..100), or ms
  std::uint32_t window_s = 60;             // window forms: the sliding window, 1..3600 s
  std::vector<std::string> exec;           // argv; empty: journal/log message only
  std::uint32_t timeout_s = 10;            // the command is killed after this long, 1..3600
  std::uint32_t hold_down_s = 0;           // flap damping (docs/alerts.md), 0..86400
  friend bool operator==(const AlertConfig&, const AlertConfig&) = default;
};

// Names unique, targets among the configured ones (checked once the command line's
// --target has replaced the file's targets). Throws ConfigError.
void check_alerts(const std::vector<AlertConfig>& alerts, const std::vector<TargetConfig>& targets);

}  // namespace zzping::daemon
