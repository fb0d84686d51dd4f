// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The summary of one host over a span [from, to): exact counts, quantiles of the merged
// histogram (never percentiles of percentiles), jitter, a MOS estimate, loss bursts and
// availability. Definitions: docs/summary.md. Pure: the caller chooses which frames and
// events to feed (e.g. tiers for the inside of a long span, raw frames at its edges).
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "zzping/common/attribution.hpp"
#include "zzping/common/frame.hpp"
#include "zzping/common/rtt_histogram.hpp"

namespace zzping {

// The quantiles a summary shows: p0, p50, p95, p99, p100.
inline constexpr std::array<double, 5> kSummaryQuantiles = {0.0, 0.5, 0.95, 0.99, 1.0};

struct LossBurstSummary {
  std::uint64_t count = 0;
  std::int64_t total_ms = 0;    // sum of burst durations inside the span
  std::int64_t longest_ms = 0;
  std::optional<std::int64_t> longest_start_ms;  // empty when there is no burst
  // Bursts with a cause (format 1.2), by attribution::Cause; count minus their sum had none.
  std::array<std::uint64_t, 5> by_cause{};
  friend bool operator==(const LossBurstSummary&, const LossBurstSummary&) = default;
};

struct SpanSummary {
  std::string host;
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
  std::int64_t covered_ms = 0;  // total length of the frames present
  std::uint64_t sent = 0, recv = 0, lost = 0, dup = 0, late = 0, icmp_errors = 0;
  std::optional<double> loss_pct;               // lost / sent; empty when nothing was sent
  std::optional<std::array<double, 5>> rtt_us;  // kSummaryQuantiles; empty without replies
  std::optional<double> jitter_us;              // empty when not measured or no pair
  std::optional<double> mos;                    // estimate; empty when it cannot be estimated
  // Empty ("not recorded") when a lost probe of the span lies in data that does not record
  // its loss bursts (zzping 0.2 imports, tiers whose raw hours are gone): no event found
  // there says nothing. Data without loss cannot hide a burst and does not empty it.
  std::optional<LossBurstSummary> loss_bursts;
  std::optional<double> availability_pct;       // empty when nothing is covered or bursts not recorded
};

// Whether the source of a frame records its loss bursts as events (docs/summary.md).
enum class BurstRecording : std::uint8_t {
  kRecorded,     // zzpingd raw data (files, stream): every burst is an event beside the frames
  kNotRecorded,  // zzping 0.2 data, tier frames without their raw hours: bursts unknown
};

// The simplified E-model (docs/summary.md, "MOS"): an estimate in [1, 4.5].
double estimate_mos(double p50_rtt_ms, double jitter_ms, double loss_pct);

// Folds frames and loss events into one SpanSummary. Frames count when their start is in
// [from, to) (a caller feeding tier frames picks buckets that lie wholly inside); loss
// events are clipped to the span.
class SpanAccumulator {
 public:
  SpanAccumulator(std::int64_t from_ms, std::int64_t to_ms, RttQuantiser quantiser);

  // A frame whose source says whether it records its loss bursts; a frame with lost probes
  // from a source that does not empties the summary's loss_bursts and availability.
  void add(const Frame& frame, BurstRecording recording);
  void add(const LossEvent& event);
  // A burst with its cause: counted as add(event), and by cause.
  void add(const LossEvent& event, attribution::Cause cause);
  SpanSummary summarize(std::string host) const;

 private:
  std::int64_t from_ms_;
  std::int64_t to_ms_;
  // 64-bit sums: a year of frames overflows the frames' 32-bit counters.
  std::uint64_t sent_ = 0, recv_ = 0, lost_ = 0, dup_ = 0, late_ = 0, icmp_errors_ = 0;
  RttHistogram rtt_;
  bool jitter_measured_ = false;
  std::uint64_t jitter_sum_ns_ = 0;
  std::uint64_t jitter_pairs_ = 0;
  std::int64_t covered_ms_ = 0;
  LossBurstSummary bursts_;
  // Lost probes in frames whose bursts are not recorded: bursts unknown when > 0.
  std::uint64_t unrecorded_lost_ = 0;
};

}  // namespace zzping
