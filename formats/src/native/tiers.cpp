// SPDX-License-Identifier: GPL-3.0-or-later
// Tier aggregation: each level folds frames into UTC-aligned buckets and, when a bucket
// closes, feeds the finished frame to the next coarser level.
#include "zzping/formats/native/tiers.hpp"

namespace zzping::native {

std::uint32_t tier_length_ms(Tier tier) {
  switch (tier) {
    case Tier::kSecond: return 1000;
    case Tier::kMinute: return 60'000;
    case Tier::kHour: return 3'600'000;
  }
  return 0;
}

std::string_view tier_name(Tier tier) {
  switch (tier) {
    case Tier::kSecond: return "1s";
    case Tier::kMinute: return "1min";
    case Tier::kHour: return "1h";
  }
  return "";
}

std::int64_t tier_bucket_start(Tier tier, std::int64_t t_ms) {
  const std::int64_t len = tier_length_ms(tier);
  const std::int64_t q = t_ms / len;
  return (q - ((t_ms % len) < 0 ? 1 : 0)) * len;  // floor, also before 1970
}

void TierAggregator::add(const Frame& frame, std::vector<TierFrame>& completed) {
  add_to(0, frame, completed);
}

void TierAggregator::add_to(std::size_t level, const Frame& frame,
                            std::vector<TierFrame>& completed) {
  const Tier tier = kTiers[level];
  Bucket& bucket = buckets_[level];
  const std::int64_t start = tier_bucket_start(tier, frame.t_ms);
  if (bucket.open && start > bucket.frame.t_ms) close(level, completed);
  if (!bucket.open) {
    bucket.open = true;
    bucket.frame = frame;
    bucket.frame.t_ms = start;
  } else {
    const std::int64_t bucket_start = bucket.frame.t_ms;  // also for an out-of-order frame
    merge_into(bucket.frame, frame);
    bucket.frame.t_ms = bucket_start;
  }
  // merge_into widens the span to cover both frames; a tier frame is its whole bucket.
  bucket.frame.length_ms = tier_length_ms(tier);
}

void TierAggregator::close(std::size_t level, std::vector<TierFrame>& completed) {
  Bucket& bucket = buckets_[level];
  if (!bucket.open) return;
  bucket.open = false;
  completed.push_back(TierFrame{kTiers[level], bucket.frame});
  if (level + 1 < buckets_.size()) add_to(level + 1, bucket.frame, completed);
}

void TierAggregator::flush(std::vector<TierFrame>& completed) {
  for (std::size_t level = 0; level < buckets_.size(); ++level) close(level, completed);
}

}  // namespace zzping::native
