// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Coarse levels ("tiers") kept on disk so that a long span opens without reading every
// raw frame: 1 s, 1 min and 1 h frames, aligned to UTC, merged exactly (histograms add,
// counters add, inflight takes the maximum). Pure and I/O-free: the daemon and the
// converter feed it frames and write what it emits (docs/formats.md, "Tiers").
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "zzping/common/frame.hpp"

namespace zzping::native {

enum class Tier : std::uint8_t { kSecond = 0, kMinute = 1, kHour = 2 };
inline constexpr std::array<Tier, 3> kTiers = {Tier::kSecond, Tier::kMinute, Tier::kHour};

std::uint32_t tier_length_ms(Tier tier);  // 1000, 60000, 3600000
std::string_view tier_name(Tier tier);     // "1s", "1min", "1h"
// Start of the tier bucket holding time t (floor to a multiple of the tier length).
std::int64_t tier_bucket_start(Tier tier, std::int64_t t_ms);

struct TierFrame {
  Tier tier = Tier::kSecond;
  Frame frame;  // t_ms = bucket start, length_ms = tier length
  friend bool operator==(const TierFrame&, const TierFrame&) = default;
};

// Folds final frames of one host into the three tiers. A frame belongs to the bucket of
// its start time. A 1 s bucket is emitted when a frame of a later second arrives; a 1 min
// (1 h) bucket when a 1 s (1 min) frame of a later minute (hour) is emitted, so the 1 min
// tier trails the raw frames by about a second and the 1 h tier by about a minute.
// flush() emits the open buckets. Frames should come in time order: a frame older than the open bucket is
// merged into that bucket anyway, so counts are never lost, only misplaced in time.
class TierAggregator {
 public:
  // Adds one frame; appends the tier frames it completed to `completed` (finest first).
  // Throws std::invalid_argument if the frame's precision differs from earlier frames'.
  void add(const Frame& frame, std::vector<TierFrame>& completed);
  // Emits the partially filled buckets (at shutdown or the end of an input) and resets.
  void flush(std::vector<TierFrame>& completed);

 private:
  struct Bucket {
    bool open = false;
    Frame frame;
  };
  void add_to(std::size_t level, const Frame& frame, std::vector<TierFrame>& completed);
  void close(std::size_t level, std::vector<TierFrame>& completed);

  std::array<Bucket, 3> buckets_;
};

}  // namespace zzping::native
