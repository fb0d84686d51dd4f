// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Rust's numeric semantics as zzping 0.2 relied on them in its release build, spelled out
// in C++ without undefined behaviour: `as` casts from floats saturate (NaN becomes 0), and
// integer arithmetic wraps because overflow checks were off.
#include <cmath>
#include <cstdint>
#include <limits>

namespace zzping::zzping02::rust {

// `f as Int`: truncates toward zero, saturates at the bounds, NaN -> 0.
template <class Int, class Float>
Int saturating_cast(Float f) {
  if (std::isnan(f)) return 0;
  constexpr Int lo = std::numeric_limits<Int>::min();
  constexpr Int hi = std::numeric_limits<Int>::max();
  if (f <= static_cast<Float>(lo)) return lo;
  // static_cast<Float>(hi) rounds up to a power of two, so `>=` catches every value too big.
  if (f >= static_cast<Float>(hi)) return hi;
  return static_cast<Int>(f);
}

inline std::int64_t wrapping_add(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}
inline std::int64_t wrapping_sub(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b));
}
inline std::int64_t wrapping_mul(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) * static_cast<std::uint64_t>(b));
}
// i64::abs in a release build: i64::MIN stays i64::MIN.
inline std::int64_t wrapping_abs(std::int64_t v) { return v < 0 ? wrapping_sub(0, v) : v; }
inline std::int64_t signum(std::int64_t v) { return (v > 0) - (v < 0); }

}  // namespace zzping::zzping02::rust
