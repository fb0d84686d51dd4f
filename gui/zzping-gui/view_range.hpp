// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The zoom and pan maths of the shared time axis, Qt-free (tests/gui/view_range_test.cpp):
// PlotPanel only applies what these return.
#include <cstdint>
#include <optional>
#include <vector>

#include "zzping/common/view/level.hpp"

namespace zzping::gui {

inline constexpr std::int64_t kMinViewSpanMs = 100;                      // one raw frame
inline constexpr std::int64_t kMaxViewSpanMs = 20LL * 366 * 86'400'000;  // 20 years

// `range` with its span clamped to [kMinViewSpanMs, kMaxViewSpanMs] around its middle.
view::TimeRange clamp_view(view::TimeRange range);
// Scaled by `factor` (< 1 zooms in) around `center_ms` (default: the middle); the point
// under the cursor stays where it is.
view::TimeRange zoom_view(view::TimeRange range, double factor, std::optional<std::int64_t> center_ms = {});
// Moved by `fraction` of its span (positive: later).
view::TimeRange pan_view(view::TimeRange range, double fraction);
// The same span ending at `newest_ms` (live mode following the newest frame).
view::TimeRange follow_view(view::TimeRange range, std::int64_t newest_ms);
// The union of the extents given (empty ones skipped); empty when all are.
std::optional<view::TimeRange> union_of(const std::vector<std::optional<view::TimeRange>>& extents);

}  // namespace zzping::gui
