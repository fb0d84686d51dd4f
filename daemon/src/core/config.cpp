// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/config.hpp"

#include "alert_config_toml.hpp"
#include "zzping/daemon/listen_address.hpp"

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>
#include <toml++/toml.h>

namespace zzping::daemon {
namespace {

constexpr std::uint32_t kMinRate = 1;
constexpr std::uint32_t kMaxRate = 1000;
constexpr std::uint32_t kMsPerHour = 3'600'000;

std::string where(const toml::source_region& source, std::string_view origin) {
  std::ostringstream out;
  out << origin << ":" << source.begin.line << ":" << source.begin.column;
  return out.str();
}

// A value out of range, with the TOML path of its key ("daemon.frame_ms", "target[1].rate"):
// parse_config adds the value's line and column; values from the command line have none.
class ValueError : public ConfigError {
 public:
  ValueError(std::string path, const std::string& what) : ConfigError(what), path_(std::move(path)) {}
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

[[noreturn]] void fail_at(const toml::node& node, std::string_view origin, const std::string& what) {
  throw ConfigError(where(node.source(), origin) + ": " + what);
}

std::uint32_t read_uint(const toml::node& node, std::string_view origin, std::string_view key) {
  // is_integer() before value(): value<int64_t>() converts a float, and toml++ 3.3 does that
  // with undefined behaviour beyond the int64 range ("x = 4e40"; found by config_parse fuzzing).
  if (!node.is_integer()) fail_at(node, origin, std::string(key) + " must be a non-negative integer");
  const std::int64_t value = *node.value<std::int64_t>();
  if (value < 0 || value > UINT32_MAX) fail_at(node, origin, std::string(key) + " must be a non-negative integer");
  return static_cast<std::uint32_t>(value);
}

double read_double(const toml::node& node, std::string_view origin, std::string_view key) {
  if (!node.is_number()) fail_at(node, origin, std::string(key) + " must be a number");
  return *node.value<double>();
}

bool read_bool(const toml::node& node, std::string_view origin, std::string_view key) {
  if (!node.is_boolean()) fail_at(node, origin, std::string(key) + " must be true or false");
  return *node.value<bool>();
}

std::string read_string(const toml::node& node, std::string_view origin, std::string_view key) {
  if (!node.is_string()) fail_at(node, origin, std::string(key) + " must be a string");
  return *node.value<std::string>();
}

template <typename Enum>
Enum read_enum(const toml::node& node, std::string_view origin, std::string_view key,
               std::initializer_list<std::pair<std::string_view, Enum>> choices) {
  const std::string text = read_string(node, origin, key);
  std::string allowed;
  for (const auto& [name, value] : choices) {
    if (name == text) return value;
    allowed += (allowed.empty() ? "" : ", ") + std::string(name);
  }
  fail_at(node, origin, std::string(key) + " must be one of: " + allowed);
}

AddressFamily read_family(const toml::node& node, std::string_view origin) {
  return read_enum<AddressFamily>(node, origin, "family",
                                  {{"any", AddressFamily::any}, {"ipv4", AddressFamily::v4},
                                   {"ipv6", AddressFamily::v6}});
}

attribution::Role read_role(const toml::node& node, std::string_view origin) {
  const std::string text = read_string(node, origin, "role");
  const auto role = attribution::parse_role(text);
  if (!role) fail_at(node, origin, "role = '" + text + "' is not one of: gateway, isp, internet");
  return *role;
}

TargetConfig read_target(const toml::node& node, std::string_view origin) {
  const toml::table* table = node.as_table();
  if (table == nullptr) fail_at(node, origin, "each [[target]] must be a table");
  TargetConfig target;
  bool has_host = false;
  for (const auto& [key, value] : *table) {
    if (key == "host") {
      target.host = read_string(value, origin, "host");
      has_host = true;
    } else if (key == "rate") {
      target.rate = read_uint(value, origin, "rate");
    } else if (key == "family") {
      target.family = read_family(value, origin);
    } else if (key == "role") {
      target.role = read_role(value, origin);
    } else if (key == "trace") {
      target.trace = read_bool(value, origin, "trace");
    } else {
      fail_at(value, origin, "unknown key '" + std::string(key.str()) + "' in [[target]]");
    }
  }
  if (!has_host || target.host.empty()) fail_at(node, origin, "[[target]] needs a host");
  return target;
}

void read_daemon_key(DaemonConfig& config, std::string_view key, const toml::node& value,
                     std::string_view origin) {
  if (key == "frame_ms") config.frame_ms = read_uint(value, origin, key);
  else if (key == "timeout_ms") config.timeout_ms = read_uint(value, origin, key);
  else if (key == "precision") config.precision = read_double(value, origin, key);
  else if (key == "data_dir") config.data_dir = read_string(value, origin, key);
  else if (key == "listen") config.listen = read_string(value, origin, key);
  else if (key == "stream_token") config.stream_token = read_string(value, origin, key);
  else if (key == "stream_memory_s") config.stream_memory_s = read_uint(value, origin, key);
  else if (key == "flush_ms") config.flush_ms = read_uint(value, origin, key);
  else if (key == "fsync_s") config.fsync_s = read_uint(value, origin, key);
  else if (key == "catch_up_ms") config.catch_up_ms = read_uint(value, origin, key);
  else if (key == "realtime_priority") config.realtime_priority = read_uint(value, origin, key);
  else if (key == "resolve_interval_s") config.resolve_interval_s = read_uint(value, origin, key);
  else if (key == "resolve_retry_s") config.resolve_retry_s = read_uint(value, origin, key);
  else if (key == "trace_interval_s") config.trace_interval_s = read_uint(value, origin, key);
  else if (key == "trace_max_ttl") config.trace_max_ttl = read_uint(value, origin, key);
  else if (key == "log_level") config.log_level = read_string(value, origin, key);
  else if (key == "send_error_log") config.send_error_log = read_string(value, origin, key);
  else if (key == "frames_jsonl") config.frames_jsonl = read_string(value, origin, key);
  else if (key == "gateway_rate") config.gateway_rate = read_uint(value, origin, key);
  else if (key == "gateway") {
    config.gateway = read_enum<GatewayMode>(value, origin, key,
                                            {{"off", GatewayMode::off}, {"auto", GatewayMode::automatic}});
  }
  else if (key == "socket") {
    config.socket_mode = read_enum<SocketMode>(
        value, origin, key,
        {{"auto", SocketMode::automatic}, {"dgram", SocketMode::dgram}, {"raw", SocketMode::raw}});
  } else if (key == "console") {
    config.console = read_enum<ConsoleMode>(
        value, origin, key,
        {{"auto", ConsoleMode::automatic}, {"on", ConsoleMode::on}, {"off", ConsoleMode::off}});
  } else {
    fail_at(value, origin, "unknown key '" + std::string(key) + "' in [daemon]");
  }
}

void read_metrics_key(DaemonConfig& config, std::string_view key, const toml::node& value,
                      std::string_view origin) {
  if (key == "listen") config.metrics_listen = read_string(value, origin, key);
  else if (key == "allow_remote") config.metrics_allow_remote = read_bool(value, origin, key);
  else fail_at(value, origin, "unknown key '" + std::string(key) + "' in [metrics]");
}

std::uint32_t parse_rate(std::string_view text, std::string_view spec) {
  std::uint32_t rate = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), rate);
  if (error != std::errc{} || end != text.data() + text.size()) {
    throw ConfigError("target '" + std::string(spec) + "': rate '" + std::string(text) +
                      "' is not a whole number of probes per second");
  }
  return rate;
}

attribution::Role parse_spec_role(std::string_view text, std::string_view spec) {
  const auto role = attribution::parse_role(text);
  if (!role) {
    throw ConfigError("target '" + std::string(spec) + "': role '" + std::string(text) +
                      "' is not one of gateway, isp, internet");
  }
  return *role;
}

void check_listen_address(const std::string& path, const std::string& name, const std::string& text) {
  try {
    parse_listen_address(text);
  } catch (const std::invalid_argument& error) {
    throw ValueError(path, name + " " + error.what());
  }
}

void check_range(std::string_view name, double value, double low, double high) {
  if (value < low || value > high) {
    std::ostringstream out;
    out << name << " = " << value << " is out of range [" << low << ", " << high << "]";
    throw ValueError("daemon." + std::string(name), out.str());
  }
}

}  // namespace

DaemonConfig parse_config(std::string_view toml_text, std::string_view origin) {
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& error) {
    throw ConfigError(where(error.source(), origin) + ": " + std::string(error.description()));
  }
  DaemonConfig config;
  for (const auto& [key, value] : root) {
    if (key == "daemon") {
      const toml::table* table = value.as_table();
      if (table == nullptr) fail_at(value, origin, "[daemon] must be a table");
      for (const auto& [inner_key, inner_value] : *table) {
        read_daemon_key(config, inner_key.str(), inner_value, origin);
      }
    } else if (key == "metrics") {
      const toml::table* table = value.as_table();
      if (table == nullptr) fail_at(value, origin, "[metrics] must be a table");
      for (const auto& [inner_key, inner_value] : *table) {
        read_metrics_key(config, inner_key.str(), inner_value, origin);
      }
    } else if (key == "target") {
      const toml::array* targets = value.as_array();
      if (targets == nullptr) fail_at(value, origin, "targets are written as [[target]] tables");
      for (const toml::node& target : *targets) config.targets.push_back(read_target(target, origin));
    } else if (key == "alert") {
      const toml::array* alerts = value.as_array();
      if (alerts == nullptr) fail_at(value, origin, "alerts are written as [[alert]] tables");
      for (const toml::node& alert : *alerts) config.alerts.push_back(read_alert(alert, origin, config.alerts.size()));
    } else {
      fail_at(value, origin, "unknown top-level key '" + std::string(key.str()) + "'");
    }
  }
  // A value out of range is this file's error too: name its line and column (finalize_config
  // checks again after the command-line overrides).
  try {
    validate_config(config);
  } catch (const ValueError& error) {
    const toml::node* node = std::as_const(root).at_path(error.path()).node();
    if (node != nullptr) fail_at(*node, origin, error.what());
    throw;
  }
  return config;
}

DaemonConfig load_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot open the config file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path);
}

TargetConfig parse_target_spec(std::string_view spec) {
  TargetConfig target;
  std::string_view host = spec;
  // "/ROLE" last: after a bracketed IPv6 literal or a rate, never inside a host name.
  const auto slash = spec.rfind('/');
  if (slash != std::string_view::npos) {
    target.role = parse_spec_role(spec.substr(slash + 1), spec);
    host = spec.substr(0, slash);
  }
  const auto at = host.rfind('@');
  if (at != std::string_view::npos) {
    target.rate = parse_rate(host.substr(at + 1), spec);
    host = host.substr(0, at);
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  // "[::1" or "::1]@10": a typo that would otherwise be looked up as a host name.
  if (host.find_first_of("[]") != std::string_view::npos) {
    throw ConfigError("target '" + std::string(spec) + "': unbalanced brackets (write IPv6 as [::1]@RATE)");
  }
  if (host.empty()) throw ConfigError("target '" + std::string(spec) + "': empty host");
  target.host = std::string(host);
  return target;
}

DaemonConfig finalize_config(DaemonConfig config, const ConfigOverrides& overrides) {
  if (!overrides.targets.empty()) {
    config.targets.clear();
    for (const auto& spec : overrides.targets) config.targets.push_back(parse_target_spec(spec));
  }
  if (overrides.frame_ms) config.frame_ms = *overrides.frame_ms;
  if (overrides.timeout_ms) config.timeout_ms = *overrides.timeout_ms;
  if (overrides.data_dir) config.data_dir = *overrides.data_dir;
  if (overrides.listen) config.listen = *overrides.listen;
  if (overrides.console) config.console = *overrides.console;
  if (overrides.log_level) config.log_level = *overrides.log_level;
  if (overrides.send_error_log) config.send_error_log = *overrides.send_error_log;
  if (overrides.frames_jsonl) config.frames_jsonl = *overrides.frames_jsonl;
  if (overrides.metrics_listen) config.metrics_listen = *overrides.metrics_listen;
  if (config.targets.empty()) {
    config.targets.push_back(TargetConfig{"127.0.0.1", 10, AddressFamily::any});
    config.targets.push_back(TargetConfig{"::1", 10, AddressFamily::any});
  }
  validate_config(config);
  check_alerts(config.alerts, config.targets);  // after --target replaced the file's targets
  return config;
}

void validate_config(const DaemonConfig& config) {
  check_range("frame_ms", config.frame_ms, 10, 1000);
  if (kMsPerHour % config.frame_ms != 0) {
    throw ValueError("daemon.frame_ms", "frame_ms = " + std::to_string(config.frame_ms) +
                                            " must divide one hour (3600000 ms) so frames never straddle hour files");
  }
  check_range("timeout_ms", config.timeout_ms, 10, 60000);
  check_range("precision", config.precision, 0.0001, 0.5);
  check_range("flush_ms", config.flush_ms, 10, 60000);
  check_range("fsync_s", config.fsync_s, 0, 3600);
  check_range("stream_memory_s", config.stream_memory_s, 10, 86400);
  check_range("catch_up_ms", config.catch_up_ms, 0, 10000);
  check_range("realtime_priority", config.realtime_priority, 0, 99);
  check_range("resolve_interval_s", config.resolve_interval_s, 1, 86400);
  check_range("resolve_retry_s", config.resolve_retry_s, 1, 3600);
  check_range("trace_interval_s", config.trace_interval_s, 0, 86400);
  check_range("trace_max_ttl", config.trace_max_ttl, 1, 64);
  check_range("gateway_rate", config.gateway_rate, kMinRate, kMaxRate);
  if (config.data_dir.empty()) throw ValueError("daemon.data_dir", "data_dir must not be empty");
  check_listen_address("daemon.listen", "listen", config.listen);
  if (!config.metrics_listen.empty()) {
    check_listen_address("metrics.listen", "[metrics] listen", config.metrics_listen);
  }
  static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  if (kLevels.count(config.log_level) == 0) {
    throw ValueError("daemon.log_level",
                     "log_level = '" + config.log_level + "' is not one of trace, debug, info, warn, error, critical, off");
  }
  std::set<std::string> hosts;
  for (std::size_t i = 0; i < config.targets.size(); ++i) {
    const TargetConfig& target = config.targets[i];
    const std::string path = "target[" + std::to_string(i) + "]";
    if (target.rate < kMinRate || target.rate > kMaxRate) {
      throw ValueError(path + ".rate", "target '" + target.host + "': rate " + std::to_string(target.rate) +
                                           "/s is out of range [1, 1000]");
    }
    if (!hosts.insert(target.host).second) {
      throw ValueError(path + ".host", "target '" + target.host + "' is listed twice");
    }
  }
}

}  // namespace zzping::daemon
