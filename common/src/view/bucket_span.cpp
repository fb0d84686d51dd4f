// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/bucket_span.hpp"

namespace zzping::view {

Frame frame_of(const BucketSummary& b) {
  Frame f;
  f.t_ms = b.t_ms;
  f.length_ms = b.length_ms;
  f.sent = b.sent;
  f.recv = b.recv;
  f.lost = b.lost;
  if (b.jitter_measured) f.jitter = JitterSum{b.jitter_sum_ns, b.jitter_pairs};
  return f;
}

BucketSpanSummary summarize_buckets(std::string host, TimeRange range,
                                    std::span<const BucketSummary> buckets,
                                    std::span<const LossEvent> recorded_events, BurstRecording recording) {
  BucketSpanSummary out;
  SpanAccumulator acc(range.begin_ms, range.end_ms, RttQuantiser{});
  for (const BucketSummary& b : buckets) {
    if (b.t_ms < range.begin_ms || b.t_ms >= range.end_ms) continue;
    acc.add(frame_of(b), recording);
    ++out.buckets;
    if (b.end_ms() > range.end_ms) ++out.straddling;
  }
  for (const LossEvent& e : recorded_events) acc.add(e);
  out.summary = acc.summarize(std::move(host));
  return out;
}

}  // namespace zzping::view
