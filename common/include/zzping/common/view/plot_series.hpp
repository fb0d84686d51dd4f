// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// PlotSeries: the exact arrays a latency/loss plot draws for a run of buckets.
//
// Kept out of the widget so tests can check what is plotted without a screen: where the
// gaps are, which values the bands take, what the loss steps are.
#include <array>
#include <span>
#include <vector>

#include "zzping/common/view/bucket.hpp"

namespace zzping::view {

struct PlotSeries {
  // Latency: one point per bucket at its centre (seconds since the Unix epoch); the 7
  // quantiles in ms. A NaN point between two buckets marks a gap in the data.
  std::vector<double> x_s;
  std::array<std::vector<double>, 7> rtt_ms;
  // Loss: a step curve (value holds from x until the next x), in percent; NaN in gaps.
  std::vector<double> loss_x_s;
  std::vector<double> loss_pct;
};

// Two neighbouring buckets with more than one bucket length of missing time between them
// are a gap, drawn as a break, never as a line across.
bool is_gap(const BucketSummary& before, const BucketSummary& after);

PlotSeries make_plot_series(std::span<const BucketSummary> buckets);

}  // namespace zzping::view
