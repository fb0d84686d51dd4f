// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Random frame generators for the native format's property tests, one per regime the
// codec must get exactly right: daemon-like, zzping 0.2 imports (samples repeated from the
// previous frame), tiers (many samples per bin) and adversarial values.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "zzping/common/frame.hpp"

namespace zzping::native::testing {

using Rng = std::mt19937_64;

inline std::uint32_t uniform_u32(Rng& rng, std::uint32_t lo, std::uint32_t hi) {
  return std::uniform_int_distribution<std::uint32_t>(lo, hi)(rng);
}

// 100 ms frames, 10 probes each, lognormal RTTs around 1.5 ms, rare loss and congestion.
inline std::vector<Frame> daemon_frames(Rng& rng, std::size_t n, const RttQuantiser& q,
                                        std::int64_t start_ms = 1'609'488'000'000) {
  std::lognormal_distribution<double> jitter(0.0, 0.45);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<Frame> frames;
  for (std::size_t i = 0; i < n; ++i) {
    Frame f{.t_ms = start_ms + static_cast<std::int64_t>(i) * 100, .rtt = RttHistogram(q)};
    f.lost = u(rng) < 0.01 ? uniform_u32(rng, 1, 10) : 0;
    f.recv = 10 - std::min(f.lost, 10u);
    f.sent = f.recv + f.lost;
    f.inflight = u(rng) < 0.15 ? 1 : 0;
    f.dup = u(rng) < 0.002 ? 1 : 0;
    const double congestion = u(rng) < 0.03 ? 50'000 * u(rng) : 0.0;
    for (std::uint32_t k = 0; k < f.recv; ++k) f.rtt.add_us(800 + 700 * jitter(rng) + congestion);
    frames.push_back(std::move(f));
  }
  return frames;
}

// zzping 0.2-like: irregular times (100-102 ms apart), and about a third of each frame's
// samples repeated from the previous frame, as its overlapping 150 ms reply windows did.
inline std::vector<Frame> imported_frames(Rng& rng, std::size_t n, const RttQuantiser& q) {
  std::lognormal_distribution<double> jitter(0.0, 0.45);
  std::vector<Frame> frames;
  std::vector<double> previous_new;
  std::int64_t t = 1'609'488'004'218;
  for (std::size_t i = 0; i < n; ++i) {
    Frame f{.t_ms = t, .rtt = RttHistogram(q)};
    t += 100 + uniform_u32(rng, 0, 2);
    std::vector<double> fresh;
    for (std::uint32_t k = uniform_u32(rng, 5, 8); k > 0; --k) fresh.push_back(800 + 700 * jitter(rng));
    for (double v : previous_new) {
      if (uniform_u32(rng, 0, 2) == 0) f.rtt.add_us(v);
    }
    for (double v : fresh) f.rtt.add_us(v);
    previous_new = fresh;
    f.recv = static_cast<std::uint32_t>(f.rtt.count());
    f.lost = i % 97 < 3 ? uniform_u32(rng, 1, 64) : 0;
    f.sent = f.recv + f.lost;
    f.inflight = uniform_u32(rng, 0, 20) == 0 ? uniform_u32(rng, 0, 64) : 0;
    frames.push_back(std::move(f));
  }
  return frames;
}

// 1 s tier-like frames: hundreds of samples in few bins.
inline std::vector<Frame> tier_like_frames(Rng& rng, std::size_t n, const RttQuantiser& q) {
  std::vector<Frame> frames;
  for (std::size_t i = 0; i < n; ++i) {
    Frame f{.t_ms = 1'609'488'000'000 + static_cast<std::int64_t>(i) * 1000, .length_ms = 1000,
            .rtt = RttHistogram(q)};
    const std::int32_t base = q.key_of(1.5e6);
    for (std::uint32_t b = uniform_u32(rng, 0, 40); b > 0; --b) {
      f.rtt.add_key(base + static_cast<std::int32_t>(uniform_u32(rng, 0, 120)) - 20,
                    uniform_u32(rng, 1, 50));
    }
    f.recv = static_cast<std::uint32_t>(f.rtt.count());
    f.lost = uniform_u32(rng, 0, 3);
    f.sent = f.recv + f.lost;
    f.inflight = uniform_u32(rng, 0, 4);
    frames.push_back(std::move(f));
  }
  return frames;
}

// Anything a Frame can hold: full-range counters, extreme keys and counts, empty
// histograms, time gaps and jumps back, odd lengths.
inline std::vector<Frame> adversarial_frames(Rng& rng, std::size_t n, const RttQuantiser& q) {
  constexpr std::uint32_t kMax = std::numeric_limits<std::uint32_t>::max();
  std::vector<Frame> frames;
  std::int64_t t = static_cast<std::int64_t>(rng() % (std::uint64_t{1} << 50)) - (std::int64_t{1} << 49);
  auto counter = [&rng] {
    switch (rng() % 4) {
      case 0: return 0u;
      case 1: return uniform_u32(rng, 0, 20);
      case 2: return kMax - uniform_u32(rng, 0, 3);
      default: return static_cast<std::uint32_t>(rng());
    }
  };
  for (std::size_t i = 0; i < n; ++i) {
    Frame f{.t_ms = t, .rtt = RttHistogram(q)};
    switch (rng() % 5) {
      case 0: t += 100; break;
      case 1: t -= static_cast<std::int64_t>(rng() % 100'000); break;
      case 2: t += static_cast<std::int64_t>(rng() % (std::uint64_t{1} << 40)); break;
      default: t += static_cast<std::int64_t>(rng() % 300); break;
    }
    f.length_ms = rng() % 3 == 0 ? counter() : 100;
    f.sent = counter();
    f.recv = counter();
    f.lost = counter();
    f.dup = counter();
    f.late = counter();
    f.icmp_errors = counter();
    f.inflight = counter();
    std::vector<HistogramBin> bins;
    for (std::uint32_t b = uniform_u32(rng, 0, 12); b > 0; --b) {
      std::int32_t key = 0;
      switch (rng() % 4) {
        case 0: key = std::numeric_limits<std::int32_t>::min() + static_cast<std::int32_t>(rng() % 3); break;
        case 1: key = std::numeric_limits<std::int32_t>::max() - static_cast<std::int32_t>(rng() % 3); break;
        case 2: key = static_cast<std::int32_t>(rng()); break;
        default: key = 1400 + static_cast<std::int32_t>(rng() % 50); break;
      }
      bins.push_back({key, rng() % 3 == 0 ? kMax - uniform_u32(rng, 0, 5) : uniform_u32(rng, 1, 3)});
    }
    std::sort(bins.begin(), bins.end(), [](auto& a, auto& b) { return a.key < b.key; });
    bins.erase(std::unique(bins.begin(), bins.end(), [](auto& a, auto& b) { return a.key == b.key; }),
               bins.end());
    f.rtt.assign_bins(std::move(bins));
    frames.push_back(std::move(f));
  }
  return frames;
}

}  // namespace zzping::native::testing
