// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/detail_planner.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <set>

namespace zzping::view {

namespace {

constexpr std::int64_t kAssumedRawFrameMs = 100;
// A pyramid holds its finest level plus ~1/3 more in coarser ones (1 s and 5 s add 1/5 of
// the 1 s count, ...): 1.3 x the frames, rounded up.
constexpr double kPyramidOverhead = 1.3;

std::int64_t distance(TimeRange a, TimeRange b) {
  if (a.end_ms <= b.begin_ms) return b.begin_ms - a.end_ms;
  if (b.end_ms <= a.begin_ms) return a.begin_ms - b.end_ms;
  return 0;
}

bool contains(TimeRange outer, TimeRange inner) {
  return outer.begin_ms <= inner.begin_ms && inner.end_ms <= outer.end_ms;
}

TimeRange widened(TimeRange view, double margin) {
  const auto pad = static_cast<std::int64_t>(std::llround(static_cast<double>(view.span_ms()) * margin));
  return {view.begin_ms - pad, view.end_ms + pad};
}

// Chunks of the needed resolution over `wanted`; where the index has none, finer ones
// (a day without a 1 s tier file may still have its raw hours).
std::vector<ChunkPeriod> wanted_chunks(const ChunkIndex& index, TimeRange wanted, Resolution needed) {
  std::vector<ChunkPeriod> out;
  for (auto r = static_cast<int>(needed); r >= 0; --r) {
    const std::size_t coarser_end = out.size();
    for (const ChunkPeriod& p : index.overlapping(static_cast<Resolution>(r), wanted)) {
      const bool covered = std::any_of(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(coarser_end),
                                       [&](const ChunkPeriod& c) { return contains(c.range(), p.range()); });
      if (!covered) out.push_back(p);
    }
  }
  return out;
}

}  // namespace

bool is_pinned(Resolution r) { return r == Resolution::kMinute || r == Resolution::kHour; }

Resolution needed_resolution(std::uint32_t bucket_ms) {
  Resolution best = Resolution::kRaw;
  for (Resolution r : kResolutions) {
    if (r != Resolution::kRaw && resolution_ms(r) <= bucket_ms) best = r;
  }
  return best;
}

std::size_t estimated_bytes(const ChunkPeriod& period) {
  const std::int64_t frame_ms = period.key.resolution == Resolution::kRaw
                                    ? kAssumedRawFrameMs
                                    : std::int64_t{resolution_ms(period.key.resolution)};
  const double frames = static_cast<double>(period.range().span_ms()) / static_cast<double>(frame_ms);
  return static_cast<std::size_t>(frames * kPyramidOverhead * static_cast<double>(sizeof(BucketSummary)));
}

DetailPlan plan_detail(const ChunkIndex& index, std::span<const LoadedChunkInfo> loaded,
                       TimeRange view, std::uint32_t level_bucket_ms, const DetailBudget& budget) {
  DetailPlan plan;
  const Resolution needed = needed_resolution(level_bucket_ms);
  std::vector<ChunkPeriod> wanted;
  if (!is_pinned(needed)) wanted = wanted_chunks(index, widened(view, budget.margin), needed);
  std::stable_sort(wanted.begin(), wanted.end(), [&](const ChunkPeriod& a, const ChunkPeriod& b) {
    return distance(a.range(), view) < distance(b.range(), view);
  });

  // Keep the nearest wanted chunks that fit the budget; the ones the view itself shows
  // are kept whatever it costs (the level choice keeps that to a few chunks).
  std::set<ChunkKey> keep;
  std::size_t kept_bytes = 0;
  for (const ChunkPeriod& p : wanted) {
    const auto it = std::find_if(loaded.begin(), loaded.end(),
                                 [&](const LoadedChunkInfo& c) { return c.period.key == p.key; });
    const std::size_t bytes = it != loaded.end() ? it->bytes : estimated_bytes(p);
    const bool in_view = distance(p.range(), view) == 0;
    if (!in_view && kept_bytes + bytes > budget.max_bytes) continue;
    keep.insert(p.key);
    kept_bytes += bytes;
    if (it == loaded.end()) plan.load.push_back(p);
  }

  // Then the pinned chunks not loaded yet: those the view shows first, the others after
  // all detail (opening loads only the coarsest tier, so a year shows at once, and the
  // 1 min tier arrives in the background).
  std::vector<ChunkPeriod> pinned;
  for (Resolution r : kResolutions) {
    if (!is_pinned(r)) continue;
    for (const ChunkPeriod& p : index.overlapping(r, {INT64_MIN / 4, INT64_MAX / 4})) {
      const bool is_loaded = std::any_of(loaded.begin(), loaded.end(),
                                         [&](const LoadedChunkInfo& c) { return c.period.key == p.key; });
      if (!is_loaded) pinned.push_back(p);
    }
  }
  std::stable_sort(pinned.begin(), pinned.end(), [&](const ChunkPeriod& a, const ChunkPeriod& b) {
    return distance(a.range(), view) < distance(b.range(), view);
  });
  std::vector<ChunkPeriod> load;
  for (const ChunkPeriod& p : pinned) {
    if (distance(p.range(), view) == 0) load.push_back(p);
  }
  load.insert(load.end(), plan.load.begin(), plan.load.end());
  for (const ChunkPeriod& p : pinned) {
    if (distance(p.range(), view) != 0) load.push_back(p);
  }
  plan.load = std::move(load);

  // Evict the loaded detail the view does not want, farthest first, until what stays
  // fits the budget next to what is kept.
  std::vector<LoadedChunkInfo> spare;
  std::size_t total = kept_bytes;
  for (const LoadedChunkInfo& c : loaded) {
    if (is_pinned(c.period.key.resolution) || keep.contains(c.period.key)) continue;
    spare.push_back(c);
    total += c.bytes;
  }
  std::stable_sort(spare.begin(), spare.end(), [&](const LoadedChunkInfo& a, const LoadedChunkInfo& b) {
    return distance(a.period.range(), view) > distance(b.period.range(), view);
  });
  for (const LoadedChunkInfo& c : spare) {
    if (total <= budget.max_bytes) break;
    plan.evict.push_back(c.period.key);
    total -= c.bytes;
  }
  return plan;
}

}  // namespace zzping::view
