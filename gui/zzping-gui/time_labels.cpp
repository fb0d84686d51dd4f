// SPDX-License-Identifier: GPL-3.0-or-later
#include "time_labels.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>

namespace zzping::gui {

namespace {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

struct Civil {
  int year, month, day, hour, minute, second, millis;
};

// The wall clock of the displayed zone at `t_ms`.
Civil civil(std::int64_t t_ms, int offset_s) {
  const std::int64_t local = t_ms + std::int64_t{offset_s} * 1000;
  const std::int64_t days = floor_div(local, kDay);
  const std::int64_t in_day = local - days * kDay;
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())), static_cast<int>(in_day / kHour),
          static_cast<int>(in_day % kHour / kMinute), static_cast<int>(in_day % kMinute / kSecond),
          static_cast<int>(in_day % kSecond)};
}

std::string date_text(const Civil& c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

// HH:mm, then seconds and as many decimals as `step_ms` needs.
std::string time_text(const Civil& c, std::int64_t step_ms) {
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%02d:%02d", c.hour, c.minute);
  if (step_ms % kMinute != 0) n += std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), ":%02d", c.second);
  if (step_ms % kSecond != 0) {
    const int digits = step_ms % 100 == 0 ? 1 : step_ms % 10 == 0 ? 2 : 3;
    const int divisor = digits == 1 ? 100 : digits == 2 ? 10 : 1;
    std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), ".%0*d", digits, c.millis / divisor);
  }
  return buf;
}

constexpr std::array<std::int64_t, 33> kSteps = {
    1,          2,          5,          10,         20,          50,          100,
    200,        500,        kSecond,    2 * kSecond, 5 * kSecond, 10 * kSecond, 15 * kSecond,
    30 * kSecond, kMinute,  2 * kMinute, 5 * kMinute, 10 * kMinute, 15 * kMinute, 30 * kMinute,
    kHour,      2 * kHour,  3 * kHour,  6 * kHour,  12 * kHour,  kDay,        2 * kDay,
    7 * kDay,   14 * kDay,  28 * kDay,  91 * kDay,  364 * kDay};

}  // namespace

std::string format_offset(int offset_s) {
  const int a = std::abs(offset_s);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset_s < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
  return buf;
}

std::string zone_label(bool utc, int offset_s) {
  return utc ? std::string("UTC") : "local, UTC" + format_offset(offset_s);
}

std::string format_time(std::int64_t t_ms, const UtcOffset& offset) {
  const Civil c = civil(t_ms, offset ? offset(t_ms) : 0);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d:%02d.%03d", date_text(c).c_str(), c.hour, c.minute, c.second,
                c.millis);
  return buf;
}

std::int64_t choose_tick_step(std::int64_t span_ms, int target_ticks) {
  const std::int64_t wanted = span_ms / std::max(target_ticks, 1);
  for (const std::int64_t step : kSteps) {
    if (step >= wanted) return step;
  }
  return kSteps.back();
}

std::vector<std::string> tick_labels(const std::vector<std::int64_t>& ticks_ms, std::int64_t step_ms,
                                     const UtcOffset& offset) {
  std::vector<std::string> labels;
  std::string previous_date;
  for (const std::int64_t t : ticks_ms) {
    const Civil c = civil(t, offset ? offset(t) : 0);
    const std::string date = date_text(c);
    if (step_ms >= kDay) {
      labels.push_back(date);
    } else if (date != previous_date) {
      labels.push_back(time_text(c, step_ms) + "\n" + date);
    } else {
      labels.push_back(time_text(c, step_ms));
    }
    previous_date = date;
  }
  return labels;
}

namespace {

// The UTC instant the displayed zone's wall clock shows `local_ms` (ms since the epoch as
// if the wall clock were UTC): the first one when the wall clock shows it twice (DST end),
// none when it skips it (DST start). Offsets within a day of it are the candidates.
std::optional<std::int64_t> wall_to_utc(std::int64_t local_ms, const UtcOffset& offset) {
  std::optional<std::int64_t> best;
  for (const std::int64_t probe : {local_ms - kDay, local_ms, local_ms + kDay}) {
    const std::int64_t u = local_ms - std::int64_t{offset(probe)} * 1000;
    if (std::int64_t{offset(u)} * 1000 == local_ms - u && (!best || u < *best)) best = u;
  }
  return best;
}

// Steps of an hour and more: round times of the wall clock, each turned into its UTC
// instant with the offset in force then, so a DST change inside the view does not shift
// the ticks after it off the round times (06:00 stays 06:00, days start at midnight).
std::vector<std::int64_t> wall_clock_ticks(std::int64_t begin_ms, std::int64_t end_ms, std::int64_t step_ms,
                                           std::int64_t origin, const UtcOffset& offset) {
  std::vector<std::int64_t> ticks;
  const std::int64_t local_begin = begin_ms + std::int64_t{offset(begin_ms)} * 1000 - kDay;  // a day early: any offset
  std::int64_t local = floor_div(local_begin - origin, step_ms) * step_ms + origin;
  for (; ticks.size() < 1000; local += step_ms) {
    const std::optional<std::int64_t> u = wall_to_utc(local, offset);
    if (!u) continue;  // a wall time the DST start skips
    if (*u > end_ms) {
      if (local - end_ms > 2 * kDay) break;  // past the end whatever the offset
      continue;
    }
    if (*u >= begin_ms && (ticks.empty() || *u > ticks.back())) ticks.push_back(*u);
  }
  return ticks;
}

}  // namespace

AxisTicks make_axis_ticks(std::int64_t begin_ms, std::int64_t end_ms, int target_ticks,
                          const UtcOffset& offset) {
  AxisTicks out;
  if (end_ms <= begin_ms) return out;
  out.step_ms = choose_tick_step(end_ms - begin_ms, target_ticks);
  // Steps of a week and longer start on a Monday (1970-01-05 was one).
  const std::int64_t origin = out.step_ms >= 7 * kDay ? 4 * kDay : 0;
  if (offset && out.step_ms >= kHour) {
    out.ticks_ms = wall_clock_ticks(begin_ms, end_ms, out.step_ms, origin, offset);
  } else {
    // Below an hour: aligned in the wall clock at the start of the view; the step divides
    // 30 min, so a DST change (whole or half hours) keeps later ticks round too.
    const std::int64_t shift = offset ? std::int64_t{offset(begin_ms)} * 1000 : 0;
    std::int64_t t = floor_div(begin_ms + shift - origin, out.step_ms) * out.step_ms + origin - shift;
    if (t < begin_ms) t += out.step_ms;
    for (; t <= end_ms && out.ticks_ms.size() < 1000; t += out.step_ms) out.ticks_ms.push_back(t);
  }
  out.labels = tick_labels(out.ticks_ms, out.step_ms, offset);
  return out;
}

}  // namespace zzping::gui
