// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/tools/time_arg.hpp"

#include <charconv>
#include <stdexcept>
#include <string>

#include "zzping/formats/zzping02/rfc3339.hpp"

namespace zzping::tools {
namespace {

std::int64_t unit_ms(char unit) {
  switch (unit) {
    case 's': return 1000;
    case 'm': return 60'000;
    case 'h': return 3'600'000;
    case 'd': return 86'400'000;
    case 'w': return 7 * 86'400'000LL;
    default: return 0;
  }
}

}  // namespace

std::int64_t parse_time_arg(std::string_view text, std::int64_t now_ms) {
  const std::string bad = "bad time '" + std::string(text) +
                          "' (expected RFC 3339 such as 2026-12-05T18:00:00Z or +01:00, or -24h, -7d, -30m, -10s)";
  if (text.size() >= 3 && text.front() == '-' && unit_ms(text.back()) > 0) {
    std::int64_t count = 0;
    const auto digits = text.substr(1, text.size() - 2);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    if (ec != std::errc() || end != digits.data() + digits.size() || count > 1'000'000'000) {
      throw std::invalid_argument(bad);
    }
    return now_ms - count * unit_ms(text.back());
  }
  const auto parsed = zzping02::parse_rfc3339(text);
  if (!parsed.ok) throw std::invalid_argument(bad + ": " + parsed.error);
  return parsed.time.seconds * 1000 + static_cast<std::int64_t>(parsed.time.nanos / 1'000'000);
}

}  // namespace zzping::tools
