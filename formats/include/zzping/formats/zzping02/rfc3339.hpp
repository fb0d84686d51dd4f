// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The RFC 3339 keyframe timestamps of zzping 0.2 FrameData logs, as chrono 0.4.23 parsed
// (DateTime::parse_from_rfc3339) and wrote (to_rfc3339_opts(Micros, false)) them.
//
// Accepted, exactly like chrono 0.4.23:
//   YYYY-MM-DD ('T'|'t') hh:mm:ss [ '.' 1*DIGIT ] ( 'Z' | 'z' | "UTC" in any case | ('+'|'-') hh:mm )
// - a 4-digit year 0000..9999, a real calendar date, hour <= 23, minute <= 59;
// - second 60 (a leap second) in any minute; chrono keeps it as second 59 plus >= 1 s of
//   nanoseconds, and so do we (ChronoTime::nanos >= 1'000'000'000);
// - any number of fraction digits; the first 9 count, the rest are skipped;
// - an offset below 24 h; nothing may follow it (no spaces anywhere).
// Limit of ours: the FrameData decoder rejects strings longer than kMaxRfc3339Length bytes
// (chrono accepted any length of fraction digits).
#include <cstdint>
#include <string>
#include <string_view>

namespace zzping::zzping02 {

inline constexpr std::size_t kMaxRfc3339Length = 1024;

// chrono's view of an instant: whole Unix seconds (floor) and nanoseconds within it, where
// a leap second shows as second 59 with nanos in [1e9, 2e9).
struct ChronoTime {
  std::int64_t seconds = 0;
  std::uint32_t nanos = 0;

  bool in_leap_second() const { return nanos >= 1'000'000'000u; }
  // chrono's timestamp_micros(): may land in the next second during a leap second.
  std::int64_t unix_micros() const { return seconds * 1'000'000 + nanos / 1000; }

  friend bool operator==(const ChronoTime&, const ChronoTime&) = default;
};

struct Rfc3339Parse {
  bool ok = false;
  ChronoTime time;
  const char* error = "";  // why it was rejected (static text)
};

Rfc3339Parse parse_rfc3339(std::string_view text);

// "YYYY-MM-DDThh:mm:ss.uuuuuu+00:00" in UTC, as the zzping 0.2 daemon wrote keyframes (32 bytes
// for years 0..9999; other years get chrono's sign and at least 4 digits, e.g. "+10000").
std::string format_rfc3339_micros(const ChronoTime& time);

}  // namespace zzping::zzping02
