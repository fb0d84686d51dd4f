// SPDX-License-Identifier: GPL-3.0-or-later
// File naming of a data directory (see layout.hpp). Calendar arithmetic is std::chrono's
// proleptic Gregorian UTC calendar; no time zones, no I/O.
#include "zzping/formats/native/layout.hpp"

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace zzping::native::layout {
namespace {

using std::chrono::days;
using std::chrono::milliseconds;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr std::int64_t kMsPerDay = 86'400'000;
constexpr std::int64_t kMsPerHour = 3'600'000;

bool is_safe(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // only upper case: one spelling per name keeps the mapping a bijection
}

struct Utc {
  year_month_day date;
  int hour = 0;
};

Utc to_utc(std::int64_t t_ms) {
  // Years 1970..9999 keep names fixed-width and sortable.
  constexpr std::int64_t kEnd = 253'402'300'800'000;  // 10000-01-01T00:00Z
  if (t_ms < 0 || t_ms >= kEnd) throw std::out_of_range("time outside the years 1970..9999");
  const std::int64_t day = t_ms / kMsPerDay;
  const sys_days d{days{day}};
  return Utc{year_month_day{d}, static_cast<int>((t_ms % kMsPerDay) / kMsPerHour)};
}

std::string date_string(const year_month_day& ymd, int parts) {
  char buf[32];
  const int y = static_cast<int>(ymd.year());
  const unsigned m = static_cast<unsigned>(ymd.month());
  const unsigned d = static_cast<unsigned>(ymd.day());
  if (parts == 1) std::snprintf(buf, sizeof buf, "%04d", y);
  else if (parts == 2) std::snprintf(buf, sizeof buf, "%04d-%02u", y, m);
  else std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

std::string with_sequence(std::string stem, unsigned sequence) {
  if (sequence > 0) stem += "." + std::to_string(sequence);
  return stem + ".zzf";
}

std::int64_t to_ms(const year_month_day& ymd) {
  return static_cast<std::int64_t>(sys_days{ymd}.time_since_epoch().count()) * kMsPerDay;
}

// Parses exactly `width` decimal digits at s[pos].
std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t width) {
  if (pos + width > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Parses the ".zzf" or ".<n>.zzf" suffix starting at s[pos].
std::optional<unsigned> sequence_suffix(std::string_view s, std::size_t pos) {
  const std::string_view rest = s.substr(std::min(pos, s.size()));
  if (rest == ".zzf") return 0u;
  if (rest.size() < 6 || rest.front() != '.' || !rest.ends_with(".zzf")) return std::nullopt;
  const std::string_view num = rest.substr(1, rest.size() - 5);
  if (num.empty() || num.size() > 6 || num.front() == '0') return std::nullopt;
  unsigned v = 0;
  for (char c : num) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v;
}

std::optional<year_month_day> valid_date(int y, int m, int d) {
  const year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                           std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1970) return std::nullopt;
  return ymd;
}

}  // namespace

std::string host_dir_name(std::string_view host) {
  if (host.empty()) throw std::invalid_argument("empty host name");
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < host.size(); ++i) {
    const char c = host[i];
    if (is_safe(c) && !(i == 0 && c == '.')) {
      out += c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  return out;
}

std::optional<std::string> host_from_dir_name(std::string_view dir_name) {
  std::string host;
  for (std::size_t i = 0; i < dir_name.size(); ++i) {
    const char c = dir_name[i];
    if (c == '%') {
      if (i + 2 >= dir_name.size()) return std::nullopt;
      const int hi = hex_value(dir_name[i + 1]);
      const int lo = hex_value(dir_name[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      host += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      host += c;
    }
  }
  // Only names host_dir_name produces: round trip must give the same spelling.
  if (host.empty() || host_dir_name(host) != dir_name) return std::nullopt;
  return host;
}

std::filesystem::path host_dir(const std::filesystem::path& data_dir, std::string_view host) {
  return data_dir / host_dir_name(host);
}

std::filesystem::path tier_dir(const std::filesystem::path& data_dir, std::string_view host,
                               Tier tier) {
  return host_dir(data_dir, host) / "tiers" / std::string(tier_name(tier));
}

std::filesystem::path raw_file(const std::filesystem::path& data_dir, std::string_view host,
                               std::int64_t t_ms, unsigned sequence) {
  const Utc utc = to_utc(t_ms);
  const std::string day = date_string(utc.date, 3);
  char hour[8];
  std::snprintf(hour, sizeof hour, "T%02dZ", utc.hour);
  return host_dir(data_dir, host) / day / with_sequence(day + hour, sequence);
}

std::filesystem::path tier_file(const std::filesystem::path& data_dir, std::string_view host,
                                Tier tier, std::int64_t t_ms, unsigned sequence) {
  const Utc utc = to_utc(t_ms);
  const int parts = tier == Tier::kSecond ? 3 : tier == Tier::kMinute ? 2 : 1;
  return tier_dir(data_dir, host, tier) / with_sequence(date_string(utc.date, parts), sequence);
}

std::filesystem::path first_free(const std::function<std::filesystem::path(unsigned)>& name,
                                 const std::function<bool(const std::filesystem::path&)>& exists) {
  for (unsigned n = 0;; ++n) {
    std::filesystem::path p = name(n);
    if (!exists(p)) return p;
  }
}

FilePeriod tier_file_period(Tier tier, std::int64_t t_ms) {
  const year_month_day ymd = to_utc(t_ms).date;
  using std::chrono::months;
  using std::chrono::years;
  if (tier == Tier::kSecond) {
    const std::int64_t start = to_ms(ymd);
    return FilePeriod{start, start + kMsPerDay, 0};
  }
  if (tier == Tier::kMinute) {
    const year_month_day first{ymd.year(), ymd.month(), std::chrono::day{1}};
    return FilePeriod{to_ms(first), to_ms(first + months{1}), 0};
  }
  const year_month_day first{ymd.year(), std::chrono::January, std::chrono::day{1}};
  return FilePeriod{to_ms(first), to_ms(first + years{1}), 0};
}

bool is_day_dir_name(std::string_view name) {
  return name.size() == 10 && name[4] == '-' && name[7] == '-';
}

std::optional<FilePeriod> parse_raw_file_name(std::string_view name) {
  // YYYY-MM-DDTHHZ then the suffix
  const auto y = digits(name, 0, 4);
  const auto m = digits(name, 5, 2);
  const auto d = digits(name, 8, 2);
  const auto h = digits(name, 11, 2);
  if (!y || !m || !d || !h || name[4] != '-' || name[7] != '-' || name[10] != 'T' ||
      name.size() < 14 || name[13] != 'Z' || *h > 23) {
    return std::nullopt;
  }
  const auto date = valid_date(*y, *m, *d);
  const auto seq = sequence_suffix(name, 14);
  if (!date || !seq) return std::nullopt;
  const std::int64_t start = to_ms(*date) + *h * kMsPerHour;
  return FilePeriod{start, start + kMsPerHour, *seq};
}

std::optional<FilePeriod> parse_tier_file_name(Tier tier, std::string_view name) {
  const auto y = digits(name, 0, 4);
  if (!y) return std::nullopt;
  int m = 1;
  int d = 1;
  std::size_t end = 4;
  if (tier != Tier::kHour) {
    const auto mm = digits(name, 5, 2);
    if (!mm || name[4] != '-') return std::nullopt;
    m = *mm;
    end = 7;
  }
  if (tier == Tier::kSecond) {
    const auto dd = digits(name, 8, 2);
    if (!dd || name[7] != '-') return std::nullopt;
    d = *dd;
    end = 10;
  }
  const auto date = valid_date(*y, m, d);
  const auto seq = sequence_suffix(name, end);
  if (!date || !seq) return std::nullopt;
  FilePeriod p = tier_file_period(tier, to_ms(*date));
  p.sequence = *seq;
  return p;
}

}  // namespace zzping::native::layout
