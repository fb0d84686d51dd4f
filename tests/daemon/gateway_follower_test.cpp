// SPDX-License-Identifier: GPL-3.0-or-later
// GatewayFollower: gateway = "off" starts nothing and a configured host's new address posts
// nothing; "auto" starts following (the io_context is never run here, so no route dump is
// read and no gateway is added); back to "off" stops it and leaves the configured hosts alone.
#include "zzping/daemon/gateway_follower.hpp"

#include <gtest/gtest.h>

#include <asio.hpp>

namespace zzping::daemon {
namespace {

struct Hosts {
  DaemonConfig config;
  ReplyDispatcher dispatcher;
  SinkFanout fanout{AttributionSettings{100, 1000}};
  std::uint64_t cookie = 1;
  HostTable hosts{config, dispatcher, fanout, [this] { return cookie++; }};
  ScheduleGrid grid;
  asio::io_context io;
  GatewayFollower follower{io, config, hosts, grid};
};

TEST(GatewayFollower, OffStartsNothingAndPostsNothing) {
  Hosts h;
  h.config.gateway = GatewayMode::off;
  h.follower.sync();
  EXPECT_FALSE(h.follower.active());
  h.follower.on_configured_address();
  EXPECT_EQ(h.io.poll(), 0u);
}

TEST(GatewayFollower, AutoFollowsAndOffStopsItLeavingTheConfiguredHosts) {
  Hosts h;
  TargetConfig target;
  target.host = "192.0.2.7";
  h.config.targets = {target};
  h.hosts.add(target, 0);
  h.config.gateway = GatewayMode::automatic;
  h.follower.sync();
  EXPECT_TRUE(h.follower.active());
  h.config.gateway = GatewayMode::off;
  h.follower.sync();
  EXPECT_FALSE(h.follower.active());
  ASSERT_EQ(h.hosts.size(), 1u);
  EXPECT_EQ(h.hosts.hosts()[0]->info.name, "192.0.2.7");
}

}  // namespace
}  // namespace zzping::daemon
