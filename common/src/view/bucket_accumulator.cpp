// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/bucket_accumulator.hpp"

#include <stdexcept>

namespace zzping::view {

BucketAccumulator::BucketAccumulator(std::uint32_t bucket_ms) : bucket_ms_(bucket_ms) {
  if (bucket_ms == 0) throw std::invalid_argument("bucket length must be > 0 ms");
}

std::int64_t BucketAccumulator::bucket_start(std::int64_t t_ms) const {
  const std::int64_t len = bucket_ms_;
  std::int64_t q = t_ms / len;
  if (t_ms % len < 0) --q;  // floor division for times before 1970
  return q * len;
}

Frame BucketAccumulator::stamped(Frame frame) const {
  frame.t_ms = open_start_;
  frame.length_ms = bucket_ms_;
  return frame;
}

BucketAccumulator::Outcome BucketAccumulator::add(const Frame& frame, Frame& closed) {
  const std::int64_t start = bucket_start(frame.t_ms);
  if (!open_) {
    open_start_ = start;
    open_ = stamped(frame);
    return Outcome::kMerged;
  }
  if (start == open_start_) {
    merge_into(*open_, frame);
    // merge_into widens the span to cover the frame; the bucket keeps its nominal span.
    open_->t_ms = open_start_;
    open_->length_ms = bucket_ms_;
    return Outcome::kMerged;
  }
  if (start < open_start_) return Outcome::kTooOld;
  closed = std::move(*open_);
  open_start_ = start;
  open_ = stamped(frame);
  return Outcome::kClosedPrevious;
}

}  // namespace zzping::view
