// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// DetailPlanner: which chunks of a data directory to load and which to evict, given the
// view and what is loaded. Pure logic; the GUI's loader thread does the reading.
//
// The 1 min and 1 h tiers are "pinned": never evicted (a year of 1 min buckets is
// ~40 MB). Opening loads the coarsest of them; the plan then asks for the other pinned
// chunks, those the view shows first, the rest after the fine detail (background). The 1 s tier and raw frames are "fine detail": loaded for
// the visible range plus a margin when the view's level is finer than 1 min, and evicted
// farthest from the view first when they would exceed the memory budget.
#include <cstdint>
#include <span>
#include <vector>

#include "zzping/common/view/chunks.hpp"

namespace zzping::view {

struct DetailBudget {
  // Fine detail kept per host (raw + 1 s chunks), in bytes of buckets. 256 MiB is about
  // 110 hours of raw frames at 100 ms, or 40 days of the 1 s tier.
  std::size_t max_bytes = std::size_t{256} << 20;
  // Loaded on each side of the view, as a fraction of its span, so a pan shows detail at
  // once.
  double margin = 0.5;
};

struct LoadedChunkInfo {
  ChunkPeriod period;
  std::size_t bytes = 0;
};

struct DetailPlan {
  std::vector<ChunkPeriod> load;  // nearest to the view first
  std::vector<ChunkKey> evict;
};

// Loaded at open and never evicted.
bool is_pinned(Resolution r);
// The coarsest resolution whose frames are no coarser than `bucket_ms` (0: raw).
Resolution needed_resolution(std::uint32_t bucket_ms);
// Bytes a chunk of `period` is expected to take once loaded (raw frames of 100 ms).
std::size_t estimated_bytes(const ChunkPeriod& period);

// `level_bucket_ms` is the bucket length of the level the view draws (0 for raw).
DetailPlan plan_detail(const ChunkIndex& index, std::span<const LoadedChunkInfo> loaded,
                       TimeRange view, std::uint32_t level_bucket_ms, const DetailBudget& budget);

}  // namespace zzping::view
