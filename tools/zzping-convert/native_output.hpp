// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Writing a native file from converted frames.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "zzping/common/attribution.hpp"
#include "zzping/common/frame.hpp"
#include "zzping/common/path.hpp"
#include "zzping/formats/any_format.hpp"
#include "zzping/formats/native/evidence_records.hpp"

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
  std::optional<attribution::Role> role;      // native 1.2 inputs: the host's role
  std::optional<std::uint32_t> timeout_ms;    // native inputs that recorded the probe timeout
  static NativeSource from(const formats::LoadedFrames& loaded);
};

// What the inputs recorded beside their frames, carried into the output as it was stored:
// loss bursts without a cause (kind 2), bursts with their cause (kind 4), incidents (kind 5)
// and path snapshots (kind 6). A native-to-native conversion loses none of it.
struct NativeEvidence {
  std::vector<LossEvent> plain;
  std::vector<native::AttributedLossEvent> attributed;
  std::vector<attribution::Incident> incidents;
  std::vector<PathSnapshot> paths;
  bool empty() const { return plain.empty() && attributed.empty() && incidents.empty() && paths.empty(); }
  // Moves a loaded file's evidence in (its `events` hold the attributed bursts too, in the
  // same file order as `attributed`: only the others are plain).
  void take_from(formats::LoadedFrames& loaded);
  // The start of the first burst or incident or path (0 when empty): a file holding only
  // evidence starts there.
  std::int64_t earliest_ms() const;
};

// Header, frame blocks of `block_frames`, then the evidence. The header's counter set says
// which counters were measured (zzping 0.2 data: recv, lost and inflight only).
std::vector<std::uint8_t> encode_native_file(const NativeSource& source,
                                             std::span<const Frame> frames,
                                             const NativeEvidence& evidence,
                                             std::uint32_t block_frames);

}  // namespace zzping::convert
