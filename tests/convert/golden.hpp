// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Paths and bytes of the zzping 0.2.2 golden files (read in place, never copied), and the
// byte-file helpers of the tests that use them.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace zzping::test {

inline std::filesystem::path golden_path(const std::string& relative) {
  return std::filesystem::path(ZZPING_TESTDATA_DIR) / "zzping-0.2.2" / relative;
}

inline std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Creates the file's folders as needed.
inline void write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace zzping::test
