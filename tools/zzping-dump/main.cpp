// SPDX-License-Identifier: GPL-3.0-or-later
// zzping-dump: prints frames of native, FDQ v101 and FrameData files as text, CSV or JSON lines.
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>
#include <vector>

#include "dump.hpp"
#include "zzping/tools/cli.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "zzping-dump: print the frames of zzping files (native .zzf and tier files, zzping 0.2\n"
      "FrameData logs and FDQ v101 files; the format is detected). Fields: docs/output.md.\n"
      "Exit status: 0 ok (a cut last frame is a warning), 1 bad input or I/O error, 2 usage."};
  std::vector<std::string> files;
  std::string format = "text";
  bool info = false;
  app.add_option("files", files, "files to print, in order")->required()->check(CLI::ExistingFile);
  app.add_option("-f,--format", format, "text, csv or jsonl")->capture_default_str();
  app.add_flag("--info", info, "describe each file (format, header, frame count, end) instead");
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
