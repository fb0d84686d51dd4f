// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// YScale: how RTT values map to the latency plot's vertical axis.
//
// Linear, semi-logarithmic, or a fixed range. Semi-log draws T(y) = ln(1 + y / knee): near
// linear below the knee, logarithmic above it, so a 300 ms spike no longer squashes a 1 ms
// baseline. The "scale factor" slider (0..100, as in zzping 0.2) moves the knee from
// 1000 ms (almost linear) down to 0.01 ms (almost log).
#include <optional>
#include <span>
#include <vector>

#include "zzping/common/view/plot_series.hpp"

namespace zzping::view {

enum class YMode { kLinear, kSemiLog, kFixed };

struct YRange {
  double lo = 0.0;
  double hi = 1.0;
};

class YScale {
 public:
  static constexpr int kMaxScaleFactor = 100;

  YMode mode() const { return mode_; }
  int scale_factor() const { return scale_factor_; }
  void set_linear() { mode_ = YMode::kLinear; }
  // Clamps `factor` to 0..kMaxScaleFactor.
  void set_semi_log(int factor);
  // Throws std::invalid_argument unless 0 <= lo_ms < hi_ms (finite).
  void set_fixed(double lo_ms, double hi_ms);

  double knee_ms() const;
  // Axis coordinate of an RTT in ms (identity unless semi-log), and back.
  double forward(double ms) const;
  double inverse(double axis) const;

  // Axis range (in axis coordinates) for the visible data: the fixed range, or 0 up to
  // a robust top (see robust_top_ms).
  YRange axis_range(const PlotSeries& visible) const;
  // Tick positions as RTT values in ms, "nice" numbers spaced evenly enough on the axis.
  std::vector<double> ticks_ms(YRange axis, int max_ticks) const;

 private:
  YMode mode_ = YMode::kLinear;
  int scale_factor_ = 50;
  double fixed_lo_ms_ = 0.0;
  double fixed_hi_ms_ = 100.0;
};

// Top of the auto Y range in ms: the larger of the highest p87.5 and the 95th percentile of
// the bucket maxima, plus 10% headroom. Spikes in under 5% of the buckets' maxima cannot
// stretch the axis (the min-max band runs off the top instead; semi-log shows them whole);
// a sustained rise (more buckets, or the p87.5 band) does. 1 ms if no data.
double robust_top_ms(const PlotSeries& visible);

}  // namespace zzping::view
