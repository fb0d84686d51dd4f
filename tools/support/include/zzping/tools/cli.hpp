#pragma once
// Command-line conventions shared by the tools: a one-line reason on error, non-zero exit.
#include <exception>
#include <functional>
#include <string_view>

namespace zzping::tools {

// Exit codes: 0 success, 1 runtime failure (bad input, I/O), 2 usage error.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Runs `body`, turning any exception into "<tool>: <what>" on stderr and exit code 1.
int run_tool(std::string_view tool, const std::function<int()>& body);
void print_warning(std::string_view tool, std::string_view message);

}  // namespace zzping::tools
