// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Local alerts, decided (docs/alerts.md, "Local alerts"): fed the daemon's final frames,
// attributed loss bursts and incidents, it says when each [[alert]] starts and ends. Pure:
// no Asio, no I/O, no clock (time is the frames' and the events' own, in ms since the
// epoch), so every rule is unit-tested; the AlertSink runs the commands.
//
// Edge-triggered: one start and one end per condition. Window forms (loss_pct, rtt_p95,
// jitter) are evaluated per target at every final frame over the frames of the last
// window_s; incident and loss_burst forms take the events as they come, after the fact.
// min_duration_ms and hold_down_s are defined in docs/alerts.md and implemented below.
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zzping/common/attribution.hpp"
#include "zzping/common/frame.hpp"
#include "zzping/daemon/alert_config.hpp"

namespace zzping::daemon {

enum class AlertPhase : std::uint8_t { start, end };
std::string_view to_string(AlertPhase phase);

// One start or end of an alert: the fields of the JSON on the command's stdin and of its
// environment (docs/alerts.md lists them).
struct AlertEvent {
  std::string alert;
  AlertWhen when = AlertWhen::incident;
  AlertPhase phase = AlertPhase::start;
  std::int64_t t_ms = 0;      // start: when the condition began; end: when it ended
  std::int64_t start_ms = 0;  // when the condition began (== t_ms at start)
  std::optional<std::int64_t> duration_ms;  // end only: t_ms - start_ms
  std::string host;                         // window forms and loss_burst; "" for incident
  std::vector<std::string> targets;         // the targets concerned ({host}, or the incident's)
  std::optional<double> value;              // window forms: loss %, p95 ms or jitter ms
  std::optional<double> threshold;          // window forms
  std::optional<std::uint32_t> window_s;    // window forms
  std::optional<attribution::Cause> cause;  // event forms (the first event's)
  std::optional<std::uint32_t> probes_lost;  // event forms: summed over merged events
  // "condition" (start, and an end because the condition ended), "target_removed" (the
  // target stopped: removed by a reload, or the daemon stopped), "alert_removed" (the
  // [[alert]] was removed or changed by a reload).
  std::string reason = "condition";
  friend bool operator==(const AlertEvent&, const AlertEvent&) = default;
};

// {"alert":..,"when":..,"phase":..,...}: one line, every field present (null when absent).
std::string to_json(const AlertEvent& event);
// ZZPING_ALERT, ZZPING_PHASE, ZZPING_T_MS...: "NAME=VALUE", absent fields left out.
std::vector<std::string> to_environment(const AlertEvent& event);

class AlertEngine {
 public:
  explicit AlertEngine(std::vector<AlertConfig> alerts = {});
  AlertEngine(const AlertEngine&) = delete;
  AlertEngine& operator=(const AlertEngine&) = delete;
  ~AlertEngine();

  // A reload: alerts identical to a running one keep their state (windows, active
  // conditions); the others end ("alert_removed") and the new ones start empty.
  std::vector<AlertEvent> set_alerts(std::vector<AlertConfig> alerts);
  // A final frame of `host` (frames of one host in time order).
  std::vector<AlertEvent> on_frame(std::string_view host, const Frame& frame);
  std::vector<AlertEvent> on_burst(std::string_view host, const attribution::AttributedBurst& burst);
  std::vector<AlertEvent> on_incident(const attribution::Incident& incident);
  // The host stopped: its active conditions end ("target_removed"), its windows go.
  std::vector<AlertEvent> on_host_removed(std::string_view host);
  // The daemon stops: the ends still held back by a hold-down are delivered now (the
  // conditions did end; window forms' active ones ended with on_host_removed).
  std::vector<AlertEvent> finish();

  const std::vector<AlertConfig>& alerts() const;

 private:
  struct Alert;
  std::vector<std::unique_ptr<Alert>> alerts_;
  std::vector<AlertConfig> configs_;
  std::int64_t now_ms_ = 0;  // the latest frame end seen (hold-down expiry of event forms)
};

}  // namespace zzping::daemon
