// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The summary of a span from the buckets a view holds (the GUI's Summary dock), with the
// same SpanAccumulator as `zzping-dump --summary` (docs/summary.md).
//
// Buckets are merged frames, so every count (sent, recv, lost), the covered time, the
// jitter (exact sums), the loss bursts (recorded events) and the availability equal those
// of the raw frames whose start is in the span, whatever level the buckets come from, as
// long as no bucket straddles an end of the span (a bucket counts when its start is in it,
// as a frame does). Buckets keep no histogram: the RTT quantiles of a span (and so the MOS
// estimate, which needs the p50) cannot be rebuilt from them and are left empty here.
#include <cstdint>
#include <span>
#include <string>

#include "zzping/common/frame.hpp"
#include "zzping/common/span_summary.hpp"
#include "zzping/common/view/bucket.hpp"
#include "zzping/common/view/level.hpp"

namespace zzping::view {

// The frame a bucket stands for: counts and jitter, no histogram.
Frame frame_of(const BucketSummary& bucket);

struct BucketSpanSummary {
  SpanSummary summary;
  std::size_t buckets = 0;  // buckets counted (start in the span)
  // Buckets that start in the span but end after it (their whole content was counted).
  std::size_t straddling = 0;
};

// `recording`: whether the buckets' source recorded every loss burst in `recorded_events`
// (the daemon's stream); otherwise a span with lost probes has no loss_bursts/availability.
BucketSpanSummary summarize_buckets(std::string host, TimeRange range,
                                    std::span<const BucketSummary> buckets,
                                    std::span<const LossEvent> recorded_events, BurstRecording recording);

}  // namespace zzping::view
