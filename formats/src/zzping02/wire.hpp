// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// MessagePack reading helpers shared by the zzping 0.2 decoders: they accept what the
// original's readers accepted and name the field when they refuse something.
#include <cstdint>
#include <string>

#include "mpk.hpp"

namespace zzping::zzping02::wire {

inline bool is_str_marker(std::uint8_t m) { return (m & 0xe0) == 0xa0 || (m >= 0xd9 && m <= 0xdb); }
inline bool is_int_marker(std::uint8_t m) {
  return m <= 0x7f || m >= 0xe0 || (m >= 0xcc && m <= 0xd3);
}

// dynrmp's Variant::Integer (an i128) then `as u64`/`as i64`: every integer encoding, the
// low 64 bits of the value.
inline std::uint64_t read_integer_bits(mpk::Reader& in) {
  if (in.peek() == 0xcf) return in.read_uint();
  return static_cast<std::uint64_t>(in.read_int());
}

// A value the original read with a fixed-width reader (rmp's read_u16/read_u32): exactly
// `marker` and its payload; anything else is an error naming the field.
inline std::uint64_t read_exact(mpk::Reader& in, std::uint8_t marker, const char* what) {
  if (in.peek() != marker) in.fail_at(in.position(), std::string("expected ") + what);
  return in.read_uint_with_marker(marker);
}

std::uint64_t read_unsigned_slow(mpk::Reader& in, const char* what);

// How a streaming decoder ends when frame #`frame_index` (starting at `frame_offset`) fails:
// a read past the end is a cut file (a warning, the cut at the end of the input); anything
// else is an error at the offending byte. `format` names the format in the message.
struct FrameFailure {
  bool truncated = false;
  std::size_t problem_offset = 0;
  std::string message;
};
FrameFailure describe_frame_failure(const char* format, std::size_t frame_index,
                                    std::size_t frame_offset, std::size_t input_size,
                                    const mpk::DecodeError& error);

// rmp's read_int::<usize>: any integer encoding of a non-negative value.
inline std::uint64_t read_unsigned(mpk::Reader& in, const char* what) {
  const std::uint8_t m = in.peek();
  if (m <= 0x7f || (m >= 0xcc && m <= 0xcf)) return in.read_uint();
  return read_unsigned_slow(in, what);
}

// rmp's read_int::<i64>: any integer encoding that fits int64.
inline std::int64_t read_signed(mpk::Reader& in, const char* what) {
  if (!is_int_marker(in.peek())) in.fail_at(in.position(), std::string("expected an integer ") + what);
  return in.read_int();
}

// Unchecked fast path for the hot decode loops: the caller guarantees that enough bytes
// follow `p` for the longest encoding it accepts (9 bytes per integer). These accept only the
// usual encodings and return false for anything else; the caller then decodes the frame again
// with the checked readers above, which accept every valid form and name every problem.
inline std::uint64_t load_be16(const std::uint8_t* p) {
  return static_cast<std::uint64_t>(p[0]) << 8 | p[1];
}
inline std::uint64_t load_be32(const std::uint8_t* p) {
  return load_be16(p) << 16 | load_be16(p + 2);
}
inline std::uint64_t load_be64(const std::uint8_t* p) {
  return load_be32(p) << 32 | load_be32(p + 4);
}

// A non-negative integer as positive fixint, cc, cd, ce or cf.
inline bool fast_unsigned(const std::uint8_t*& p, std::uint64_t& v) {
  const std::uint8_t m = *p;
  if (m < 0x80) {
    v = m;
    p += 1;
    return true;
  }
  switch (m) {
    case 0xcc: v = p[1]; p += 2; return true;
    case 0xcd: v = load_be16(p + 1); p += 3; return true;
    case 0xce: v = load_be32(p + 1); p += 5; return true;
    case 0xcf: v = load_be64(p + 1); p += 9; return true;
    default: return false;
  }
}

// Any integer encoding, as the low 64 bits of its value (read_integer_bits).
inline bool fast_integer_bits(const std::uint8_t*& p, std::uint64_t& v) {
  if (fast_unsigned(p, v)) return true;
  const std::uint8_t m = *p;
  auto sign_extend = [](auto narrow) { return static_cast<std::uint64_t>(static_cast<std::int64_t>(narrow)); };
  if (m >= 0xe0) {
    v = sign_extend(static_cast<std::int8_t>(m));
    p += 1;
    return true;
  }
  switch (m) {
    case 0xd0: v = sign_extend(static_cast<std::int8_t>(p[1])); p += 2; return true;
    case 0xd1: v = sign_extend(static_cast<std::int16_t>(load_be16(p + 1))); p += 3; return true;
    case 0xd2: v = sign_extend(static_cast<std::int32_t>(load_be32(p + 1))); p += 5; return true;
    case 0xd3: v = load_be64(p + 1); p += 9; return true;
    default: return false;
  }
}

}  // namespace zzping::zzping02::wire
