// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// zzping 0.2 FrameData: the daemon's disk log (pingd-log-<addr>-<YYYYMMDDTHH>.log).
//
// No header; each frame is four MessagePack values with no enclosing array:
//   time     keyframe: a string (RFC 3339, written as str8 "d9 20" + 32 bytes) then `ce 00000000`;
//            delta frame: an integer, microseconds since the LAST KEYFRAME (not the previous frame)
//   inflight `cd` u16        lost_packets `cd` u16
//   recv_us  array header, then each RTT as `ce` u32
// The decoder accepts what the original accepted: any string or integer encoding for the time
// (a negative integer meant a huge u64 elapsed value), but exactly `ce 00000000` after the
// string, exactly `cd` for the counters and exactly `ce` for each RTT.
//
// Unlike the original (which dropped a cut last frame silently and panicked on a first value
// of another type), decoding ends in a DecodeEnd: kEof, kTruncated (the frames before the cut
// stand, with a warning naming the offset) or kError (a message naming the offset). A delta
// frame before any keyframe is an error, as it was ("no last_keyframe").
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zzping/formats/zzping02/decode_end.hpp"
#include "zzping/formats/zzping02/rfc3339.hpp"

namespace zzping::zzping02 {

struct LegacyFrame {
  std::int64_t ts_us = 0;  // resolved time, µs since the Unix epoch (chrono's timestamp_micros)
  bool keyframe = false;
  std::string ts_str;            // keyframes: the string as stored
  std::uint64_t elapsed_us = 0;  // delta frames: the value as stored (µs since the keyframe)
  std::uint32_t inflight = 0;
  std::uint32_t lost_packets = 0;
  std::vector<std::uint32_t> recv_us;  // RTTs in µs, in file order
  std::size_t offset = 0;              // the frame's bytes in the input
  std::size_t len = 0;
  // The resolved time as chrono held it: during a leap second its nanos are >= 1e9 and
  // ts_us already lies in the next second. The FDQ converter needs this split.
  ChronoTime chrono_time;

  friend bool operator==(const LegacyFrame&, const LegacyFrame&) = default;
};

// Streams frames out of a byte span (the span must outlive the decoder). next() decodes into
// a caller-owned frame whose buffers are reused, so a loop allocates nothing per frame.
class FrameDataDecoder {
 public:
  explicit FrameDataDecoder(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  // Decodes the next frame into `frame`; false once decoding has ended (see end()).
  bool next(LegacyFrame& frame);
  // Why decoding ended; meaningful once next() has returned false.
  const DecodeEnd& end() const { return end_; }
  std::size_t frames_decoded() const { return frames_; }

 private:
  void decode_frame(LegacyFrame& frame);
  std::size_t parse_checked(LegacyFrame& frame);
  void resolve_time(LegacyFrame& frame);
  void finish(EndKind kind, std::size_t problem_offset, std::string message);

  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  std::size_t frames_ = 0;
  bool have_keyframe_ = false;
  ChronoTime keyframe_time_;
  bool ended_ = false;
  DecodeEnd end_;
};

struct FrameDataFile {
  std::vector<LegacyFrame> frames;
  DecodeEnd end;
};

// Decodes a whole log: every frame up to the end state.
FrameDataFile decode_framedata(std::span<const std::uint8_t> bytes);

// Appends one frame exactly as FrameData::encode wrote it. A keyframe's string is written
// from chrono_time (the daemon's "…uuuuuu+00:00" format), not copied from ts_str; a delta
// frame writes elapsed_us. Counters and RTTs are cast like the original (`as u16`, `as u32`).
void encode_framedata_frame(const LegacyFrame& frame, std::vector<std::uint8_t>& out);

}  // namespace zzping::zzping02
