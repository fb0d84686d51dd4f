// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Small text rules of HTTP header values shared by the request parser and the Accept
// negotiation (private to zzping_metrics_core).
#include <cstddef>
#include <string_view>

namespace zzping::metrics::http_text {

// Optional whitespace (OWS, RFC 9110 5.6.3) is spaces and tabs only.
inline std::string_view trim_whitespace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Header names and media types compare case-insensitively in ASCII (never by locale).
inline bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace zzping::metrics::http_text
