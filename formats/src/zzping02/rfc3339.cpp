// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/zzping02/rfc3339.hpp"

#include <cstdio>
#include <cstdlib>

namespace zzping::zzping02 {
namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146'097 + static_cast<std::int64_t>(doe) - 719'468;
}

struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

CivilDate civil_from_days(std::int64_t z) {
  z += 719'468;
  const std::int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const auto doe = static_cast<unsigned>(z - era * 146'097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

bool is_leap_year(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : kDays[m - 1];
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A left-to-right cursor that mirrors chrono's scan helpers.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : s_(text) {}

  bool number(std::size_t digits, unsigned& out) {
    if (s_.size() < digits) return false;
    unsigned v = 0;
    for (std::size_t i = 0; i < digits; ++i) {
      if (!is_digit(s_[i])) return false;
      v = v * 10 + static_cast<unsigned>(s_[i] - '0');
    }
    out = v;
    s_.remove_prefix(digits);
    return true;
  }
  bool literal(char c) {
    if (s_.empty() || s_.front() != c) return false;
    s_.remove_prefix(1);
    return true;
  }
  bool either(char a, char b) { return literal(a) || literal(b); }
  // '.' 1*DIGIT: the first 9 digits scaled to nanoseconds, further digits skipped.
  bool fraction(std::uint32_t& nanos) {
    if (!is_digit(peek())) return false;
    std::uint32_t v = 0;
    std::size_t taken = 0;
    for (; taken < 9 && is_digit(peek()); ++taken) {
      v = v * 10 + static_cast<std::uint32_t>(s_.front() - '0');
      s_.remove_prefix(1);
    }
    for (std::size_t i = taken; i < 9; ++i) v *= 10;
    while (is_digit(peek())) s_.remove_prefix(1);
    nanos = v;
    return true;
  }
  char peek() const { return s_.empty() ? '\0' : s_.front(); }
  std::string_view rest() const { return s_; }
  void skip(std::size_t n) { s_.remove_prefix(n); }

 private:
  std::string_view s_;
};

// chrono's timezone_offset_zulu with a mandatory ':' between hours and minutes.
bool parse_offset(Scanner& in, std::int64_t& offset_seconds, const char*& error) {
  const char first = in.peek();
  if (first == 'Z' || first == 'z') {
    in.skip(1);
    offset_seconds = 0;
    return true;
  }
  if (first == 'U' || first == 'u') {
    const std::string_view r = in.rest();
    if (r.size() >= 3 && (r[1] | 32) == 't' && (r[2] | 32) == 'c') {
      in.skip(3);
      offset_seconds = 0;
      return true;
    }
    error = "bad time zone (expected Z, UTC or +hh:mm)";
    return false;
  }
  const bool negative = first == '-';
  unsigned hours = 0;
  unsigned minutes = 0;
  if (!in.either('+', '-') || !in.number(2, hours) || !in.literal(':') || !in.number(2, minutes)) {
    error = "bad time zone (expected Z, UTC or +hh:mm)";
    return false;
  }
  if (minutes > 59) {
    error = "time zone minutes out of range";
    return false;
  }
  const std::int64_t seconds = hours * 3600 + minutes * 60;
  if (seconds >= kSecondsPerDay) {
    error = "time zone offset of 24 h or more";
    return false;
  }
  offset_seconds = negative ? -seconds : seconds;
  return true;
}

}  // namespace

Rfc3339Parse parse_rfc3339(std::string_view text) {
  Rfc3339Parse result;
  Scanner in(text);
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!in.number(4, year) || !in.literal('-') || !in.number(2, month) || !in.literal('-') ||
      !in.number(2, day)) {
    result.error = "bad date (expected YYYY-MM-DD)";
    return result;
  }
  if (!in.either('T', 't')) {
    result.error = "missing 'T' between date and time";
    return result;
  }
  if (!in.number(2, hour) || !in.literal(':') || !in.number(2, minute) || !in.literal(':') ||
      !in.number(2, second)) {
    result.error = "bad time (expected hh:mm:ss)";
    return result;
  }
  std::uint32_t nanos = 0;
  if (in.literal('.') && !in.fraction(nanos)) {
    result.error = "'.' without fraction digits";
    return result;
  }
  std::int64_t offset_seconds = 0;
  if (!parse_offset(in, offset_seconds, result.error)) return result;
  if (!in.rest().empty()) {
    result.error = "unexpected characters after the time zone";
    return result;
  }
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) {
    result.error = "no such calendar date";
    return result;
  }
  if (hour > 23 || minute > 59 || second > 60) {
    result.error = "time of day out of range";
    return result;
  }
  if (second == 60) {  // chrono: a leap second is second 59 plus one more second of nanos
    second = 59;
    nanos += 1'000'000'000u;
  }
  const std::int64_t local = days_from_civil(year, month, day) * kSecondsPerDay +
                             hour * 3600 + minute * 60 + second;
  result.ok = true;
  result.time = ChronoTime{local - offset_seconds, nanos};
  return result;
}

std::string format_rfc3339_micros(const ChronoTime& time) {
  const bool leap = time.in_leap_second();
  std::int64_t days = time.seconds / kSecondsPerDay;
  std::int64_t secs_of_day = time.seconds % kSecondsPerDay;
  if (secs_of_day < 0) {
    secs_of_day += kSecondsPerDay;
    --days;
  }
  const CivilDate date = civil_from_days(days);
  const auto hh = static_cast<int>(secs_of_day / 3600);
  const auto mm = static_cast<int>(secs_of_day / 60 % 60);
  const auto ss = static_cast<int>(secs_of_day % 60) + (leap ? 1 : 0);
  const auto micros = static_cast<int>(time.nanos % 1'000'000'000u / 1000);
  char year[32];
  if (date.year >= 0 && date.year <= 9999) {
    std::snprintf(year, sizeof year, "%04lld", static_cast<long long>(date.year));
  } else {
    std::snprintf(year, sizeof year, "%+05lld", static_cast<long long>(date.year));
  }
  char out[96];
  std::snprintf(out, sizeof out, "%s-%02u-%02uT%02d:%02d:%02d.%06d+00:00", year, date.month, date.day,
                hh, mm, ss, micros);
  return out;
}

}  // namespace zzping::zzping02
