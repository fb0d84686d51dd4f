// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/rtt_histogram.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace zzping {

namespace {
// Keys beyond this cover values far past any RTT (gamma^kMaxKey ns); clamping keeps the
// arithmetic finite for absurd inputs.
constexpr std::int32_t kMaxKey = 1'000'000;
}  // namespace

RttQuantiser::RttQuantiser(double precision) : precision_(precision) {
  if (!(precision >= kMinPrecision && precision <= kMaxPrecision)) {
    throw std::invalid_argument("RTT quantiser precision must be within [" +
                                std::to_string(kMinPrecision) + ", " +
                                std::to_string(kMaxPrecision) + "], got " +
                                std::to_string(precision));
  }
  gamma_ = 1.0 + precision;
  log_gamma_ = std::log1p(precision);
  inv_log_gamma_ = 1.0 / log_gamma_;
}

std::int32_t RttQuantiser::key_of(double rtt_ns) const {
  if (!(rtt_ns >= 1.0)) return 0;  // also catches NaN
  const double k = std::floor(std::log(rtt_ns) * inv_log_gamma_) + 1.0;
  return static_cast<std::int32_t>(std::min(k, static_cast<double>(kMaxKey)));
}

double RttQuantiser::value_of(std::int32_t key) const {
  if (key <= 0) return 0.0;
  return 2.0 * std::exp(static_cast<double>(key) * log_gamma_) / (gamma_ + 1.0);
}

void RttHistogram::add_ns(double rtt_ns, std::uint32_t count) {
  add_key(quantiser_.key_of(rtt_ns), count);
}

void RttHistogram::add_key(std::int32_t key, std::uint32_t count) {
  if (count == 0) return;
  auto it = std::lower_bound(bins_.begin(), bins_.end(), key,
                             [](const HistogramBin& b, std::int32_t k) { return b.key < k; });
  if (it != bins_.end() && it->key == key) {
    it->count += count;
  } else {
    bins_.insert(it, HistogramBin{key, count});
  }
  total_ += count;
}

void RttHistogram::merge(const RttHistogram& other) {
  if (!(other.quantiser_ == quantiser_)) {
    throw std::invalid_argument("cannot merge RTT histograms of different precision (" +
                                std::to_string(quantiser_.precision()) + " vs " +
                                std::to_string(other.quantiser_.precision()) + ")");
  }
  if (other.bins_.empty()) return;
  if (bins_.empty()) {
    bins_ = other.bins_;
    total_ = other.total_;
    return;
  }
  // In place, from the back: no allocation once the vector has grown to its working size
  // (the daemon's tier buckets merge every raw frame into the same histogram).
  const std::size_t n = bins_.size();
  bins_.resize(n + other.bins_.size());
  std::size_t a = n;                    // bins_[0, a) not yet merged
  std::size_t b = other.bins_.size();   // other.bins_[0, b) not yet merged
  std::size_t out = bins_.size();       // bins_[out, end) merged
  while (b > 0) {
    if (a > 0 && bins_[a - 1].key > other.bins_[b - 1].key) {
      bins_[--out] = bins_[--a];
    } else if (a > 0 && bins_[a - 1].key == other.bins_[b - 1].key) {
      --a;
      bins_[--out] = HistogramBin{bins_[a].key, bins_[a].count + other.bins_[--b].count};
    } else {
      bins_[--out] = other.bins_[--b];
    }
  }
  // bins_[0, a) is in place; shared keys left a gap of (out - a) slots before the rest.
  if (out > a) {
    std::move(bins_.begin() + static_cast<std::ptrdiff_t>(out), bins_.end(),
              bins_.begin() + static_cast<std::ptrdiff_t>(a));
    bins_.resize(bins_.size() - (out - a));
  }
  total_ += other.total_;
}

void RttHistogram::assign_bins(std::vector<HistogramBin> bins) {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < bins.size(); ++i) {
    if (bins[i].count == 0) throw std::invalid_argument("histogram bin with zero count");
    if (i > 0 && bins[i].key <= bins[i - 1].key) {
      throw std::invalid_argument("histogram bins not strictly increasing");
    }
    total += bins[i].count;
  }
  bins_ = std::move(bins);
  total_ = total;
}

double RttHistogram::value_at_rank(std::uint64_t rank) const {
  std::uint64_t seen = 0;
  for (const auto& bin : bins_) {
    seen += bin.count;
    if (rank < seen) return quantiser_.value_of(bin.key);
  }
  return quantiser_.value_of(bins_.back().key);
}

double RttHistogram::quantile_ns(double q) const {
  if (total_ == 0) return std::numeric_limits<double>::quiet_NaN();
  q = std::clamp(q, 0.0, 1.0);
  const double x = q * static_cast<double>(total_ - 1);
  const auto lo = static_cast<std::uint64_t>(std::floor(x));
  const auto hi = static_cast<std::uint64_t>(std::ceil(x));
  const double v_lo = value_at_rank(lo);
  if (hi == lo) return v_lo;
  const double v_hi = value_at_rank(hi);
  return v_lo + (x - static_cast<double>(lo)) * (v_hi - v_lo);
}

std::array<double, 7> RttHistogram::seven_quantiles_us() const {
  std::array<double, 7> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = quantile_ns(kSevenQuantiles[i]) / 1000.0;
  return out;
}

}  // namespace zzping
