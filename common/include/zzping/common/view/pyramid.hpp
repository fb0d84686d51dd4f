// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Pyramid: a host's timeline at several resolutions, so any view draws a bounded number of
// buckets whatever its span.
//
// Level 0 holds the raw frames; level i >= 1 holds UTC-aligned buckets of bucket_ms(i),
// merged EXACTLY from the level below with zzping::merge_into (counts add, histograms
// merge), never by pooling percentiles. Bucket lengths must each divide the next, so a
// coarse bucket is exactly a set of finer ones.
//
// Frames are appended in time order (file loading and live streaming alike: this class is
// the sink both feed). Pre-aggregated frames from on-disk tiers can enter at their own
// level; the levels finer than a tier then stay empty and are never chosen for drawing.
#include <cstdint>
#include <optional>
#include <vector>

#include "zzping/common/frame.hpp"
#include "zzping/common/view/bucket_accumulator.hpp"
#include "zzping/common/view/level.hpp"

namespace zzping::view {

class Pyramid {
 public:
  // 1 s, 5 s, 15 s, 1 min, 5 min, 15 min, 1 h, 6 h, 1 day: steps of 3-6, so the chosen
  // level never draws fewer than ~1/6 of the allowed buckets; 1 s, 1 min and 1 h match
  // the native on-disk tiers, so tier files enter at their own level.
  static std::vector<std::uint32_t> default_bucket_ms();

  // Throws std::invalid_argument unless bucket lengths are > 0, increasing, and each
  // divides the next.
  explicit Pyramid(std::vector<std::uint32_t> aggregated_bucket_ms = default_bucket_ms());

  // Appends a raw frame. A frame older than what the pyramid already merged is dropped
  // and counted (dropped_frames()); sort before appending to avoid that.
  void append(const Frame& frame);
  // Appends a pre-aggregated tier frame whose length_ms equals one level's bucket_ms and
  // whose t_ms is aligned to it; throws std::invalid_argument otherwise.
  void append_tier(const Frame& frame);

  // Forgets the buckets of levels finer than `coarse_from_ms` (the raw level included)
  // that end at or before `t_ms`; those times are then drawn from coarser levels. A live
  // session calls this to keep its memory bounded.
  void forget_fine_before(std::int64_t t_ms, std::uint32_t coarse_from_ms);
  // Buckets held in all levels.
  std::size_t bucket_count() const;
  // Gives back the spare capacity of every level (vectors grow by doubling: up to 2x the
  // memory the buckets need), for a pyramid nothing more will be appended to.
  void shrink_to_fit();

  std::size_t level_count() const { return levels_.size(); }
  const Level& level(std::size_t index) const { return levels_.at(index); }
  // 0 for the raw level.
  std::uint32_t bucket_ms(std::size_t index) const { return levels_.at(index).bucket_ms(); }
  // The newest, still filling bucket of an aggregated level (including what the finer
  // levels hold that belongs to it); nullopt for the raw level or an empty level.
  std::optional<BucketSummary> open_bucket(std::size_t index) const;

  // Buckets of `index` overlapping `range` (widened by one on each side), the open
  // bucket included when it overlaps.
  std::vector<BucketSummary> visible(std::size_t index, TimeRange range) const;
  // The finest level that covers the data in `range` and draws at most `max_buckets`
  // buckets there; the coarsest level if none does.
  std::size_t choose_level(TimeRange range, double max_buckets) const;
  // The bucket of `index` covering t_ms (closed or open).
  std::optional<BucketSummary> bucket_at(std::size_t index, std::int64_t t_ms) const;

  // Times covered by data (first frame start to last frame end); nullopt when empty.
  std::optional<TimeRange> extent() const;
  std::uint64_t frames_appended() const { return frames_appended_; }
  std::uint64_t dropped_frames() const { return dropped_frames_; }

 private:
  void feed(std::size_t index, const Frame& frame);
  void close_into(std::size_t index, const Frame& closed);
  void widen_extents_from(std::size_t index, const Frame& frame);
  bool covers(std::size_t index, TimeRange wanted) const;
  std::size_t count_buckets(std::size_t index, TimeRange range) const;

  std::vector<Level> levels_;                      // [0] raw, [i] aggregated
  std::vector<BucketAccumulator> accumulators_;    // [i - 1] feeds levels_[i]
  std::vector<std::optional<TimeRange>> extents_;  // data times each level has seen
  std::uint64_t frames_appended_ = 0;
  std::uint64_t dropped_frames_ = 0;
};

}  // namespace zzping::view
