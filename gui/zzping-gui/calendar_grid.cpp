// SPDX-License-Identifier: GPL-3.0-or-later
#include "calendar_grid.hpp"

#include <algorithm>

namespace zzping::gui {

namespace {

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kDayMs = 24 * kHourMs;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

struct Place {
  std::int64_t day;
  int hour;
};

Place place(std::int64_t t_ms, const UtcOffset& offset) {
  const std::int64_t local = t_ms + (offset ? std::int64_t{offset(t_ms)} * 1000 : 0);
  const std::int64_t day = floor_div(local, kDayMs);
  return {day, static_cast<int>((local - day * kDayMs) / kHourMs)};
}

}  // namespace

CalendarGrid::CalendarGrid(const std::vector<HourCell>& hours, CalendarMetric metric, const UtcOffset& offset) {
  if (hours.empty()) return;
  std::int64_t first = INT64_MAX, last = INT64_MIN;
  for (const HourCell& h : hours) {
    const Place p = place(h.t_ms, offset);
    first = std::min(first, p.day);
    last = std::max(last, p.day);
  }
  first_day_ = first;
  days_ = static_cast<int>(last - first + 1);
  values_.assign(static_cast<std::size_t>(days_) * 24, std::nullopt);
  starts_.assign(values_.size(), std::nullopt);
  for (const HourCell& h : hours) {
    const Place p = place(h.t_ms, offset);
    const std::optional<double> v = metric == CalendarMetric::kLossPct ? std::optional<double>(h.loss_pct) : h.p95_ms;
    const std::size_t i = index(static_cast<int>(p.day - first), p.hour);
    starts_[i] = h.t_ms;
    if (!v) continue;
    // Two buckets in one cell (the hour repeated when DST ends): the worse one shows.
    values_[i] = std::max(values_[i].value_or(*v), *v);
    min_ = any_ ? std::min(min_, *v) : *v;
    max_ = any_ ? std::max(max_, *v) : *v;
    any_ = true;
  }
}

std::optional<double> CalendarGrid::value(int day, int hour) const {
  if (day < 0 || day >= days_ || hour < 0 || hour > 23) return std::nullopt;
  return values_[index(day, hour)];
}

std::optional<std::int64_t> CalendarGrid::start(int day, int hour) const {
  if (day < 0 || day >= days_ || hour < 0 || hour > 23) return std::nullopt;
  return starts_[index(day, hour)];
}

}  // namespace zzping::gui
