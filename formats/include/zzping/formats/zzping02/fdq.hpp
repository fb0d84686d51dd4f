// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// zzping 0.2 FDQ = FDCodec v101 (framedataq.rs): the files its GUI read, 7 percentiles per frame.
//
// Header: a fixmap of 5 entries in this order: "schema":"FDCodec", "version":101,
// "full_encode_secs" (uint), "recv_llq" (nil or float64), "delta_enc" (bool).
// Frame: timestamp (uint Unix seconds = full frame, or nil = delta frame), subsec_ms (uint:
// ms in the second for a full frame, ms since the previous frame for a delta frame, u32
// arithmetic), inflight and lost_packets (two uints, or the single byte ff when both are 0),
// recv_us_len (uint), and only if recv_us_len > 0 a fixarray of 7 ints: the percentiles
// delta-coded (first value, then differences; negative differences as sint), holding
// LinearLogQuantizer codes instead of µs when recv_llq is set.
//
// Rules kept from the original, quirks included:
// - A frame is full when it is the first one, when its whole second minus the PREVIOUS
//   frame's whole second is >= full_encode_secs, or when it goes back to an earlier second.
//   So full_encode_secs is the largest gap that may be delta-coded, not a keyframe interval.
// - Going back within the same second wraps the u32 delta (-50 ms is 4294967246); the
//   decoder wraps it back to the right time.
// - delta_enc with an llq is broken in the original and reproduced byte for byte: the
//   encoder subtracts the previous frame's quantized p0 (encode(-1) = -1 after a frame with
//   no samples) from every code, the decoder never adds it back, so decoded values are off.
//   Without an llq, delta_enc changes nothing.
// - Sub-millisecond time is truncated (floor), not rounded.
//
// Decoding differs from the original only where it crashed or could not hold the value: a
// delta frame before any full frame (a panic there), a cut frame (a panic in FDCodecIter),
// more than 7 percentile values (a panic), and inflight, lost_packets or recv_us_len outside
// u32 or a negative inflight other than the -1 marker, or a time whose ms do not fit int64,
// are errors here; a negative inflight was kept as a negative f32 by the original.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "zzping/formats/zzping02/decode_end.hpp"
#include "zzping/formats/zzping02/framedata.hpp"
#include "zzping/formats/zzping02/llq.hpp"
#include "zzping/formats/zzping02/percentiles.hpp"

namespace zzping::zzping02 {

inline constexpr std::uint64_t kFdqVersion = 101;

struct FdqConfig {
  std::int64_t full_encode_secs = 60;
  std::optional<double> recv_llq;  // LinearLogQuantizer precision, or none (raw µs)
  bool delta_enc = false;

  friend bool operator==(const FdqConfig&, const FdqConfig&) = default;
};

struct FdqHeader {
  std::uint64_t version = kFdqVersion;  // files with an older version are read the same way
  FdqConfig config;
  std::size_t length = 0;  // bytes; frames start here
};

// The header exactly as FDCodecState::get_header wrote it (64 bytes, 72 with a float llq).
void append_fdq_header(const FdqConfig& config, std::vector<std::uint8_t>& out);
// Parses the header at the start of `bytes`; throws FormatError naming the offset. Keys may
// come in any order; unknown keys are skipped; a version above 101 is refused.
FdqHeader decode_fdq_header(std::span<const std::uint8_t> bytes);

// One decoded frame (FrameDataQ<Complete>), or the input of the encoder.
struct FdqFrame {
  std::int64_t timestamp_ms = 0;  // Unix ms (seconds*1000 + ms)
  std::uint32_t inflight = 0;
  std::uint32_t lost_packets = 0;
  std::uint32_t recv_us_len = 0;        // number of RTT samples the percentiles came from
  Percentiles recv_us = kNoPercentiles;  // p0, p12.5, p25, p50, p75, p87.5, p100; -1 when none

  friend bool operator==(const FdqFrame&, const FdqFrame&) = default;
};

// A frame as it is stored (FrameDataQ<Encoded>; "enc" in the golden files).
struct FdqRecord {
  std::size_t offset = 0;  // the frame's bytes in the file (decoder only)
  std::size_t len = 0;
  bool full = false;           // carries its whole second; otherwise a delta frame (nil)
  std::int64_t timestamp_s = 0;  // full frames only
  std::uint32_t subsec_ms = 0;   // full: ms within the second; delta: ms since the previous frame
  bool has_recv = false;         // the 7-value array is present (recv_us_len > 0)
  Percentiles recv = kNoPercentiles;  // the array after un-delta-ing: LLQ codes, or µs without llq

  friend bool operator==(const FdqRecord&, const FdqRecord&) = default;
};

// A time as FrameDataQ held it before encoding: whole seconds and ms, where ms may be
// >= 1000 (chrono's leap second). The encoder's reference keeps this un-normalised form,
// as the original's did.
struct FdqTime {
  std::int64_t seconds = 0;
  std::uint32_t subsec_ms = 0;
};

// FDCodecState::encode + RMPCodec::to_rmp: stateful, one instance per output file.
class FdqEncoder {
 public:
  explicit FdqEncoder(const FdqConfig& config);

  const FdqConfig& config() const { return config_; }
  void append_header(std::vector<std::uint8_t>& out) const { append_fdq_header(config_, out); }
  // Appends one frame; the time is frame.timestamp_ms split into floor seconds and ms.
  FdqRecord encode(const FdqFrame& frame, std::vector<std::uint8_t>& out);
  // Same, with the time as the original held it (see FdqTime); frame.timestamp_ms is ignored.
  FdqRecord encode(const FdqFrame& frame, FdqTime time, std::vector<std::uint8_t>& out);

 private:
  FdqRecord plan(const FdqFrame& frame, FdqTime time) const;
  void remember(const FdqFrame& frame, FdqTime time);

  FdqConfig config_;
  std::optional<LinearLogQuantizer> llq_;
  std::optional<std::int64_t> last_seconds_;
  std::uint32_t last_subsec_ms_ = 0;
  std::int64_t last_code_p0_ = 0;  // delta_enc's reference (never undone by the decoder)
};

// FrameDataQ::from_framedata: percentiles of the samples, ms truncated from µs.
FdqFrame fdq_frame_from_legacy(const LegacyFrame& frame);
FdqTime fdq_time_of(const LegacyFrame& frame);

struct FdqConversion {
  std::vector<std::uint8_t> bytes;  // header + frames
  std::size_t frames = 0;
  DecodeEnd input_end;  // how reading the FrameData input ended; its frames are all converted
};

// What zzping 0.2's datareadq did: header, then every frame of the input up to its end
// state (a cut or bad frame ends the input; the frames before it are converted).
FdqConversion convert_framedata_to_fdq(std::span<const std::uint8_t> framedata,
                                       const FdqConfig& config);

// Streams frames out of an FDQ file (the span must outlive the decoder). The header is
// parsed on construction; if it is bad, next() returns false at once with an error end.
class FdqDecoder {
 public:
  explicit FdqDecoder(std::span<const std::uint8_t> file);

  bool header_ok() const { return header_ok_; }
  const FdqHeader& header() const { return header_; }
  // Decodes the next frame; `record`, if given, receives the stored form and position.
  bool next(FdqFrame& frame, FdqRecord* record = nullptr);
  const DecodeEnd& end() const { return end_; }
  std::size_t frames_decoded() const { return frames_; }

 private:
  void decode_frame(FdqFrame& frame, FdqRecord& record);
  std::size_t parse_checked(FdqFrame& frame, FdqRecord& record);
  void resolve(FdqFrame& frame, const FdqRecord& record);
  std::int64_t decode_code(std::int64_t code);
  void finish(EndKind kind, std::size_t problem_offset, std::string message);

  std::span<const std::uint8_t> bytes_;
  FdqHeader header_;
  bool header_ok_ = false;
  std::optional<LinearLogQuantizer> llq_;
  std::vector<std::int64_t> code_cache_;  // decode() of small codes, filled on first use
  std::size_t pos_ = 0;
  std::size_t frames_ = 0;
  std::optional<std::int64_t> last_seconds_;
  std::uint32_t last_subsec_ms_ = 0;
  bool ended_ = false;
  DecodeEnd end_;
};

struct FdqFile {
  bool header_ok = false;
  FdqHeader header;
  std::vector<FdqFrame> frames;
  std::vector<FdqRecord> records;  // filled only when asked for
  DecodeEnd end;
};

FdqFile decode_fdq(std::span<const std::uint8_t> file, bool keep_records = false);

}  // namespace zzping::zzping02
