// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A deterministic synthetic host for GUI tests and benchmarks: 100 ms frames of 10
// probes (100 pings/s; another rate with probes_per_frame), RTT ~1.5 ms with noise, one
// slow reply (100-150 ms) every 37.1 s, an outage of 3 s every 10 min, a single lost probe
// in 0.2 % of the frames, and an optional hole in the data. lost_probes() says which probes
// of the last frame were lost (probe i sent at t_ms + i * 100 / probes_per_frame), so the
// loss bursts written beside the frames match them (synthetic_data_dir.hpp).
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "zzping/common/frame.hpp"

namespace zzping::testing {

class SyntheticHost {
 public:
  explicit SyntheticHost(std::int64_t t0_ms, std::uint64_t seed = 1, std::uint32_t probes_per_frame = 10)
      : t_ms_(t0_ms), state_(seed), probes_(probes_per_frame) {}

  // Probe indices (in send order) lost in the frame next() returned last.
  const std::vector<std::uint32_t>& lost_probes() const { return lost_probes_; }
  std::uint32_t probes_per_frame() const { return probes_; }

  // Skips `ms` of time: frames resume after a hole.
  void skip(std::int64_t ms) { t_ms_ += ms; }

  Frame next() {
    Frame f;
    f.t_ms = t_ms_;
    f.length_ms = 100;
    f.sent = probes_;
    const std::int64_t in_10min = t_ms_ % 600'000;
    const bool outage = in_10min >= 300'000 && in_10min < 303'000;
    const bool spike = (t_ms_ / 100) % 371 == 0;
    lost_probes_.clear();
    if (outage) {
      f.lost = probes_;
      for (std::uint32_t i = 0; i < probes_; ++i) lost_probes_.push_back(i);
    } else {
      f.lost = uniform() < 0.002 ? 1 : 0;
      // Which one: from the time, not the random stream (the frames stay those of before).
      if (f.lost) lost_probes_.push_back(static_cast<std::uint32_t>((static_cast<std::uint64_t>(t_ms_ / 100) * 2654435761u) % probes_));
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
  std::uint32_t probes_;
  std::vector<std::uint32_t> lost_probes_;
};

}  // namespace zzping::testing
