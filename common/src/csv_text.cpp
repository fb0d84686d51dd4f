// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/csv_text.hpp"

namespace zzping {

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace zzping
