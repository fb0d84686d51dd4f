// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Chunks: a host's timeline read piece by piece from a daemon data directory.
//
// A data directory keeps raw frames per UTC hour and tiers of 1 s (per day), 1 min (per
// month) and 1 h (per year) frames. Opening a year must not decode every raw frame, so
// each file period is a chunk that is loaded when the view needs it and evicted when it
// does not. ChunkIndex says which chunks exist (from file names only); ChunkStore holds
// the loaded ones, each as its own small Pyramid, and draws a view from the finest
// chunk available at each moment, never passing a coarse bucket off as a finer level.
#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "zzping/common/view/level.hpp"
#include "zzping/common/view/pyramid.hpp"

namespace zzping::view {

// The resolutions a data directory holds, finest first.
enum class Resolution : std::uint8_t { kRaw = 0, kSecond = 1, kMinute = 2, kHour = 3 };
inline constexpr std::array<Resolution, 4> kResolutions = {Resolution::kRaw, Resolution::kSecond,
                                                           Resolution::kMinute, Resolution::kHour};
// Bucket length of a resolution's frames: 0 for raw frames, else 1 s, 1 min, 1 h.
std::uint32_t resolution_ms(Resolution r);
const char* resolution_name(Resolution r);

// One file period at one resolution (several files of one period, written by restarts of
// the daemon, form one chunk).
struct ChunkKey {
  Resolution resolution = Resolution::kRaw;
  std::int64_t start_ms = 0;
  friend auto operator<=>(const ChunkKey&, const ChunkKey&) = default;
};

struct ChunkPeriod {
  ChunkKey key;
  std::int64_t end_ms = 0;
  TimeRange range() const { return {key.start_ms, end_ms}; }
};

// What a data directory holds for one host, from file names only.
class ChunkIndex {
 public:
  // Adds a period (idempotent: the same key again is ignored).
  void add(Resolution r, std::int64_t start_ms, std::int64_t end_ms);
  // Periods of resolution `r` overlapping `range`, in time order.
  std::vector<ChunkPeriod> overlapping(Resolution r, TimeRange range) const;
  std::optional<ChunkPeriod> find(const ChunkKey& key) const;
  std::size_t count(Resolution r) const { return by_resolution_[index(r)].size(); }
  bool empty() const;
  // Union of every period.
  std::optional<TimeRange> extent() const;

 private:
  static std::size_t index(Resolution r) { return static_cast<std::size_t>(r); }
  std::array<std::map<std::int64_t, std::int64_t>, 4> by_resolution_;  // start -> end
};

// A loaded chunk: its frames merged into a pyramid (raw frames appended, tier frames at
// their own level).
struct Chunk {
  ChunkPeriod period;
  Pyramid pyramid;
  // Approximate heap bytes its buckets take (what the memory budget counts).
  std::size_t bytes() const;
};

// What a view draws: buckets in time order, and the finest bucket length among them
// (may be coarser than the level asked for while detail is still loading).
struct ChunkView {
  std::vector<BucketSummary> buckets;
  std::uint32_t finest_bucket_ms = 0;
  bool complete = true;  // every bucket is of the level asked for
};

class ChunkStore {
 public:
  void insert(std::shared_ptr<const Chunk> chunk);
  void erase(const ChunkKey& key);
  bool contains(const ChunkKey& key) const;
  std::vector<ChunkKey> keys() const;
  std::vector<const Chunk*> all() const;
  std::size_t bucket_count() const;
  std::size_t bytes(Resolution r) const;
  std::size_t chunk_count(Resolution r) const { return by_resolution_[index(r)].size(); }

  // Level `level` of `levels` (the pyramid's levels: 0 raw, then bucket lengths) over
  // `range`, widened by one bucket on each side. At each moment it takes a chunk that can
  // give that level exactly; where none is loaded, the finest level a loaded chunk has
  // there (and marks the view incomplete). Chunks never overlap in the result: each
  // contributes the buckets that start inside its own stretch.
  ChunkView visible(std::size_t level, TimeRange range) const;
  std::optional<BucketSummary> bucket_at(std::size_t level, std::int64_t t_ms) const;
  // Times covered by loaded data.
  std::optional<TimeRange> extent() const;

  // The pyramid levels every chunk uses (Pyramid::default_bucket_ms plus raw).
  static std::uint32_t level_bucket_ms(std::size_t level);
  static std::size_t level_count();

 private:
  using ByStart = std::map<std::int64_t, std::shared_ptr<const Chunk>>;
  static std::size_t index(Resolution r) { return static_cast<std::size_t>(r); }
  // A chunk can give level L exactly when its frames are no coarser than L's buckets and
  // L's buckets do not straddle its period's ends.
  static bool can_give(const Chunk& chunk, std::size_t level);
  static std::size_t finest_level_of(const Chunk& chunk);
  static std::size_t fallback_level(const Chunk& chunk, std::size_t level);
  const Chunk* covering(Resolution r, std::int64_t t_ms) const;
  const Chunk* best_exact(std::size_t level, std::int64_t t_ms) const;
  const Chunk* finest_covering(std::int64_t t_ms) const;
  std::optional<std::int64_t> next_start_after(std::int64_t t_ms) const;
  std::optional<std::int64_t> next_exact_start(std::size_t level, std::int64_t after,
                                               std::int64_t before) const;

  std::array<ByStart, 4> by_resolution_;
};

}  // namespace zzping::view
