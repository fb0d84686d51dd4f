// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: zzping 0.2 FrameData logs. Decodes arbitrary bytes to an end state, checks
// the end state is consistent, and that re-encoding the decoded frames decodes to the same
// frames (the canonical encoding may differ from the input's bytes).
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "zzping/formats/zzping02/framedata.hpp"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

bool same_values(const zzping::zzping02::LegacyFrame& a, const zzping::zzping02::LegacyFrame& b) {
  return a.keyframe == b.keyframe && a.ts_us == b.ts_us && a.elapsed_us == b.elapsed_us &&
         a.inflight == b.inflight && a.lost_packets == b.lost_packets && a.recv_us == b.recv_us;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace zzping::zzping02;
  const FrameDataFile file = decode_framedata(std::span(data, size));
  check(file.end.bytes_consumed <= size);
  check(!file.end.ok() || file.end.bytes_consumed == size);
  check(file.end.ok() || !file.end.message.empty());
  std::size_t expected_offset = 0;
  bool round_trippable = true;
  for (const LegacyFrame& f : file.frames) {
    check(f.offset == expected_offset);
    expected_offset += f.len;
    // The writer keeps 32 bits of elapsed time, as the original's `as u32` did.
    if (!f.keyframe && f.elapsed_us > UINT32_MAX) round_trippable = false;
  }
  check(expected_offset == file.end.bytes_consumed);
  if (!round_trippable) return 0;

  std::vector<std::uint8_t> again;
  for (const LegacyFrame& f : file.frames) encode_framedata_frame(f, again);
  const FrameDataFile reread = decode_framedata(again);
  check(reread.end.ok());
  check(reread.frames.size() == file.frames.size());
  for (std::size_t i = 0; i < file.frames.size(); ++i) check(same_values(reread.frames[i], file.frames[i]));
  return 0;
}
