// SPDX-License-Identifier: GPL-3.0-or-later
// packaging/config/zzpingd.toml, the configuration the package installs as a conffile:
// it must parse, and out of the box it must ping only this machine.
#include <gtest/gtest.h>

#include <string>

#include "zzping/daemon/config.hpp"

namespace {

using zzping::daemon::ConfigOverrides;
using zzping::daemon::DaemonConfig;

DaemonConfig packaged_config() {
  const std::string path = std::string(ZZPING_SOURCE_DIR) + "/packaging/config/zzpingd.toml";
  return zzping::daemon::finalize_config(zzping::daemon::load_config_file(path), ConfigOverrides{});
}

TEST(PackagedConfig, PingsOnlyLoopback) {
  const DaemonConfig config = packaged_config();
  ASSERT_FALSE(config.targets.empty());
  for (const auto& target : config.targets) {
    EXPECT_TRUE(target.host == "127.0.0.1" || target.host == "::1") << target.host;
  }
}

TEST(PackagedConfig, WritesIntoTheUnitsStateDirectoryAndListensOnLoopback) {
  const DaemonConfig config = packaged_config();
  EXPECT_EQ(config.data_dir, "/var/lib/zzping");  // StateDirectory=zzping in zzpingd.service
  EXPECT_EQ(config.listen.rfind("127.0.0.1:", 0), 0U) << config.listen;
  EXPECT_EQ(config.realtime_priority, 0U);     // RestrictRealtime=yes in the unit
}

TEST(PackagedConfig, MetricsEndpointIsOffAndLoopbackOnly) {
  const DaemonConfig config = packaged_config();
  EXPECT_TRUE(config.metrics_listen.empty()) << config.metrics_listen;
  EXPECT_FALSE(config.metrics_allow_remote);
}

}  // namespace
