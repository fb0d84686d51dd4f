// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/host_health_log.hpp"

#include <spdlog/spdlog.h>

namespace zzping::daemon {

HostHealthLog::HostHealthLog(HealthSettings settings) : settings_(settings) {}

void HostHealthLog::on_frame(const HostInfo& host, const Frame& frame) {
  auto it = hosts_.try_emplace(host.name, settings_).first;
  const auto message = it->second.on_frame(frame);
  if (!message) return;
  const std::string address = host.address.empty() || host.address == host.name ? "" : " (" + host.address + ")";
  if (message->level == HealthMessage::Level::warn) {
    spdlog::warn("host {}{}: {}", host.name, address, message->text);
  } else {
    spdlog::info("host {}{}: {}", host.name, address, message->text);
  }
}

void HostHealthLog::on_host_removed(const HostInfo& host) { hosts_.erase(host.name); }

}  // namespace zzping::daemon
