// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// zzpingd configuration: TOML file + command-line overrides (docs/config.md lists every key).
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "zzping/common/attribution.hpp"
#include "zzping/daemon/alert_config.hpp"

namespace zzping::daemon {

// Bad configuration: the message names the file, line and column (or the option).
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class AddressFamily : std::uint8_t { any, v4, v6 };
enum class SocketMode : std::uint8_t { automatic, dgram, raw };
enum class ConsoleMode : std::uint8_t { automatic, on, off };
// gateway = "auto": this machine's default gateway(s) become targets (docs/config.md).
enum class GatewayMode : std::uint8_t { off, automatic };

struct TargetConfig {
  std::string host;  // name or literal address, as the user wrote it
  std::uint32_t rate = 10;  // probes per second, 1..1000
  AddressFamily family = AddressFamily::any;
  // Whose side of the link the target is on (docs/attribution.md): gateway, isp, internet.
  // Not part of what is probed: a reload changing only the role keeps the host running.
  attribution::Role role = attribution::Role::internet;
  // Take path snapshots of it (docs/daemon.md "Path snapshots"); loopback addresses never are.
  bool trace = true;
  friend bool operator==(const TargetConfig&, const TargetConfig&) = default;
};

struct DaemonConfig {
  std::vector<TargetConfig> targets;
  std::uint32_t frame_ms = 100;
  std::uint32_t timeout_ms = 1000;
  double precision = 0.01;
  std::string data_dir = "./zzping-data";
  std::string listen = "127.0.0.1:7878";
  std::string stream_token;  // shared secret of stream clients; required beyond loopback
  // Seconds of recent frames the stream keeps in memory per host for backfill (older
  // backfill is read from data_dir's files). Memory: ~0.1 MB per host-hour at 10 frames/s.
  std::uint32_t stream_memory_s = 3660;
  std::uint32_t flush_ms = 1000;
  std::uint32_t fsync_s = 10;
  std::uint32_t catch_up_ms = 100;
  // 0: normal scheduling. 1..99: the loop thread asks for SCHED_FIFO at this priority
  // (needs CAP_SYS_NICE; refused -> logged, the daemon goes on normally). It keeps the
  // send schedule under CPU contention.
  std::uint32_t realtime_priority = 0;
  std::uint32_t resolve_interval_s = 300;
  std::uint32_t resolve_retry_s = 5;
  // Path snapshots of traced targets: every trace_interval_s (0: only at start and at loss
  // bursts), TTLs 1..trace_max_ttl.
  std::uint32_t trace_interval_s = 600;
  std::uint32_t trace_max_ttl = 30;
  SocketMode socket_mode = SocketMode::automatic;
  ConsoleMode console = ConsoleMode::automatic;
  std::string log_level = "info";
  std::string send_error_log;  // empty: off; else a file receiving one send-time error per line
  std::string frames_jsonl;    // empty: off; else a file receiving final frames as JSON lines
  GatewayMode gateway = GatewayMode::off;
  std::uint32_t gateway_rate = 10;  // probes per second of each automatic gateway target, 1..1000
  // [metrics]: the OpenMetrics /metrics endpoint (docs/metrics.md). Empty listen: off.
  std::string metrics_listen;
  bool metrics_allow_remote = false;  // explicit opt-in for a non-loopback metrics address
  std::vector<AlertConfig> alerts;    // [[alert]] tables (alert_config.hpp, docs/alerts.md)
  friend bool operator==(const DaemonConfig&, const DaemonConfig&) = default;
};

// Values given on the command line; each set field replaces the config file's value.
struct ConfigOverrides {
  std::vector<std::string> targets;  // HOST[@RATE][/ROLE]; if any, they replace the file's targets
  std::optional<std::uint32_t> frame_ms;
  std::optional<std::uint32_t> timeout_ms;
  std::optional<std::string> data_dir;
  std::optional<std::string> listen;
  std::optional<ConsoleMode> console;
  std::optional<std::string> log_level;
  std::optional<std::string> send_error_log;
  std::optional<std::string> frames_jsonl;
  std::optional<std::string> metrics_listen;
};

// Parses TOML text; `origin` names it in errors. Unknown keys are errors (typos must not
// be silently ignored). Throws ConfigError.
DaemonConfig parse_config(std::string_view toml_text, std::string_view origin);
// Reads and parses a file. Throws ConfigError.
DaemonConfig load_config_file(const std::string& path);
// "HOST", "HOST@RATE", "HOST/ROLE" or "HOST@RATE/ROLE" (ROLE: gateway, isp, internet);
// IPv6 literals may be bracketed ("[::1]@100/gateway"). Throws ConfigError.
TargetConfig parse_target_spec(std::string_view spec);
// Applies the overrides, adds the default targets (127.0.0.1 and ::1 at 10/s) when there
// are none, and validates the result. Throws ConfigError.
DaemonConfig finalize_config(DaemonConfig config, const ConfigOverrides& overrides);
// Throws ConfigError naming the first value out of range.
void validate_config(const DaemonConfig& config);

}  // namespace zzping::daemon
