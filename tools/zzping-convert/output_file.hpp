// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Writing a converter's output: all or nothing, and never over an existing file unless asked.
#include <cstdint>
#include <filesystem>
#include <span>

namespace zzping::convert {

// Writes `bytes` to a temporary file beside `path`, syncs it, then renames it into place,
// so a crash never leaves a half-written output. Throws std::runtime_error when `path`
// exists and !overwrite, or on any I/O error (naming the path and the system's reason).
void write_output_file(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                       bool overwrite);

}  // namespace zzping::convert
