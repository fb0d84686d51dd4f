// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Constants of the frame block bitstream shared by its encoder and decoder
// (docs/formats.md, "Frame block" is the normative description).
#include <algorithm>
#include <array>
#include <cstdint>

#include "native/bit_stream.hpp"

namespace zzping::native::block {

// The counters that are "sticky" (a frame repeats the previous frame's value unless an
// exception says otherwise), in the order their deltas are coded in an exception.
enum Field : unsigned {
  kInflight = 0,
  kLost,
  kGap,        // time since the end of the previous frame; not sticky (0 unless coded)
  kLength,
  kSent,       // sent itself, or sent - recv - lost (see Flags::sent_explicit)
  kRecvExtra,  // recv - number of histogram samples
  kDup,
  kLate,
  kIcmp,
  kFieldCount
};
// Fields behind the "other fields changed" bit of an exception, in coding order.
inline constexpr std::array<Field, 7> kOtherFields = {kGap, kLength, kSent, kRecvExtra,
                                                      kDup, kLate, kIcmp};

struct Flags {
  bool time_jitter = false;    // every frame codes its time gap (imported, irregular times)
  bool time_signed = false;    // ... and some gaps are negative
  bool hist_bins = false;      // histograms as (key, count) bins, not as sample lists
  bool carry = false;          // sample lists may reuse the previous frame's new samples
  bool sent_explicit = false;  // the kSent field holds sent, not sent - recv - lost
};

// The kinds of Rice-coded values ("contexts"); each has its own parameter per block.
enum Context : unsigned { kRun = 0, kDelta, kTimeGap, kCount, kFirstKey, kGap0, kGap1, kGap2,
                          kGap3, kBinCount, kContextCount };
// Parameters the block header codes as differences from these (at precision 0.01).
inline constexpr std::array<unsigned, kContextCount> kDefaultK = {2, 0, 0, 0, 4, 3, 3, 2, 2, 0};
inline constexpr bool is_key_context(unsigned c) { return c >= kFirstKey && c <= kGap3; }

// Whether the block header carries a parameter for context c (the others are never used).
inline bool context_present(unsigned c, const Flags& flags) {
  if (c == kTimeGap) return flags.time_jitter;
  if (c == kBinCount) return flags.hist_bins;
  return true;
}

// Key distances scale with 1/precision: log2(0.01 / precision) rounded, by exact halvings
// so encoder and decoder agree bit for bit on every platform.
inline int key_k_shift(double precision) {
  int shift = 0;
  double g = 0.01 / precision;
  while (g >= 1.4142135623730951 && shift < 12) {
    g /= 2;
    ++shift;
  }
  while (g < 0.7071067811865476 && shift > -8) {
    g *= 2;
    --shift;
  }
  return shift;
}

inline std::array<unsigned, kContextCount> default_k(double precision) {
  std::array<unsigned, kContextCount> k{};
  const int shift = key_k_shift(precision);
  for (unsigned c = 0; c < kContextCount; ++c) {
    const int v = static_cast<int>(kDefaultK[c]) + (is_key_context(c) ? shift : 0);
    k[c] = static_cast<unsigned>(std::clamp(v, 0, static_cast<int>(bits::kMaxK)));
  }
  return k;
}

// Context of the gap before sample/bin j (1-based) of a list of n: by distance to the
// nearer end, because the tails of an RTT distribution are sparse and its middle dense.
inline unsigned gap_context(std::uint64_t j, std::uint64_t n) {
  const std::uint64_t d = std::min<std::uint64_t>(j - 1, n - 1 - j);
  return kGap0 + static_cast<unsigned>(std::min<std::uint64_t>(d, 3));
}

}  // namespace zzping::native::block
