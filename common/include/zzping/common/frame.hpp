// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The frame: statistics of one host over one interval, the unit everything exchanges.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zzping/common/rtt_histogram.hpp"

namespace zzping {

// Jitter kept mergeably: the sum of |RTT(i) - RTT(i-1)| over pairs of consecutive probes of
// a host (in send order, both answered), each pair counted in the frame of its later probe
// (docs/summary.md, "Jitter"). Sums and pair counts add, so the jitter of any span is exact.
struct JitterSum {
  std::uint64_t sum_ns = 0;  // sum of |delta RTT|, in ns (the RTTs themselves, not their bins)
  std::uint32_t pairs = 0;
  // Mean |delta RTT| in microseconds; empty when there is no pair.
  std::optional<double> mean_us() const {
    if (pairs == 0) return std::nullopt;
    return static_cast<double>(sum_ns) / 1000.0 / pairs;
  }
  JitterSum& operator+=(const JitterSum& o) {
    sum_ns += o.sum_ns;
    pairs += o.pairs;
    return *this;
  }
  friend bool operator==(const JitterSum&, const JitterSum&) = default;
};

// A probe counted in a frame is a probe SENT during [t_ms, t_ms + length_ms).
// For frames from zzpingd: sent == recv + lost (once final); dup, late and icmp_errors
// are extra observations about those probes. Imported zzping 0.2 frames carry other
// semantics (see docs/formats.md, "Imported data").
struct Frame {
  std::int64_t t_ms = 0;          // frame start, ms since the Unix epoch, UTC
  std::uint32_t length_ms = 100;  // frame length (100 for raw frames, 1000 for the 1 s tier...)
  std::uint32_t sent = 0;
  std::uint32_t recv = 0;         // replies counted (== rtt.count() for zzpingd frames)
  std::uint32_t lost = 0;         // timed out
  std::uint32_t dup = 0;          // duplicate replies
  std::uint32_t late = 0;         // replies after the timeout (their probe is also in `lost`)
  std::uint32_t icmp_errors = 0;  // ICMP unreachable / TTL exceeded quoting our probes
  std::uint32_t inflight = 0;     // probes unanswered when the frame interval ended
  // Absent (nullopt) when the source did not measure jitter (zzping 0.2 data, files of
  // format 1.0): "unknown", which is not "no pair" ({0, 0}).
  std::optional<JitterSum> jitter = std::nullopt;
  RttHistogram rtt;

  friend bool operator==(const Frame&, const Frame&) = default;
};

// Merges `src` into `dst` (aggregation to a coarser level): counts add, histograms merge,
// inflight takes the maximum, the span grows to cover both frames. Jitter sums add; the
// result is absent only when both are absent (a mix keeps the measured part).
void merge_into(Frame& dst, const Frame& src);

// A loss burst (two or more consecutive lost probes) or an outage.
struct LossEvent {
  std::int64_t start_ms = 0;  // send time of the first lost probe
  std::int64_t end_ms = 0;    // send time of the last lost probe
  std::uint32_t probes_lost = 0;
  friend bool operator==(const LossEvent&, const LossEvent&) = default;
};

}  // namespace zzping
