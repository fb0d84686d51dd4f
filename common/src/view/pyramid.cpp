// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/pyramid.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace zzping::view {

std::vector<std::uint32_t> Pyramid::default_bucket_ms() {
  return {1'000, 5'000, 15'000, 60'000, 300'000, 900'000, 3'600'000, 21'600'000, 86'400'000};
}

Pyramid::Pyramid(std::vector<std::uint32_t> aggregated_bucket_ms) {
  levels_.emplace_back(0);
  extents_.emplace_back();
  for (std::size_t i = 0; i < aggregated_bucket_ms.size(); ++i) {
    const std::uint32_t len = aggregated_bucket_ms[i];
    if (len == 0) throw std::invalid_argument("pyramid bucket length must be > 0 ms");
    if (i > 0) {
      const std::uint32_t finer = aggregated_bucket_ms[i - 1];
      if (len <= finer || len % finer != 0) {
        throw std::invalid_argument("pyramid bucket " + std::to_string(len) +
                                    " ms is not a larger multiple of " + std::to_string(finer) +
                                    " ms");
      }
    }
    levels_.emplace_back(len);
    accumulators_.emplace_back(len);
    extents_.emplace_back();
  }
}

// Extents follow the data, not the nominal (wider) buckets, so level choice can tell a
// level that holds the whole span from one that was fed only part of it (tiers).
void Pyramid::widen_extents_from(std::size_t index, const Frame& frame) {
  const TimeRange span{frame.t_ms, frame.t_ms + frame.length_ms};
  for (std::size_t i = index; i < extents_.size(); ++i) {
    auto& e = extents_[i];
    if (!e) {
      e = span;
    } else {
      e->begin_ms = std::min(e->begin_ms, span.begin_ms);
      e->end_ms = std::max(e->end_ms, span.end_ms);
    }
  }
}

void Pyramid::append(const Frame& frame) {
  ++frames_appended_;
  if (!levels_[0].append(summarize(frame))) {
    ++dropped_frames_;
    return;
  }
  widen_extents_from(0, frame);
  if (levels_.size() > 1) feed(1, frame);
}

void Pyramid::append_tier(const Frame& frame) {
  for (std::size_t i = 1; i < levels_.size(); ++i) {
    if (levels_[i].bucket_ms() != frame.length_ms) continue;
    if (accumulators_[i - 1].bucket_start(frame.t_ms) != frame.t_ms) {
      throw std::invalid_argument("tier frame at " + std::to_string(frame.t_ms) +
                                  " ms is not aligned to its " +
                                  std::to_string(frame.length_ms) + " ms bucket");
    }
    ++frames_appended_;
    widen_extents_from(i, frame);
    feed(i, frame);
    return;
  }
  throw std::invalid_argument("no pyramid level for tier frames of " +
                              std::to_string(frame.length_ms) + " ms");
}

// Merges `frame` into level `index`'s open bucket; a bucket it closes goes into the level
// and on up to the next one.
void Pyramid::feed(std::size_t index, const Frame& frame) {
  Frame closed;
  switch (accumulators_[index - 1].add(frame, closed)) {
    case BucketAccumulator::Outcome::kTooOld:
      ++dropped_frames_;
      return;
    case BucketAccumulator::Outcome::kClosedPrevious:
      close_into(index, closed);
      break;
    case BucketAccumulator::Outcome::kMerged:
      break;
  }
}

void Pyramid::close_into(std::size_t index, const Frame& closed) {
  levels_[index].append(summarize(closed));
  if (index + 1 < levels_.size()) feed(index + 1, closed);
}

void Pyramid::forget_fine_before(std::int64_t t_ms, std::uint32_t coarse_from_ms) {
  for (std::size_t i = 0; i < levels_.size() && levels_[i].bucket_ms() < coarse_from_ms; ++i) {
    Level& lvl = levels_[i];
    lvl.drop_before(t_ms);
    // The level now covers only what it still holds (plus its open bucket), so level
    // choice stops picking it for the forgotten times.
    auto& e = extents_[i];
    if (!e) continue;
    if (!lvl.buckets().empty()) {
      e->begin_ms = std::max(e->begin_ms, lvl.buckets().front().t_ms);
    } else if (i > 0 && accumulators_[i - 1].open()) {
      e->begin_ms = std::max(e->begin_ms, accumulators_[i - 1].open()->t_ms);
    } else {
      e.reset();
    }
  }
}

void Pyramid::shrink_to_fit() {
  for (Level& l : levels_) l.shrink_to_fit();
}

std::size_t Pyramid::bucket_count() const {
  std::size_t n = 0;
  for (const Level& l : levels_) n += l.size();
  return n;
}

std::optional<BucketSummary> Pyramid::open_bucket(std::size_t index) const {
  if (index == 0 || index >= levels_.size()) return std::nullopt;
  const auto& open = accumulators_[index - 1].open();
  if (!open) return std::nullopt;
  Frame merged = *open;
  const std::int64_t end = merged.t_ms + merged.length_ms;
  // Finer open buckets have not been passed up yet; their data belongs here too.
  for (std::size_t finer = 1; finer < index; ++finer) {
    const auto& part = accumulators_[finer - 1].open();
    if (part && part->t_ms >= merged.t_ms && part->t_ms < end) merge_into(merged, *part);
  }
  merged.t_ms = open->t_ms;
  merged.length_ms = open->length_ms;
  return summarize(merged);
}

std::vector<BucketSummary> Pyramid::visible(std::size_t index, TimeRange range) const {
  const Level& lvl = levels_.at(index);
  const IndexRange r = lvl.overlapping(range);
  std::vector<BucketSummary> out(lvl.buckets().begin() + static_cast<std::ptrdiff_t>(r.first),
                                 lvl.buckets().begin() + static_cast<std::ptrdiff_t>(r.last));
  if (auto open = open_bucket(index); open && open->t_ms < range.end_ms + open->length_ms &&
                                      (out.empty() || open->t_ms >= out.back().end_ms())) {
    out.push_back(*open);
  }
  return out;
}

std::optional<TimeRange> Pyramid::extent() const {
  std::optional<TimeRange> all;
  for (const auto& e : extents_) {
    if (!e) continue;
    if (!all) {
      all = e;
    } else {
      all->begin_ms = std::min(all->begin_ms, e->begin_ms);
      all->end_ms = std::max(all->end_ms, e->end_ms);
    }
  }
  return all;
}

bool Pyramid::covers(std::size_t index, TimeRange wanted) const {
  const auto& e = extents_[index];
  if (!e) return false;
  if (wanted.empty()) return true;
  return e->begin_ms <= wanted.begin_ms && e->end_ms >= wanted.end_ms;
}

std::size_t Pyramid::count_buckets(std::size_t index, TimeRange range) const {
  std::size_t n = levels_[index].count_overlapping(range);
  if (index > 0 && accumulators_[index - 1].open()) ++n;
  return n;
}

std::size_t Pyramid::choose_level(TimeRange range, double max_buckets) const {
  const auto all = extent();
  if (!all) return levels_.size() - 1;
  const TimeRange wanted{std::max(range.begin_ms, all->begin_ms),
                         std::min(range.end_ms, all->end_ms)};
  for (std::size_t i = 0; i < levels_.size(); ++i) {
    if (!covers(i, wanted)) continue;
    if (static_cast<double>(count_buckets(i, range)) <= max_buckets) return i;
  }
  // Nothing is coarse enough: the coarsest level that has data.
  for (std::size_t i = levels_.size(); i-- > 0;) {
    if (extents_[i]) return i;
  }
  return levels_.size() - 1;
}

std::optional<BucketSummary> Pyramid::bucket_at(std::size_t index, std::int64_t t_ms) const {
  if (auto closed = levels_.at(index).covering(t_ms)) return closed;
  if (auto open = open_bucket(index); open && open->t_ms <= t_ms && t_ms < open->end_ms()) {
    return open;
  }
  return std::nullopt;
}

}  // namespace zzping::view
