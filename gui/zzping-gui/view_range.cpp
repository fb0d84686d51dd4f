// SPDX-License-Identifier: GPL-3.0-or-later
#include "view_range.hpp"

#include <algorithm>
#include <cmath>

namespace zzping::gui {

view::TimeRange clamp_view(view::TimeRange range) {
  const std::int64_t span = std::clamp(range.span_ms(), kMinViewSpanMs, kMaxViewSpanMs);
  const std::int64_t middle = range.begin_ms + range.span_ms() / 2;
  return {middle - span / 2, middle - span / 2 + span};
}

view::TimeRange zoom_view(view::TimeRange range, double factor, std::optional<std::int64_t> center_ms) {
  const std::int64_t c = center_ms.value_or(range.begin_ms + range.span_ms() / 2);
  const auto scale = [&](std::int64_t t) {
    return c + static_cast<std::int64_t>(std::llround(static_cast<double>(t - c) * factor));
  };
  return clamp_view({scale(range.begin_ms), scale(range.end_ms)});
}

view::TimeRange pan_view(view::TimeRange range, double fraction) {
  const auto shift = static_cast<std::int64_t>(std::llround(static_cast<double>(range.span_ms()) * fraction));
  return clamp_view({range.begin_ms + shift, range.end_ms + shift});
}

view::TimeRange follow_view(view::TimeRange range, std::int64_t newest_ms) {
  return clamp_view({newest_ms - range.span_ms(), newest_ms});
}

std::optional<view::TimeRange> union_of(const std::vector<std::optional<view::TimeRange>>& extents) {
  std::optional<view::TimeRange> all;
  for (const auto& e : extents) {
    if (!e) continue;
    all = all ? view::TimeRange{std::min(all->begin_ms, e->begin_ms), std::max(all->end_ms, e->end_ms)} : *e;
  }
  return all;
}

}  // namespace zzping::gui
