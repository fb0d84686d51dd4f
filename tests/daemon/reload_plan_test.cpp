// SPDX-License-Identifier: GPL-3.0-or-later
// plan_reload: which targets a reload adds, removes and keeps, and for every config key
// whether its change is applied live or logged as needing a restart. The per-key tests run
// over config_fields(), and a key without a mutator below fails, so no key is forgotten.
#include "zzping/daemon/reload_plan.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <ostream>
#include <string>

using zzping::daemon::ConfigField;
using zzping::daemon::ConsoleMode;
using zzping::daemon::DaemonConfig;
using zzping::daemon::ReloadEffect;
using zzping::daemon::SocketMode;
using zzping::daemon::TargetConfig;

namespace zzping::daemon {
// Test names and failure messages show the key, not the struct's bytes.
void PrintTo(const ConfigField& field, std::ostream* out) { *out << field.name; }
}  // namespace zzping::daemon

namespace {

DaemonConfig base() {
  DaemonConfig config;
  config.targets = {{"127.0.0.1", 10, {}}, {"::1", 10, {}}};
  return config;
}

// One change per key, to a valid value different from base().
const std::map<std::string, std::function<void(DaemonConfig&)>>& mutators() {
  static const std::map<std::string, std::function<void(DaemonConfig&)>> all = {
      {"targets", [](DaemonConfig& c) { c.targets.push_back({"127.0.0.2", 100, {}}); }},
      {"frame_ms", [](DaemonConfig& c) { c.frame_ms = 50; }},
      {"timeout_ms", [](DaemonConfig& c) { c.timeout_ms = 500; }},
      {"precision", [](DaemonConfig& c) { c.precision = 0.02; }},
      {"data_dir", [](DaemonConfig& c) { c.data_dir = "/elsewhere"; }},
      {"listen", [](DaemonConfig& c) { c.listen = "127.0.0.1:7879"; }},
      {"stream_token", [](DaemonConfig& c) { c.stream_token = "rotated"; }},
      {"stream_memory_s", [](DaemonConfig& c) { c.stream_memory_s = 600; }},
      {"flush_ms", [](DaemonConfig& c) { c.flush_ms = 2000; }},
      {"fsync_s", [](DaemonConfig& c) { c.fsync_s = 60; }},
      {"catch_up_ms", [](DaemonConfig& c) { c.catch_up_ms = 50; }},
      {"realtime_priority", [](DaemonConfig& c) { c.realtime_priority = 50; }},
      {"resolve_interval_s", [](DaemonConfig& c) { c.resolve_interval_s = 60; }},
      {"resolve_retry_s", [](DaemonConfig& c) { c.resolve_retry_s = 1; }},
      {"trace_interval_s", [](DaemonConfig& c) { c.trace_interval_s = 0; }},
      {"trace_max_ttl", [](DaemonConfig& c) { c.trace_max_ttl = 8; }},
      {"socket", [](DaemonConfig& c) { c.socket_mode = SocketMode::raw; }},
      {"console", [](DaemonConfig& c) { c.console = ConsoleMode::off; }},
      {"log_level", [](DaemonConfig& c) { c.log_level = "debug"; }},
      {"send_error_log", [](DaemonConfig& c) { c.send_error_log = "/tmp/send-errors"; }},
      {"frames_jsonl", [](DaemonConfig& c) { c.frames_jsonl = "/tmp/frames.jsonl"; }},
      {"gateway", [](DaemonConfig& c) { c.gateway = zzping::daemon::GatewayMode::automatic; }},
      {"gateway_rate", [](DaemonConfig& c) { c.gateway_rate = 50; }},
      {"metrics.listen", [](DaemonConfig& c) { c.metrics_listen = "127.0.0.1:9100"; }},
      {"metrics.allow_remote", [](DaemonConfig& c) { c.metrics_allow_remote = true; }},
      {"alert", [](DaemonConfig& c) {
         zzping::daemon::AlertConfig alert;
         alert.name = "lossy";
         alert.when = zzping::daemon::AlertWhen::loss_pct;
         alert.threshold = 2.0;
         c.alerts.push_back(alert);
       }},
  };
  return all;
}

class EveryConfigKey : public ::testing::TestWithParam<ConfigField> {};

std::string key_name(const ::testing::TestParamInfo<ConfigField>& info) {
  std::string name(info.param.name);
  for (char& c : name) {
    if (c == '.') c = '_';
  }
  return name;
}

}  // namespace

TEST_P(EveryConfigKey, IsAppliedLiveOrNamedAsNeedingARestart) {
  const ConfigField& field = GetParam();
  const auto mutator = mutators().find(std::string(field.name));
  ASSERT_NE(mutator, mutators().end()) << "no mutator for key " << field.name << ": add one";
  const DaemonConfig current = base();
  DaemonConfig fresh = current;
  mutator->second(fresh);
  ASSERT_TRUE(field.differs(current, fresh)) << field.name;

  const auto plan = zzping::daemon::plan_reload(current, fresh);
  const std::string line = zzping::daemon::describe(plan);
  EXPECT_NE(line.find(field.name), std::string::npos) << line;
  if (field.effect == ReloadEffect::live) {
    EXPECT_EQ(plan.applied_live, std::vector<std::string_view>{field.name});
    EXPECT_TRUE(plan.need_restart.empty());
    EXPECT_EQ(plan.effective, fresh) << field.name << " is live but the effective config did not take it";
  } else {
    EXPECT_EQ(plan.need_restart, std::vector<std::string_view>{field.name});
    EXPECT_TRUE(plan.applied_live.empty());
    EXPECT_EQ(plan.effective, current) << field.name << " needs a restart but the effective config changed";
    EXPECT_NE(line.find("need a restart (kept): " + std::string(field.name)), std::string::npos) << line;
  }
}

INSTANTIATE_TEST_SUITE_P(ReloadPlan, EveryConfigKey, ::testing::ValuesIn(zzping::daemon::config_fields().begin(),
                                                                          zzping::daemon::config_fields().end()),
                         key_name);

TEST(ReloadPlan, EveryMutatorNamesAKey) {
  for (const auto& [name, mutate] : mutators()) {
    bool found = false;
    for (const auto& field : zzping::daemon::config_fields()) found = found || field.name == name;
    EXPECT_TRUE(found) << name;
  }
  EXPECT_EQ(mutators().size(), zzping::daemon::config_fields().size());
}

TEST(ReloadPlan, NothingChangedIsAnEmptyPlan) {
  const auto plan = zzping::daemon::plan_reload(base(), base());
  EXPECT_TRUE(plan.add.empty());
  EXPECT_TRUE(plan.remove.empty());
  EXPECT_EQ(plan.keep, base().targets);
  EXPECT_TRUE(plan.applied_live.empty());
  EXPECT_TRUE(plan.need_restart.empty());
  EXPECT_EQ(zzping::daemon::describe(plan), "reload: 2 hosts (+0 -0 =2); applied live: nothing else");
}

TEST(ReloadPlan, TargetsAddedRemovedAndKept) {
  DaemonConfig fresh = base();
  fresh.targets = {{"::1", 10, {}}, {"127.0.0.1", 100, {}}, {"127.0.0.3", 10, {}}};
  const auto plan = zzping::daemon::plan_reload(base(), fresh);
  // A rate change is a different target: the old one stops, the new one starts.
  EXPECT_EQ(plan.keep, (std::vector<TargetConfig>{{"::1", 10, {}}}));
  EXPECT_EQ(plan.remove, (std::vector<TargetConfig>{{"127.0.0.1", 10, {}}}));
  EXPECT_EQ(plan.add, (std::vector<TargetConfig>{{"127.0.0.1", 100, {}}, {"127.0.0.3", 10, {}}}));
  EXPECT_EQ(plan.effective.targets, fresh.targets);
}

TEST(ReloadPlan, ATargetsTraceSwitchRestartsThatTargetOnly) {
  DaemonConfig fresh = base();
  fresh.targets[0].trace = false;
  const auto plan = zzping::daemon::plan_reload(base(), fresh);
  EXPECT_EQ(plan.keep, (std::vector<TargetConfig>{base().targets[1]}));
  EXPECT_EQ(plan.remove, (std::vector<TargetConfig>{base().targets[0]}));
  EXPECT_EQ(plan.add, (std::vector<TargetConfig>{fresh.targets[0]}));
  EXPECT_EQ(plan.applied_live, std::vector<std::string_view>{"targets"});
}

TEST(ReloadPlan, LiveAndRestartKeysTogether) {
  DaemonConfig fresh = base();
  fresh.stream_token = "new";
  fresh.frame_ms = 50;
  fresh.log_level = "warn";
  const auto plan = zzping::daemon::plan_reload(base(), fresh);
  EXPECT_EQ(plan.effective.stream_token, "new");
  EXPECT_EQ(plan.effective.log_level, "warn");
  EXPECT_EQ(plan.effective.frame_ms, 100u);
  EXPECT_EQ(zzping::daemon::describe(plan),
            "reload: 2 hosts (+0 -0 =2); applied live: stream_token, log_level; need a restart (kept): frame_ms");
}

TEST(ReloadPlan, RoleChangeKeepsTheHostAndIsAppliedLive) {
  DaemonConfig fresh = base();
  fresh.targets[0].role = zzping::attribution::Role::gateway;
  const auto plan = zzping::daemon::plan_reload(base(), fresh);
  // Same host, rate and family: the host keeps running (no gap), with its new role.
  EXPECT_TRUE(plan.add.empty());
  EXPECT_TRUE(plan.remove.empty());
  EXPECT_EQ(plan.keep, fresh.targets);
  EXPECT_EQ(plan.role_changed, (std::vector<TargetConfig>{fresh.targets[0]}));
  EXPECT_EQ(plan.effective.targets, fresh.targets);
  EXPECT_EQ(zzping::daemon::describe(plan),
            "reload: 2 hosts (+0 -0 =2); 127.0.0.1 is now gateway; applied live: targets");
}

TEST(ReloadPlan, RateAndRoleChangedRestartsTheHostWithTheNewRole) {
  DaemonConfig fresh = base();
  fresh.targets[0].rate = 20;
  fresh.targets[0].role = zzping::attribution::Role::isp;
  const auto plan = zzping::daemon::plan_reload(base(), fresh);
  EXPECT_TRUE(plan.role_changed.empty());
  EXPECT_EQ(plan.remove, (std::vector<TargetConfig>{base().targets[0]}));
  EXPECT_EQ(plan.add, (std::vector<TargetConfig>{fresh.targets[0]}));
}
