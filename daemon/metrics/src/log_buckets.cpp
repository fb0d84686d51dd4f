// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/metrics/log_buckets.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace zzping::metrics {
namespace {

// Smallest 6-significant-digit decimal >= value (value > 0).
double round_up_6_digits(double value) {
  const double scale = std::pow(10.0, 5.0 - std::floor(std::log10(value)));
  double rounded = std::ceil(value * scale) / scale;
  while (rounded < value) rounded = std::nextafter(rounded, INFINITY);
  return rounded;
}

double upper_edge_ns(const RttQuantiser& quantiser, std::int32_t key) {
  return std::pow(1.0 + quantiser.precision(), static_cast<double>(key));
}

}  // namespace

LogBuckets::LogBuckets(const RttQuantiser& quantiser, double lowest_s, double highest_s, unsigned per_decade)
    : quantiser_(quantiser) {
  if (!(lowest_s > 0 && highest_s >= lowest_s && per_decade > 0)) {
    throw std::invalid_argument("LogBuckets: need 0 < lowest <= highest and per_decade > 0");
  }
  const double log_gamma = std::log1p(quantiser.precision());
  const double decades = std::log10(highest_s / lowest_s);
  const auto steps = static_cast<unsigned>(std::lround(decades * per_decade));
  for (unsigned i = 0; i <= steps; ++i) {
    const double nominal_ns = lowest_s * 1e9 * std::pow(10.0, static_cast<double>(i) / per_decade);
    const auto key = static_cast<std::int32_t>(std::ceil(std::log(nominal_ns) / log_gamma - 1e-9));
    if (!upper_keys_.empty() && key <= upper_keys_.back()) continue;  // coarse bins: merged
    upper_keys_.push_back(key);
    upper_bounds_s_.push_back(round_up_6_digits(upper_edge_ns(quantiser, key) / 1e9));
  }
}

std::size_t LogBuckets::bucket_of(const RttQuantiser& quantiser, std::int32_t key) const {
  if (quantiser == quantiser_) {
    return static_cast<std::size_t>(std::lower_bound(upper_keys_.begin(), upper_keys_.end(), key) -
                                    upper_keys_.begin());
  }
  const double edge_s = key <= 0 ? 0.0 : upper_edge_ns(quantiser, key) / 1e9;
  return static_cast<std::size_t>(
      std::lower_bound(upper_bounds_s_.begin(), upper_bounds_s_.end(), edge_s) - upper_bounds_s_.begin());
}

double LogBuckets::accumulate(const RttHistogram& histogram, std::span<std::uint64_t> per_bucket) const {
  double sum_s = 0;
  for (const HistogramBin& bin : histogram.bins()) {
    const std::size_t bucket = bucket_of(histogram.quantiser(), bin.key);
    if (bucket < per_bucket.size()) per_bucket[bucket] += bin.count;
    sum_s += static_cast<double>(bin.count) * histogram.quantiser().value_of(bin.key) / 1e9;
  }
  return sum_s;
}

std::vector<std::uint64_t> cumulative(std::span<const std::uint64_t> per_bucket) {
  std::vector<std::uint64_t> out(per_bucket.size());
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < per_bucket.size(); ++i) {
    running += per_bucket[i];
    out[i] = running;
  }
  return out;
}

}  // namespace zzping::metrics
