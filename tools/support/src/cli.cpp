// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/tools/cli.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace zzping::tools {

int run_tool(std::string_view tool, const std::function<int()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << tool << ": " << e.what() << '\n';
    return kExitFailure;
  }
}

std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot open: " + std::strerror(errno));
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  if (in.bad()) throw std::runtime_error(path.string() + ": read error: " + std::strerror(errno));
  return bytes;
}

}  // namespace zzping::tools
