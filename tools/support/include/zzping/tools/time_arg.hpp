// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The T of `--from T` / `--to T`: an RFC 3339 time (UTC "Z" or a local time with its
// offset, e.g. 2026-12-05T18:00:00+01:00) or a time relative to now: -24h, -7d, -90m, -30s.
// Shared by zzping-dump --from/--to and zzping-report.
#include <cstdint>
#include <string_view>

namespace zzping::tools {

// ms since the Unix epoch; throws std::invalid_argument naming the text otherwise.
std::int64_t parse_time_arg(std::string_view text, std::int64_t now_ms);

}  // namespace zzping::tools
