// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/config.hpp"

#include <gtest/gtest.h>

using namespace zzping::daemon;

TEST(Config, EmptyGivesDefaultsAndDefaultTargets) {
  const DaemonConfig config = finalize_config(parse_config("", "empty.toml"), {});
  EXPECT_EQ(config.frame_ms, 100u);
  EXPECT_EQ(config.timeout_ms, 1000u);
  EXPECT_EQ(config.data_dir, "./zzping-data");
  EXPECT_EQ(config.trace_interval_s, 600u);
  EXPECT_EQ(config.trace_max_ttl, 30u);
  ASSERT_EQ(config.targets.size(), 2u);
  EXPECT_TRUE(config.targets[0].trace);
  EXPECT_EQ(config.targets[0], (TargetConfig{"127.0.0.1", 10, AddressFamily::any}));
  EXPECT_EQ(config.targets[1], (TargetConfig{"::1", 10, AddressFamily::any}));
}

TEST(Config, ReadsEveryKey) {
  const char* text = R"(
[daemon]
frame_ms = 50
timeout_ms = 2000
precision = 0.02
data_dir = "/var/lib/zzping"
listen = "0.0.0.0:9000"
flush_ms = 500
fsync_s = 30
stream_memory_s = 600
catch_up_ms = 200
resolve_interval_s = 60
resolve_retry_s = 2
trace_interval_s = 0
trace_max_ttl = 12
socket = "raw"
console = "off"
log_level = "debug"
send_error_log = "/tmp/e"

[[target]]
host = "192.168.1.1"
rate = 100

[[target]]
host = "example.invalid"
family = "ipv6"
trace = false
)";
  const DaemonConfig config = finalize_config(parse_config(text, "full.toml"), {});
  EXPECT_EQ(config.frame_ms, 50u);
  EXPECT_EQ(config.timeout_ms, 2000u);
  EXPECT_DOUBLE_EQ(config.precision, 0.02);
  EXPECT_EQ(config.data_dir, "/var/lib/zzping");
  EXPECT_EQ(config.listen, "0.0.0.0:9000");
  EXPECT_EQ(config.flush_ms, 500u);
  EXPECT_EQ(config.fsync_s, 30u);
  EXPECT_EQ(config.stream_memory_s, 600u);
  EXPECT_EQ(config.catch_up_ms, 200u);
  EXPECT_EQ(config.resolve_interval_s, 60u);
  EXPECT_EQ(config.resolve_retry_s, 2u);
  EXPECT_EQ(config.trace_interval_s, 0u);
  EXPECT_EQ(config.trace_max_ttl, 12u);
  EXPECT_EQ(config.socket_mode, SocketMode::raw);
  EXPECT_EQ(config.console, ConsoleMode::off);
  EXPECT_EQ(config.log_level, "debug");
  EXPECT_EQ(config.send_error_log, "/tmp/e");
  ASSERT_EQ(config.targets.size(), 2u);
  EXPECT_EQ(config.targets[0], (TargetConfig{"192.168.1.1", 100, AddressFamily::any}));
  EXPECT_EQ(config.targets[1], (TargetConfig{"example.invalid", 10, AddressFamily::v6, zzping::attribution::Role::internet, false}));
}

TEST(Config, TraceLimitsAreChecked) {
  EXPECT_THROW(finalize_config(parse_config("[daemon]\ntrace_max_ttl = 0\n", "t.toml"), {}), ConfigError);
  EXPECT_THROW(finalize_config(parse_config("[daemon]\ntrace_max_ttl = 65\n", "t.toml"), {}), ConfigError);
  EXPECT_THROW(finalize_config(parse_config("[daemon]\ntrace_interval_s = 86401\n", "t.toml"), {}), ConfigError);
  EXPECT_THROW(parse_config("[[target]]\nhost = \"h\"\ntrace = 1\n", "t.toml"), ConfigError);
}

TEST(Config, ErrorsNameFileLineAndColumn) {
  try {
    parse_config("[daemon]\nframe_ms = \"fast\"\n", "bad.toml");
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_STREQ(error.what(), "bad.toml:2:12: frame_ms must be a non-negative integer");
  }
  try {
    parse_config("[daemon]\nframe_ms = = 3\n", "syntax.toml");
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("syntax.toml:2:"), std::string::npos) << error.what();
  }
}

TEST(Config, UnknownKeysAreErrors) {
  EXPECT_THROW(parse_config("[daemon]\nframe_msec = 5\n", "t"), ConfigError);
  EXPECT_THROW(parse_config("[[target]]\nhost = \"a\"\nrat = 5\n", "t"), ConfigError);
  EXPECT_THROW(parse_config("[deamon]\n", "t"), ConfigError);
  EXPECT_THROW(parse_config("[[target]]\nrate = 5\n", "t"), ConfigError) << "host is required";
  EXPECT_THROW(parse_config("[daemon]\nsocket = \"udp\"\n", "t"), ConfigError);
}

TEST(Config, OverridesWin) {
  ConfigOverrides overrides;
  overrides.targets = {"10.0.0.1@250", "[fe80::1]@5", "router"};
  overrides.frame_ms = 200;
  overrides.timeout_ms = 500;
  overrides.data_dir = "/d";
  overrides.listen = "127.0.0.1:1";
  const DaemonConfig config = finalize_config(parse_config("[[target]]\nhost = \"x\"\n", "t"), overrides);
  ASSERT_EQ(config.targets.size(), 3u);
  EXPECT_EQ(config.targets[0], (TargetConfig{"10.0.0.1", 250, AddressFamily::any}));
  EXPECT_EQ(config.targets[1], (TargetConfig{"fe80::1", 5, AddressFamily::any}));
  EXPECT_EQ(config.targets[2], (TargetConfig{"router", 10, AddressFamily::any}));
  EXPECT_EQ(config.frame_ms, 200u);
  EXPECT_EQ(config.timeout_ms, 500u);
  EXPECT_EQ(config.data_dir, "/d");
  EXPECT_EQ(config.listen, "127.0.0.1:1");
}

TEST(Config, TargetSpecErrors) {
  EXPECT_THROW(parse_target_spec("host@fast"), ConfigError);
  EXPECT_THROW(parse_target_spec("@10"), ConfigError);
  EXPECT_THROW(parse_target_spec("host@10x"), ConfigError);
  EXPECT_EQ(parse_target_spec("::1").host, "::1");
}

TEST(Config, ValidationRejectsOutOfRangeValues) {
  auto with = [](auto change) {
    DaemonConfig config;
    change(config);
    return finalize_config(config, {});
  };
  EXPECT_THROW(with([](DaemonConfig& c) { c.frame_ms = 5; }), ConfigError);
  EXPECT_THROW(with([](DaemonConfig& c) { c.frame_ms = 70; }), ConfigError) << "does not divide an hour";
  EXPECT_NO_THROW(with([](DaemonConfig& c) { c.frame_ms = 250; }));
  EXPECT_THROW(with([](DaemonConfig& c) { c.timeout_ms = 0; }), ConfigError);
  EXPECT_THROW(with([](DaemonConfig& c) { c.precision = 0.9; }), ConfigError);
  EXPECT_THROW(with([](DaemonConfig& c) { c.targets = {{"a", 0, AddressFamily::any}}; }), ConfigError);
  EXPECT_THROW(with([](DaemonConfig& c) { c.targets = {{"a", 1001, AddressFamily::any}}; }), ConfigError);
  EXPECT_THROW(with([](DaemonConfig& c) { c.targets = {{"a", 1, AddressFamily::any}, {"a", 2, AddressFamily::any}}; }),
               ConfigError);
  EXPECT_THROW(with([](DaemonConfig& c) { c.log_level = "loud"; }), ConfigError);
}

TEST(Config, MissingFileIsAClearError) {
  try {
    load_config_file("/nonexistent/zzpingd.toml");
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/zzpingd.toml"), std::string::npos);
  }
}

TEST(Config, ValuesOutOfRangeNameTheirFilePosition) {
  const auto message = [](const char* text) {
    try {
      parse_config(text, "range.toml");
    } catch (const ConfigError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("[daemon]\nframe_ms = 7\n"), "range.toml:2:12: frame_ms = 7 is out of range [10, 1000]");
  EXPECT_EQ(message("[daemon]\nframe_ms = 70\n"),
            "range.toml:2:12: frame_ms = 70 must divide one hour (3600000 ms) so frames never straddle hour files");
  EXPECT_EQ(message("[daemon]\nlisten = \"garbage\"\n"), "range.toml:2:10: listen 'garbage': missing ':PORT'");
  EXPECT_EQ(message("[daemon]\nlisten = \"localhost:7878\"\n"),
            "range.toml:2:10: listen 'localhost:7878': 'localhost' is not an IP address");
  EXPECT_EQ(message("[metrics]\nlisten = \"::1:9108\"\n"),
            "range.toml:2:10: [metrics] listen '::1:9108': write IPv6 addresses as [ADDRESS]:PORT");
  EXPECT_EQ(message("[daemon]\nstream_memory_s = 5\n"),
            "range.toml:2:19: stream_memory_s = 5 is out of range [10, 86400]");
  EXPECT_EQ(message("[daemon]\nlog_level = \"loud\"\n"),
            "range.toml:2:13: log_level = 'loud' is not one of trace, debug, info, warn, error, critical, off");
  EXPECT_EQ(message("[[target]]\nhost = \"a\"\n[[target]]\nhost = \"b\"\nrate = 5000\n"),
            "range.toml:5:8: target 'b': rate 5000/s is out of range [1, 1000]");
  EXPECT_EQ(message("[[target]]\nhost = \"a\"\n[[target]]\nhost = \"a\"\n"),
            "range.toml:4:8: target 'a' is listed twice");
}

TEST(Config, TargetSpecWithUnbalancedBracketsIsRefused) {
  EXPECT_THROW(parse_target_spec("[::1"), ConfigError) << "would be looked up as a host name";
  EXPECT_THROW(parse_target_spec("::1]@10"), ConfigError);
  EXPECT_EQ(parse_target_spec("[::1]@10").host, "::1");
}

TEST(Config, HugeFloatForAnIntegerKeyIsATypeError) {
  try {
    parse_config("[daemon]\ntimeout_ms = 4.4e40\n", "float.toml");
    FAIL() << "accepted";
  } catch (const ConfigError& error) {
    EXPECT_STREQ(error.what(), "float.toml:2:14: timeout_ms must be a non-negative integer");
  }
}

TEST(Config, TargetRoles) {
  using zzping::attribution::Role;
  const auto config = zzping::daemon::parse_config(
      "[[target]]\nhost = \"192.168.1.1\"\nrole = \"gateway\"\n"
      "[[target]]\nhost = \"isp.example\"\nrole = \"isp\"\n"
      "[[target]]\nhost = \"9.9.9.9\"\n",
      "roles.toml");
  ASSERT_EQ(config.targets.size(), 3u);
  EXPECT_EQ(config.targets[0].role, Role::gateway);
  EXPECT_EQ(config.targets[1].role, Role::isp);
  EXPECT_EQ(config.targets[2].role, Role::internet) << "the default";
}

TEST(Config, BadRoleNamesFileLineAndValue) {
  try {
    zzping::daemon::parse_config("[[target]]\nhost = \"h\"\nrole = \"router\"\n", "roles.toml");
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_STREQ(error.what(), "roles.toml:3:8: role = 'router' is not one of: gateway, isp, internet");
  }
  EXPECT_THROW(zzping::daemon::parse_config("[[target]]\nhost = \"h\"\nrole = 1\n", "r.toml"), ConfigError);
}

TEST(Config, TargetSpecWithRole) {
  using zzping::attribution::Role;
  using zzping::daemon::parse_target_spec;
  EXPECT_EQ(parse_target_spec("192.168.1.1/gateway"), (TargetConfig{"192.168.1.1", 10, AddressFamily::any, Role::gateway}));
  EXPECT_EQ(parse_target_spec("10.0.0.1@100/isp"), (TargetConfig{"10.0.0.1", 100, AddressFamily::any, Role::isp}));
  EXPECT_EQ(parse_target_spec("[fe80::1]@5/gateway"), (TargetConfig{"fe80::1", 5, AddressFamily::any, Role::gateway}));
  EXPECT_EQ(parse_target_spec("[::1]/internet"), (TargetConfig{"::1", 10, AddressFamily::any, Role::internet}));
  EXPECT_EQ(parse_target_spec("::1@20").role, Role::internet);
  try {
    parse_target_spec("h@10/router");
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_STREQ(error.what(), "target 'h@10/router': role 'router' is not one of gateway, isp, internet");
  }
  EXPECT_THROW(parse_target_spec("/gateway"), ConfigError);
  EXPECT_THROW(parse_target_spec("h/"), ConfigError);
  EXPECT_THROW(parse_target_spec("h/gateway@10"), ConfigError) << "the role comes last";
}

TEST(Config, GatewayAutoAndItsRate) {
  const DaemonConfig defaults = finalize_config(parse_config("", "empty.toml"), {});
  EXPECT_EQ(defaults.gateway, GatewayMode::off);
  EXPECT_EQ(defaults.gateway_rate, 10u);
  const DaemonConfig config =
      finalize_config(parse_config("[daemon]\ngateway = \"auto\"\ngateway_rate = 50\n", "gw.toml"), {});
  EXPECT_EQ(config.gateway, GatewayMode::automatic);
  EXPECT_EQ(config.gateway_rate, 50u);
  EXPECT_EQ(parse_config("[daemon]\ngateway = \"off\"\n", "gw.toml").gateway, GatewayMode::off);
  try {
    parse_config("[daemon]\ngateway = \"on\"\n", "gw.toml");
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_STREQ(error.what(), "gw.toml:2:11: gateway must be one of: off, auto");
  }
  try {
    parse_config("[daemon]\ngateway_rate = 0\n", "gw.toml");
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_STREQ(error.what(), "gw.toml:2:16: gateway_rate = 0 is out of range [1, 1000]");
  }
}
