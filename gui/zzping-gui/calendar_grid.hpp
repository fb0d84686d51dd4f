// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The calendar heatmap's grid (hour of day x day), Qt-free (tests/gui/calendar_grid_test.cpp):
// one cell per hour bucket, placed by the wall clock of the zone shown, coloured by loss %
// or p95 RTT. For long spans: "when in the day does it go wrong?"
#include <cstdint>
#include <optional>
#include <vector>

#include "time_labels.hpp"

namespace zzping::gui {

enum class CalendarMetric : int { kLossPct = 0, kP95Ms = 1 };

// One hour bucket: its start (UTC ms) and its figures.
struct HourCell {
  std::int64_t t_ms = 0;
  double loss_pct = 0.0;
  std::optional<double> p95_ms;  // empty: no reply, or not known for this source
};

class CalendarGrid {
 public:
  CalendarGrid() = default;
  // `hours` in any order; each goes to the cell of its start's wall-clock day and hour.
  CalendarGrid(const std::vector<HourCell>& hours, CalendarMetric metric, const UtcOffset& offset);

  int days() const { return days_; }
  // The day of column 0, as days since 1970-01-01 in the zone shown.
  std::int64_t first_day() const { return first_day_; }
  // The value of a cell (empty: no data there).
  std::optional<double> value(int day, int hour) const;
  // The start (UTC ms) of the hour bucket in a cell, to zoom to.
  std::optional<std::int64_t> start(int day, int hour) const;
  double max_value() const { return max_; }
  double min_value() const { return min_; }

 private:
  std::size_t index(int day, int hour) const { return static_cast<std::size_t>(day) * 24 + static_cast<std::size_t>(hour); }
  int days_ = 0;
  std::int64_t first_day_ = 0;
  std::vector<std::optional<double>> values_;
  std::vector<std::optional<std::int64_t>> starts_;
  double max_ = 0.0;
  double min_ = 0.0;
  bool any_ = false;
};

}  // namespace zzping::gui
