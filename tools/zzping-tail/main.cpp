// SPDX-License-Identifier: GPL-3.0-or-later
// zzping-tail: prints the frames and events a zzpingd streams, as they arrive.
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <iostream>

#include "tail_app.hpp"
#include "zzping/tools/cli.hpp"

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_signal(int) { g_stop = true; }

// "HOST:PORT" or "[V6]:PORT"; throws std::invalid_argument.
void parse_connect(const std::string& text, zzping::tail::TailOptions& options) {
  std::string host;
  std::string port;
  if (text.starts_with('[')) {
    const auto close = text.find("]:");
    if (close == std::string::npos) throw std::invalid_argument("--connect '" + text + "': expected [ADDRESS]:PORT");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon) {
      throw std::invalid_argument("--connect '" + text + "': expected HOST:PORT");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  std::size_t used = 0;
  unsigned long value = 0;
  try {
    value = std::stoul(port, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (host.empty() || used != port.size() || port.empty() || value == 0 || value > 65535) {
    throw std::invalid_argument("--connect '" + text + "': port must be 1..65535");
  }
  options.server_host = host;
  options.server_port = static_cast<std::uint16_t>(value);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"zzping-tail: print the live frames and loss events of a zzpingd"};
  app.set_version_flag("--version", std::string("zzping-tail ") + ZZPING_VERSION);
  zzping::tail::TailOptions options;
  std::string connect = "127.0.0.1:7878";
  std::string format = "text";
  std::uint64_t count = 0;
  std::uint32_t backfill = 0;
  std::string token;
  app.add_option("--connect", connect, "daemon stream address HOST:PORT ([V6]:PORT)")
      ->capture_default_str();
  app.add_option("--host", options.hosts, "only this host (repeatable; default: all)");
  app.add_option("--backfill", backfill, "first print the frames of the last SECONDS");
  app.add_option("--format", format, "text or jsonl")->capture_default_str();
  app.add_option("--count", count, "exit after printing N frames");
  app.add_option("--token", token, "shared token (daemons listening beyond loopback)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "zzping-tail: " << e.what() << '\n';
    return zzping::tools::kExitUsage;
  }
  return zzping::tools::run_tool("zzping-tail", [&] {
    parse_connect(connect, options);
    options.format = zzping::tools::parse_output_format(format);
    if (options.format == zzping::tools::OutputFormat::Csv) {
      throw std::invalid_argument("--format csv is not supported here (text or jsonl)");
    }
    if (app.count("--backfill")) options.backfill_s = backfill;
    if (app.count("--count")) options.count = count;
    if (!token.empty()) options.token = token;
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    return zzping::tail::run_tail(options, std::cout, std::cerr, g_stop);
  });
}
