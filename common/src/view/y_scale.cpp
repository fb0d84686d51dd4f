// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/y_scale.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace zzping::view {

void YScale::set_semi_log(int factor) {
  mode_ = YMode::kSemiLog;
  scale_factor_ = std::clamp(factor, 0, kMaxScaleFactor);
}

void YScale::set_fixed(double lo_ms, double hi_ms) {
  if (!(std::isfinite(lo_ms) && std::isfinite(hi_ms) && lo_ms >= 0.0 && lo_ms < hi_ms)) {
    throw std::invalid_argument("fixed Y range needs 0 <= low < high (ms)");
  }
  mode_ = YMode::kFixed;
  fixed_lo_ms_ = lo_ms;
  fixed_hi_ms_ = hi_ms;
}

double YScale::knee_ms() const {
  // 10^3 .. 10^-2 ms over the slider's range.
  return std::pow(10.0, 3.0 - 5.0 * scale_factor_ / kMaxScaleFactor);
}

double YScale::forward(double ms) const {
  if (mode_ != YMode::kSemiLog) return ms;
  return std::log1p(std::max(ms, 0.0) / knee_ms());
}

double YScale::inverse(double axis) const {
  if (mode_ != YMode::kSemiLog) return axis;
  return std::expm1(axis) * knee_ms();
}

double robust_top_ms(const PlotSeries& visible) {
  double top = 0.0;
  std::vector<double> maxima;
  maxima.reserve(visible.x_s.size());
  for (std::size_t i = 0; i < visible.x_s.size(); ++i) {
    const double p87 = visible.rtt_ms[kP87][i];
    const double p100 = visible.rtt_ms[kP100][i];
    if (!std::isnan(p87)) top = std::max(top, p87);
    if (!std::isnan(p100)) maxima.push_back(p100);
  }
  if (!maxima.empty()) {
    const auto k = static_cast<std::size_t>(0.95 * static_cast<double>(maxima.size() - 1));
    std::nth_element(maxima.begin(), maxima.begin() + static_cast<std::ptrdiff_t>(k), maxima.end());
    top = std::max(top, maxima[k]);
  }
  return top > 0.0 ? top * 1.1 : 1.0;
}

YRange YScale::axis_range(const PlotSeries& visible) const {
  if (mode_ == YMode::kFixed) return {fixed_lo_ms_, fixed_hi_ms_};
  return {forward(0.0), forward(robust_top_ms(visible))};
}

namespace {
// Multiples of a 1-2-5 step: the usual ticks of a linear axis.
std::vector<double> linear_ticks(double lo, double hi, int max_ticks) {
  std::vector<double> ticks;
  const double raw_step = (hi - lo) / std::max(max_ticks, 1);
  if (!(raw_step > 0.0) || !std::isfinite(raw_step)) return ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw_step)));
  double step = 10.0 * magnitude;
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * magnitude >= raw_step) {
      step = m * magnitude;
      break;
    }
  }
  for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push_back(v);
  return ticks;
}
}  // namespace

std::vector<double> YScale::ticks_ms(YRange axis, int max_ticks) const {
  if (mode_ != YMode::kSemiLog) return linear_ticks(axis.lo, axis.hi, max_ticks);
  const double lo_ms = inverse(axis.lo);
  const double hi_ms = inverse(axis.hi);
  const double min_gap = (axis.hi - axis.lo) / std::max(max_ticks, 2);
  std::vector<double> ticks;
  if (!(hi_ms > lo_ms) || !(min_gap > 0.0)) return ticks;
  // Candidates 1, 2, 5 x 10^k from well below the range up to its top; keep each one
  // that lands far enough (on the axis) from the previous kept tick.
  const double start_exp = std::floor(std::log10(std::max(hi_ms, 1e-9))) - 6.0;
  double last_axis = -1e300;
  if (lo_ms <= 0.0) {
    ticks.push_back(0.0);
    last_axis = forward(0.0);
  }
  for (double e = start_exp; e <= start_exp + 12.0; e += 1.0) {
    for (double m : {1.0, 2.0, 5.0}) {
      const double v = m * std::pow(10.0, e);
      if (v < lo_ms || v > hi_ms) continue;
      const double a = forward(v);
      if (a - last_axis < min_gap) continue;
      ticks.push_back(v);
      last_axis = a;
    }
  }
  return ticks;
}

}  // namespace zzping::view
