// SPDX-License-Identifier: GPL-3.0-or-later
// [[alert]] tables: every key read, defaults, and errors naming file:line:column, the alert,
// the key and the value.
#include <gtest/gtest.h>

#include <string>

#include "zzping/daemon/config.hpp"

namespace zzping::daemon {
namespace {

std::string error_of(const std::string& text) {
  try {
    finalize_config(parse_config(text, "z.toml"), {});
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

TEST(AlertConfig, ReadsEveryKey) {
  const DaemonConfig config = finalize_config(parse_config(R"(
[[target]]
host = "a"
[[target]]
host = "b"

[[alert]]
name = "upstream"
when = "incident"
cause = ["upstream", "local"]
targets = ["a"]
min_duration_ms = 500
exec = ["/usr/local/bin/notify", "--urgent"]
timeout_s = 5
hold_down_s = 30

[[alert]]
name = "lossy"
when = "loss_pct"
threshold = 2.5
window_s = 60
)", "z.toml"), {});
  ASSERT_EQ(config.alerts.size(), 2u);
  const AlertConfig& a = config.alerts[0];
  EXPECT_EQ(a.name, "upstream");
  EXPECT_EQ(a.when, AlertWhen::incident);
  EXPECT_EQ(a.causes, (std::vector<attribution::Cause>{attribution::Cause::upstream, attribution::Cause::local}));
  EXPECT_EQ(a.targets, std::vector<std::string>{"a"});
  EXPECT_EQ(a.min_duration_ms, 500u);
  EXPECT_EQ(a.exec, (std::vector<std::string>{"/usr/local/bin/notify", "--urgent"}));
  EXPECT_EQ(a.timeout_s, 5u);
  EXPECT_EQ(a.hold_down_s, 30u);
  const AlertConfig& b = config.alerts[1];
  EXPECT_EQ(b.when, AlertWhen::loss_pct);
  EXPECT_DOUBLE_EQ(b.threshold, 2.5);
  EXPECT_EQ(b.window_s, 60u);
  EXPECT_TRUE(b.targets.empty());
  EXPECT_TRUE(b.exec.empty());
  EXPECT_EQ(b.timeout_s, 10u);
  EXPECT_EQ(b.hold_down_s, 0u);
  EXPECT_EQ(b.min_duration_ms, 0u);
}

TEST(AlertConfig, ErrorsNameFileLineKeyAndValue) {
  EXPECT_EQ(error_of("[[alert]]\nname = \"x\"\nwhen = \"loss\"\n"),
            "z.toml:3:8: [[alert]] 'x': when = 'loss' is not one of incident, loss_burst, loss_pct, rtt_p95, jitter");
  EXPECT_EQ(error_of("[[alert]]\nname = \"x\"\nwhen = \"loss_pct\"\nthreshold = 101\n"),
            "z.toml:4:13: [[alert]] 'x': threshold = 101 must be in (0, 100] (percent)");
  EXPECT_EQ(error_of("[[alert]]\nname = \"x\"\nwhen = \"rtt_p95\"\nthreshold = 150\nwindow_s = 0\n"),
            "z.toml:5:12: [[alert]] 'x': window_s = 0 is out of range [1, 3600]");
  EXPECT_EQ(error_of("[[alert]]\nname = \"x\"\nwhen = \"jitter\"\n"),
            "z.toml:1:1: [[alert]] 'x': when = \"jitter\" needs a threshold");
  EXPECT_EQ(error_of("[[alert]]\nname = \"x\"\nwhen = \"incident\"\ncause = [\"isp\"]\n"),
            "z.toml:4:9: [[alert]] 'x': cause 'isp' is not one of local, upstream, destination, gateway_only, unknown");
  EXPECT_EQ(error_of("[[alert]]\nname = \"x\"\nwhen = \"loss_pct\"\nthreshold = 2\ncause = [\"local\"]\n"),
            "z.toml:5:9: [[alert]] 'x': cause is for when = incident or loss_burst, not loss_pct");
  EXPECT_EQ(error_of("[[alert]]\nname = \"x\"\nwhen = \"incident\"\nthreshold = 2\n"),
            "z.toml:4:13: [[alert]] 'x': threshold is for when = loss_pct, rtt_p95 or jitter, not incident");
  EXPECT_EQ(error_of("[[alert]]\nname = \"x\"\nwhen = \"incident\"\nexec = []\n"),
            "z.toml:4:8: [[alert]] 'x': exec = [] needs the program first");
  EXPECT_EQ(error_of("[[alert]]\nname = \"x\"\nwhen = \"incident\"\nexec = \"notify\"\n"),
            "z.toml:4:8: [[alert]] 'x': exec = 'notify' must be an array of strings");
  EXPECT_EQ(error_of("[[alert]]\nname = \"x\"\nwhen = \"incident\"\ntimeout_s = 0\n"),
            "z.toml:4:13: [[alert]] 'x': timeout_s = 0 is out of range [1, 3600]");
  EXPECT_EQ(error_of("[[alert]]\nname = \"x\"\nwhen = \"incident\"\nrepeat = 1\n"),
            "z.toml:4:10: [[alert]] 'x': unknown key 'repeat'");
  EXPECT_EQ(error_of("[[alert]]\nwhen = \"incident\"\n"), "z.toml:1:1: [[alert]] needs a name");
  EXPECT_EQ(error_of("[[alert]]\nname = \"a b\"\nwhen = \"incident\"\n"),
            "z.toml:2:8: [[alert]] 'a b': name = 'a b' must be letters, digits, '_', '.' or '-'");
  EXPECT_EQ(error_of("[[alert]]\nname = \"x\"\n"),
            "z.toml:1:1: [[alert]] 'x' needs when = \"incident\" | \"loss_burst\" | \"loss_pct\" | \"rtt_p95\" | \"jitter\"");
}

TEST(AlertConfig, NamesUniqueAndTargetsConfigured) {
  EXPECT_EQ(error_of("[[alert]]\nname = \"x\"\nwhen = \"incident\"\n[[alert]]\nname = \"x\"\nwhen = \"loss_burst\"\n"),
            "[[alert]] 'x' is defined twice");
  EXPECT_EQ(error_of("[[target]]\nhost = \"a\"\n[[alert]]\nname = \"x\"\nwhen = \"incident\"\ntargets = [\"b\"]\n"),
            "[[alert]] 'x': targets names 'b', which is not a configured target (a [[target]] host or --target)");
  // --target replaces the file's targets: the alert's targets are checked against those.
  ConfigOverrides overrides;
  overrides.targets = {"b@10"};
  const auto config = finalize_config(
      parse_config("[[alert]]\nname = \"x\"\nwhen = \"incident\"\ntargets = [\"b\"]\n", "z.toml"), overrides);
  EXPECT_EQ(config.alerts.at(0).targets, std::vector<std::string>{"b"});
}

}  // namespace
}  // namespace zzping::daemon
