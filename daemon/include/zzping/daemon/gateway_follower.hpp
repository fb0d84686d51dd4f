// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// gateway = "auto" wired to the hosts: AutoGateways started or stopped as the configuration
// says, told which addresses the configured targets ping (an automatic gateway never
// duplicates one), and its changes applied to the HostTable (new gateways start on the
// schedule grid, a second after the change at the earliest).
#include <memory>

#include "zzping/daemon/auto_gateways.hpp"
#include "zzping/daemon/config.hpp"
#include "zzping/daemon/host_table.hpp"
#include "zzping/daemon/schedule_grid.hpp"

namespace asio { class io_context; }

namespace zzping::daemon {

class GatewayFollower {
 public:
  // `config` is the configuration in effect (a reload replaces it in place).
  GatewayFollower(asio::io_context& io, const DaemonConfig& config, HostTable& hosts, const ScheduleGrid& grid)
      : io_(io), config_(config), hosts_(hosts), grid_(grid) {}

  // After start and after every reload.
  void sync();
  // A configured host got a (new) address: the gateways are told, after the current
  // handler (which may be looping over the hosts a gateway change would alter).
  void on_configured_address();
  bool active() const { return gateways_ != nullptr; }

 private:
  asio::io_context& io_;
  const DaemonConfig& config_;
  HostTable& hosts_;
  const ScheduleGrid& grid_;
  std::unique_ptr<AutoGateways> gateways_;
};

}  // namespace zzping::daemon
