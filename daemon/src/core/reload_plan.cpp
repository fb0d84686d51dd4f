// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/reload_plan.hpp"

#include <algorithm>
#include <array>

namespace zzping::daemon {
namespace {

// Counts an aggregate's fields: the most initialisers T{...} accepts. DaemonConfig's
// members are not aggregates themselves, so brace elision cannot inflate the count.
struct AnyValue {
  template <class T>
  operator T() const;  // NOLINT(google-explicit-constructor): only used unevaluated
};
template <class T, class... Values>
consteval std::size_t field_count() {
  if constexpr (requires { T{Values{}..., AnyValue{}}; }) {
    return field_count<T, Values..., AnyValue>();
  } else {
    return sizeof...(Values);
  }
}

#define ZZPING_FIELD(key, member, effect) \
  ConfigField { key, ReloadEffect::effect, [](const DaemonConfig& a, const DaemonConfig& b) { return a.member != b.member; } }

// Live: applied by ReloadApplier (targets, log level, resolve timers, flush period,
// the tracers' interval and TTL limit, from their next trace on; the automatic gateway
// targets) or by the sinks' on_config_reloaded (stream_token, for new stream connections;
// [[alert]] by the AlertSink, which keeps the state of unchanged alerts).
// Restart: what the sockets, files, servers, threads or frames were built with.
constexpr std::array kFields = {
    ZZPING_FIELD("targets", targets, live),
    ZZPING_FIELD("frame_ms", frame_ms, restart),
    ZZPING_FIELD("timeout_ms", timeout_ms, restart),
    ZZPING_FIELD("precision", precision, restart),
    ZZPING_FIELD("data_dir", data_dir, restart),
    ZZPING_FIELD("listen", listen, restart),
    ZZPING_FIELD("stream_token", stream_token, live),
    ZZPING_FIELD("stream_memory_s", stream_memory_s, restart),
    ZZPING_FIELD("flush_ms", flush_ms, live),
    ZZPING_FIELD("fsync_s", fsync_s, restart),
    ZZPING_FIELD("catch_up_ms", catch_up_ms, restart),
    ZZPING_FIELD("realtime_priority", realtime_priority, restart),
    ZZPING_FIELD("resolve_interval_s", resolve_interval_s, live),
    ZZPING_FIELD("resolve_retry_s", resolve_retry_s, live),
    ZZPING_FIELD("trace_interval_s", trace_interval_s, live),
    ZZPING_FIELD("trace_max_ttl", trace_max_ttl, live),
    ZZPING_FIELD("socket", socket_mode, restart),
    ZZPING_FIELD("console", console, restart),
    ZZPING_FIELD("log_level", log_level, live),
    ZZPING_FIELD("send_error_log", send_error_log, restart),
    ZZPING_FIELD("frames_jsonl", frames_jsonl, restart),
    ZZPING_FIELD("gateway", gateway, live),
    ZZPING_FIELD("gateway_rate", gateway_rate, live),
    ZZPING_FIELD("metrics.listen", metrics_listen, restart),
    ZZPING_FIELD("metrics.allow_remote", metrics_allow_remote, restart),
    ZZPING_FIELD("alert", alerts, live),
};
#undef ZZPING_FIELD

static_assert(field_count<DaemonConfig>() == kFields.size(),
              "a DaemonConfig field is missing from kFields: say whether a reload applies it live or needs a restart");

// Copies one field from `from` to `to`, by key: the effective configuration takes the
// live keys from the new file and keeps the restart keys.
void copy_field(std::string_view key, const DaemonConfig& from, DaemonConfig& to) {
  if (key == "targets") to.targets = from.targets;
  else if (key == "stream_token") to.stream_token = from.stream_token;
  else if (key == "flush_ms") to.flush_ms = from.flush_ms;
  else if (key == "resolve_interval_s") to.resolve_interval_s = from.resolve_interval_s;
  else if (key == "resolve_retry_s") to.resolve_retry_s = from.resolve_retry_s;
  else if (key == "trace_interval_s") to.trace_interval_s = from.trace_interval_s;
  else if (key == "trace_max_ttl") to.trace_max_ttl = from.trace_max_ttl;
  else if (key == "log_level") to.log_level = from.log_level;
  else if (key == "alert") to.alerts = from.alerts;
  else if (key == "gateway") to.gateway = from.gateway;
  else if (key == "gateway_rate") to.gateway_rate = from.gateway_rate;
}

// What a target's probes are: a change here restarts the host (a new schedule, new
// frames; `trace`: its path tracer with its own probes). The role only labels its results,
// so a role change is applied live to the running host (ReloadApplier, HostTable::change_roles).
bool same_probes(const TargetConfig& a, const TargetConfig& b) {
  return a.host == b.host && a.rate == b.rate && a.family == b.family && a.trace == b.trace;
}
static_assert(field_count<TargetConfig>() == 5,
              "a TargetConfig field is missing from same_probes: say whether it restarts the host or is applied live");

const TargetConfig* find_same_probes(const std::vector<TargetConfig>& targets, const TargetConfig& target) {
  const auto it = std::find_if(targets.begin(), targets.end(), [&](const TargetConfig& t) { return same_probes(t, target); });
  return it == targets.end() ? nullptr : &*it;
}

std::string join(const std::vector<std::string_view>& names) {
  std::string out;
  for (const auto name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace

std::span<const ConfigField> config_fields() { return kFields; }

ReloadPlan plan_reload(const DaemonConfig& current, const DaemonConfig& fresh) {
  ReloadPlan plan;
  for (const auto& target : current.targets) {
    const TargetConfig* kept = find_same_probes(fresh.targets, target);
    if (kept == nullptr) {
      plan.remove.push_back(target);
    } else {
      plan.keep.push_back(*kept);
      if (kept->role != target.role) plan.role_changed.push_back(*kept);
    }
  }
  for (const auto& target : fresh.targets) {
    if (find_same_probes(current.targets, target) == nullptr) plan.add.push_back(target);
  }
  plan.effective = current;
  for (const auto& field : kFields) {
    if (!field.differs(current, fresh)) continue;
    if (field.effect == ReloadEffect::live) {
      plan.applied_live.push_back(field.name);
      copy_field(field.name, fresh, plan.effective);
    } else {
      plan.need_restart.push_back(field.name);
    }
  }
  return plan;
}

std::string describe(const ReloadPlan& plan) {
  std::string line = "reload: " + std::to_string(plan.keep.size() + plan.add.size()) + " hosts (+" +
                     std::to_string(plan.add.size()) + " -" + std::to_string(plan.remove.size()) + " =" +
                     std::to_string(plan.keep.size()) + ")";
  for (const auto& target : plan.role_changed) {
    line += "; " + target.host + " is now " + std::string(attribution::to_string(target.role));
  }
  line += "; applied live: " + (plan.applied_live.empty() ? std::string("nothing else") : join(plan.applied_live));
  if (!plan.need_restart.empty()) line += "; need a restart (kept): " + join(plan.need_restart);
  return line;
}

}  // namespace zzping::daemon
