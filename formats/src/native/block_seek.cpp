// SPDX-License-Identifier: GPL-3.0-or-later
// Bisection over a file image's bytes for the last frame block at or before a time.
#include "zzping/formats/native/block_seek.hpp"

#include <algorithm>
#include <map>

namespace zzping::native {
namespace {

// The first block recognised from `from` on, its window doubled while it ends before the
// image does and holds no whole block (a block larger than the window).
std::optional<BlockIndex::Mark> first_block_from(const ReadWindow& read, std::size_t from, std::size_t size,
                                                 const BlockContext& ctx, const SeekLimits& limits,
                                                 std::size_t& bytes_read) {
  for (std::size_t length = limits.window;; length *= 2) {
    const auto window = read(from, length);
    bytes_read += window.size();
    if (const auto mark = BlockIndex::first_block_in(window, from, ctx)) return mark;
    if (from + window.size() >= size || window.size() < length || length >= limits.max_window) return std::nullopt;
  }
}

// True when `probes` (offset -> start) stays in time order with `mark` added.
bool in_time_order(const std::map<std::size_t, std::int64_t>& probes, const BlockIndex::Mark& mark) {
  const auto after = probes.upper_bound(mark.block_at);
  if (after != probes.end() && after->second < mark.start_ms) return false;
  if (after != probes.begin() && std::prev(after)->second > mark.start_ms) return false;
  return true;
}

}  // namespace

std::optional<BlockIndex::Mark> seek_block_at_or_before(const ReadWindow& read, std::size_t records_start,
                                                        std::size_t size, const BlockContext& ctx,
                                                        std::int64_t target_ms, const SeekLimits& limits,
                                                        std::size_t* bytes_read) {
  std::size_t read_total = 0;
  std::optional<BlockIndex::Mark> best;
  std::map<std::size_t, std::int64_t> probes;  // block offset -> start, to check time order
  std::size_t lo = records_start;  // best's block (or the first record): at or before target_ms
  std::size_t hi = size;           // the block holding target_ms starts before this
  for (int probe = 0; probe < limits.max_probes && hi - lo > limits.window; ++probe) {
    const std::size_t mid = lo + (hi - lo) / 2;
    const auto mark = first_block_from(read, mid, size, ctx, limits, read_total);
    if (!mark || mark->block_at >= hi) {
      hi = mid;  // no block starts in [mid, hi): the one wanted starts before mid
      continue;
    }
    if (!in_time_order(probes, *mark)) {
      best.reset();
      break;
    }
    probes.emplace(mark->block_at, mark->start_ms);
    if (mark->start_ms <= target_ms) {
      best = mark;
      lo = mark->block_at;
    } else {
      hi = mid;
    }
  }
  if (bytes_read) *bytes_read += read_total;
  return best;
}

}  // namespace zzping::native
