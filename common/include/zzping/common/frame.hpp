// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The frame: statistics of one host over one interval, the unit everything exchanges.
#include <cstdint>
#include <string>
#include <vector>

#include "zzping/common/rtt_histogram.hpp"

namespace zzping {

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
  RttHistogram rtt;

  friend bool operator==(const Frame&, const Frame&) = default;
};

// Merges `src` into `dst` (aggregation to a coarser level): counts add, histograms merge,
// inflight takes the maximum, the span grows to cover both frames.
void merge_into(Frame& dst, const Frame& src);

// A loss burst (two or more consecutive lost probes) or an outage.
struct LossEvent {
  std::int64_t start_ms = 0;  // send time of the first lost probe
  std::int64_t end_ms = 0;    // send time of the last lost probe
  std::uint32_t probes_lost = 0;
  friend bool operator==(const LossEvent&, const LossEvent&) = default;
};

}  // namespace zzping
