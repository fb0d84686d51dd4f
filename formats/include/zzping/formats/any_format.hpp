// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Opening any frame file zzping knows, whatever wrote it: format detection and a unified
// load into native frames (for the GUI and the converter).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zzping/common/attribution.hpp"
#include "zzping/common/frame.hpp"
#include "zzping/common/path.hpp"
#include "zzping/formats/native/evidence_records.hpp"
#include "zzping/formats/zzping02/decode_end.hpp"

namespace zzping::formats {

enum class FileFormat {
  kNative,     // zzping's own .zzf / tier files (docs/formats.md)
  kFrameData,  // zzping 0.2 daemon log
  kFdq101,     // zzping 0.2 FDCodec v101 (FrameDataQ)
};

std::string_view to_string(FileFormat format);
// Parses "native" | "framedata" | "fdq101"; throws std::invalid_argument otherwise.
FileFormat parse_file_format(std::string_view name);

// Detects the format from the first bytes of a file (64 are enough). Throws
// std::runtime_error saying what the bytes look like when no format matches.
FileFormat detect_format(std::span<const std::uint8_t> head);

// The host a zzping 0.2 file name names ("pingd-log-<addr>-<YYYYMMDDTHH>.log[.fdq.log]"),
// if it follows that pattern.
std::optional<std::string> legacy_host_from_file_name(std::string_view file_name);

enum class LoadEnd { kEof, kTruncated, kError };
// The same end state, as zzping 0.2's decoders report it.
LoadEnd load_end_of(zzping02::EndKind kind);

// Which of a Frame's counters hold measurements. zzping 0.2 never counted probes sent,
// duplicates, late replies or ICMP errors: frames from its files (and native files
// converted from them) carry 0 there, which must not be shown as measured.
struct MeasuredCounters {
  bool sent = true;
  bool dup = true;
  bool late = true;
  bool icmp_errors = true;
  // Whether the file holds every loss burst of its frames (native::FileHeader::
  // records_loss_events): never for zzping 0.2 data nor tier files. When false, finding no
  // event says nothing about bursts (docs/summary.md, "Loss bursts").
  bool loss_bursts = true;
  static MeasuredCounters zzping02() { return {false, false, false, false, false}; }
};

struct LoadedFrames {
  FileFormat format = FileFormat::kNative;
  std::string host;            // header host name, else from the file name, else empty
  std::string address;         // header host address when the format has one
  std::uint32_t frame_ms = 100;
  std::uint32_t tier_ms = 0;   // native tier files: the tier length; 0 for raw frames
  double precision = 0.01;     // of the frames' histograms
  MeasuredCounters measured;
  std::vector<Frame> frames;   // in file order
  // Every loss burst (native kinds 2 and 4), in file order; those of kind 4 (format 1.2)
  // also in `attributed`, with their cause, in the same order.
  std::vector<LossEvent> events;
  std::vector<native::AttributedLossEvent> attributed;
  std::vector<attribution::Incident> incidents;  // native 1.2 only
  std::vector<PathSnapshot> paths;               // native 1.2 only
  std::optional<attribution::Role> role;         // the native header's (absent: internet)
  std::optional<std::uint32_t> timeout_ms;       // the native header's probe timeout, if recorded
  LoadEnd end = LoadEnd::kEof;
  std::string end_message;     // names the problem and its byte offset; empty at kEof
};

struct LoadOptions {
  // Precision of the histograms built for zzping 0.2 data (which has none of its own).
  double legacy_precision = 0.01;
};

// Decodes a whole file into native frames. Never throws for bad content: the frames
// before a cut or a bad byte are returned with end = kTruncated / kError and a message.
// Throws std::runtime_error only when the format cannot be detected.
LoadedFrames load_frames(std::span<const std::uint8_t> bytes, std::string_view file_name,
                         const LoadOptions& options = {});

}  // namespace zzping::formats
