// SPDX-License-Identifier: GPL-3.0-or-later
// The jitter record (docs/formats.md, "Jitter (record kind 3)"): the jitter sums and pair
// counts of the frames of one frame block, kept beside the block because the block
// bitstream never changes within major version 1.
#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "native/bit_stream.hpp"
#include "zzping/formats/native/block_codec.hpp"

namespace zzping::native {
namespace {

struct JitterParams {
  unsigned k_pairs = 0;  // Rice parameter of zz(pairs - previous pairs)
  unsigned k_sum = 0;    // Rice parameter of the sums, in units
  unsigned unit_code = 0;  // sums are coded in units of 10^unit_code ns
};

constexpr std::array<std::uint64_t, 4> kUnitNs = {1, 10, 100, 1000};

// The largest unit dividing every sum: the daemon's sums are whole microseconds, so they
// cost about 10 bits less per frame than in ns, and any other input stays exact.
unsigned unit_code_of(std::span<const Frame> frames) {
  unsigned code = 3;
  for (const Frame& f : frames) {
    while (code > 0 && f.jitter && f.jitter->sum_ns % kUnitNs[code] != 0) --code;
  }
  return code;
}

// The Rice parameter that codes `values` in the fewest bits.
template <typename Values>
unsigned best_rice_parameter(const Values& values) {
  unsigned best_k = 0;
  std::uint64_t best_bits = std::numeric_limits<std::uint64_t>::max();
  for (unsigned k = 0; k <= bits::kMaxK; ++k) {
    std::uint64_t total = 0;
    for (const std::uint64_t v : values) total += bits::rice_length(v, k);
    if (total < best_bits) {
      best_bits = total;
      best_k = k;
    }
  }
  return best_k;
}

JitterParams choose_params(std::span<const Frame> frames) {
  const unsigned unit_code = unit_code_of(frames);
  std::vector<std::uint64_t> pair_deltas;
  std::vector<std::uint64_t> sums;
  std::uint32_t previous_pairs = 0;
  for (const Frame& f : frames) {
    if (!f.jitter) continue;
    pair_deltas.push_back(bits::zigzag(std::int64_t{f.jitter->pairs} - previous_pairs));
    previous_pairs = f.jitter->pairs;
    if (f.jitter->pairs > 0) sums.push_back(f.jitter->sum_ns / kUnitNs[unit_code]);
  }
  return JitterParams{best_rice_parameter(pair_deltas), best_rice_parameter(sums), unit_code};
}

}  // namespace

bool has_any_jitter(std::span<const Frame> frames) {
  return std::any_of(frames.begin(), frames.end(), [](const Frame& f) { return f.jitter.has_value(); });
}

void encode_jitter(std::span<const Frame> frames, std::vector<std::uint8_t>& out) {
  if (frames.empty() || frames.size() > kMaxFramesPerBlock) {
    throw std::invalid_argument("a jitter record covers 1.." + std::to_string(kMaxFramesPerBlock) +
                                " frames");
  }
  const bool some_absent = !std::all_of(frames.begin(), frames.end(),
                                        [](const Frame& f) { return f.jitter.has_value(); });
  const JitterParams params = choose_params(frames);
  bits::Writer w(out);
  w.exp_golomb(frames.size() - 1, 0);
  w.bit(some_absent);
  w.put(params.k_pairs, 5);
  w.put(params.k_sum, 5);
  w.put(params.unit_code, 2);
  std::uint32_t previous_pairs = 0;
  for (const Frame& f : frames) {
    if (some_absent) w.bit(f.jitter.has_value());
    if (!f.jitter) continue;
    if (f.jitter->sum_ns > bits::kMaxCodedValue) throw std::invalid_argument("jitter sum too large");
    if (f.jitter->pairs == 0 && f.jitter->sum_ns != 0) throw std::invalid_argument("jitter sum without pairs");
    w.rice(bits::zigzag(std::int64_t{f.jitter->pairs} - previous_pairs), params.k_pairs);
    previous_pairs = f.jitter->pairs;
    if (f.jitter->pairs > 0) w.rice(f.jitter->sum_ns / kUnitNs[params.unit_code], params.k_sum);
  }
  w.finish();
}

std::vector<std::uint8_t> encode_jitter(std::span<const Frame> frames) {
  std::vector<std::uint8_t> out;
  encode_jitter(frames, out);
  return out;
}

std::vector<std::optional<JitterSum>> decode_jitter(std::span<const std::uint8_t> bytes) {
  if (bytes.size() > kMaxBlockBytes) throw FormatError("jitter record too large", 0, false);
  std::vector<std::uint8_t> padded(bytes.size() + bits::Reader::kPadding, 0);
  if (!bytes.empty()) std::memcpy(padded.data(), bytes.data(), bytes.size());
  bits::Reader r(padded.data(), bytes.size());
  const std::uint64_t n = r.exp_golomb(0) + 1;
  if (n > kMaxFramesPerBlock) r.fail("jitter record of more than 65536 frames");
  const bool some_absent = r.bit();
  const auto k_pairs = static_cast<unsigned>(r.get(5));
  const auto k_sum = static_cast<unsigned>(r.get(5));
  const std::uint64_t unit = kUnitNs[r.get(2)];
  if (k_pairs > bits::kMaxK || k_sum > bits::kMaxK) r.fail("jitter Rice parameter out of range");
  std::vector<std::optional<JitterSum>> jitter;
  // Every frame costs at least one bit, so `n` is bounded by the input before allocating.
  if (n > r.remaining() + 1) r.fail("jitter record shorter than its frame count");
  jitter.reserve(static_cast<std::size_t>(n));
  std::int64_t previous_pairs = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    if (some_absent && !r.bit()) {
      jitter.emplace_back(std::nullopt);
      continue;
    }
    // A corrupt delta can be anything: an overflowing sum is out of range too.
    std::int64_t pairs = 0;
    if (__builtin_add_overflow(previous_pairs, bits::unzigzag(r.rice(bits::RiceParam::of(k_pairs))), &pairs) ||
        pairs < 0 || pairs > std::numeric_limits<std::uint32_t>::max()) {
      r.fail("jitter pair count out of range");
    }
    previous_pairs = pairs;
    JitterSum sum{0, static_cast<std::uint32_t>(pairs)};
    if (pairs > 0) {
      const std::uint64_t units = r.rice(bits::RiceParam::of(k_sum));
      if (units > bits::kMaxCodedValue / unit) r.fail("jitter sum out of range");
      sum.sum_ns = units * unit;
    }
    jitter.emplace_back(sum);
  }
  r.expect_end();
  return jitter;
}

}  // namespace zzping::native
