// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A deterministic synthetic host for GUI tests and benchmarks: 100 ms frames of 10
// probes, RTT ~1.5 ms with noise, one slow reply (100-150 ms) every 37.1 s, an outage of 3 s every
// 10 min (3 s), and an optional hole in the data.
#include <cmath>
#include <cstdint>
#include <string>

#include "zzping/common/frame.hpp"

namespace zzping::testing {

class SyntheticHost {
 public:
  explicit SyntheticHost(std::int64_t t0_ms, std::uint64_t seed = 1) : t_ms_(t0_ms), state_(seed) {}

  // Skips `ms` of time: frames resume after a hole.
  void skip(std::int64_t ms) { t_ms_ += ms; }

  Frame next() {
    Frame f;
    f.t_ms = t_ms_;
    f.length_ms = 100;
    f.sent = 10;
    const std::int64_t in_10min = t_ms_ % 600'000;
    const bool outage = in_10min >= 300'000 && in_10min < 303'000;
    const bool spike = (t_ms_ / 100) % 371 == 0;
    if (outage) {
      f.lost = 10;
    } else {
      f.lost = uniform() < 0.002 ? 1 : 0;
    }
    f.recv = f.sent - f.lost;
    double previous_us = 0.0;
    std::uint64_t jitter_ns = 0;
    for (std::uint32_t i = 0; i < f.recv; ++i) {
      double us = 1200.0 + 300.0 * uniform() + (uniform() < 0.05 ? 3000.0 * uniform() : 0.0);
      if (spike && i == 0) us += 100'000.0 + 50'000.0 * uniform();  // one slow reply
      f.rtt.add_us(us);
      if (i > 0) jitter_ns += static_cast<std::uint64_t>(std::abs(us - previous_us) * 1000.0);
      previous_us = us;
    }
    // The pairs within the frame (the chain is not carried across frames here).
    if (f.recv > 1) f.jitter = JitterSum{jitter_ns, f.recv - 1};
    t_ms_ += 100;
    return f;
  }

 private:
  double uniform() {  // SplitMix64
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) / 9007199254740992.0;
  }

  std::int64_t t_ms_;
  std::uint64_t state_;
};

}  // namespace zzping::testing
