// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The 7 percentiles zzping 0.2 stored per frame (FrameDataQ::compute_percentiles).
//
// For p in {0, 1/8, 1/4, 1/2, 3/4, 7/8, 1}: x = p*(n-1) in f32; an integral x takes the
// sample as is, otherwise the two neighbours are interpolated in f32 and rounded half away
// from zero. The input is used in the given order: the original did not sort, so unsorted
// samples give non-monotonic percentiles (and the FDQ file then holds negative deltas).
// An empty input gives seven -1 values.
#include <array>
#include <cstdint>
#include <span>

namespace zzping::zzping02 {

inline constexpr std::size_t kPercentileCount = 7;
using Percentiles = std::array<std::int64_t, kPercentileCount>;
inline constexpr Percentiles kNoPercentiles{-1, -1, -1, -1, -1, -1, -1};

// RTT samples of a FrameData frame (u32 on disk).
Percentiles compute_percentiles(std::span<const std::uint32_t> samples);
// Pooled non-negative percentile values (what fold_vec feeds back in).
Percentiles compute_percentiles(std::span<const std::int64_t> samples);

}  // namespace zzping::zzping02
