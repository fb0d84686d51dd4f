// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// BucketAccumulator: merges time-ordered frames into fixed, UTC-aligned buckets.
#include <cstdint>
#include <optional>

#include "zzping/common/frame.hpp"

namespace zzping::view {

class BucketAccumulator {
 public:
  enum class Outcome { kMerged, kClosedPrevious, kTooOld };

  explicit BucketAccumulator(std::uint32_t bucket_ms);

  std::uint32_t bucket_ms() const { return bucket_ms_; }
  // Start of the bucket holding t_ms (floor to a multiple of bucket_ms, also for t < 0).
  std::int64_t bucket_start(std::int64_t t_ms) const;

  // Merges `frame` (exactly: zzping::merge_into) into the bucket of its start time. When
  // the frame belongs to a later bucket, the open bucket is closed into `closed` first.
  // A frame older than the open bucket cannot be merged exactly any more: kTooOld.
  Outcome add(const Frame& frame, Frame& closed);

  // The partially filled newest bucket, stamped with its nominal start and length.
  const std::optional<Frame>& open() const { return open_; }

 private:
  Frame stamped(Frame frame) const;

  std::uint32_t bucket_ms_;
  std::optional<Frame> open_;
  std::int64_t open_start_ = 0;
};

}  // namespace zzping::view
