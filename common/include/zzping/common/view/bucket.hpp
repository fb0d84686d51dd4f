// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// BucketSummary: what the plots draw for one bucket (a raw frame or a merged span).
//
// Why a separate type: the pyramid keeps millions of buckets, and a Frame carries a whole
// histogram. A summary keeps the exact counts and the 7 quantiles computed once from the
// exact merged histogram, and the exact jitter sums, in 72 bytes, so redraws never touch
// histograms. (The quantiles of a span of buckets cannot be rebuilt from these: see the
// Summary dock in docs/gui.md.)
#include <array>
#include <cstdint>
#include <optional>

#include "zzping/common/frame.hpp"

namespace zzping::view {

struct BucketSummary {
  std::int64_t t_ms = 0;       // bucket start, ms since the Unix epoch, UTC
  std::uint32_t length_ms = 0;
  std::uint32_t sent = 0;
  std::uint32_t recv = 0;
  std::uint32_t lost = 0;
  // p0, p12.5, p25, p50, p75, p87.5, p100 in µs; NaN when the bucket holds no RTT sample.
  std::array<float, 7> rtt_us{};
  // Jitter sums (docs/summary.md): exact, they add across buckets. `jitter_measured` is
  // false for data that never measured pairs (zzping 0.2, native 1.0): absent, not zero.
  std::uint64_t jitter_sum_ns = 0;
  std::uint32_t jitter_pairs = 0;
  bool jitter_measured = false;

  std::int64_t end_ms() const { return t_ms + length_ms; }
  bool has_rtt() const;
  // Lost probes as a percentage of the probes the bucket accounts for. zzpingd frames know
  // `sent`; imported zzping 0.2 frames do not (sent == 0), so recv + lost stands in.
  double loss_percent() const;
  // Mean |delta RTT| in µs; empty when not measured or without a pair.
  std::optional<double> jitter_us() const;
};

// Index names into BucketSummary::rtt_us.
enum QuantileIndex : std::size_t { kP0 = 0, kP12 = 1, kP25 = 2, kP50 = 3, kP75 = 4, kP87 = 5, kP100 = 6 };

BucketSummary summarize(const Frame& frame);

}  // namespace zzping::view
