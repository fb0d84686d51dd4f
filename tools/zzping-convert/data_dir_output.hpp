// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Importing frames into a data directory, as zzpingd lays it out: one native file per
// UTC hour plus the 1 s / 1 min / 1 h tiers, so imported zzping 0.2 history opens as
// fast as the daemon's own.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <vector>

#include "native_output.hpp"

namespace zzping::convert {

struct FileToWrite {
  std::filesystem::path path;
  std::vector<std::uint8_t> bytes;
};

// The files to create under `data_dir` for these frames (raw hours, then tiers). Each
// path is the first free sequence number of its period according to `exists`, so nothing
// already there is touched. Throws std::invalid_argument when the source names no host.
std::vector<FileToWrite> encode_into_data_dir(
    const std::filesystem::path& data_dir, const NativeSource& source,
    std::span<const Frame> frames, const NativeEvidence& evidence,
    std::uint32_t block_frames,
    const std::function<bool(const std::filesystem::path&)>& exists);

}  // namespace zzping::convert
