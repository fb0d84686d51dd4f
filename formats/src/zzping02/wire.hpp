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

}  // namespace zzping::zzping02::wire
