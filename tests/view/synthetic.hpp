// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Deterministic synthetic frames for view-model tests.
#include <cstdint>
#include <vector>

#include "zzping/common/frame.hpp"

namespace zzping::view::testing {

// `count` frames of `length_ms` starting at t0_ms; frame i holds 10 probes with RTTs
// 1000 + 10*i .. 1000 + 10*i + 9 µs, and loses `lost` of them every 7th frame.
inline std::vector<Frame> ramp_frames(std::int64_t t0_ms, std::size_t count,
                                      std::uint32_t length_ms = 100, std::uint32_t lost = 2) {
  std::vector<Frame> frames;
  frames.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    Frame f;
    f.t_ms = t0_ms + static_cast<std::int64_t>(i * length_ms);
    f.length_ms = length_ms;
    f.sent = 10;
    f.lost = (i % 7 == 0) ? lost : 0;
    f.recv = f.sent - f.lost;
    for (std::uint32_t k = 0; k < f.recv; ++k) {
      f.rtt.add_us(1000.0 + 10.0 * static_cast<double>(i) + k);
    }
    frames.push_back(f);
  }
  return frames;
}

}  // namespace zzping::view::testing
