// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/zzping02/llq.hpp"

#include <cmath>

#include "zzping02/rust_numeric.hpp"

namespace zzping::zzping02 {

LinearLogQuantizer::LinearLogQuantizer(double precision)
    : precision_(precision),
      ln1p_(std::log1p(precision)),
      linear_part_(rust::saturating_cast<std::int64_t>(std::ceil(1.0 / precision))) {}

std::int64_t LinearLogQuantizer::encode(std::int64_t value) const {
  const std::int64_t magnitude = rust::wrapping_abs(value);
  if (magnitude <= linear_part_) return value;
  // Same operation order as the original, so every rounding happens at the same place.
  const double scaled = static_cast<double>(magnitude) * precision_;
  const double code = std::log(scaled) / ln1p_ + static_cast<double>(linear_part_);
  const auto rounded = rust::saturating_cast<std::int64_t>(std::round(code));
  return rust::wrapping_mul(rounded, rust::signum(value));
}

std::int64_t LinearLogQuantizer::decode(std::int64_t code) const {
  const auto as_float = static_cast<double>(code);
  const double magnitude = std::fabs(as_float);
  if (rust::saturating_cast<std::int64_t>(std::round(magnitude)) <= linear_part_) {
    return rust::saturating_cast<std::int64_t>(std::round(as_float));
  }
  const double exponent = (magnitude - static_cast<double>(linear_part_)) * ln1p_;
  const auto value = rust::saturating_cast<std::int64_t>(std::round(std::exp(exponent) / precision_));
  // f64::signum is 1.0 for every non-negative value.
  return rust::wrapping_mul(value, as_float < 0 ? -1 : 1);
}

}  // namespace zzping::zzping02
