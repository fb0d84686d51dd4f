// SPDX-License-Identifier: GPL-3.0-or-later
// zzpingd: the zzping pinger daemon. See docs/daemon.md and docs/config.md.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "zzping/stream_server/stream_sink.hpp"
#include "zzping/daemon/config.hpp"
#include "zzping/daemon/console_table.hpp"
#include "zzping/daemon/file_sink.hpp"
#include "zzping/daemon/frame_log.hpp"
#include "zzping/daemon/host_health_log.hpp"
#include "zzping/daemon/journal_log.hpp"
#include "zzping/daemon/pinger.hpp"
#include "zzping/metrics/metrics_sink.hpp"
#include "zzping/daemon/service_notifier.hpp"

namespace {

using zzping::daemon::ConfigOverrides;
using zzping::daemon::ConsoleMode;
using zzping::daemon::DaemonConfig;

struct CommandLine {
  std::string config_path;
  ConfigOverrides overrides;
  bool console = false;
  bool no_console = false;
};

DaemonConfig load(const CommandLine& command_line) {
  DaemonConfig base;
  if (!command_line.config_path.empty()) base = zzping::daemon::load_config_file(command_line.config_path);
  return zzping::daemon::finalize_config(base, command_line.overrides);
}

bool console_wanted(const DaemonConfig& config) {
  if (config.console == ConsoleMode::on) return true;
  if (config.console == ConsoleMode::off) return false;
  return isatty(STDOUT_FILENO) == 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"zzpingd: continuous ICMP network-quality monitor (frames into per-host hourly files)"};
  app.set_version_flag("--version", std::string("zzpingd ") + ZZPING_VERSION);
  CommandLine command_line;
  // No CLI::ExistingFile check: a missing file is a configuration error like any other
  // (exit 2, the path named), not a command-line one.
  app.add_option("-c,--config", command_line.config_path, "TOML configuration file (docs/config.md)");
  app.add_option("-t,--target", command_line.overrides.targets,
                 "HOST[@RATE][/ROLE] to ping; ROLE: gateway, isp or internet (default) (repeatable; replaces the file's "
                 "targets; default 127.0.0.1 and ::1 at 10/s)");
  app.add_option("--frame-ms", command_line.overrides.frame_ms, "frame length in ms (10-1000, divides an hour)");
  app.add_option("--timeout-ms", command_line.overrides.timeout_ms, "reply timeout in ms (10-60000)");
  app.add_option("--data-dir", command_line.overrides.data_dir, "folder for the frame files (default ./zzping-data)");
  app.add_option("--listen", command_line.overrides.listen, "stream address HOST:PORT (default 127.0.0.1:7878)");
  app.add_option("--log-level", command_line.overrides.log_level, "trace, debug, info, warn, error, critical, off");
  app.add_option("--send-error-log", command_line.overrides.send_error_log,
                 "write every probe's send-time error (ns, one per line) to this file (benchmarks)");
  app.add_option("--frames-jsonl", command_line.overrides.frames_jsonl,
                 "also append every final frame and loss event to this file as JSON lines");
  app.add_option("--metrics-listen", command_line.overrides.metrics_listen,
                 "serve OpenMetrics on http://HOST:PORT/metrics (default off; docs/metrics.md)");
  app.add_flag("--console", command_line.console, "show the live table even if stdout is not a terminal");
  app.add_flag("--no-console", command_line.no_console, "never show the live table");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  if (command_line.console) command_line.overrides.console = ConsoleMode::on;
  if (command_line.no_console) command_line.overrides.console = ConsoleMode::off;

  spdlog::set_default_logger(spdlog::stderr_color_mt("zzpingd"));
  // Under systemd: "<N>message" lines, so the journal stores each line's priority.
  const bool journal = zzping::daemon::fd_is_journal_stream(STDERR_FILENO, std::getenv("JOURNAL_STREAM"));
  if (journal) spdlog::default_logger()->set_formatter(zzping::daemon::make_journal_formatter());
  const char* const error_prefix = journal ? "<3>zzpingd: " : "zzpingd: ";
  DaemonConfig config;
  try {
    config = load(command_line);
  } catch (const zzping::daemon::ConfigError& error) {
    std::fprintf(stderr, "%s%s\n", error_prefix, error.what());
    return 2;
  }
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  // Timer slack: the default 50 µs would be most of our send-time error budget.
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);

  try {
    zzping::daemon::Pinger pinger(config, [&command_line] { return load(command_line); });
    zzping::daemon::FileSinkOptions files;
    files.data_dir = config.data_dir;
    files.fsync_s = config.fsync_s;
    pinger.add_sink(std::make_unique<zzping::daemon::FileSink>(std::move(files)));
    if (!config.frames_jsonl.empty()) pinger.add_sink(std::make_unique<zzping::daemon::FrameLog>(config.frames_jsonl));
    auto stream = zzping::stream::make_stream_sink(pinger.io_context(), config);
    zzping::stream::StreamServer& stream_server = stream->server();
    pinger.add_sink(std::move(stream));
    if (!config.metrics_listen.empty()) {
      pinger.add_sink(zzping::metrics::make_metrics_sink(
          pinger.io_context(), config,
          {&pinger.send_timing(), [&stream_server] { return stream_server.stats().clients; }}));
    }
    // 100% loss, unreachable hosts and ICMP errors: one log line per change, per host.
    pinger.add_sink(std::make_unique<zzping::daemon::HostHealthLog>());
    if (console_wanted(config)) pinger.add_sink(std::make_unique<zzping::daemon::ConsoleTable>(stdout));
    pinger.add_sink(std::make_unique<zzping::daemon::ServiceNotifierSink>(pinger.io_context()));
    return pinger.run();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s%s\n", error_prefix, error.what());
    return 1;
  }
}
