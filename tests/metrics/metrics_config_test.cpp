// SPDX-License-Identifier: GPL-3.0-or-later
// The [metrics] configuration keys and the loopback rule.
#include <gtest/gtest.h>

#include <stdexcept>

#include "zzping/daemon/config.hpp"
#include "zzping/metrics/metrics_server.hpp"

namespace {

using zzping::daemon::ConfigError;
using zzping::daemon::parse_config;
using zzping::metrics::MetricsServerConfig;

TEST(MetricsConfig, OffByDefault) {
  const auto config = parse_config("[daemon]\nframe_ms = 100\n", "test.toml");
  EXPECT_TRUE(config.metrics_listen.empty());
  EXPECT_FALSE(config.metrics_allow_remote);
}

TEST(MetricsConfig, ReadsListenAndAllowRemote) {
  const auto config = parse_config("[metrics]\nlisten = \"0.0.0.0:9108\"\nallow_remote = true\n", "test.toml");
  EXPECT_EQ(config.metrics_listen, "0.0.0.0:9108");
  EXPECT_TRUE(config.metrics_allow_remote);
}

TEST(MetricsConfig, BadKeysNameTheLocation) {
  try {
    parse_config("[metrics]\nlisten = \"127.0.0.1:9108\"\nport = 9108\n", "test.toml");
    FAIL() << "unknown key accepted";
  } catch (const ConfigError& error) {
    EXPECT_STREQ(error.what(), "test.toml:3:8: unknown key 'port' in [metrics]");
  }
  try {
    parse_config("[metrics]\nallow_remote = \"yes\"\n", "test.toml");
    FAIL() << "string accepted as a boolean";
  } catch (const ConfigError& error) {
    EXPECT_STREQ(error.what(), "test.toml:2:16: allow_remote must be true or false");
  }
  EXPECT_THROW(parse_config("metrics = 3\n", "test.toml"), ConfigError);
}

TEST(MetricsConfig, CommandLineOverridesTheFile) {
  zzping::daemon::ConfigOverrides overrides;
  overrides.metrics_listen = "127.0.0.1:19999";
  const auto config = zzping::daemon::finalize_config(parse_config("[metrics]\nlisten = \"127.0.0.1:9108\"\n", "t"),
                                                      overrides);
  EXPECT_EQ(config.metrics_listen, "127.0.0.1:19999");
}

std::string validation_error(const std::string& listen, bool allow_remote) {
  MetricsServerConfig config;
  config.listen = listen;
  config.allow_remote = allow_remote;
  try {
    zzping::metrics::validate(config);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST(MetricsConfig, NonLoopbackNeedsAllowRemote) {
  EXPECT_EQ(validation_error("127.0.0.1:9108", false), "");
  EXPECT_EQ(validation_error("127.8.9.10:0", false), "");
  EXPECT_EQ(validation_error("[::1]:9108", false), "");
  EXPECT_EQ(validation_error("0.0.0.0:9108", false),
            "metrics listen address '0.0.0.0:9108' is not loopback: set [metrics] allow_remote = true to expose it");
  EXPECT_NE(validation_error("[::]:9108", false).find("is not loopback"), std::string::npos);
  EXPECT_EQ(validation_error("0.0.0.0:9108", true), "");
}

TEST(MetricsConfig, MalformedAddressesAreNamed) {
  EXPECT_EQ(validation_error("127.0.0.1", false), "metrics listen address '127.0.0.1': missing ':PORT'");
  EXPECT_EQ(validation_error("127.0.0.1:99999", false), "metrics listen address '127.0.0.1:99999': port must be a number 0..65535");
  EXPECT_EQ(validation_error("localhost:9108", false), "metrics listen address 'localhost:9108': 'localhost' is not an IP address");
  EXPECT_EQ(validation_error("::1:9108", false), "metrics listen address '::1:9108': write IPv6 addresses as [ADDRESS]:PORT");
  EXPECT_EQ(validation_error("[::1]9108", false), "metrics listen address '[::1]9108': write IPv6 addresses as [ADDRESS]:PORT");
}

}  // namespace
