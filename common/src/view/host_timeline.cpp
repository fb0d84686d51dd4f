// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/host_timeline.hpp"

#include <algorithm>

namespace zzping::view {

namespace {
// Raw frames of a data directory are taken as this long when choosing a level from the
// span alone (zzpingd's default frame length).
constexpr std::int64_t kChunkRawFrameMs = 100;
// Levels at least this coarse are kept for the whole session in live mode.
constexpr std::uint32_t kCoarseFromMs = 60'000;
}  // namespace

HostTimeline::HostTimeline(std::string name, ChunkIndex index)
    : name_(std::move(name)), burst_recording_(BurstRecording::kNotRecorded), chunked_(true), index_(std::move(index)) {}

std::size_t HostTimeline::level_count() const {
  return chunked_ ? ChunkStore::level_count() : pyramid_.level_count();
}

std::uint32_t HostTimeline::level_bucket_ms(std::size_t level) const {
  return chunked_ ? ChunkStore::level_bucket_ms(level) : pyramid_.bucket_ms(level);
}

std::size_t HostTimeline::choose_level(TimeRange range, double max_buckets) const {
  if (!chunked_) return pyramid_.choose_level(range, max_buckets);
  const double span = static_cast<double>(std::max<std::int64_t>(range.span_ms(), 1));
  for (std::size_t l = 0; l < level_count(); ++l) {
    const std::int64_t bucket = l == 0 ? kChunkRawFrameMs : std::int64_t{level_bucket_ms(l)};
    if (span / static_cast<double>(bucket) <= max_buckets) return l;
  }
  return level_count() - 1;
}

ChunkView HostTimeline::visible(std::size_t level, TimeRange range) const {
  if (chunked_) return store_.visible(level, range);
  ChunkView view;
  view.buckets = pyramid_.visible(level, range);
  view.finest_bucket_ms = pyramid_.bucket_ms(level);
  return view;
}

std::optional<BucketSummary> HostTimeline::bucket_at(std::size_t level, std::int64_t t_ms) const {
  return chunked_ ? store_.bucket_at(level, t_ms) : pyramid_.bucket_at(level, t_ms);
}

std::optional<TimeRange> HostTimeline::extent() const {
  return chunked_ ? store_.extent() : pyramid_.extent();
}

void HostTimeline::append(const Frame& frame) {
  pyramid_.append(frame);
  detector_.append(frame);
  if (fine_window_ms_ > 0) trim_fine_levels(frame.t_ms + frame.length_ms);
}

// Trims in steps of 1/8 of the window (at least a minute) so each erase moves the kept
// buckets once per step, not once per frame.
void HostTimeline::trim_fine_levels(std::int64_t newest_ms) {
  const auto& raw = pyramid_.level(0).buckets();
  if (raw.empty()) return;
  const std::int64_t slack = std::max<std::int64_t>(fine_window_ms_ / 8, 60'000);
  if (newest_ms - raw.front().t_ms <= fine_window_ms_ + slack) return;
  pyramid_.forget_fine_before(newest_ms - fine_window_ms_, kCoarseFromMs);
}

std::vector<LoadedChunkInfo> HostTimeline::loaded_chunks() const {
  std::vector<LoadedChunkInfo> out;
  for (const Chunk* c : store_.all()) out.push_back({c->period, c->bytes()});
  return out;
}

void HostTimeline::add_chunk(std::shared_ptr<const Chunk> chunk, const std::vector<LossEvent>& recorded,
                             const std::vector<LossEvent>& detected) {
  const ChunkKey key = chunk->period.key;
  if (events_taken_.insert(key).second) {
    recorded_events_.insert(recorded_events_.end(), recorded.begin(), recorded.end());
    auto& d = detected_by_resolution_[static_cast<std::size_t>(key.resolution)];
    d.insert(d.end(), detected.begin(), detected.end());
    merge_chunk_events();
  }
  store_.insert(std::move(chunk));
}

void HostTimeline::add_recorded_event(const LossEvent& event) {
  recorded_events_.push_back(event);
  if (chunked_) merge_chunk_events();
}

// Finer detections replace coarser ones where they overlap (an outage seen in 1 min
// buckets is seen exactly in the raw frames), then recorded events replace both.
void HostTimeline::merge_chunk_events() {
  std::vector<LossEvent> detected;
  for (auto r = detected_by_resolution_.rbegin(); r != detected_by_resolution_.rend(); ++r) {
    detected = merge_events(*r, detected);
  }
  chunk_events_ = merge_events(recorded_events_, detected);
}

std::vector<LossEvent> HostTimeline::events() const {
  if (!chunked_) return merge_events(recorded_events_, detector_.events());
  return chunk_events_;
}

std::size_t HostTimeline::bucket_count() const {
  if (!chunked_) return pyramid_.bucket_count();
  return store_.bucket_count();
}

}  // namespace zzping::view
