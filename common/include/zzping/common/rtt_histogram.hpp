// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A mergeable, log-quantised distribution of round-trip times.
//
// Why: frames must aggregate into coarser levels (1 s, 1 min, 1 h, ...) so that the
// quantiles of any span equal the quantiles of all raw samples in it, within the
// quantiser's precision. Keeping per-bin counts (not precomputed percentiles) makes the
// merge exact: merging is adding counts, in any order and any grouping.
//
// Bins: with precision p, gamma = 1 + p; a value v (nanoseconds) >= 1 falls in bin
// k = floor(ln(v) / ln(gamma)) + 1, which covers [gamma^(k-1), gamma^k). Bin 0 holds
// values below 1 ns (a zero RTT). A bin's representative value is 2*gamma^k/(gamma+1),
// so any value is represented within a relative error of (gamma-1)/(gamma+1) < p/2.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace zzping {

struct HistogramBin {
  std::int32_t key = 0;
  std::uint32_t count = 0;
  friend bool operator==(const HistogramBin&, const HistogramBin&) = default;
};

// The 7 quantiles zzping shows everywhere: p0, p12.5, p25, p50, p75, p87.5, p100.
inline constexpr std::array<double, 7> kSevenQuantiles = {0.0, 0.125, 0.25, 0.5, 0.75, 0.875, 1.0};

class RttQuantiser {
 public:
  static constexpr double kDefaultPrecision = 0.01;
  static constexpr double kMinPrecision = 0.0001;
  static constexpr double kMaxPrecision = 0.5;

  explicit RttQuantiser(double precision = kDefaultPrecision);
  double precision() const { return precision_; }
  // Largest relative error of value_of(key_of(v)) against v, for v >= 1 ns.
  double max_relative_error() const { return (gamma_ - 1.0) / (gamma_ + 1.0); }
  std::int32_t key_of(double rtt_ns) const;
  double value_of(std::int32_t key) const;  // representative value in ns
  friend bool operator==(const RttQuantiser& a, const RttQuantiser& b) {
    return a.precision_ == b.precision_;
  }

 private:
  double precision_;
  double gamma_;
  double inv_log_gamma_;
  double log_gamma_;
};

class RttHistogram {
 public:
  explicit RttHistogram(RttQuantiser quantiser = RttQuantiser{}) : quantiser_(quantiser) {}

  const RttQuantiser& quantiser() const { return quantiser_; }
  void add_ns(double rtt_ns, std::uint32_t count = 1);
  void add_us(double rtt_us, std::uint32_t count = 1) { add_ns(rtt_us * 1000.0, count); }
  void add_key(std::int32_t key, std::uint32_t count);
  // Adds all counts of `other`; throws std::invalid_argument if precisions differ.
  void merge(const RttHistogram& other);
  void clear() { bins_.clear(); total_ = 0; }
  // Room for `bins` distinct keys without reallocating (a frame's expected sample count).
  void reserve(std::size_t bins) { bins_.reserve(bins); }

  std::uint64_t count() const { return total_; }
  bool empty() const { return total_ == 0; }
  // Bins sorted by key, counts > 0.
  std::span<const HistogramBin> bins() const { return bins_; }
  // Replaces the content; bins must be sorted by strictly increasing key with counts > 0
  // (throws std::invalid_argument otherwise).
  void assign_bins(std::vector<HistogramBin> bins);

  // Quantile q in [0,1] of the samples, in ns: x = q*(n-1); the representative values of
  // the samples of rank floor(x) and ceil(x) are interpolated linearly (the same rule as
  // zzping 0.2's percentiles, so both agree within the precision). NaN when empty.
  double quantile_ns(double q) const;
  std::array<double, 7> seven_quantiles_us() const;

  friend bool operator==(const RttHistogram& a, const RttHistogram& b) {
    return a.quantiser_ == b.quantiser_ && a.bins_ == b.bins_;
  }

 private:
  double value_at_rank(std::uint64_t rank) const;
  RttQuantiser quantiser_;
  std::vector<HistogramBin> bins_;
  std::uint64_t total_ = 0;
};

}  // namespace zzping
