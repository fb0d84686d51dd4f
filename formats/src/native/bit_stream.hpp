// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Bit-level writer and reader of the native frame block, and its codes (docs/formats.md,
// "Codes"). Bits are packed LSB first: stream bit i is bit (i % 8) of byte i / 8.
//
// Why hand-rolled: the block must stay near the entropy of the data (about 5 bytes per
// 100 ms frame) AND decode at tens of millions of frames per second, so the codes are
// Rice codes (parameters chosen per block) read with one unaligned 64-bit load and one
// count-trailing-zeros.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "zzping/formats/native/errors.hpp"

namespace zzping::native::bits {

// Rice codes with a unary part of this many zeros or more switch to Exp-Golomb, so a
// rare huge value (an RTT spike, a time jump) costs O(log value) bits, not O(value).
inline constexpr unsigned kEscapeZeros = 6;
// Largest Rice parameter a block may choose.
inline constexpr unsigned kMaxK = 24;
// Largest value any Exp-Golomb code may carry (keeps every length arithmetic in 64 bits).
inline constexpr std::uint64_t kMaxCodedValue = (std::uint64_t{1} << 62) - 1;

inline std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
inline std::int64_t unzigzag(std::uint64_t u) {
  return static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1);
}

// A Rice parameter and its low-bits mask, fixed for a whole block (the encoder picks the
// best per block and context and stores it in the block header): the decoder then does
// no per-value bookkeeping at all.
struct RiceParam {
  unsigned k = 0;
  std::uint64_t mask = 0;  // (1 << k) - 1
  // 1 << k: the decoder computes q << k as q * unit, one multiply instead of a shift by a
  // variable count (two or three micro-ops on x86-64 without BMI2).
  std::uint64_t unit = 1;
  static RiceParam of(unsigned k) {
    return RiceParam{k, (std::uint64_t{1} << k) - 1, std::uint64_t{1} << k};
  }
};

// Bits of an Exp-Golomb code of order k.
inline unsigned exp_golomb_length(std::uint64_t v, unsigned k) {
  const auto n = static_cast<unsigned>(std::bit_width(v + (std::uint64_t{1} << k)));
  return 2 * n - 1 - k;
}
// Bits of an escaped Rice code of parameter k (see Writer::rice).
inline unsigned rice_length(std::uint64_t v, unsigned k) {
  const std::uint64_t q = v >> k;
  if (q < kEscapeZeros) return static_cast<unsigned>(q) + 1 + k;
  return kEscapeZeros + exp_golomb_length(v - (std::uint64_t{kEscapeZeros} << k), k);
}

class Writer {
 public:
  explicit Writer(std::vector<std::uint8_t>& out) : out_(out) {}

  // Appends the n (<= 57) low bits of v.
  void put(std::uint64_t v, unsigned n) {
    if (n == 0) return;
    v &= (n == 64) ? ~std::uint64_t{0} : ((std::uint64_t{1} << n) - 1);
    acc_ |= v << used_;
    used_ += n;
    while (used_ >= 8) {
      out_.push_back(static_cast<std::uint8_t>(acc_));
      acc_ >>= 8;
      used_ -= 8;
    }
  }
  void put_wide(std::uint64_t v, unsigned n) {  // n <= 64
    if (n > 32) {
      put(v & 0xffffffffu, 32);
      put(v >> 32, n - 32);
    } else {
      put(v, n);
    }
  }
  void bit(bool b) { put(b ? 1 : 0, 1); }
  void zeros(unsigned n) {
    while (n > 32) {
      put(0, 32);
      n -= 32;
    }
    put(0, n);
  }
  // Exp-Golomb of order k.
  void exp_golomb(std::uint64_t v, unsigned k) {
    if (v > kMaxCodedValue) throw std::invalid_argument("value too large for the block code");
    const std::uint64_t z = v + (std::uint64_t{1} << k);
    const auto n = static_cast<unsigned>(std::bit_width(z));
    zeros(n - 1 - k);
    put(1, 1);
    put_wide(z, n - 1);
  }
  // Rice code of parameter k: q = v >> k as q zeros and a one, then the k low bits of v;
  // from q = kEscapeZeros on: kEscapeZeros zeros, then v - (kEscapeZeros << k) in
  // Exp-Golomb of order k.
  void rice(std::uint64_t v, unsigned k) {
    const std::uint64_t q = v >> k;
    if (q < kEscapeZeros) {
      put(std::uint64_t{1} << q, static_cast<unsigned>(q) + 1);
      put(v, k);
    } else {
      zeros(kEscapeZeros);
      exp_golomb(v - (std::uint64_t{kEscapeZeros} << k), k);
    }
  }
  // A 7-bit length then the value without its leading one: for big, rarely coded values.
  void long_value(std::uint64_t v) {
    const auto n = static_cast<unsigned>(std::bit_width(v));
    put(n, 7);
    if (n > 1) put_wide(v, n - 1);
  }
  // Pads the last byte with zero bits.
  void finish() {
    if (used_ > 0) out_.push_back(static_cast<std::uint8_t>(acc_));
    acc_ = 0;
    used_ = 0;
  }

 private:
  std::vector<std::uint8_t>& out_;
  std::uint64_t acc_ = 0;
  unsigned used_ = 0;
};

[[noreturn, gnu::cold, gnu::noinline]] void fail_at_byte(const char* what, std::size_t byte);

struct SlowResult {
  std::uint64_t value;
  std::size_t position;  // in bits, after the code
};
// Reads, at bit `position`, a unary prefix of any length and the code after it (a Rice
// code of parameter k if the prefix is shorter than `escape`, else Exp-Golomb of order k).
// Out of line and on plain values, so the hot loop's reader state never leaves registers.
[[gnu::noinline]] SlowResult read_escaped(const std::uint8_t* padded, std::size_t end_bits,
                                          std::size_t position, unsigned k, unsigned escape);

class Reader {
 public:
  static constexpr std::size_t kPadding = 16;

  Reader(const std::uint8_t* padded, std::size_t size_bytes)
      : begin_(padded), limit_(padded + size_bytes + 8), end_bits_(size_bytes * 8),
        s_{padded, 0, 0} {}

  // Bits consumed so far.
  [[gnu::always_inline]] std::size_t position() const {
    return static_cast<std::size_t>(s_.next - begin_) * 8 - s_.count;
  }
  [[gnu::always_inline]] std::size_t end() const { return end_bits_; }
  [[gnu::always_inline]] std::size_t remaining() const {
    const std::size_t p = position();
    return p <= end_bits_ ? end_bits_ - p : 0;
  }

  // Makes at least 56 bits available in buf.
  [[gnu::always_inline]] void refill() {
    if (s_.next > limit_) [[unlikely]] fail_at_byte("frame block: bitstream ends inside a code", end_bits_ / 8);
    std::uint64_t w;
    std::memcpy(&w, s_.next, sizeof w);
    if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
    s_.buf |= w << s_.count;
    s_.next += (63 - s_.count) >> 3;
    s_.count |= 56;
  }
  [[gnu::always_inline]] void consume(unsigned n) {
    s_.buf >>= n;
    s_.count -= n;
  }
  // The next 56 bits (refilled).
  [[gnu::always_inline]] std::uint64_t peek56() {
    refill();
    return s_.buf;
  }
  [[gnu::always_inline]] std::uint64_t get(unsigned n) {  // n <= 56
    refill();
    const std::uint64_t v = s_.buf & ((std::uint64_t{1} << n) - 1);
    consume(n);
    return v;
  }
  [[gnu::always_inline]] std::uint64_t get_wide(unsigned n) {  // n <= 64
    if (n > 32) {
      const std::uint64_t lo = get(32);
      return lo | (get(n - 32) << 32);
    }
    return get(n);
  }
  [[gnu::always_inline]] bool bit() { return get(1) != 0; }

  [[gnu::always_inline]] std::uint64_t exp_golomb(unsigned k) {
    refill();
    const auto z = static_cast<unsigned>(std::countr_zero(s_.buf));
    if (z < 16 && k <= 8) [[likely]] {  // the whole code is within the 56 buffered bits
      const unsigned width = z + k;      // value bits after the leading one
      const std::uint64_t low = (s_.buf >> (z + 1)) & ((std::uint64_t{1} << width) - 1);
      consume(z + 1 + width);
      return ((std::uint64_t{1} << width) | low) - (std::uint64_t{1} << k);
    }
    const SlowResult r = read_escaped(begin_, end_bits_, position(), k, 0);
    seek(r.position);
    return r.value;
  }

  [[gnu::always_inline]] std::uint64_t rice(const RiceParam& p) {
    refill();
    return rice_buffered(p);
  }
  // Rice codes whose fast path is at most this long fit three to one refill (3 x 18 <= 56).
  static constexpr unsigned kMaxGroupedK = 56 / 3 - kEscapeZeros;
  // A Rice code read from the bits already buffered, without a refill: the caller has
  // refilled since it last read anything but at most two codes of parameter <= kMaxGroupedK
  // (each code's fast path takes at most kEscapeZeros + k bits). A code that does not take
  // the fast path is read by position, as always.
  [[gnu::always_inline]] std::uint64_t rice_buffered(const RiceParam& p) {
    const auto q = static_cast<unsigned>(std::countr_zero(s_.buf));
    if (q < kEscapeZeros) [[likely]] {
      const std::uint64_t v = q * p.unit + ((s_.buf >> (q + 1)) & p.mask);
      consume(q + 1 + p.k);
      return v;
    }
    const SlowResult r = read_escaped(begin_, end_bits_, position(), p.k, kEscapeZeros);
    seek(r.position);
    return r.value;
  }
  [[gnu::always_inline]] std::uint64_t long_value() {
    const auto n = static_cast<unsigned>(get(7));
    if (n > 64) fail("long value wider than 64 bits");
    if (n == 0) return 0;
    return (n == 1) ? 1 : ((std::uint64_t{1} << (n - 1)) | get_wide(n - 1));
  }

  // Checks the end of the stream: fewer than 8 bits left, all zero.
  [[gnu::always_inline]] void expect_end() {
    const std::size_t p = position();
    if (p > end_bits_) fail_at_byte("frame block: bitstream ends inside a code", end_bits_ / 8);
    if (end_bits_ - p >= 8) fail("unused bytes after the last frame");
    if (get(static_cast<unsigned>(end_bits_ - p)) != 0) fail("nonzero padding bits");
  }

  [[noreturn, gnu::always_inline]] void fail(const char* what) const {
    fail_at_byte(what, std::min(position(), end_bits_) / 8);
  }

 private:
  // Where the reader stands: `buf` holds `count` unread bits (LSB = next bit), `next` is
  // the first byte not yet loaded into `buf`.
  struct State {
    const std::uint8_t* next;
    std::uint64_t buf;
    unsigned count;
  };

  [[gnu::always_inline]] void seek(std::size_t position) {
    if (position > end_bits_ + 64) fail_at_byte("frame block: bitstream ends inside a code", end_bits_ / 8);
    s_ = State{begin_ + (position >> 3), 0, 0};
    refill();
    consume(static_cast<unsigned>(position & 7));
  }

  const std::uint8_t* begin_;
  const std::uint8_t* limit_;
  std::size_t end_bits_;
  State s_;
};

}  // namespace zzping::native::bits
