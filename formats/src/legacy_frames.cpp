// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/legacy_frames.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace zzping::formats {

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

std::uint32_t saturating_sum(std::uint32_t a, std::uint32_t b) {
  const std::uint64_t s = std::uint64_t{a} + b;
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(s, UINT32_MAX));
}

// The value at quantile q of the piecewise-linear curve through the 7 percentiles.
double quantile_curve(const zzping02::Percentiles& p, double q) {
  for (std::size_t i = 1; i < kSevenQuantiles.size(); ++i) {
    if (q <= kSevenQuantiles[i] || i + 1 == kSevenQuantiles.size()) {
      const double q0 = kSevenQuantiles[i - 1];
      const double q1 = kSevenQuantiles[i];
      const double t = std::clamp((q - q0) / (q1 - q0), 0.0, 1.0);
      return static_cast<double>(p[i - 1]) +
             t * static_cast<double>(p[i] - p[i - 1]);
    }
  }
  return static_cast<double>(p.back());
}

// Makes `s` non-decreasing with the least squared change (pool adjacent violators).
void make_non_decreasing(std::vector<double>& s) {
  struct Pool {
    double sum;
    std::size_t count;
    double mean() const { return sum / static_cast<double>(count); }
  };
  std::vector<Pool> pools;
  for (const double v : s) {
    pools.push_back({v, 1});
    while (pools.size() > 1 && pools[pools.size() - 2].mean() > pools.back().mean()) {
      pools[pools.size() - 2].sum += pools.back().sum;
      pools[pools.size() - 2].count += pools.back().count;
      pools.pop_back();
    }
  }
  std::size_t i = 0;
  for (const Pool& pool : pools) {
    for (std::size_t j = 0; j < pool.count; ++j) s[i++] = pool.mean();
  }
}

// The largest relative difference between zzping 0.2's percentiles of `s` and the wanted
// ones (relative, as the quantiser's precision is), ignoring the first µs: the stored
// values were rounded to whole µs, so that much disagreement is in the data itself.
double worst_percentile_error(const std::vector<double>& s, const zzping02::Percentiles& p) {
  const double last = static_cast<double>(s.size() - 1);
  double worst = 0;
  for (std::size_t k = 0; k < kSevenQuantiles.size(); ++k) {
    const double x = kSevenQuantiles[k] * last;
    const auto lo = static_cast<std::size_t>(std::floor(x));
    const auto hi = static_cast<std::size_t>(std::ceil(x));
    const double got = s[lo] + (x - std::floor(x)) * (s[hi] - s[lo]);
    const double want = static_cast<double>(p[k]);
    worst = std::max(worst, std::max(0.0, std::abs(want - got) - 1.0) / std::max(want, 1.0));
  }
  return worst;
}

// One Kaczmarz sweep: solves each percentile's equation in turn for its two neighbouring
// samples, moving them `relaxation[k]` of the way; then restores the sort order (the
// histogram sorts, and the equations assume ranks) by pooling adjacent violators.
void kaczmarz_sweep(std::vector<double>& s, const zzping02::Percentiles& p,
                    const std::array<double, 7>& relaxation) {
  const double last = static_cast<double>(s.size() - 1);
  for (std::size_t k = 0; k < kSevenQuantiles.size(); ++k) {
    const double x = kSevenQuantiles[k] * last;
    const auto lo = static_cast<std::size_t>(std::floor(x));
    const auto hi = static_cast<std::size_t>(std::ceil(x));
    const double t = x - std::floor(x);
    const double error =
        relaxation[k] * (static_cast<double>(p[k]) - (s[lo] + t * (s[hi] - s[lo])));
    if (lo == hi) {
      s[lo] += error;
    } else {
      const double norm = (1 - t) * (1 - t) + t * t;
      s[lo] += (1 - t) * error / norm;
      s[hi] += t * error / norm;
    }
  }
  make_non_decreasing(s);
}

// Runs `sweeps` sweeps from `s`, keeping the candidate with the smallest worst error.
void improve(std::vector<double> s, const zzping02::Percentiles& p,
             const std::array<double, 7>& relaxation, int sweeps, std::vector<double>& best,
             double& best_error) {
  for (int sweep = 0; sweep < sweeps && best_error > 1e-7; ++sweep) {
    kaczmarz_sweep(s, p, relaxation);
    const double error = worst_percentile_error(s, p);
    if (error < best_error) {
      best_error = error;
      best = s;
    }
  }
}

// n sorted sample values whose zzping 0.2 percentiles (x = q*(n-1), neighbours
// interpolated) are the 7 given ones, found by projecting onto each percentile's equation
// in turn (Kaczmarz's method) from the quantile curve. The samples of real data satisfy
// all 7, so plain projections settle at once. Stored percentiles are rounded or
// LLQ-quantised, though, and may admit no exact solution; then an error of 1% on a large
// percentile can push a small sample far off, so a second pass relaxes the steps of large
// percentiles (by their size) to share the error in relative terms. The candidate with the
// smallest worst relative error, the starting curve included, is kept; the second pass
// runs only when the first leaves more than `good_enough`.
std::vector<double> synthesise_samples(const zzping02::Percentiles& p, std::uint32_t n,
                                       double good_enough) {
  std::vector<double> s(n);
  const double last = static_cast<double>(n - 1);
  for (std::uint32_t i = 0; i < n; ++i) {
    s[i] = quantile_curve(p, n == 1 ? 0.0 : static_cast<double>(i) / last);
  }
  std::vector<double> best = s;
  double best_error = worst_percentile_error(s, p);
  improve(s, p, {1, 1, 1, 1, 1, 1, 1}, 200, best, best_error);
  if (best_error > good_enough) {
    const double smallest = std::max(1.0, static_cast<double>(*std::min_element(p.begin(), p.end())));
    std::array<double, 7> relaxation{};
    for (std::size_t k = 0; k < relaxation.size(); ++k) {
      relaxation[k] = smallest / std::max(smallest, static_cast<double>(p[k]));
    }
    improve(s, p, relaxation, 3000, best, best_error);
  }
  return best;
}

bool has_percentiles(const zzping02::FdqFrame& frame) {
  return frame.recv_us_len > 0 &&
         std::none_of(frame.recv_us.begin(), frame.recv_us.end(),
                      [](std::int64_t v) { return v < 0; });
}

}  // namespace

Frame native_from_framedata(const zzping02::LegacyFrame& frame, const RttQuantiser& quantiser) {
  Frame out;
  out.rtt = RttHistogram(quantiser);
  out.t_ms = floor_div(frame.ts_us, 1000);
  out.length_ms = kLegacyFrameMs;
  for (const std::uint32_t us : frame.recv_us) out.rtt.add_us(static_cast<double>(us));
  out.recv = static_cast<std::uint32_t>(frame.recv_us.size());
  out.lost = frame.lost_packets;
  out.sent = saturating_sum(out.recv, out.lost);
  out.inflight = frame.inflight;
  return out;
}

Frame native_from_fdq(const zzping02::FdqFrame& frame, const RttQuantiser& quantiser) {
  Frame out;
  out.rtt = RttHistogram(quantiser);
  out.t_ms = frame.timestamp_ms;
  out.length_ms = kLegacyFrameMs;
  out.lost = frame.lost_packets;
  out.inflight = frame.inflight;
  if (has_percentiles(frame)) {
    const std::uint32_t n = frame.recv_us_len;
    if (n <= kMaxSynthesisedSamples) {
      for (const double us : synthesise_samples(frame.recv_us, n, quantiser.precision() / 10)) out.rtt.add_us(us);
    } else {
      const std::uint32_t points = kMaxSynthesisedSamples;
      for (std::uint32_t i = 0; i < points; ++i) {
        // Point i stands for the samples of ranks [i*n/points, (i+1)*n/points).
        const auto first = static_cast<std::uint32_t>(std::uint64_t{i} * n / points);
        const auto next = static_cast<std::uint32_t>(std::uint64_t{i + 1} * n / points);
        const double q = static_cast<double>(i) / (points - 1);
        out.rtt.add_us(quantile_curve(frame.recv_us, q), next - first);
      }
    }
    out.recv = n;
  }
  out.sent = saturating_sum(out.recv, out.lost);
  return out;
}

zzping02::FdqFrame fdq_from_native(const Frame& frame) {
  zzping02::FdqFrame out;
  out.timestamp_ms = frame.t_ms;
  out.inflight = frame.inflight;
  out.lost_packets = frame.lost;
  const std::uint64_t samples = frame.rtt.count();
  out.recv_us_len = static_cast<std::uint32_t>(std::min<std::uint64_t>(samples, UINT32_MAX));
  if (samples > 0) {
    const auto q = frame.rtt.seven_quantiles_us();
    for (std::size_t i = 0; i < q.size(); ++i) out.recv_us[i] = std::llround(q[i]);
  } else {
    out.recv_us = zzping02::kNoPercentiles;
  }
  return out;
}

}  // namespace zzping::formats
