// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Level: one resolution of a host's timeline, buckets sorted by start time.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "zzping/common/view/bucket.hpp"

namespace zzping::view {

// Half-open time range [begin_ms, end_ms).
struct TimeRange {
  std::int64_t begin_ms = 0;
  std::int64_t end_ms = 0;
  std::int64_t span_ms() const { return end_ms - begin_ms; }
  bool empty() const { return end_ms <= begin_ms; }
  friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

// Index range [first, last) into a level's buckets.
struct IndexRange {
  std::size_t first = 0;
  std::size_t last = 0;
  std::size_t size() const { return last - first; }
};

class Level {
 public:
  // bucket_ms == 0 means "raw frames": buckets are the frames as they came.
  explicit Level(std::uint32_t bucket_ms) : bucket_ms_(bucket_ms) {}

  std::uint32_t bucket_ms() const { return bucket_ms_; }
  std::span<const BucketSummary> buckets() const { return buckets_; }
  std::size_t size() const { return buckets_.size(); }

  // Appends a bucket that starts at or after the last one; returns false (and drops it)
  // otherwise, so the level stays sorted whatever the input does. A bucket starting
  // inside the previous one shortens the previous one to end where it starts.
  bool append(const BucketSummary& bucket);
  // Drops the buckets that end at or before `t_ms` (memory bounds of live sessions).
  void drop_before(std::int64_t t_ms);
  // Gives back the spare capacity of a level that is complete (a loaded chunk).
  void shrink_to_fit() { buckets_.shrink_to_fit(); }

  // Buckets overlapping `range`, widened by one bucket on each side so lines run to the
  // plot edges instead of stopping short of them.
  IndexRange overlapping(TimeRange range) const;
  // Number of buckets overlapping `range` (no widening): what a redraw would draw.
  std::size_t count_overlapping(TimeRange range) const;
  // The bucket covering `t_ms`, if any.
  std::optional<BucketSummary> covering(std::int64_t t_ms) const;

 private:
  std::uint32_t bucket_ms_;
  std::vector<BucketSummary> buckets_;
};

}  // namespace zzping::view
