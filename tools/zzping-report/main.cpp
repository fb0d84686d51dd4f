// SPDX-License-Identifier: GPL-3.0-or-later
// zzping-report: a PDF of a period's measurements for a provider's support (docs/report.md).
#include <CLI/CLI.hpp>

#include <QApplication>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "report_document.hpp"
#include "zzping/tools/cli.hpp"
#include "zzping/tools/time_arg.hpp"

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "zzping-report: write a PDF report (A4, vector plots, selectable text) of what zzpingd recorded: what was\n"
      "measured and how, a verdict from the numbers, the summary per target (as zzping-dump --summary), the\n"
      "interruptions with their cause, hour-of-day heatmaps and one page of plots per day (docs/report.md).\n"
      "Exit status: 0 ok, 1 bad input or I/O error, 2 usage."};
  std::string data_dir;
  std::vector<std::string> files;
  std::string from_text, to_text, last_text, tz_text = "local", title = "Network quality report", output, csv_dir;
  std::vector<std::string> hosts;
  bool redact = false;
  auto* dir_opt = app.add_option("--data-dir", data_dir, "zzpingd's data directory (or one host folder of it)")
                      ->check(CLI::ExistingDirectory);
  auto* files_opt = app.add_option("files", files, "files or folders instead of --data-dir")->check(CLI::ExistingPath);
  dir_opt->excludes(files_opt);
  auto* from_opt = app.add_option("--from", from_text, "period start: RFC 3339 (2026-12-05T18:00:00Z, or with +01:00) or relative (-24h)");
  auto* to_opt = app.add_option("--to", to_text, "period end (exclusive), same forms; default: the end of the data");
  auto* last_opt = app.add_option("--last", last_text, "the period is the last 24h, 7d, 30d ... before now");
  last_opt->excludes(from_opt)->excludes(to_opt);
  app.add_option("--host", hosts, "only this target (repeatable); default: every target found");
  app.add_option("--tz", tz_text, "time zone of the report: local, utc or +HH:MM")->capture_default_str();
  app.add_flag("--redact", redact, "replace private addresses and host names with stable labels (private-1, host-1)");
  app.add_option("--title", title, "the report's title")->capture_default_str();
  app.add_option("-o,--output", output, "the PDF to write")->required();
  app.add_option("--csv", csv_dir, "also write incidents.csv and minutes.csv into this folder");
  app.set_version_flag("--version", std::string("zzping-report ") + ZZPING_VERSION);
  try {
    app.parse(argc, argv);
    if (data_dir.empty() && files.empty()) throw CLI::ValidationError("give --data-dir DIR or FILES");
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "zzping-report: " << e.what() << " (see --help)\n";
    return zzping::tools::kExitUsage;
  }
  return zzping::tools::run_tool("zzping-report", [&] {
    zzping::report::ReportRequest request;
    if (!data_dir.empty()) request.paths.emplace_back(data_dir);
    for (const auto& f : files) request.paths.emplace_back(f);
    const std::int64_t now = now_ms();
    if (!last_text.empty()) {
      request.from_ms = zzping::tools::parse_time_arg("-" + last_text, now);
      request.to_ms = now;
    }
    if (!from_text.empty()) request.from_ms = zzping::tools::parse_time_arg(from_text, now);
    if (!to_text.empty()) request.to_ms = zzping::tools::parse_time_arg(to_text, now);
    if (request.from_ms && request.to_ms && *request.from_ms >= *request.to_ms) {
      throw std::invalid_argument("--from must be before --to");
    }
    request.hosts = hosts;
    zzping::report::DocumentOptions options;
    options.zone = zzping::report::parse_time_zone(tz_text);
    options.title = QString::fromStdString(title);
    options.redact = redact;
    if (!csv_dir.empty()) options.csv_dir = csv_dir;
    const auto data = zzping::report::read_report(request, std::cerr);
    for (const auto& h : hosts) {
      const bool found = std::any_of(data.hosts.begin(), data.hosts.end(), [&](const auto& r) { return r.host == h; });
      if (!found) throw std::invalid_argument("--host " + h + ": no such target in the data");
    }
    // The plots are widgets drawn off screen: no display is needed.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    int qt_argc = 1;
    char* qt_argv[] = {argv[0], nullptr};
    QApplication qt(qt_argc, qt_argv);
    zzping::report::write_report_pdf(data, options, output);
    return data.failed ? zzping::tools::kExitFailure : 0;
  });
}
