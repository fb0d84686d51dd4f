// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Text helpers shared by the report tests: CSV cells, and the pdftotext -layout text with
// its column gaps (runs of spaces) made one space, so a table row can be searched.
#include <sstream>
#include <string>
#include <vector>

namespace zzping::report::test {

inline std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, sep)) out.push_back(cell);
  if (!line.empty() && line.back() == sep) out.emplace_back();
  return out;
}

// (No std::regex for this: GCC 12's <regex> trips -Wmaybe-uninitialized under ASan.)
inline std::string squeeze_spaces(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  return out;
}

}  // namespace zzping::report::test
