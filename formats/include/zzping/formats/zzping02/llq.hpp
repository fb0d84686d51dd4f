// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// zzping 0.2's LinearLogQuantizer (compress/quantize.rs), reproduced to the integer.
//
// With L = ceil(1/p): values with |v| <= L are kept as they are (linear part); larger values
// become sign(v)*round(ln(|v|*p)/ln(1+p) + L), a code whose step is a relative p. All maths in
// f64 with Rust's rounding (half away from zero) and saturating float->int casts, so a file
// precision that is 0, negative or NaN gives the same integers the original gave, never UB.
// decode() can exceed the u32 range (4294967295 -> code 219 -> 4477867081 at p = 0.1): it
// returns int64 for that reason.
#include <cstdint>

namespace zzping::zzping02 {

class LinearLogQuantizer {
 public:
  explicit LinearLogQuantizer(double precision);

  std::int64_t encode(std::int64_t value) const;
  std::int64_t decode(std::int64_t code) const;

  double precision() const { return precision_; }
  std::int64_t linear_part() const { return linear_part_; }

 private:
  double precision_;
  double ln1p_;               // ln(1 + p)
  std::int64_t linear_part_;  // L
};

}  // namespace zzping::zzping02
