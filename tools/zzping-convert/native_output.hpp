// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Writing a native file from converted frames.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zzping/common/frame.hpp"
#include "zzping/formats/any_format.hpp"

namespace zzping::convert {

// What the native header says about the frames: taken from the first input.
struct NativeSource {
  std::string host;
  std::string address;
  std::uint32_t frame_ms = 100;
  std::uint32_t tier_ms = 0;
  double precision = RttQuantiser::kDefaultPrecision;
  formats::FileFormat format = formats::FileFormat::kNative;
  formats::MeasuredCounters measured;
  static NativeSource from(const formats::LoadedFrames& loaded);
};

// Header, frame blocks of `block_frames`, then the events. The header's counter set says
// which counters were measured (zzping 0.2 data: recv, lost and inflight only).
std::vector<std::uint8_t> encode_native_file(const NativeSource& source,
                                             std::span<const Frame> frames,
                                             std::span<const LossEvent> events,
                                             std::uint32_t block_frames);

}  // namespace zzping::convert
