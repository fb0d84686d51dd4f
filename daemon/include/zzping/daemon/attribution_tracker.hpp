// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Decides when a loss burst can be attributed and hands out its cause, then merges the
// attributed bursts of all targets into incidents (docs/attribution.md, docs/daemon.md
// "Attribution"). Pure: the pinger feeds it every host's final frames and loss events and
// the wall clock; attribution::attribute() and merge_incidents() do the classifying.
//
// A burst of [start, end] is attributed once every target's frames from the frame before
// the burst's first to the frame after its last are final: a target whose newest final
// frame ends at or after that point has them. A target with no frame there yet (a slow
// rate, not resolved, just added) is waited for at most timeout_ms + 2 frames past that
// point ("the deadline"); then its missing frames count as no data.
// An incident (bursts overlapping or within one frame, as merge_incidents()) is emitted once
// no later burst can join it: no burst waiting for attribution starts before its end + one
// frame ("the join limit"), every target's frames are final past that point (or its
// deadline passed), and no target that started losing between the incident's start and the
// join limit is still losing (waited for at most kIncidentHoldMs; a target already down
// before the incident is not waited for). A burst that comes later forms its own incident.
//
// Memory: per target, the final frames kept as runs of "lost" / "answered" frames
// (consecutive frames of one kind, 24 bytes a run). Kept: what a burst still pending or
// possibly still going on (a target with an open loss run) can look at, but at most
// kRetentionMs back and kMaxRunsPerHost runs (older evidence is dropped: a burst longer
// than that is judged on the part kept). Steady state: a few runs per target.
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "zzping/common/attribution.hpp"
#include "zzping/common/frame.hpp"
#include "zzping/daemon/frame_sink.hpp"

namespace zzping::daemon {

struct AttributionSettings {
  std::uint32_t frame_ms = 100;
  std::uint32_t timeout_ms = 1000;
};

struct AttributionOutput {
  struct Burst {
    HostInfo host;  // as it was when its burst was reported (the host may be gone since)
    attribution::AttributedBurst burst;
  };
  std::vector<Burst> bursts;
  std::vector<attribution::Incident> incidents;
  void clear() {
    bursts.clear();
    incidents.clear();
  }
};

class AttributionTracker {
 public:
  static constexpr std::int64_t kRetentionMs = 3'600'000;
  static constexpr std::size_t kMaxRunsPerHost = 8192;
  // An incident waits at most this long past its final point for a target whose loss began
  // during it and still goes on.
  static constexpr std::int64_t kIncidentHoldMs = 30'000;

  explicit AttributionTracker(AttributionSettings settings);

  // A host starts being monitored at `now_ms` (wall clock, ms since the epoch).
  void add_host(const HostInfo& host, std::int64_t now_ms);
  // A reload changed a kept host's role: bursts attributed from now on use it.
  void set_role(const std::string& name, attribution::Role role);
  // One final frame of a host (frames of one host come in time order).
  void on_frame(const HostInfo& host, const Frame& frame);
  // A loss burst of a host, as the aggregator reports it when it ends.
  void on_event(const HostInfo& host, const LossEvent& event);
  // The host stopped (after its last frames and events): it has no more data coming, and
  // its frames still count for the bursts that cover them.
  void remove_host(const std::string& name, std::int64_t now_ms);
  // Attributes the bursts that are ready and emits the incidents that are closed.
  void advance(std::int64_t now_ms, AttributionOutput& out);
  // Shutdown: everything pending is attributed with the data there is, every incident emitted.
  void finish(AttributionOutput& out);

  std::size_t pending_bursts() const { return pending_.size(); }
  std::size_t unmerged_bursts() const { return attributed_.size(); }
  std::size_t hosts() const { return hosts_.size(); }
  std::size_t runs_held() const;

 private:
  enum class Kind : std::uint8_t { lost, answered };
  struct Run {
    std::int64_t first_ms;  // t_ms of its first frame
    std::int64_t last_ms;   // t_ms of its last frame (frames every frame_ms in between)
    Kind kind;
  };
  struct Track {
    HostInfo info;
    std::int64_t added_ms = 0;
    std::optional<std::int64_t> removed_ms;
    std::int64_t final_through_ms = INT64_MIN;  // end of the newest final frame
    std::optional<std::int64_t> loss_open_since_ms;  // a loss run may be going on since this frame
    std::deque<Run> runs;
  };
  struct Pending {
    HostInfo host;
    attribution::Burst burst;
  };

  std::int64_t frame_of(std::int64_t t_ms) const;
  std::int64_t window_first(const attribution::Burst& burst) const;  // first frame looked at
  std::int64_t final_point(const attribution::Burst& burst) const;   // frames final up to here
  std::int64_t deadline(std::int64_t point_ms) const;
  bool final_everywhere(std::int64_t point_ms, std::int64_t now_ms) const;
  bool loss_began_during(std::int64_t from_ms, std::int64_t to_ms, std::int64_t point_ms, std::int64_t now_ms) const;
  std::vector<Frame> witnesses(const Track& track, std::int64_t first_ms, std::int64_t last_ms) const;
  AttributionOutput::Burst attribute(const Pending& pending) const;
  void attribute_ready(std::int64_t now_ms, AttributionOutput& out);
  void emit_closed_incidents(std::int64_t now_ms, AttributionOutput& out);
  void forget(std::int64_t now_ms);

  AttributionSettings settings_;
  std::map<std::string, Track, std::less<>> hosts_;
  std::vector<Pending> pending_;                            // waiting for final frames
  std::vector<attribution::AttributedBurst> attributed_;   // waiting to be merged into an incident
};

}  // namespace zzping::daemon
