// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/alert_engine.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <set>

#include "zzping/common/json_text.hpp"

namespace zzping::daemon {
namespace {

using attribution::Cause;

constexpr std::int64_t kMsPerS = 1000;

// The start/end machine of one condition (one alert and one target, or the alert's
// incidents). pending: true, but not yet for min_duration_ms; ending: false, but not yet
// for hold_down_s (a return to true within it continues the same alert, unreported).
struct Edge {
  enum class State : std::uint8_t { idle, pending, active, ending };
  State state = State::idle;
  std::int64_t true_since_ms = 0;  // pending
  std::int64_t start_ms = 0;       // active, ending: the reported start
  std::int64_t end_ms = 0;         // ending: false since
  std::int64_t last_ms = 0;        // window forms: the latest frame end evaluated
  std::optional<double> value;     // window forms: at start, then at the end
  // Event forms: what the merged events add up to.
  std::optional<Cause> cause;
  std::uint32_t probes_lost = 0;
  std::set<std::string> targets;
};

// One frame's share of a window.
struct WindowSample {
  std::int64_t t_ms = 0;
  std::uint32_t sent = 0;
  std::uint32_t lost = 0;
  std::uint64_t jitter_ns = 0;
  std::uint32_t jitter_pairs = 0;
  std::vector<HistogramBin> bins;  // rtt_p95 only
};

// The frames of one target over the last window_s, with running sums so each frame costs
// only its own bins (the p95 is exact: the window's bins are the frames' bins summed).
class SlidingWindow {
 public:
  void add(const Frame& frame, bool keep_bins) {
    if (first_ms_ < 0) first_ms_ = frame.t_ms;
    WindowSample sample{frame.t_ms, frame.sent, frame.lost, 0, 0, {}};
    if (frame.jitter) {
      sample.jitter_ns = frame.jitter->sum_ns;
      sample.jitter_pairs = frame.jitter->pairs;
    }
    if (keep_bins) {
      sample.bins.assign(frame.rtt.bins().begin(), frame.rtt.bins().end());
      quantiser_ = frame.rtt.quantiser();
    }
    apply(sample, +1);
    samples_.push_back(std::move(sample));
  }

  // Drops the frames that started before `from_ms`.
  void trim(std::int64_t from_ms) {
    while (!samples_.empty() && samples_.front().t_ms < from_ms) {
      apply(samples_.front(), -1);
      samples_.pop_front();
    }
  }

  bool full(std::int64_t end_ms, std::int64_t window_ms) const { return first_ms_ >= 0 && end_ms - first_ms_ >= window_ms; }

  std::optional<double> value(AlertWhen when) const {
    switch (when) {
      case AlertWhen::loss_pct:
        if (sent_ == 0) return std::nullopt;
        return 100.0 * static_cast<double>(lost_) / static_cast<double>(sent_);
      case AlertWhen::jitter:
        if (jitter_pairs_ == 0) return std::nullopt;
        return static_cast<double>(jitter_ns_) / 1e6 / static_cast<double>(jitter_pairs_);
      case AlertWhen::rtt_p95: return p95_ms();
      default: return std::nullopt;
    }
  }

 private:
  void apply(const WindowSample& sample, int sign) {
    const auto add = [sign](std::uint64_t& total, std::uint64_t amount) { total = sign > 0 ? total + amount : total - amount; };
    add(sent_, sample.sent);
    add(lost_, sample.lost);
    add(jitter_ns_, sample.jitter_ns);
    add(jitter_pairs_, sample.jitter_pairs);
    for (const HistogramBin& bin : sample.bins) {
      std::uint64_t& count = bins_[bin.key];
      add(count, bin.count);
      if (count == 0) bins_.erase(bin.key);
    }
  }

  std::optional<double> p95_ms() const {
    if (bins_.empty()) return std::nullopt;
    std::vector<HistogramBin> bins;
    bins.reserve(bins_.size());
    for (const auto& [key, count] : bins_) {
      // A window holds at most 3600 s x 1000 probes/s: far below 2^32 replies per bin.
      bins.push_back(HistogramBin{key, static_cast<std::uint32_t>(std::min<std::uint64_t>(count, UINT32_MAX))});
    }
    RttHistogram histogram(quantiser_);
    histogram.assign_bins(std::move(bins));
    return histogram.quantile_ns(0.95) / 1e6;
  }

  std::deque<WindowSample> samples_;
  std::int64_t first_ms_ = -1;
  std::uint64_t sent_ = 0;
  std::uint64_t lost_ = 0;
  std::uint64_t jitter_ns_ = 0;
  std::uint64_t jitter_pairs_ = 0;
  std::map<std::int32_t, std::uint64_t> bins_;
  RttQuantiser quantiser_;
};

struct HostState {
  SlidingWindow window;
  Edge edge;
};

bool wants_cause(const AlertConfig& config, Cause cause) {
  return config.causes.empty() || std::find(config.causes.begin(), config.causes.end(), cause) != config.causes.end();
}

}  // namespace

struct AlertEngine::Alert {
  explicit Alert(AlertConfig alert_config) : config(std::move(alert_config)) {}

  AlertConfig config;
  std::map<std::string, HostState, std::less<>> hosts;  // window forms and loss_burst, by target
  Edge incidents;                                       // incident form

  std::int64_t window_ms() const { return static_cast<std::int64_t>(config.window_s) * kMsPerS; }
  std::int64_t hold_down_ms() const { return static_cast<std::int64_t>(config.hold_down_s) * kMsPerS; }

  bool covers(std::string_view host) const {
    return config.targets.empty() || std::find(config.targets.begin(), config.targets.end(), host) != config.targets.end();
  }

  AlertEvent event(AlertPhase phase, const Edge& edge, std::string_view host, std::int64_t t_ms,
                   std::string reason = "condition") const {
    AlertEvent out;
    out.alert = config.name;
    out.when = config.when;
    out.phase = phase;
    out.t_ms = t_ms;
    out.start_ms = edge.start_ms;
    if (phase == AlertPhase::end) out.duration_ms = t_ms - edge.start_ms;
    out.host = std::string(host);
    if (is_window_form(config.when)) {
      out.targets = {std::string(host)};
      out.value = edge.value;
      out.threshold = config.threshold;
      out.window_s = config.window_s;
    } else {
      out.targets.assign(edge.targets.begin(), edge.targets.end());
      out.cause = edge.cause;
      out.probes_lost = edge.probes_lost;
    }
    out.reason = std::move(reason);
    return out;
  }

  // Window forms: the condition at frame end `t_ms` (see Edge).
  void evaluate(Edge& edge, std::string_view host, bool condition, std::optional<double> value, std::int64_t t_ms,
                std::vector<AlertEvent>& out) const {
    edge.last_ms = t_ms;
    if (edge.state == Edge::State::ending) {
      if (t_ms - edge.end_ms < hold_down_ms()) {
        if (condition) edge.state = Edge::State::active;  // back within the hold-down: the same alert
        return;
      }
      out.push_back(event(AlertPhase::end, edge, host, edge.end_ms));
      edge.state = Edge::State::idle;
    }
    if (edge.state == Edge::State::idle) {
      if (!condition) return;
      edge.state = Edge::State::pending;
      edge.true_since_ms = t_ms;
    }
    if (edge.state == Edge::State::pending) {
      if (!condition) {
        edge.state = Edge::State::idle;
      } else if (t_ms - edge.true_since_ms >= config.min_duration_ms) {
        edge.state = Edge::State::active;
        edge.start_ms = edge.true_since_ms;
        edge.value = value;
        out.push_back(event(AlertPhase::start, edge, host, edge.start_ms));
      }
      return;
    }
    if (!condition) {  // active
      edge.end_ms = t_ms;
      edge.value = value;
      if (hold_down_ms() == 0) {
        out.push_back(event(AlertPhase::end, edge, host, t_ms));
        edge.state = Edge::State::idle;
      } else {
        edge.state = Edge::State::ending;
      }
    }
  }

  // Event forms: an event [start_ms, end_ms] that passed the filters.
  void occurred(Edge& edge, std::string_view host, std::int64_t start_ms, std::int64_t end_ms, Cause cause,
                std::uint32_t probes_lost, const std::vector<std::string>& targets, std::vector<AlertEvent>& out) const {
    if (edge.state == Edge::State::ending) {
      if (start_ms - edge.end_ms < hold_down_ms()) {  // merged into the alert still open
        edge.end_ms = std::max(edge.end_ms, end_ms);
        edge.probes_lost += probes_lost;
        edge.targets.insert(targets.begin(), targets.end());
        return;
      }
      out.push_back(event(AlertPhase::end, edge, host, edge.end_ms));
    }
    edge.start_ms = start_ms;
    edge.end_ms = end_ms;
    edge.cause = cause;
    edge.probes_lost = probes_lost;
    edge.targets = {targets.begin(), targets.end()};
    out.push_back(event(AlertPhase::start, edge, host, start_ms));
    if (hold_down_ms() == 0) {
      out.push_back(event(AlertPhase::end, edge, host, end_ms));
      edge.state = Edge::State::idle;
    } else {
      edge.state = Edge::State::ending;
    }
  }

  // Event forms: the hold-down of an ended event expires with the daemon's frames' time.
  void expire(Edge& edge, std::string_view host, std::int64_t now_ms, std::vector<AlertEvent>& out) const {
    if (edge.state == Edge::State::ending && now_ms - edge.end_ms >= hold_down_ms()) {
      out.push_back(event(AlertPhase::end, edge, host, edge.end_ms));
      edge.state = Edge::State::idle;
    }
  }

  // Ends what is open now, for `reason`.
  void close(Edge& edge, std::string_view host, std::int64_t now_ms, const std::string& reason,
             std::vector<AlertEvent>& out) const {
    if (edge.state == Edge::State::active) {
      out.push_back(event(AlertPhase::end, edge, host, is_window_form(config.when) ? edge.last_ms : now_ms, reason));
    } else if (edge.state == Edge::State::ending) {  // it did end; only the hold-down is cut short
      out.push_back(event(AlertPhase::end, edge, host, edge.end_ms));
    }
    edge.state = Edge::State::idle;
  }

  void close_all(std::int64_t now_ms, const std::string& reason, std::vector<AlertEvent>& out) {
    for (auto& [host, state] : hosts) close(state.edge, host, now_ms, reason, out);
    close(incidents, "", now_ms, reason, out);
  }
};

AlertEngine::AlertEngine(std::vector<AlertConfig> alerts) { set_alerts(std::move(alerts)); }
AlertEngine::~AlertEngine() = default;

std::vector<AlertEvent> AlertEngine::set_alerts(std::vector<AlertConfig> alerts) {
  std::vector<AlertEvent> out;
  std::vector<std::unique_ptr<Alert>> next;
  for (auto& config : alerts) {
    const auto same = std::find_if(alerts_.begin(), alerts_.end(), [&](const auto& a) { return a && a->config == config; });
    if (same != alerts_.end()) {
      next.push_back(std::move(*same));
    } else {
      next.push_back(std::make_unique<Alert>(std::move(config)));
    }
  }
  for (auto& old : alerts_) {
    if (old) old->close_all(now_ms_, "alert_removed", out);
  }
  alerts_ = std::move(next);
  configs_.clear();
  for (const auto& alert : alerts_) configs_.push_back(alert->config);
  return out;
}

std::vector<AlertEvent> AlertEngine::on_frame(std::string_view host, const Frame& frame) {
  std::vector<AlertEvent> out;
  const std::int64_t end_ms = frame.t_ms + frame.length_ms;
  now_ms_ = std::max(now_ms_, end_ms);
  for (auto& alert : alerts_) {
    if (!is_window_form(alert->config.when)) {
      for (auto& [name, state] : alert->hosts) alert->expire(state.edge, name, now_ms_, out);
      alert->expire(alert->incidents, "", now_ms_, out);
      continue;
    }
    if (!alert->covers(host)) continue;
    auto it = alert->hosts.find(host);
    if (it == alert->hosts.end()) it = alert->hosts.emplace(std::string(host), HostState{}).first;
    SlidingWindow& window = it->second.window;
    window.add(frame, alert->config.when == AlertWhen::rtt_p95);
    window.trim(end_ms - alert->window_ms());
    if (!window.full(end_ms, alert->window_ms())) continue;  // no alert on a partial window
    const std::optional<double> value = window.value(alert->config.when);
    const bool condition = value && *value > alert->config.threshold;
    alert->evaluate(it->second.edge, it->first, condition, value, end_ms, out);
  }
  return out;
}

std::vector<AlertEvent> AlertEngine::on_burst(std::string_view host, const attribution::AttributedBurst& burst) {
  std::vector<AlertEvent> out;
  for (auto& alert : alerts_) {
    const AlertConfig& config = alert->config;
    if (config.when != AlertWhen::loss_burst || !alert->covers(host)) continue;
    if (!wants_cause(config, burst.attribution.cause)) continue;
    if (burst.burst.end_ms - burst.burst.start_ms < config.min_duration_ms) continue;
    auto it = alert->hosts.find(host);
    if (it == alert->hosts.end()) it = alert->hosts.emplace(std::string(host), HostState{}).first;
    alert->occurred(it->second.edge, it->first, burst.burst.start_ms, burst.burst.end_ms, burst.attribution.cause,
                    burst.burst.probes_lost, {std::string(host)}, out);
  }
  return out;
}

std::vector<AlertEvent> AlertEngine::on_incident(const attribution::Incident& incident) {
  std::vector<AlertEvent> out;
  for (auto& alert : alerts_) {
    const AlertConfig& config = alert->config;
    if (config.when != AlertWhen::incident || !wants_cause(config, incident.cause)) continue;
    const bool covered = std::any_of(incident.targets.begin(), incident.targets.end(),
                                     [&](const std::string& target) { return alert->covers(target); });
    if (!covered || incident.end_ms - incident.start_ms < config.min_duration_ms) continue;
    alert->occurred(alert->incidents, "", incident.start_ms, incident.end_ms, incident.cause, incident.probes_lost,
                    incident.targets, out);
  }
  return out;
}

std::vector<AlertEvent> AlertEngine::on_host_removed(std::string_view host) {
  std::vector<AlertEvent> out;
  for (auto& alert : alerts_) {
    const auto it = alert->hosts.find(host);
    if (it == alert->hosts.end()) continue;
    alert->close(it->second.edge, it->first, now_ms_, "target_removed", out);
    alert->hosts.erase(it);
  }
  return out;
}

std::vector<AlertEvent> AlertEngine::finish() {
  std::vector<AlertEvent> out;
  for (auto& alert : alerts_) {
    for (auto& [host, state] : alert->hosts) {
      if (state.edge.state == Edge::State::ending) alert->close(state.edge, host, now_ms_, "condition", out);
    }
    if (alert->incidents.state == Edge::State::ending) alert->close(alert->incidents, "", now_ms_, "condition", out);
  }
  return out;
}

const std::vector<AlertConfig>& AlertEngine::alerts() const { return configs_; }

// --- output -----------------------------------------------------------------------------

std::string_view to_string(AlertPhase phase) { return phase == AlertPhase::start ? "start" : "end"; }

namespace {

// Shortest text that reads back as the same double (values are measured, not rounded).
std::string number(double value) {
  char text[32];
  const auto result = std::to_chars(text, text + sizeof text, value);
  return std::string(text, result.ptr);
}

template <typename T>
std::string json_or_null(const std::optional<T>& value) {
  if (!value) return "null";
  if constexpr (std::is_floating_point_v<T>) {
    return number(*value);
  } else {
    return std::to_string(*value);
  }
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace

std::string to_json(const AlertEvent& event) {
  std::string targets = "[";
  for (std::size_t i = 0; i < event.targets.size(); ++i) targets += (i ? "," : "") + json_string(event.targets[i]);
  targets += "]";
  std::string out = "{\"alert\":" + json_string(event.alert);
  out += ",\"when\":" + json_string(to_string(event.when));
  out += ",\"phase\":" + json_string(to_string(event.phase));
  out += ",\"t_ms\":" + std::to_string(event.t_ms);
  out += ",\"start_ms\":" + std::to_string(event.start_ms);
  out += ",\"duration_ms\":" + json_or_null(event.duration_ms);
  out += ",\"host\":" + (event.host.empty() ? std::string("null") : json_string(event.host));
  out += ",\"targets\":" + targets;
  out += ",\"value\":" + json_or_null(event.value);
  out += ",\"threshold\":" + json_or_null(event.threshold);
  out += ",\"window_s\":" + json_or_null(event.window_s);
  out += ",\"cause\":" + (event.cause ? json_string(attribution::to_string(*event.cause)) : std::string("null"));
  out += ",\"probes_lost\":" + json_or_null(event.probes_lost);
  out += ",\"reason\":" + json_string(event.reason) + "}";
  return out;
}

std::vector<std::string> to_environment(const AlertEvent& event) {
  std::vector<std::string> out = {
      "ZZPING_ALERT=" + event.alert,
      "ZZPING_WHEN=" + std::string(to_string(event.when)),
      "ZZPING_PHASE=" + std::string(to_string(event.phase)),
      "ZZPING_T_MS=" + std::to_string(event.t_ms),
      "ZZPING_START_MS=" + std::to_string(event.start_ms),
      "ZZPING_TARGETS=" + joined(event.targets, " "),
      "ZZPING_REASON=" + event.reason,
  };
  if (event.duration_ms) out.push_back("ZZPING_DURATION_MS=" + std::to_string(*event.duration_ms));
  if (!event.host.empty()) out.push_back("ZZPING_HOST=" + event.host);
  if (event.value) out.push_back("ZZPING_VALUE=" + number(*event.value));
  if (event.threshold) out.push_back("ZZPING_THRESHOLD=" + number(*event.threshold));
  if (event.window_s) out.push_back("ZZPING_WINDOW_S=" + std::to_string(*event.window_s));
  if (event.cause) out.push_back("ZZPING_CAUSE=" + std::string(attribution::to_string(*event.cause)));
  if (event.probes_lost) out.push_back("ZZPING_PROBES_LOST=" + std::to_string(*event.probes_lost));
  return out;
}

}  // namespace zzping::daemon
