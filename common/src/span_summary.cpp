// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/span_summary.hpp"

#include <algorithm>

namespace zzping {

double estimate_mos(double p50_rtt_ms, double jitter_ms, double loss_pct) {
  // Effective latency: the jitter buffer a call would need costs twice the jitter, plus
  // 10 ms of codec delay (PingPlotter / NetBeez simplification of ITU-T G.107).
  const double effective_ms = p50_rtt_ms + 2.0 * jitter_ms + 10.0;
  double r = effective_ms < 160.0 ? 93.2 - effective_ms / 40.0 : 93.2 - (effective_ms - 120.0) / 10.0;
  r -= 2.5 * loss_pct;
  if (r < 0.0) return 1.0;
  const double mos = 1.0 + 0.035 * r + 7e-6 * r * (r - 60.0) * (100.0 - r);
  return std::clamp(mos, 1.0, 4.5);
}

SpanAccumulator::SpanAccumulator(std::int64_t from_ms, std::int64_t to_ms, RttQuantiser quantiser)
    : from_ms_(from_ms), to_ms_(to_ms), rtt_(quantiser) {}

void SpanAccumulator::add(const Frame& frame, BurstRecording recording) {
  if (frame.t_ms < from_ms_ || frame.t_ms >= to_ms_) return;
  covered_ms_ += frame.length_ms;
  if (recording == BurstRecording::kNotRecorded) unrecorded_lost_ += frame.lost;
  sent_ += frame.sent;
  recv_ += frame.recv;
  lost_ += frame.lost;
  dup_ += frame.dup;
  late_ += frame.late;
  icmp_errors_ += frame.icmp_errors;
  rtt_.merge(frame.rtt);
  if (frame.jitter) {
    jitter_measured_ = true;
    jitter_sum_ns_ += frame.jitter->sum_ns;
    jitter_pairs_ += frame.jitter->pairs;
  }
}

void SpanAccumulator::add(const LossEvent& event) {
  const std::int64_t start = std::max(event.start_ms, from_ms_);
  const std::int64_t end = std::min(event.end_ms, to_ms_);
  if (event.end_ms < from_ms_ || event.start_ms >= to_ms_ || end < start) return;
  const std::int64_t duration = end - start;
  ++bursts_.count;
  bursts_.total_ms += duration;
  if (!bursts_.longest_start_ms || duration > bursts_.longest_ms) {
    bursts_.longest_ms = duration;
    bursts_.longest_start_ms = event.start_ms;
  }
}

void SpanAccumulator::add(const LossEvent& event, attribution::Cause cause) {
  const std::uint64_t before = bursts_.count;
  add(event);
  if (bursts_.count != before) ++bursts_.by_cause[static_cast<std::size_t>(cause)];
}

SpanSummary SpanAccumulator::summarize(std::string host) const {
  SpanSummary s;
  s.host = std::move(host);
  s.from_ms = from_ms_;
  s.to_ms = to_ms_;
  s.covered_ms = covered_ms_;
  s.sent = sent_;
  s.recv = recv_;
  s.lost = lost_;
  s.dup = dup_;
  s.late = late_;
  s.icmp_errors = icmp_errors_;
  if (s.sent > 0) s.loss_pct = 100.0 * static_cast<double>(s.lost) / static_cast<double>(s.sent);
  if (!rtt_.empty()) {
    std::array<double, 5> q{};
    for (std::size_t i = 0; i < q.size(); ++i) q[i] = rtt_.quantile_ns(kSummaryQuantiles[i]) / 1000.0;
    s.rtt_us = q;
  }
  if (jitter_measured_ && jitter_pairs_ > 0) {
    s.jitter_us = static_cast<double>(jitter_sum_ns_) / 1000.0 / static_cast<double>(jitter_pairs_);
  }
  // Measured jitter without a pair (lone replies between losses) adds no jitter delay;
  // unmeasured jitter (zzping 0.2 data) leaves the estimate undefined.
  if (s.loss_pct && s.rtt_us && jitter_measured_) {
    s.mos = estimate_mos((*s.rtt_us)[1] / 1000.0, s.jitter_us.value_or(0.0) / 1000.0, *s.loss_pct);
  } else if (s.loss_pct && s.recv == 0) {
    s.mos = 1.0;  // nothing answered: no call is possible
  }
  // A lost probe where bursts are not recorded may belong to a burst nobody wrote down:
  // count and availability are then unknown, not 0 and 100 %.
  if (unrecorded_lost_ > 0) return s;
  s.loss_bursts = bursts_;
  if (covered_ms_ > 0) {
    const std::int64_t in_bursts = std::min(bursts_.total_ms, covered_ms_);
    s.availability_pct = 100.0 * static_cast<double>(covered_ms_ - in_bursts) / static_cast<double>(covered_ms_);
  }
  return s;
}

}  // namespace zzping
