// SPDX-License-Identifier: GPL-3.0-or-later
// zzping-dump: prints frames of native, FDQ v101 and FrameData files as text, CSV or JSON lines.
#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "dump.hpp"
#include "summary.hpp"
#include "zzping/tools/time_arg.hpp"
#include "zzping/tools/cli.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "zzping-dump: print the frames of zzping files (native .zzf and tier files, zzping 0.2\n"
      "FrameData logs and FDQ v101 files; the format is detected). Fields: docs/output.md.\n"
      "Exit status: 0 ok (a cut last frame is a warning), 1 bad input or I/O error, 2 usage."};
  std::vector<std::string> files;
  std::string format = "text";
  bool info = false;
  bool summary = false;
  std::string from_text;
  std::string to_text;
  app.add_option("files", files, "files to print, in order (with --summary: also host folders and data directories)")
      ->required()
      ->check(CLI::ExistingPath);
  app.add_option("-f,--format", format, "text, csv or jsonl")->capture_default_str();
  app.add_flag("--info", info, "describe each file (format, header, frame count, end) instead");
  app.add_flag("--summary", summary,
               "one summary per host over [--from, --to): counts, loss %, RTT p0/p50/p95/p99/p100, "
               "jitter, MOS estimate, loss bursts, availability (docs/summary.md)");
  app.add_option("--from", from_text, "span start: RFC 3339 (2026-12-05T18:00:00Z, or with +01:00) or relative (-24h, -7d)");
  app.add_option("--to", to_text, "span end (exclusive), same forms; default: the end of the data");
  app.set_version_flag("--version", std::string("zzping-dump ") + ZZPING_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "zzping-dump: " << e.what() << " (see --help)\n";
    return zzping::tools::kExitUsage;
  }
  return zzping::tools::run_tool("zzping-dump", [&] {
    const auto output = zzping::tools::parse_output_format(format);
    if (summary) {
      const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count();
      zzping::dump::SummaryRequest request;
      if (!from_text.empty()) request.from_ms = zzping::tools::parse_time_arg(from_text, now_ms);
      if (!to_text.empty()) request.to_ms = zzping::tools::parse_time_arg(to_text, now_ms);
      if (request.from_ms && request.to_ms && *request.from_ms >= *request.to_ms) {
        throw std::invalid_argument("--from must be before --to");
      }
      const std::vector<std::filesystem::path> paths(files.begin(), files.end());
      const auto result = zzping::dump::summarize_paths(paths, request, std::cerr);
      zzping::dump::print_summaries(std::cout, result.hosts, output);
      return result.failed ? zzping::tools::kExitFailure : 0;
    }
    for (const auto& file : files) {
      if (std::filesystem::is_directory(file)) {
        throw std::invalid_argument(file + " is a folder (only --summary reads folders)");
      }
    }
    zzping::tools::FramePrinter printer(std::cout, output);
    bool failed = false;
    for (const auto& file : files) {
      const auto result = info ? zzping::dump::describe_file(file, std::cout)
                               : zzping::dump::dump_file(file, printer);
      failed = failed || result.failed;
    }
    return failed ? zzping::tools::kExitFailure : 0;
  });
}
