// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// zzping-convert's pipeline: inputs of any format, concatenated in order, optionally
// aggregated, written as FDQ v101 or native. Bytes in, bytes out (main.cpp does the files).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace zzping::convert {

enum class Target { kFdq101, kNative };

struct Aggregation {
  std::size_t window = 1;
  std::size_t step = 1;
};

struct Options {
  Target to = Target::kNative;
  // fdq101: the LinearLogQuantizer precision (recv_llq), none when unset.
  // native: the histogram precision; unset keeps the first native input's, or 0.01.
  std::optional<double> llq;
  std::int64_t full_encode_secs = 60;  // fdq101 only
  bool delta_enc = false;              // fdq101 only: zzping 0.2's broken mode, for compatibility
  std::optional<Aggregation> aggregation;
  // Convert the frames before a corrupt spot of an input instead of refusing it (a cut last
  // frame is always accepted with a warning).
  bool salvage = false;
  std::string host;                    // native: host name for the header (default: the input's)
  std::uint32_t block_frames = 600;    // native: frames per block record
  // native: import into this data directory (hour files + tiers) instead of one output.
  std::optional<std::filesystem::path> data_dir;
  // How the data-dir import sees existing files (tests can fake it).
  std::function<bool(const std::filesystem::path&)> exists = [](const std::filesystem::path& p) {
    return std::filesystem::exists(p);
  };
};

struct Input {
  std::string name;  // for messages and for zzping 0.2 file names holding the host
  std::vector<std::uint8_t> bytes;
};

struct Result {
  std::vector<std::uint8_t> bytes;  // the single output (empty with data_dir)
  // With data_dir: every file to create (paths under it, none existing yet).
  std::vector<std::pair<std::filesystem::path, std::vector<std::uint8_t>>> files;
  std::size_t frames_in = 0;
  std::size_t frames_out = 0;
  std::vector<std::string> warnings;  // one line each, naming the input and the byte offset
};

// Throws std::runtime_error naming the input and offset for undetectable or corrupt input
// (unless salvage), std::invalid_argument for contradictory options.
Result convert(std::span<const Input> inputs, const Options& options);

}  // namespace zzping::convert
