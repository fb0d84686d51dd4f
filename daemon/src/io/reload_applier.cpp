// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/reload_applier.hpp"

#include <spdlog/spdlog.h>

#include "zzping/daemon/clock.hpp"

namespace zzping::daemon {

void ReloadApplier::apply(const ReloadPlan& plan, std::int64_t start_ns) {
  for (const auto key : plan.need_restart) {
    spdlog::warn("reload: {} changed but needs a restart; the running value is kept", key);
  }
  spdlog::set_level(spdlog::level::from_str(plan.effective.log_level));
  parts_.hosts.remove_configured(plan.remove);
  parts_.hosts.change_roles(plan.role_changed);
  parts_.config = plan.effective;
  parts_.clock.set_flush_period(static_cast<std::int64_t>(parts_.config.flush_ms) * kNsPerMs);
  applied_();
  for (const auto& target : plan.add) parts_.hosts.add(target, start_ns);
  parts_.hosts.update_trace_settings();
  parts_.fanout.config_reloaded(parts_.config);
  spdlog::info("{}", describe(plan));
}

}  // namespace zzping::daemon
