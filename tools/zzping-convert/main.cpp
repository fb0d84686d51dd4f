// SPDX-License-Identifier: GPL-3.0-or-later
// zzping-convert: converts, concatenates, re-quantises and aggregates zzping frame files.
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>
#include <vector>

#include "convert.hpp"
#include "output_file.hpp"
#include "zzping/tools/cli.hpp"

namespace {

constexpr const char* kTool = "zzping-convert";

std::optional<double> parse_llq(const std::string& text) {
  if (text == "none") return std::nullopt;
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !(value > 0 && value < 1)) {
    throw std::invalid_argument("--llq expects a precision in (0, 1) such as 0.01, or none; got '" +
                                text + "'");
  }
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "zzping-convert: convert zzping frame files. Inputs (native, zzping 0.2 FrameData or FDQ\n"
      "v101, detected) are concatenated in order and written as one output. --to fdq101 writes\n"
      "what zzping 0.2's datareadq wrote (byte-identical from FrameData input); --to native\n"
      "writes zzping's own format (docs/formats.md). See docs/convert.md."};
  std::vector<std::string> inputs;
  std::string output;
  std::string to = "native";
  std::string llq;
  zzping::convert::Options options;
  std::size_t agg_window = 0;
  std::size_t agg_step = 0;
  bool force = false;
  app.add_option("inputs", inputs, "input files, concatenated in this order")
      ->required()->check(CLI::ExistingFile);
  std::string data_dir;
  auto* output_option =
      app.add_option("-o,--output", output, "output file (refused if it exists, unless --force)");
  auto* data_dir_option = app.add_option(
      "--data-dir", data_dir,
      "native: import into a zzpingd data directory instead (one file per UTC hour plus the "
      "1 s / 1 min / 1 h tiers; existing files are never touched: new ones get the next number)");
  output_option->excludes(data_dir_option);
  app.add_option("--to", to, "output format: native or fdq101")->capture_default_str();
  app.add_option("--llq", llq,
                 "fdq101: LinearLogQuantizer precision or 'none' (default none); native: histogram "
                 "precision (default: the first native input's, else 0.01)");
  app.add_option("--full-encode-secs", options.full_encode_secs,
                 "fdq101: largest gap between consecutive frames that is still delta-coded")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_flag("--delta-enc", options.delta_enc,
               "fdq101: zzping 0.2's delta_enc mode. BROKEN in the original (its decoder never "
               "undoes it): decoded RTTs are wrong; only for byte compatibility");
  app.add_option("--agg-window", agg_window, "aggregate: frames per output frame")->check(CLI::PositiveNumber);
  app.add_option("--agg-step", agg_step, "aggregate: input frames between output frames")->check(CLI::PositiveNumber);
  app.add_option("--host", options.host, "native: host name written in the header");
  app.add_option("--block-frames", options.block_frames, "native: frames per block")
      ->capture_default_str()->check(CLI::Range(1, 65536));
  app.add_flag("--salvage", options.salvage,
               "convert the frames before a corrupt spot of an input instead of refusing it");
  app.add_flag("--force", force, "overwrite an existing output");
  app.set_version_flag("--version", std::string("zzping-convert ") + ZZPING_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << kTool << ": " << e.what() << " (see --help)\n";
    return zzping::tools::kExitUsage;
  }
  return zzping::tools::run_tool(kTool, [&] {
    if (to == "fdq101") {
      options.to = zzping::convert::Target::kFdq101;
    } else if (to != "native") {
      throw std::invalid_argument("--to expects native or fdq101, got '" + to + "'");
    }
    if (!llq.empty()) {
      options.llq = parse_llq(llq);
      if (!options.llq && options.to == zzping::convert::Target::kNative) {
        throw std::invalid_argument("--llq none: native histograms are always quantised; give a "
                                    "precision such as 0.01");
      }
    }
    if ((agg_window == 0) != (agg_step == 0)) {
      throw std::invalid_argument("--agg-window and --agg-step go together");
    }
    if (agg_window) options.aggregation = zzping::convert::Aggregation{agg_window, agg_step};
    if (output.empty() && data_dir.empty()) {
      throw std::invalid_argument("give an output: -o FILE or --data-dir DIR");
    }
    if (!data_dir.empty()) options.data_dir = data_dir;
    std::vector<zzping::convert::Input> loaded;
    for (const auto& path : inputs) loaded.push_back({path, zzping::tools::read_file_bytes(path)});
    const auto result = zzping::convert::convert(loaded, options);
    for (const auto& warning : result.warnings) std::cerr << kTool << ": " << warning << '\n';
    if (options.data_dir) {
      std::size_t bytes = 0;
      for (const auto& [path, content] : result.files) {
        std::filesystem::create_directories(path.parent_path());
        zzping::convert::write_output_file(path, content, false);
        bytes += content.size();
      }
      std::cerr << kTool << ": " << result.frames_in << " frames in, " << result.frames_out
                << " frames out, " << result.files.size() << " files (" << bytes
                << " bytes) under " << data_dir << '\n';
      return 0;
    }
    zzping::convert::write_output_file(output, result.bytes, force);
    std::cerr << kTool << ": " << result.frames_in << " frames in, " << result.frames_out
              << " frames out, " << result.bytes.size() << " bytes -> " << output << '\n';
    return 0;
  });
}
