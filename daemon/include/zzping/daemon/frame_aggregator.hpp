// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Probes -> frames for one host (PRODUCT.md "Frames"). Pure: the caller passes the times.
//
// A probe belongs to the frame in which it was SENT (wall clock, UTC-aligned frames). A
// frame is final one timeout after its interval ended (then every probe in it is answered
// or timed out). Replies are counted once; a second reply to an answered probe is a duplicate, a
// reply after the timeout is late (the probe stays lost). Duplicates, late replies and ICMP
// errors are added to their probe's frame while it is open, otherwise to the newest open
// frame (or the next frame, if none is open): a frame is never changed after it is final.
// Loss bursts (>= 2 consecutive lost probes, in send order) become LossEvents when the
// burst ends (a reply) or at finish().
// Jitter: two consecutive probes (in send order) that are both answered in time form a
// pair, |RTT difference| counted in the frame of the later one, whichever reply arrives
// first. A lost probe breaks the chain; a late reply never forms a pair.
#include <cstdint>
#include <deque>
#include <vector>

#include "zzping/common/frame.hpp"

namespace zzping::daemon {

struct AggregatorSettings {
  std::uint32_t frame_ms = 100;
  std::int64_t timeout_ns = 1'000'000'000;
  RttQuantiser quantiser{};
};

enum class ReplyVerdict : std::uint8_t { counted, duplicate, late, unknown };

struct AggregatorOutput {
  std::vector<Frame> frames;
  std::vector<LossEvent> events;
  void clear() { frames.clear(); events.clear(); }
};

class FrameAggregator {
 public:
  explicit FrameAggregator(AggregatorSettings settings);

  // Records a probe sent now and returns its counter (the probe's id in its token).
  std::uint64_t on_sent(std::int64_t send_mono_ns, std::int64_t send_wall_ns);
  // A reply carrying a valid token with this counter, received at `receive_mono_ns`.
  ReplyVerdict on_reply(std::uint64_t counter, std::int64_t receive_mono_ns);
  // An ICMP error quoting this probe; false if the probe is unknown.
  bool on_icmp_error(std::uint64_t counter);

  // Times out probes, ends frames whose interval is over, and appends the frames that
  // became final and the loss bursts that ended, in time order.
  void advance(std::int64_t now_mono_ns, std::int64_t now_wall_ns, AggregatorOutput& out);
  // Shutdown: every probe still unanswered counts as lost, all frames become final.
  // Call it once the timeout has passed since the last send, or accept early losses.
  void finish(AggregatorOutput& out);

  std::uint32_t in_flight() const { return in_flight_; }
  std::uint64_t probes_sent() const { return next_counter_; }
  std::int64_t last_reply_mono_ns() const { return last_reply_mono_ns_; }
  // Probes lost in a row so far (in send order; 0 after an answered one): a run that
  // begins is a loss burst starting (the path tracer traces at once).
  std::uint32_t loss_run_length() const { return run_.probes_lost; }
  const AggregatorSettings& settings() const { return settings_; }

 private:
  enum class ProbeState : std::uint8_t { pending, answered, lost };
  struct Probe {
    std::int64_t send_mono_ns;
    std::int64_t send_wall_ms;
    std::int64_t frame_index;
    ProbeState state;
    std::int64_t rtt_ns;  // once answered
  };
  struct OpenFrame {
    std::int64_t index;
    std::uint32_t pending;
    bool ended;
    Frame frame;
  };
  struct Extras {
    std::uint32_t dup = 0;
    std::uint32_t late = 0;
    std::uint32_t icmp_errors = 0;
  };

  Probe* find_probe(std::uint64_t counter);
  OpenFrame* find_frame(std::int64_t index);
  void count_extra(std::int64_t index, std::uint32_t Extras::*field);
  void count_jitter_pairs_of(std::uint64_t counter);
  void count_pair(const Probe& earlier, const Probe& later);
  OpenFrame& open_frame(std::int64_t index);
  void end_frames_before(std::int64_t index);
  void resolve_in_order(std::int64_t now_mono_ns, AggregatorOutput& out);
  void record_loss_run(const Probe& probe, bool lost, AggregatorOutput& out);
  void emit_final_frames(std::int64_t ended_before_wall_ns, AggregatorOutput& out);
  void forget_old_probes(std::int64_t now_mono_ns);

  AggregatorSettings settings_;
  std::deque<Probe> probes_;     // probes_[i] has counter first_counter_ + i
  std::uint64_t first_counter_ = 0;
  std::uint64_t next_counter_ = 0;
  std::uint64_t cursor_ = 0;     // probes below it are resolved, in send order
  std::deque<OpenFrame> frames_;  // open frames, increasing index
  std::int64_t current_frame_ = INT64_MIN;  // newest frame index seen (never goes back)
  std::uint32_t in_flight_ = 0;
  std::int64_t last_reply_mono_ns_ = 0;
  Extras carried_;  // extras that found no open frame
  std::size_t last_frame_samples_ = 0;  // RTT samples of the last final frame
  LossEvent run_{};  // the current run of consecutive lost probes
};

}  // namespace zzping::daemon
