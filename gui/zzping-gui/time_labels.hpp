// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Time-axis ticks and labels, and time stamps in the zone the user chose (UTC or local).
// Qt-free: the caller passes how far the displayed zone is from UTC at a given moment
// (the GUI asks Qt for the local zone's offset), so the choices are unit-tested as plain
// code (tests/gui/time_labels_test.cpp).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace zzping::gui {

// Seconds east of UTC of the displayed zone at the instant `t_ms` (0 for UTC).
using UtcOffset = std::function<int(std::int64_t t_ms)>;

// "+01:00", "-03:30", "+00:00".
std::string format_offset(int offset_s);
// The zone's name for titles and tooltips: "UTC" or "local, UTC+01:00".
std::string zone_label(bool utc, int offset_s);

// "2021-01-01 09:00:04.218" in the displayed zone (millisecond precision).
std::string format_time(std::int64_t t_ms, const UtcOffset& offset);

struct AxisTicks {
  std::int64_t step_ms = 0;
  std::vector<std::int64_t> ticks_ms;  // UTC instants, on round times of the displayed zone
  std::vector<std::string> labels;     // parallel to ticks_ms
};

// The tick step for `span_ms` with about `target_ticks` ticks: 1-2-5 steps of ms and
// seconds, then 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12 h, 1, 2, 7, 14, 28 d.
std::int64_t choose_tick_step(std::int64_t span_ms, int target_ticks);

// Ticks over [begin, end] on round times of the displayed zone, labelled adaptively: the
// time of day as precise as the step needs (HH:mm; HH:mm:ss when the step is not whole
// minutes; .s, .ss or .sss only below a second), the date under the first tick and under
// each tick whose date differs from the previous tick's; date alone for steps of days.
// Steps of an hour or more fall on round wall-clock times with the offset in force at each
// tick, so a DST change inside the view does not shift the ticks after it (a wall time the
// change skips gets no tick; one it repeats gets one, the first).
AxisTicks make_axis_ticks(std::int64_t begin_ms, std::int64_t end_ms, int target_ticks,
                          const UtcOffset& offset);
// The labels alone, for ticks chosen elsewhere (same rules).
std::vector<std::string> tick_labels(const std::vector<std::int64_t>& ticks_ms, std::int64_t step_ms,
                                     const UtcOffset& offset);

}  // namespace zzping::gui
