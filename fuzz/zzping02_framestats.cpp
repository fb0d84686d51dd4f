// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: zzping 0.2 FrameStats UDP messages. Decoding either succeeds or throws
// FormatError; a decoded message encodes and decodes back to itself.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "zzping/formats/zzping02/decode_end.hpp"
#include "zzping/formats/zzping02/framestats.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace zzping::zzping02;
  FrameStats stats;
  try {
    stats = decode_frame_stats(std::span(data, size));
  } catch (const FormatError& e) {
    if (e.offset() > size) std::abort();
    return 0;
  }
  if (!(decode_frame_stats(encode_frame_stats(stats)) == stats)) std::abort();
  return 0;
}
