// SPDX-License-Identifier: GPL-3.0-or-later
// Cold paths of the bit reader, kept out of line so the hot loop stays small.
#include "native/bit_stream.hpp"

#include <string>

namespace zzping::native::bits {

void fail_at_byte(const char* what, std::size_t byte) {
  throw FormatError(std::string(what), byte, false);
}

namespace {

// Reads bits by absolute position; the caller's buffer has Reader::kPadding zero bytes
// after end_bits, and positions are checked before every load.
class PositionReader {
 public:
  PositionReader(const std::uint8_t* padded, std::size_t end_bits, std::size_t position)
      : data_(padded), end_bits_(end_bits), pos_(position) {}
  std::size_t position() const { return pos_; }
  std::uint64_t peek() const {  // 57 bits or more
    if (pos_ > end_bits_) fail_at_byte("frame block: bitstream ends inside a code", end_bits_ / 8);
    std::uint64_t w;
    std::memcpy(&w, data_ + (pos_ >> 3), sizeof w);
    if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
    return w >> (pos_ & 7);
  }
  void skip(std::size_t n) { pos_ += n; }
  std::uint64_t take(unsigned n) {  // n <= 32
    const std::uint64_t v = peek() & ((std::uint64_t{1} << n) - 1);
    pos_ += n;
    return v;
  }
  // Zeros up to and including the first one bit; returns the number of zeros.
  unsigned unary() {
    unsigned zeros = 0;
    for (;;) {
      const std::uint64_t w = peek();
      const auto z = static_cast<unsigned>(std::countr_zero(w));
      if (z < 57) {
        pos_ += z + 1;
        return zeros + z;
      }
      zeros += 56;
      pos_ += 56;
      if (zeros > 200) fail_at_byte("frame block: unary code too long", pos_ / 8);
    }
  }

 private:
  const std::uint8_t* data_;
  std::size_t end_bits_;
  std::size_t pos_;
};

}  // namespace

SlowResult read_escaped(const std::uint8_t* padded, std::size_t end_bits, std::size_t position,
                        unsigned k, unsigned escape) {
  PositionReader r(padded, end_bits, position);
  const unsigned zeros = r.unary();
  if (zeros < escape) {  // a plain Rice code
    const std::uint64_t low = r.take(k);
    return {(std::uint64_t{zeros} << k) | low, r.position()};
  }
  const unsigned n = zeros - escape + 1 + k;  // Exp-Golomb: value + 2^k has n bits
  if (n > 64) fail_at_byte("frame block: Exp-Golomb code too long", r.position() / 8);
  std::uint64_t low = 0;
  unsigned shift = 0;
  for (unsigned left = n - 1; left > 0;) {
    const unsigned chunk = left > 32 ? 32 : left;
    low |= r.take(chunk) << shift;
    shift += chunk;
    left -= chunk;
  }
  const std::uint64_t z = (std::uint64_t{1} << (n - 1)) | low;
  const std::uint64_t value = z - (std::uint64_t{1} << k) + (std::uint64_t{escape} << k);
  if (r.position() > end_bits) fail_at_byte("frame block: bitstream ends inside a code", end_bits / 8);
  return {value, r.position()};
}

}  // namespace zzping::native::bits
