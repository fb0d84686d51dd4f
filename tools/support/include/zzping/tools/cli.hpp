// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Command-line conventions shared by the tools: a one-line reason on error, non-zero exit.
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <string_view>
#include <vector>

namespace zzping::tools {

// Exit codes: 0 success, 1 runtime failure (bad input, I/O), 2 usage error.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Runs `body`, turning any exception into "<tool>: <what>" on stderr and exit code 1.
int run_tool(std::string_view tool, const std::function<int()>& body);

// The whole file; throws std::runtime_error naming the file and the system's reason.
std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path);

}  // namespace zzping::tools
