// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Clock helpers. RTTs are measured on the monotonic clock only; the wall clock (UTC) only
// labels frames. Kernel receive timestamps come on the wall clock, so they are converted to
// the monotonic clock with the offset measured when the packet is read (see
// kernel_stamp_to_monotonic): a wall-clock step can never produce a negative or absurd RTT.
#include <cstdint>

namespace zzping::daemon {

inline constexpr std::int64_t kNsPerMs = 1'000'000;
inline constexpr std::int64_t kNsPerS = 1'000'000'000;

std::int64_t monotonic_ns();
std::int64_t wall_ns();

// Both clocks at one instant (the pair a kernel wall-clock stamp is converted with).
struct ClockPair {
  std::int64_t mono_ns = 0;
  std::int64_t wall_ns = 0;
};
ClockPair read_clocks();
// read_clocks() with the given clocks (tests pass fakes): the monotonic clock is read
// before and after the wall clock, again while a preemption split the reads.
ClockPair read_clock_pair(std::int64_t (*mono)(), std::int64_t (*wall)());

// Converts a kernel wall-clock receive stamp into the monotonic clock, using clocks read
// just after the packet was dequeued. The stamp is trusted only if it lies in the past by
// less than `max_age_ns` (a wall-clock step between the stamp and the read would break
// that); otherwise the read time itself is used (a few µs later than the truth).
std::int64_t kernel_stamp_to_monotonic(std::int64_t kernel_wall_ns, ClockPair now,
                                       std::int64_t max_age_ns = kNsPerS);

}  // namespace zzping::daemon
