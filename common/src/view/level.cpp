// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/level.hpp"

#include <algorithm>

namespace zzping::view {

namespace {
// First bucket whose end is after t (buckets are sorted and, within a level, do not
// overlap, so their ends are sorted too).
auto first_ending_after(std::span<const BucketSummary> b, std::int64_t t) {
  return std::partition_point(b.begin(), b.end(),
                              [t](const BucketSummary& s) { return s.end_ms() <= t; });
}
auto first_starting_at_or_after(std::span<const BucketSummary> b, std::int64_t t) {
  return std::partition_point(b.begin(), b.end(),
                              [t](const BucketSummary& s) { return s.t_ms < t; });
}
}  // namespace

bool Level::append(const BucketSummary& bucket) {
  if (!buckets_.empty()) {
    BucketSummary& previous = buckets_.back();
    if (bucket.t_ms < previous.t_ms) return false;
    // Imported frames may start before the previous one ends (clock jitter); trimming the
    // previous bucket keeps the ends sorted, which every lookup relies on.
    if (bucket.t_ms < previous.end_ms()) {
      previous.length_ms = static_cast<std::uint32_t>(bucket.t_ms - previous.t_ms);
    }
  }
  buckets_.push_back(bucket);
  return true;
}

void Level::drop_before(std::int64_t t_ms) {
  const std::span<const BucketSummary> b = buckets_;
  const auto n = first_ending_after(b, t_ms) - b.begin();
  buckets_.erase(buckets_.begin(), buckets_.begin() + n);
}

std::size_t Level::count_overlapping(TimeRange range) const {
  const std::span<const BucketSummary> b = buckets_;
  const auto first = first_ending_after(b, range.begin_ms);
  const auto last = first_starting_at_or_after(b, range.end_ms);
  return last > first ? static_cast<std::size_t>(last - first) : 0;
}

IndexRange Level::overlapping(TimeRange range) const {
  const std::span<const BucketSummary> b = buckets_;
  auto first = static_cast<std::size_t>(first_ending_after(b, range.begin_ms) - b.begin());
  auto last = static_cast<std::size_t>(first_starting_at_or_after(b, range.end_ms) - b.begin());
  if (first > 0) --first;
  if (last < b.size()) ++last;
  if (last < first) last = first;
  return {first, last};
}

std::optional<BucketSummary> Level::covering(std::int64_t t_ms) const {
  const std::span<const BucketSummary> b = buckets_;
  const auto it = first_ending_after(b, t_ms);
  if (it == b.end() || it->t_ms > t_ms) return std::nullopt;
  return *it;
}

}  // namespace zzping::view
