// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// HostTimeline: everything the GUI knows about one host, and what the plots draw from.
//
// Two ways to fill it:
// - appended frames (files read whole, live streaming): one Pyramid;
// - a daemon data directory read on demand: a ChunkIndex of the files and a ChunkStore
//   of the chunks loaded so far (see chunks.hpp, detail_planner.hpp).
// The drawing interface (choose_level, visible, bucket_at, extent) is the same for both.
#include <array>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "zzping/common/frame.hpp"
#include "zzping/common/span_summary.hpp"
#include "zzping/common/view/chunks.hpp"
#include "zzping/common/view/detail_planner.hpp"
#include "zzping/common/view/outage_detector.hpp"
#include "zzping/common/view/pyramid.hpp"

namespace zzping::view {

class HostTimeline {
 public:
  explicit HostTimeline(std::string name,
                        std::vector<std::uint32_t> bucket_ms = Pyramid::default_bucket_ms())
      : name_(std::move(name)), pyramid_(std::move(bucket_ms)) {}
  // A data directory host: nothing loaded yet; add_chunk() brings data in.
  HostTimeline(std::string name, ChunkIndex index);

  const std::string& name() const { return name_; }
  // The appended frames (empty for a data directory host).
  const Pyramid& pyramid() const { return pyramid_; }

  // --- what the plots draw -------------------------------------------------------------
  std::size_t level_count() const;
  std::uint32_t level_bucket_ms(std::size_t level) const;
  // The finest level drawing at most `max_buckets` buckets over `range`. For a data
  // directory host this is decided from the span alone (raw frames taken as 100 ms):
  // detail that is not loaded yet is what the planner is asked for.
  std::size_t choose_level(TimeRange range, double max_buckets) const;
  ChunkView visible(std::size_t level, TimeRange range) const;
  std::optional<BucketSummary> bucket_at(std::size_t level, std::int64_t t_ms) const;
  std::optional<TimeRange> extent() const;

  // --- appended frames -----------------------------------------------------------------
  // Raw frames in time order.
  void append(const Frame& frame);
  // Pre-aggregated tier frames (see Pyramid::append_tier).
  void append_tier(const Frame& frame) { pyramid_.append_tier(frame); }
  // Live mode: keep levels finer than 1 min only for the last `window_ms` of data (0: keep
  // everything); older times are drawn from the 1 min level and coarser.
  void set_fine_retention(std::int64_t window_ms) { fine_window_ms_ = window_ms; }
  std::int64_t fine_retention() const { return fine_window_ms_; }

  // --- data directory ------------------------------------------------------------------
  bool chunked() const { return chunked_; }
  const ChunkIndex& chunk_index() const { return index_; }
  const ChunkStore& chunks() const { return store_; }
  std::vector<LoadedChunkInfo> loaded_chunks() const;
  // A loaded chunk with the events its files recorded and those detected in its frames
  // (taken once per chunk: reloading an evicted chunk adds no duplicates).
  void add_chunk(std::shared_ptr<const Chunk> chunk, const std::vector<LossEvent>& recorded,
                 const std::vector<LossEvent>& detected);
  void evict_chunk(const ChunkKey& key) { store_.erase(key); }

  // --- events --------------------------------------------------------------------------
  // Events recorded by the source (native files, the daemon's stream).
  void add_recorded_event(const LossEvent& event);
  // Recorded events, plus detected outages where no recorded event overlaps them (and,
  // for a data directory, detections from finer data win over coarser ones).
  std::vector<LossEvent> events() const;
  // Only the recorded ones (the loss bursts a span summary counts, docs/summary.md).
  const std::vector<LossEvent>& recorded_events() const { return recorded_events_; }
  // Whether recorded_events() holds every loss burst of the frames: yes for frames
  // appended from zzpingd (its stream, its raw files); a loader of data without burst
  // records (zzping 0.2, tier files) says no. A data directory host: no (its buckets come
  // from tiers, its events only from the raw chunks loaded so far).
  BurstRecording burst_recording() const { return burst_recording_; }
  void set_burst_recording(BurstRecording r) { burst_recording_ = r; }

  // Buckets held in memory (all levels, all chunks): the figure memory bounds are about.
  std::size_t bucket_count() const;

 private:
  void trim_fine_levels(std::int64_t newest_ms);
  void merge_chunk_events();

  std::string name_;
  Pyramid pyramid_;
  OutageDetector detector_;
  std::vector<LossEvent> recorded_events_;
  BurstRecording burst_recording_ = BurstRecording::kRecorded;
  std::int64_t fine_window_ms_ = 0;

  bool chunked_ = false;
  ChunkIndex index_;
  ChunkStore store_;
  std::array<std::vector<LossEvent>, 4> detected_by_resolution_;
  std::set<ChunkKey> events_taken_;
  std::vector<LossEvent> chunk_events_;  // merged when chunks arrive, not per redraw
};

}  // namespace zzping::view
