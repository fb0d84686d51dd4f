// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What a SIGHUP reload does with a new configuration, decided without touching anything:
// targets to add, remove and keep, and for every other key whether its change is applied
// live or needs a restart. Every DaemonConfig field is in config_fields() (a compile-time
// check counts the struct's fields), so a new key cannot be silently ignored by a reload.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zzping/daemon/config.hpp"

namespace zzping::daemon {

enum class ReloadEffect : std::uint8_t { live, restart };

struct ConfigField {
  std::string_view name;  // the TOML key ([metrics] keys as "metrics.listen")
  ReloadEffect effect;
  bool (*differs)(const DaemonConfig& a, const DaemonConfig& b);
};

// Every field of DaemonConfig, in declaration order.
std::span<const ConfigField> config_fields();

struct ReloadPlan {
  std::vector<TargetConfig> add;     // in the new config only
  std::vector<TargetConfig> remove;  // in the old config only
  std::vector<TargetConfig> keep;    // in both (same host, rate and family): no gap; as in the new config
  std::vector<TargetConfig> role_changed;  // kept targets whose role changed (applied live), new role
  std::vector<std::string_view> applied_live;  // changed keys applied now
  std::vector<std::string_view> need_restart;  // changed keys kept at their old value
  // The configuration to run with: the new live keys, the old restart keys.
  DaemonConfig effective;
};

ReloadPlan plan_reload(const DaemonConfig& current, const DaemonConfig& fresh);

// One line for the log: "reload: 3 hosts (+1 -0 =2); applied live: log_level;
// need a restart (kept): frame_ms".
std::string describe(const ReloadPlan& plan);

}  // namespace zzping::daemon
