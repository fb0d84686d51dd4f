// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/frame_aggregator.hpp"

#include <algorithm>
#include <stdexcept>

namespace zzping::daemon {
namespace {
constexpr std::int64_t kNsPerMs = 1'000'000;
}

FrameAggregator::FrameAggregator(AggregatorSettings settings) : settings_(settings) {
  if (settings_.frame_ms == 0) throw std::invalid_argument("frame length must be > 0");
  if (settings_.timeout_ns <= 0) throw std::invalid_argument("timeout must be > 0");
}

std::uint64_t FrameAggregator::on_sent(std::int64_t send_mono_ns, std::int64_t send_wall_ns) {
  const std::int64_t frame_ns = static_cast<std::int64_t>(settings_.frame_ms) * kNsPerMs;
  // A wall clock stepping back must not reopen final frames: keep labelling the newest.
  const std::int64_t index = std::max(current_frame_, send_wall_ns / frame_ns);
  end_frames_before(index);
  current_frame_ = index;

  OpenFrame& frame = open_frame(index);
  ++frame.frame.sent;
  ++frame.pending;
  ++in_flight_;
  probes_.push_back(Probe{send_mono_ns, send_wall_ns / kNsPerMs, index, ProbeState::pending, 0});
  return next_counter_++;
}

ReplyVerdict FrameAggregator::on_reply(std::uint64_t counter, std::int64_t receive_mono_ns) {
  Probe* probe = find_probe(counter);
  if (probe == nullptr) return ReplyVerdict::unknown;
  if (probe->state == ProbeState::answered) {
    count_extra(probe->frame_index, &Extras::dup);
    return ReplyVerdict::duplicate;
  }
  const std::int64_t rtt_ns = receive_mono_ns - probe->send_mono_ns;
  if (probe->state == ProbeState::lost || rtt_ns >= settings_.timeout_ns) {
    // Past the timeout: the probe is lost (now, or at the next advance, in send order).
    count_extra(probe->frame_index, &Extras::late);
    return ReplyVerdict::late;
  }
  probe->state = ProbeState::answered;
  probe->rtt_ns = std::max<std::int64_t>(rtt_ns, 0);
  --in_flight_;
  last_reply_mono_ns_ = std::max(last_reply_mono_ns_, receive_mono_ns);
  OpenFrame* frame = find_frame(probe->frame_index);
  // The frame is open: it cannot be final while this probe was pending.
  ++frame->frame.recv;
  --frame->pending;
  frame->frame.rtt.add_ns(static_cast<double>(probe->rtt_ns));
  count_jitter_pairs_of(counter);
  return ReplyVerdict::counted;
}

void FrameAggregator::count_jitter_pairs_of(std::uint64_t counter) {
  // Replies may arrive out of send order, so the probe just answered may complete a pair
  // with either neighbour; each pair is counted once, by whichever reply comes second.
  const Probe& probe = *find_probe(counter);
  if (counter > 0) {
    const Probe* earlier = find_probe(counter - 1);
    if (earlier != nullptr && earlier->state == ProbeState::answered) count_pair(*earlier, probe);
  }
  const Probe* later = find_probe(counter + 1);
  if (later != nullptr && later->state == ProbeState::answered) count_pair(probe, *later);
}

void FrameAggregator::count_pair(const Probe& earlier, const Probe& later) {
  // The later probe's frame is open: this reply's probe is in it or in an earlier frame
  // (still open while it was pending), and frames become final in order.
  OpenFrame* frame = find_frame(later.frame_index);
  if (frame == nullptr) return;
  const std::int64_t delta = later.rtt_ns - earlier.rtt_ns;
  // Kept to the microsecond (within 0.5 us per pair, far below the path's timestamp
  // noise): whole microseconds cost the file about 10 bits per frame less than ns.
  const std::int64_t magnitude_us = ((delta < 0 ? -delta : delta) + 500) / 1000;
  JitterSum& jitter = *frame->frame.jitter;
  jitter.sum_ns += static_cast<std::uint64_t>(magnitude_us) * 1000;
  ++jitter.pairs;
}

bool FrameAggregator::on_icmp_error(std::uint64_t counter) {
  Probe* probe = find_probe(counter);
  if (probe == nullptr) return false;
  count_extra(probe->frame_index, &Extras::icmp_errors);
  return true;
}

void FrameAggregator::advance(std::int64_t now_mono_ns, std::int64_t now_wall_ns,
                              AggregatorOutput& out) {
  const std::int64_t frame_ns = static_cast<std::int64_t>(settings_.frame_ms) * kNsPerMs;
  const std::int64_t wall_index = now_wall_ns / frame_ns;
  if (wall_index > current_frame_) {
    end_frames_before(wall_index);
    current_frame_ = wall_index;
  }
  resolve_in_order(now_mono_ns, out);
  // Final one timeout after the interval's end: every probe of it is resolved by then, and
  // duplicates arriving within the timeout still land in their own frame.
  emit_final_frames(now_wall_ns - settings_.timeout_ns, out);
  forget_old_probes(now_mono_ns);
}

void FrameAggregator::finish(AggregatorOutput& out) {
  end_frames_before(INT64_MAX);
  resolve_in_order(INT64_MAX, out);
  if (run_.probes_lost >= 2) out.events.push_back(run_);
  run_ = LossEvent{};
  emit_final_frames(INT64_MAX, out);
}

FrameAggregator::Probe* FrameAggregator::find_probe(std::uint64_t counter) {
  if (counter < first_counter_ || counter >= next_counter_) return nullptr;
  return &probes_[static_cast<std::size_t>(counter - first_counter_)];
}

FrameAggregator::OpenFrame* FrameAggregator::find_frame(std::int64_t index) {
  for (auto it = frames_.rbegin(); it != frames_.rend(); ++it) {
    if (it->index == index) return &*it;
    if (it->index < index) break;
  }
  return nullptr;
}

void FrameAggregator::count_extra(std::int64_t index, std::uint32_t Extras::*field) {
  Frame* frame = nullptr;
  if (OpenFrame* own = find_frame(index)) {
    frame = &own->frame;
  } else if (!frames_.empty()) {
    frame = &frames_.back().frame;
  }
  if (frame == nullptr) {
    ++(carried_.*field);
    return;
  }
  if (field == &Extras::dup) ++frame->dup;
  if (field == &Extras::late) ++frame->late;
  if (field == &Extras::icmp_errors) ++frame->icmp_errors;
}

FrameAggregator::OpenFrame& FrameAggregator::open_frame(std::int64_t index) {
  if (!frames_.empty() && frames_.back().index == index) return frames_.back();
  OpenFrame fresh{index, 0, false, Frame()};
  fresh.frame.t_ms = index * settings_.frame_ms;
  fresh.frame.length_ms = settings_.frame_ms;
  fresh.frame.rtt = RttHistogram(settings_.quantiser);
  // One allocation per frame instead of one per doubling: room for as many keys as the
  // previous frame had samples (plus a little).
  fresh.frame.rtt.reserve(last_frame_samples_ + 2);
  fresh.frame.jitter = JitterSum{};  // measured from now on (absent means "not measured")
  fresh.frame.dup = carried_.dup;
  fresh.frame.late = carried_.late;
  fresh.frame.icmp_errors = carried_.icmp_errors;
  carried_ = Extras{};
  frames_.push_back(std::move(fresh));
  return frames_.back();
}

void FrameAggregator::end_frames_before(std::int64_t index) {
  // Every frame before current_frame_ ended when it became current: nothing to do then
  // (the case of every send but the first of a frame).
  if (index <= current_frame_) return;
  for (auto it = frames_.rbegin(); it != frames_.rend(); ++it) {
    if (it->index >= index) continue;
    if (it->ended) break;  // older ones ended before
    it->ended = true;
    it->frame.inflight = in_flight_;
  }
}

void FrameAggregator::resolve_in_order(std::int64_t now_mono_ns, AggregatorOutput& out) {
  while (cursor_ < next_counter_) {
    Probe& probe = probes_[static_cast<std::size_t>(cursor_ - first_counter_)];
    if (probe.state == ProbeState::pending) {
      if (now_mono_ns - probe.send_mono_ns < settings_.timeout_ns) break;
      probe.state = ProbeState::lost;
      --in_flight_;
      OpenFrame* frame = find_frame(probe.frame_index);
      ++frame->frame.lost;
      --frame->pending;
    }
    record_loss_run(probe, probe.state == ProbeState::lost, out);
    ++cursor_;
  }
}

void FrameAggregator::record_loss_run(const Probe& probe, bool lost, AggregatorOutput& out) {
  if (lost) {
    if (run_.probes_lost == 0) run_.start_ms = probe.send_wall_ms;
    run_.end_ms = probe.send_wall_ms;
    ++run_.probes_lost;
    return;
  }
  if (run_.probes_lost >= 2) out.events.push_back(run_);
  run_ = LossEvent{};
}

void FrameAggregator::emit_final_frames(std::int64_t ended_before_wall_ns, AggregatorOutput& out) {
  const std::int64_t frame_ns = static_cast<std::int64_t>(settings_.frame_ms) * kNsPerMs;
  while (!frames_.empty() && frames_.front().ended && frames_.front().pending == 0 &&
         (ended_before_wall_ns == INT64_MAX || (frames_.front().index + 1) * frame_ns <= ended_before_wall_ns)) {
    last_frame_samples_ = static_cast<std::size_t>(frames_.front().frame.rtt.count());
    out.frames.push_back(std::move(frames_.front().frame));
    frames_.pop_front();
  }
}

void FrameAggregator::forget_old_probes(std::int64_t now_mono_ns) {
  // Resolved probes are kept for one more timeout so late replies and duplicates are
  // recognised as ours; older ones are forgotten (their replies become "unknown").
  while (first_counter_ < cursor_ &&
         now_mono_ns - probes_.front().send_mono_ns >= 2 * settings_.timeout_ns) {
    probes_.pop_front();
    ++first_counter_;
  }
}

}  // namespace zzping::daemon
