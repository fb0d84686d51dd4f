// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Access to the zzping 0.2.2 golden files (read in place, never copied into the repo).
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "zzping/formats/zzping02/decode_end.hpp"

namespace zzping::zzping02::golden {

inline std::filesystem::path root() {
  return std::filesystem::path(ZZPING_TESTDATA_DIR) / "zzping-0.2.2";
}

inline std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::vector<nlohmann::json> read_jsonl(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

// Binary files under `folder` (relative to the golden root) that have an .expected.jsonl.
inline std::vector<std::filesystem::path> binaries_under(const std::string& folder) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root() / folder)) {
    const std::string name = e.path().string();
    if (!e.is_regular_file() || name.ends_with(".expected.jsonl")) continue;
    if (std::filesystem::exists(name + ".expected.jsonl")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline std::filesystem::path expected_of(const std::filesystem::path& binary) {
  return binary.string() + ".expected.jsonl";
}

inline std::string relative_name(const std::filesystem::path& p) {
  return std::filesystem::relative(p, root()).string();
}

// A GoogleTest-safe name for a golden file.
inline std::string test_name(const std::filesystem::path& p) {
  std::string name = relative_name(p);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

// Our end state in the golden files' terms: a cut frame was an "error" there.
inline std::string golden_result(const DecodeEnd& end) { return end.ok() ? "eof" : "error"; }

}  // namespace zzping::zzping02::golden
