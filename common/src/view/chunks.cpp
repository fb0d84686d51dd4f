// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/chunks.hpp"

#include <algorithm>

namespace zzping::view {

std::uint32_t resolution_ms(Resolution r) {
  switch (r) {
    case Resolution::kRaw: return 0;
    case Resolution::kSecond: return 1'000;
    case Resolution::kMinute: return 60'000;
    case Resolution::kHour: return 3'600'000;
  }
  return 0;
}

const char* resolution_name(Resolution r) {
  switch (r) {
    case Resolution::kRaw: return "raw";
    case Resolution::kSecond: return "1s";
    case Resolution::kMinute: return "1min";
    case Resolution::kHour: return "1h";
  }
  return "?";
}

// --- ChunkIndex ------------------------------------------------------------------------

void ChunkIndex::add(Resolution r, std::int64_t start_ms, std::int64_t end_ms) {
  by_resolution_[index(r)].try_emplace(start_ms, end_ms);
}

std::vector<ChunkPeriod> ChunkIndex::overlapping(Resolution r, TimeRange range) const {
  const auto& periods = by_resolution_[index(r)];
  std::vector<ChunkPeriod> out;
  // Periods of one resolution do not overlap, so the one before the first starting at
  // range.begin_ms is the only earlier one that can reach into the range.
  auto it = periods.lower_bound(range.begin_ms);
  if (it != periods.begin() && std::prev(it)->second > range.begin_ms) --it;
  for (; it != periods.end() && it->first < range.end_ms; ++it) {
    out.push_back({{r, it->first}, it->second});
  }
  return out;
}

std::optional<ChunkPeriod> ChunkIndex::find(const ChunkKey& key) const {
  const auto& periods = by_resolution_[index(key.resolution)];
  const auto it = periods.find(key.start_ms);
  if (it == periods.end()) return std::nullopt;
  return ChunkPeriod{key, it->second};
}

bool ChunkIndex::empty() const {
  return std::all_of(by_resolution_.begin(), by_resolution_.end(),
                     [](const auto& m) { return m.empty(); });
}

std::optional<TimeRange> ChunkIndex::extent() const {
  std::optional<TimeRange> all;
  for (const auto& periods : by_resolution_) {
    if (periods.empty()) continue;
    const TimeRange r{periods.begin()->first, periods.rbegin()->second};
    all = all ? TimeRange{std::min(all->begin_ms, r.begin_ms), std::max(all->end_ms, r.end_ms)} : r;
  }
  return all;
}

// --- Chunk -----------------------------------------------------------------------------

std::size_t Chunk::bytes() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < pyramid.level_count(); ++i) n += pyramid.level(i).size();
  return n * sizeof(BucketSummary) + sizeof(Chunk);
}

// --- ChunkStore ------------------------------------------------------------------------

std::uint32_t ChunkStore::level_bucket_ms(std::size_t level) {
  static const std::vector<std::uint32_t> levels = Pyramid::default_bucket_ms();
  return level == 0 ? 0 : levels.at(level - 1);
}

std::size_t ChunkStore::level_count() { return Pyramid::default_bucket_ms().size() + 1; }

void ChunkStore::insert(std::shared_ptr<const Chunk> chunk) {
  const ChunkKey key = chunk->period.key;
  by_resolution_[index(key.resolution)][key.start_ms] = std::move(chunk);
}

void ChunkStore::erase(const ChunkKey& key) { by_resolution_[index(key.resolution)].erase(key.start_ms); }

bool ChunkStore::contains(const ChunkKey& key) const {
  return by_resolution_[index(key.resolution)].contains(key.start_ms);
}

std::vector<ChunkKey> ChunkStore::keys() const {
  std::vector<ChunkKey> out;
  for (const auto& chunks : by_resolution_) {
    for (const auto& [start, chunk] : chunks) out.push_back(chunk->period.key);
  }
  return out;
}

std::vector<const Chunk*> ChunkStore::all() const {
  std::vector<const Chunk*> out;
  for (const auto& chunks : by_resolution_) {
    for (const auto& [start, chunk] : chunks) out.push_back(chunk.get());
  }
  return out;
}

std::size_t ChunkStore::bucket_count() const {
  std::size_t n = 0;
  for (const Chunk* c : all()) n += c->pyramid.bucket_count();
  return n;
}

std::size_t ChunkStore::bytes(Resolution r) const {
  std::size_t n = 0;
  for (const auto& [start, chunk] : by_resolution_[index(r)]) n += chunk->bytes();
  return n;
}

bool ChunkStore::can_give(const Chunk& chunk, std::size_t level) {
  const std::uint32_t bucket = level_bucket_ms(level);
  const Resolution r = chunk.period.key.resolution;
  if (r == Resolution::kRaw) {
    if (level == 0) return true;
  } else if (level == 0 || resolution_ms(r) > bucket) {
    return false;
  }
  const std::int64_t b = bucket;
  return chunk.period.key.start_ms % b == 0 && chunk.period.end_ms % b == 0;
}

std::size_t ChunkStore::finest_level_of(const Chunk& chunk) {
  const std::uint32_t ms = resolution_ms(chunk.period.key.resolution);
  for (std::size_t l = 0; l < level_count(); ++l) {
    if (level_bucket_ms(l) == ms) return l;
  }
  return 0;
}

const Chunk* ChunkStore::covering(Resolution r, std::int64_t t_ms) const {
  const ByStart& chunks = by_resolution_[index(r)];
  auto it = chunks.upper_bound(t_ms);
  if (it == chunks.begin()) return nullptr;
  --it;
  return t_ms < it->second->period.end_ms ? it->second.get() : nullptr;
}

// The coarsest chunk that gives `level` exactly: all give the same buckets (tiers are
// exact merges), and the coarsest has the fewest to look through.
const Chunk* ChunkStore::best_exact(std::size_t level, std::int64_t t_ms) const {
  for (auto r = kResolutions.rbegin(); r != kResolutions.rend(); ++r) {
    const Chunk* c = covering(*r, t_ms);
    if (c && can_give(*c, level)) return c;
  }
  return nullptr;
}

const Chunk* ChunkStore::finest_covering(std::int64_t t_ms) const {
  for (Resolution r : kResolutions) {
    if (const Chunk* c = covering(r, t_ms)) return c;
  }
  return nullptr;
}

std::optional<std::int64_t> ChunkStore::next_start_after(std::int64_t t_ms) const {
  std::optional<std::int64_t> next;
  for (const ByStart& chunks : by_resolution_) {
    const auto it = chunks.upper_bound(t_ms);
    if (it != chunks.end()) next = std::min(next.value_or(it->first), it->first);
  }
  return next;
}

std::optional<std::int64_t> ChunkStore::next_exact_start(std::size_t level, std::int64_t after,
                                                         std::int64_t before) const {
  std::optional<std::int64_t> next;
  for (const ByStart& chunks : by_resolution_) {
    for (auto it = chunks.upper_bound(after); it != chunks.end() && it->first < before; ++it) {
      if (can_give(*it->second, level)) {
        next = std::min(next.value_or(it->first), it->first);
        break;
      }
    }
  }
  return next;
}

// The level a chunk draws where no chunk gives `level` exactly: the coarsest it can give
// that is not coarser than asked, else its finest.
std::size_t ChunkStore::fallback_level(const Chunk& chunk, std::size_t level) {
  for (std::size_t l = level + 1; l-- > 0;) {
    if (can_give(chunk, l)) return l;
  }
  return finest_level_of(chunk);
}

ChunkView ChunkStore::visible(std::size_t level, TimeRange range) const {
  ChunkView view;
  const std::int64_t pad = std::max<std::int64_t>(level_bucket_ms(level), 1'000);
  const std::int64_t end = range.end_ms + pad;
  std::int64_t t = range.begin_ms - pad;
  bool first_stretch = true;
  std::optional<std::uint32_t> finest;
  while (t < end) {
    const Chunk* chunk = best_exact(level, t);
    std::size_t drawn = level;
    std::int64_t stretch_end = end;
    if (chunk) {
      stretch_end = std::min(chunk->period.end_ms, end);
    } else if ((chunk = finest_covering(t))) {
      drawn = fallback_level(*chunk, level);
      stretch_end = std::min({chunk->period.end_ms, end,
                              next_exact_start(level, t, end).value_or(end)});
      if (drawn > level) view.complete = false;
    } else {
      t = std::min(next_start_after(t).value_or(end), end);
      continue;
    }
    // The first stretch also takes the bucket reaching in from the left edge; later ones
    // only buckets starting inside them, so neighbouring chunks never overlap.
    for (const BucketSummary& b : chunk->pyramid.visible(drawn, {t, stretch_end})) {
      const bool inside = first_stretch ? b.end_ms() > t : b.t_ms >= t;
      if (inside && b.t_ms < stretch_end) view.buckets.push_back(b);
    }
    const std::uint32_t ms = level_bucket_ms(drawn);
    finest = std::min(finest.value_or(ms), ms);
    first_stretch = false;
    t = stretch_end;
  }
  view.finest_bucket_ms = finest.value_or(level_bucket_ms(level));
  return view;
}

std::optional<BucketSummary> ChunkStore::bucket_at(std::size_t level, std::int64_t t_ms) const {
  if (const Chunk* exact = best_exact(level, t_ms)) return exact->pyramid.bucket_at(level, t_ms);
  if (const Chunk* c = finest_covering(t_ms)) {
    return c->pyramid.bucket_at(fallback_level(*c, level), t_ms);
  }
  return std::nullopt;
}

std::optional<TimeRange> ChunkStore::extent() const {
  std::optional<TimeRange> all;
  for (const ByStart& chunks : by_resolution_) {
    for (const auto& [start, chunk] : chunks) {
      const auto e = chunk->pyramid.extent();
      if (!e) continue;
      all = all ? TimeRange{std::min(all->begin_ms, e->begin_ms), std::max(all->end_ms, e->end_ms)} : *e;
    }
  }
  return all;
}

}  // namespace zzping::view
