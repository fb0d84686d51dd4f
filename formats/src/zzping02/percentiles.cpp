// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/zzping02/percentiles.hpp"

#include <cmath>

#include "zzping02/rust_numeric.hpp"

namespace zzping::zzping02 {
namespace {

constexpr std::array<float, kPercentileCount> kFractions{0.0f, 0.125f, 0.25f, 0.5f,
                                                         0.75f, 0.875f, 1.0f};

// Index from a floored/ceiled f32 position. The original indexed with it unchecked and
// panicked when f32 rounding pushed (n-1) past the end (n > 2^24); we clamp instead.
std::size_t clamped_index(float position, std::size_t last) {
  const auto index = rust::saturating_cast<std::uint64_t>(position);
  return index > last ? last : static_cast<std::size_t>(index);
}

template <class Sample>
Percentiles percentiles_of(std::span<const Sample> samples) {
  Percentiles result = kNoPercentiles;
  if (samples.empty()) return result;
  const std::size_t last = samples.size() - 1;
  const auto last_f = static_cast<float>(last);
  for (std::size_t i = 0; i < kPercentileCount; ++i) {
    const float position = kFractions[i] * last_f;
    const std::size_t left = clamped_index(std::floor(position), last);
    const std::size_t right = clamped_index(std::ceil(position), last);
    if (left == right) {
      result[i] = static_cast<std::int64_t>(samples[left]);
      continue;
    }
    // Two products and a sum, each rounded to f32, as the original evaluated them.
    const float right_weight = position - static_cast<float>(left);
    const float left_weight = 1.0f - right_weight;
    const float left_part = static_cast<float>(samples[left]) * left_weight;
    const float right_part = static_cast<float>(samples[right]) * right_weight;
    result[i] = rust::saturating_cast<std::int64_t>(std::round(left_part + right_part));
  }
  return result;
}

}  // namespace

Percentiles compute_percentiles(std::span<const std::uint32_t> samples) {
  return percentiles_of(samples);
}

Percentiles compute_percentiles(std::span<const std::int64_t> samples) {
  return percentiles_of(samples);
}

}  // namespace zzping::zzping02
