// SPDX-License-Identifier: GPL-3.0-or-later
#include "mpk.hpp"

namespace zzping::mpk {

void Reader::skip(int max_depth) {
  if (max_depth < 0) fail_at(pos_, "MessagePack nesting too deep");
  const std::size_t start = pos_;
  const std::uint8_t m = peek();
  if (m <= 0x7f || m >= 0xe0 || m == 0xc0 || m == 0xc2 || m == 0xc3) {
    ++pos_;
    return;
  }
  if ((m & 0xe0) == 0xa0 || m == 0xd9 || m == 0xda || m == 0xdb) {
    read_str(SIZE_MAX);
    return;
  }
  if (m == 0xc4 || m == 0xc5 || m == 0xc6) {
    read_bin(SIZE_MAX);
    return;
  }
  if ((m & 0xf0) == 0x90 || m == 0xdc || m == 0xdd) {
    const std::uint32_t n = read_array_header(UINT32_MAX);
    for (std::uint32_t i = 0; i < n; ++i) skip(max_depth - 1);
    return;
  }
  if ((m & 0xf0) == 0x80 || m == 0xde || m == 0xdf) {
    const std::uint32_t n = read_map_header(UINT32_MAX);
    for (std::uint32_t i = 0; i < n; ++i) {
      skip(max_depth - 1);
      skip(max_depth - 1);
    }
    return;
  }
  switch (m) {
    case 0xca: case 0xcb: read_float(); return;
    case 0xcc: case 0xcd: case 0xce: case 0xcf: read_uint(); return;
    case 0xd0: case 0xd1: case 0xd2: case 0xd3: read_int(); return;
    case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8: {  // fixext 1..16
      const std::size_t len = std::size_t{1} << (m - 0xd4);
      ++pos_;
      need(1 + len, "ext body");
      pos_ += 1 + len;
      return;
    }
    case 0xc7: case 0xc8: case 0xc9: {
      ++pos_;
      const std::uint64_t len = take_be(m == 0xc7 ? 1 : m == 0xc8 ? 2 : 4);
      need(1 + len, "ext body");
      pos_ += 1 + len;
      return;
    }
    default: fail_at(start, "invalid MessagePack marker 0xc1");
  }
}

}  // namespace zzping::mpk
