// SPDX-License-Identifier: GPL-3.0-or-later
// ReloadApplier with literal hosts and a recording sink (no sockets): a plan removes,
// relabels and adds configured hosts (kept hosts are the same objects: no gap), puts the
// new configuration in effect before the new hosts are added (when the automatic gateways
// follow it), applies the live keys (log level, flush period) and tells the sinks.
#include "zzping/daemon/reload_applier.hpp"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include "recorded_hosts.hpp"

namespace zzping::daemon {
namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kS = 1000 * kMs;

TargetConfig target(const char* name, attribution::Role role = attribution::Role::internet) {
  TargetConfig out;
  out.host = name;
  out.role = role;
  return out;
}

struct Running : RecordedHosts {
  HousekeepingClock clock{100 * kMs, 1000 * kMs};
  std::vector<std::size_t> hosts_when_applied;
  std::vector<std::uint32_t> flush_ms_when_applied;
  ReloadApplier reloader{{config, hosts, fanout, clock}, [this] {
                           hosts_when_applied.push_back(hosts.size());
                           flush_ms_when_applied.push_back(config.flush_ms);
                         }};

  Running() {
    config.targets = {target("192.0.2.7"), target("192.0.2.8")};
    for (const auto& t : config.targets) hosts.add(t, 0);
  }
};

TEST(ReloadApplier, RemovesRelabelsAndAddsConfiguredHostsKeepingTheOthersRunning) {
  Running r;
  const MonitoredHost* kept = r.hosts.hosts()[1].get();
  DaemonConfig fresh = r.config;
  fresh.targets = {target("192.0.2.8", attribution::Role::isp), target("192.0.2.9")};
  r.reloader.apply(plan_reload(r.config, fresh), 5 * kS);

  ASSERT_EQ(r.hosts.size(), 2u);
  EXPECT_EQ(r.hosts.hosts()[0].get(), kept);
  EXPECT_EQ(kept->info.role, attribution::Role::isp);
  EXPECT_EQ(r.hosts.hosts()[1]->info.name, "192.0.2.9");
  EXPECT_EQ(r.hosts.hosts()[1]->schedule.next_deadline_ns(), 5 * kS);
  EXPECT_EQ(r.config.targets, fresh.targets);
  EXPECT_EQ(r.hosts_when_applied, std::vector<std::size_t>{1});  // after the removal, before the addition
  EXPECT_EQ(std::count(r.calls.begin(), r.calls.end(), "removed 192.0.2.7"), 1);
}

TEST(ReloadApplier, LiveKeysTakeEffectAndTheSinksSeeTheConfigurationInEffect) {
  Running r;
  const auto level = spdlog::get_level();
  DaemonConfig fresh = r.config;
  fresh.flush_ms = 200;
  fresh.log_level = "debug";
  fresh.frame_ms = r.config.frame_ms * 2;  // needs a restart: kept
  r.reloader.apply(plan_reload(r.config, fresh), 5 * kS);
  const bool debug = spdlog::get_level() == spdlog::level::debug;
  spdlog::set_level(level);

  EXPECT_TRUE(debug);
  EXPECT_EQ(r.config.flush_ms, 200u);
  EXPECT_EQ(r.config.frame_ms, fresh.frame_ms / 2);
  EXPECT_EQ(r.flush_ms_when_applied, std::vector<std::uint32_t>{200});
  EXPECT_EQ(r.calls.back(), "reloaded 200");
  // The new flush period from the next flush on (the one due at 1000 ms stands).
  r.clock.start(0);
  EXPECT_TRUE(r.clock.run(1000 * kMs).flush);
  EXPECT_FALSE(r.clock.run(1180 * kMs).flush);
  EXPECT_TRUE(r.clock.run(1200 * kMs).flush);
}

}  // namespace
}  // namespace zzping::daemon
