// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The native .zzf file: a self-describing MessagePack header, then records (frame blocks,
// loss events) that a writer only ever appends (docs/formats.md, "File").
//
// Encoders here return the bytes to append; they do no I/O (the daemon and the converter
// own their files). Reading is in stream_reader.hpp (bytes) and file_reader.hpp (paths).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zzping/common/attribution.hpp"
#include "zzping/common/frame.hpp"
#include "zzping/formats/native/block_codec.hpp"
#include "zzping/formats/native/evidence_records.hpp"

namespace zzping::native {

inline constexpr std::string_view kFormatName = "zzping-frames";
inline constexpr std::uint32_t kVersionMajor = 1;
// 1.1 added the jitter record (kind 3); 1.0 files are still read (their jitter is absent).
// 1.2 added the header's role and the evidence records (kinds 4-6, evidence_records.hpp).
inline constexpr std::uint32_t kVersionMinor = 2;
inline constexpr std::string_view kFileExtension = ".zzf";
// Bounds a reader enforces before allocating anything.
inline constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
inline constexpr std::size_t kMaxRecordBytes = kMaxBlockBytes + 2;

// Where a file's frames come from (FileHeader::source).
namespace source {
inline constexpr std::string_view kDaemon = "zzpingd";
inline constexpr std::string_view kFrameData = "zzping-0.2 FrameData";
inline constexpr std::string_view kFdq = "zzping-0.2 FDQ";
inline constexpr std::string_view kConverter = "zzping-convert";
}  // namespace source

// Which Frame counters hold measurements. Frames imported from zzping 0.2 never knew
// `sent`, `dup`, `late` or `icmp_errors`: they are stored as 0 and the header says they
// are not meaningful (docs/formats.md, "Imported data").
enum Counter : std::uint32_t {
  kCounterSent = 1u << 0,
  kCounterRecv = 1u << 1,
  kCounterLost = 1u << 2,
  kCounterDup = 1u << 3,
  kCounterLate = 1u << 4,
  kCounterIcmpErrors = 1u << 5,
  kCounterInflight = 1u << 6,
};
using CounterSet = std::uint32_t;
inline constexpr CounterSet kAllCounters = 0x7f;
inline constexpr CounterSet kZzping02Counters = kCounterRecv | kCounterLost | kCounterInflight;
// The counter names as written in the header's "counters" array.
std::string_view counter_name(Counter c);

struct FileHeader {
  std::uint32_t version_major = kVersionMajor;
  std::uint32_t version_minor = kVersionMinor;
  std::string host;     // as configured: a name or an address
  std::string address;  // the address pinged when the file started ("" if unknown)
  std::uint32_t frame_ms = 100;  // the usual frame length (the tier length in tier files)
  double precision = RttQuantiser::kDefaultPrecision;
  std::string software;  // e.g. "zzping 0.3.0"
  std::int64_t start_ms = 0;  // file start, ms since the Unix epoch (UTC); block times are relative to it
  std::string source = std::string(source::kDaemon);
  std::uint32_t tier_ms = 0;  // 0: raw frames; otherwise a tier file of frames this long
  CounterSet counters = kAllCounters;
  // The host's role (since 1.2); not written when unset, and an absent role means internet.
  std::optional<attribution::Role> role;
  // The probe timeout (ms) the daemon waited for a reply before counting a loss (key
  // "timeout_ms", optional since 1.2, no version step: readers skip keys they do not know);
  // not written when unset (zzping-convert, older daemons). docs/formats.md, "Header".
  std::optional<std::uint32_t> timeout_ms;

  attribution::Role role_or_default() const { return role.value_or(attribution::Role::internet); }
  // Whether this file holds every loss burst of its frames (records of kinds 2 and 4): only a
  // raw file (tier files never hold events) whose source detects bursts. zzping 0.2 never
  // did: its imports say so by their source, or, once re-converted ("zzping-convert"), by
  // counters without `sent` (only zzping 0.2 data lacks it). docs/formats.md, "File".
  bool records_loss_events() const {
    return tier_ms == 0 && source != source::kFrameData && source != source::kFdq &&
           (counters & kCounterSent) != 0;
  }
  BlockContext block_context() const { return BlockContext{frame_ms, precision, start_ms}; }
  friend bool operator==(const FileHeader&, const FileHeader&) = default;
};

// kJitter (since 1.1) comes right before the frame block whose frames it describes.
// Since 1.2: kAttributedEvent (a loss burst with its cause; daemon files write it instead of
// kLossEvents), kIncident, kPath (evidence_records.hpp).
enum class RecordKind : std::uint8_t {
  kFrameBlock = 1, kLossEvents = 2, kJitter = 3, kAttributedEvent = 4, kIncident = 5, kPath = 6,
};

// The header as the first bytes of a file. Throws std::invalid_argument for values a
// reader would refuse (bad precision, zero frame length, strings over 4096 bytes).
std::vector<std::uint8_t> encode_header(const FileHeader& header);
// Appends one record holding `frames` (1..kMaxFramesPerBlock of the header's host),
// preceded by their jitter record when any frame has jitter.
void append_frame_record(std::span<const Frame> frames, const FileHeader& header,
                         std::vector<std::uint8_t>& out);
void append_events_record(std::span<const LossEvent> events, const FileHeader& header,
                          std::vector<std::uint8_t>& out);
void append_attributed_event_record(const AttributedLossEvent& event, std::vector<std::uint8_t>& out);
void append_incident_record(const attribution::Incident& incident, std::vector<std::uint8_t>& out);
void append_path_record(const PathSnapshot& path, std::vector<std::uint8_t>& out);
// Appends a record of any kind around an already encoded body (the checksum is added).
void append_record(std::uint8_t kind, std::span<const std::uint8_t> body,
                   std::vector<std::uint8_t>& out);

// Decodes the header at the start of `bytes`; returns it and sets `consumed`. Throws
// FormatError (truncated() when more bytes would help) on anything else.
FileHeader decode_header(std::span<const std::uint8_t> bytes, std::size_t& consumed);
// True when `bytes` starts like a native file (for format detection; needs 22 bytes).
bool looks_like_native(std::span<const std::uint8_t> bytes);

// CRC-16/CCITT-FALSE (poly 0x1021, init 0xffff), the record checksum.
std::uint16_t crc16(std::span<const std::uint8_t> bytes, std::uint16_t crc = 0xffff);

}  // namespace zzping::native
