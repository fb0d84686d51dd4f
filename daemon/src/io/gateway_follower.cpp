// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/gateway_follower.hpp"

#include <asio.hpp>

#include "zzping/daemon/clock.hpp"

namespace zzping::daemon {

void GatewayFollower::sync() {
  if (config_.gateway == GatewayMode::off) {
    if (gateways_) gateways_->stop();
    gateways_.reset();
    return;
  }
  if (!gateways_) {
    gateways_ = std::make_unique<AutoGateways>(io_, [this](const GatewayChanges& changes) {
      hosts_.apply_gateway_changes(changes, grid_.next(monotonic_ns() + kNsPerMs));
    });
  }
  gateways_->set_constraints(hosts_.configured_addresses(), config_.gateway_rate);
}

void GatewayFollower::on_configured_address() {
  if (gateways_) asio::post(io_, [this] { sync(); });
}

}  // namespace zzping::daemon
