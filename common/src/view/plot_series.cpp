// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/plot_series.hpp"

#include <limits>

namespace zzping::view {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double seconds(std::int64_t t_ms) { return static_cast<double>(t_ms) / 1000.0; }

void push_gap(PlotSeries& s, const BucketSummary& before, const BucketSummary& after) {
  s.x_s.push_back(seconds(before.end_ms() + (after.t_ms - before.end_ms()) / 2));
  for (auto& q : s.rtt_ms) q.push_back(kNaN);
  // End the step of `before` at its own end, then break.
  s.loss_x_s.push_back(seconds(before.end_ms()));
  s.loss_pct.push_back(before.loss_percent());
  s.loss_x_s.push_back(seconds(before.end_ms()));
  s.loss_pct.push_back(kNaN);
}
}  // namespace

bool is_gap(const BucketSummary& before, const BucketSummary& after) {
  return after.t_ms - before.end_ms() > static_cast<std::int64_t>(before.length_ms);
}

PlotSeries make_plot_series(std::span<const BucketSummary> buckets) {
  PlotSeries s;
  s.x_s.reserve(buckets.size() + 8);
  for (auto& q : s.rtt_ms) q.reserve(buckets.size() + 8);
  s.loss_x_s.reserve(buckets.size() + 8);
  s.loss_pct.reserve(buckets.size() + 8);
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    const BucketSummary& b = buckets[i];
    if (i > 0 && is_gap(buckets[i - 1], b)) push_gap(s, buckets[i - 1], b);
    s.x_s.push_back(seconds(b.t_ms) + static_cast<double>(b.length_ms) / 2000.0);
    for (std::size_t q = 0; q < s.rtt_ms.size(); ++q) {
      s.rtt_ms[q].push_back(b.has_rtt() ? static_cast<double>(b.rtt_us[q]) / 1000.0 : kNaN);
    }
    s.loss_x_s.push_back(seconds(b.t_ms));
    s.loss_pct.push_back(b.loss_percent());
  }
  if (!buckets.empty()) {
    // The last step needs an end point to have a width.
    s.loss_x_s.push_back(seconds(buckets.back().end_ms()));
    s.loss_pct.push_back(buckets.back().loss_percent());
  }
  return s;
}

}  // namespace zzping::view
