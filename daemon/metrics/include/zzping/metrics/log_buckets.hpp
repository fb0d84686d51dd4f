// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Histogram buckets for RTT-like durations, log-spaced (`per_decade` per factor of 10)
// from `lowest_s` to `highest_s`, whose bounds are edges of the quantiser's bins.
//
// Why bin edges: a frame keeps counts per bin ([gamma^(k-1), gamma^k) ns), not samples. A
// bucket bound that falls inside a bin would split samples we no longer have; a bound on
// an edge counts every bin exactly (each bin lies wholly below or above it). Each nominal
// bound (e.g. 100 µs * 10^(i/4)) moves up to the next edge (< 1 precision step), then up to 6 significant digits
// so the printed `le` is never below the edge.
#include <cstdint>
#include <span>
#include <vector>

#include "zzping/common/rtt_histogram.hpp"

namespace zzping::metrics {

class LogBuckets {
 public:
  LogBuckets(const RttQuantiser& quantiser, double lowest_s, double highest_s, unsigned per_decade);

  // Upper bounds in seconds, strictly increasing (the +Inf bucket is implied).
  std::span<const double> upper_bounds() const { return upper_bounds_s_; }
  // Index of the bucket holding bin `key` of `quantiser` (== upper_bounds().size() for
  // the +Inf bucket only). Exact for the quantiser the buckets were made for; for another
  // one, a bin goes to the first bucket at or above its upper edge.
  std::size_t bucket_of(const RttQuantiser& quantiser, std::int32_t key) const;

  // Adds `histogram` (values in ns) to per-bucket counts (not cumulative; one more entry
  // than bounds, for +Inf) and returns the sum of the bins' representative values in s.
  double accumulate(const RttHistogram& histogram, std::span<std::uint64_t> per_bucket) const;

 private:
  RttQuantiser quantiser_;
  std::vector<double> upper_bounds_s_;
  std::vector<std::int32_t> upper_keys_;  // bucket i holds the bins with key <= upper_keys_[i]
};

// Per-bucket counts -> cumulative counts (what the exposition formats want).
std::vector<std::uint64_t> cumulative(std::span<const std::uint64_t> per_bucket);

}  // namespace zzping::metrics
