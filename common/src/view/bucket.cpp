// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/bucket.hpp"

#include <cmath>
#include <limits>

namespace zzping::view {

bool BucketSummary::has_rtt() const { return !std::isnan(rtt_us[kP50]); }

double BucketSummary::loss_percent() const {
  const std::uint64_t denominator =
      sent > 0 ? std::uint64_t{sent} : std::uint64_t{recv} + std::uint64_t{lost};
  if (denominator == 0) return 0.0;
  // Imported data can count more lost than sent (different windows); a percentage above
  // 100 would only distort the axis.
  const double pct = 100.0 * static_cast<double>(lost) / static_cast<double>(denominator);
  return pct > 100.0 ? 100.0 : pct;
}

std::optional<double> BucketSummary::jitter_us() const {
  if (!jitter_measured || jitter_pairs == 0) return std::nullopt;
  return JitterSum{jitter_sum_ns, jitter_pairs}.mean_us();
}

BucketSummary summarize(const Frame& frame) {
  BucketSummary s;
  s.t_ms = frame.t_ms;
  s.length_ms = frame.length_ms;
  s.sent = frame.sent;
  s.recv = frame.recv;
  s.lost = frame.lost;
  if (frame.jitter) {
    s.jitter_measured = true;
    s.jitter_sum_ns = frame.jitter->sum_ns;
    s.jitter_pairs = frame.jitter->pairs;
  }
  if (frame.rtt.empty()) {
    s.rtt_us.fill(std::numeric_limits<float>::quiet_NaN());
  } else {
    const auto q = frame.rtt.seven_quantiles_us();
    for (std::size_t i = 0; i < q.size(); ++i) s.rtt_us[i] = static_cast<float>(q[i]);
  }
  return s;
}

}  // namespace zzping::view
