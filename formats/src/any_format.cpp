// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/any_format.hpp"

#include <stdexcept>

#include "mpk.hpp"
#include "zzping/formats/legacy_frames.hpp"
#include "zzping/formats/native/stream_reader.hpp"
#include "zzping/formats/zzping02/fdq.hpp"
#include "zzping/formats/zzping02/framedata.hpp"

namespace zzping::formats {

std::string_view to_string(FileFormat format) {
  switch (format) {
    case FileFormat::kNative: return "native";
    case FileFormat::kFrameData: return "framedata";
    case FileFormat::kFdq101: return "fdq101";
  }
  return "?";
}

FileFormat parse_file_format(std::string_view name) {
  for (const FileFormat f : {FileFormat::kNative, FileFormat::kFrameData, FileFormat::kFdq101}) {
    if (name == to_string(f)) return f;
  }
  throw std::invalid_argument("unknown format '" + std::string(name) +
                              "' (expected native, framedata or fdq101)");
}

LoadEnd load_end_of(zzping02::EndKind kind) {
  switch (kind) {
    case zzping02::EndKind::kEof: return LoadEnd::kEof;
    case zzping02::EndKind::kTruncated: return LoadEnd::kTruncated;
    case zzping02::EndKind::kError: return LoadEnd::kError;
  }
  return LoadEnd::kError;
}

namespace {

// The first key of a map at the start of `head`, if the bytes begin with a map.
std::optional<std::string> first_map_key(std::span<const std::uint8_t> head) {
  try {
    mpk::Reader reader(head);
    const std::uint8_t m = reader.peek();
    if (!((m & 0xf0) == 0x80 || m == 0xde || m == 0xdf)) return std::nullopt;
    if (reader.read_map_header(UINT32_MAX) == 0) return std::nullopt;
    return std::string(reader.read_str(64));
  } catch (const mpk::DecodeError&) {
    return std::nullopt;
  }
}

bool is_str_marker(std::uint8_t m) { return (m & 0xe0) == 0xa0 || (m >= 0xd9 && m <= 0xdb); }
// Sized integers only: a fixint would make every text file look like FrameData, and a
// FrameData file cannot validly start with an integer anyway (a delta frame needs a keyframe).
bool is_sized_int_marker(std::uint8_t m) { return m >= 0xcc && m <= 0xd3; }

std::string hex_prefix(std::span<const std::uint8_t> head) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < head.size() && i < 8; ++i) {
    out += kDigits[head[i] >> 4];
    out += kDigits[head[i] & 15];
  }
  return out;
}

void load_framedata(std::span<const std::uint8_t> bytes, const RttQuantiser& quantiser,
                    LoadedFrames& out) {
  zzping02::FrameDataDecoder decoder(bytes);
  zzping02::LegacyFrame legacy;
  while (decoder.next(legacy)) out.frames.push_back(native_from_framedata(legacy, quantiser));
  out.end = load_end_of(decoder.end().kind);
  out.end_message = decoder.end().message;
}

void load_fdq(std::span<const std::uint8_t> bytes, const RttQuantiser& quantiser,
              LoadedFrames& out) {
  zzping02::FdqDecoder decoder(bytes);
  zzping02::FdqFrame fdq;
  while (decoder.next(fdq)) out.frames.push_back(native_from_fdq(fdq, quantiser));
  out.end = load_end_of(decoder.end().kind);
  out.end_message = decoder.end().message;
}

LoadEnd load_end_of(native::EndKind kind) {
  switch (kind) {
    case native::EndKind::kEof: return LoadEnd::kEof;
    case native::EndKind::kTruncated: return LoadEnd::kTruncated;
    case native::EndKind::kError: return LoadEnd::kError;
  }
  return LoadEnd::kError;
}

void load_native(std::span<const std::uint8_t> bytes, LoadedFrames& out) {
  native::NativeFile file = native::read_native(bytes);
  if (file.header) {
    out.host = file.header->host;
    out.address = file.header->address;
    out.frame_ms = file.header->frame_ms;
    out.tier_ms = file.header->tier_ms;
    out.precision = file.header->precision;
    out.role = file.header->role;
    out.timeout_ms = file.header->timeout_ms;
    const native::CounterSet counters = file.header->counters;
    out.measured = {(counters & native::kCounterSent) != 0, (counters & native::kCounterDup) != 0,
                    (counters & native::kCounterLate) != 0,
                    (counters & native::kCounterIcmpErrors) != 0, file.header->records_loss_events()};
  }
  out.frames = std::move(file.frames);
  out.events = std::move(file.events);
  out.attributed = std::move(file.attributed);
  out.incidents = std::move(file.incidents);
  out.paths = std::move(file.paths);
  out.end = load_end_of(file.end.kind);
  out.end_message = std::move(file.end.message);
}

}  // namespace

FileFormat detect_format(std::span<const std::uint8_t> head) {
  if (head.empty()) throw std::runtime_error("empty file: no frame format to detect");
  if (native::looks_like_native(head)) return FileFormat::kNative;
  if (const auto key = first_map_key(head)) {
    if (*key == "schema") return FileFormat::kFdq101;
    if (*key == "format") return FileFormat::kNative;
    throw std::runtime_error("unknown file format: a MessagePack map whose first key is '" +
                             *key + "'");
  }
  // FrameData has no header: a keyframe starts with its RFC 3339 string, and a file may
  // start with a delta frame's integer (zzping 0.2 wrote such files, then failed on them).
  if (is_str_marker(head[0]) || is_sized_int_marker(head[0])) return FileFormat::kFrameData;
  throw std::runtime_error("unknown file format (starts with bytes " + hex_prefix(head) +
                           "): not zzping native, FDQ v101 nor FrameData");
}

std::optional<std::string> legacy_host_from_file_name(std::string_view file_name) {
  // "pingd-log-<addr>-<YYYYMMDDTHH>.log", optionally followed by ".fdq.log".
  constexpr std::string_view kPrefix = "pingd-log-";
  constexpr std::string_view kFdqSuffix = ".fdq.log";
  constexpr std::string_view kLogSuffix = ".log";
  constexpr std::size_t kStampLength = 11;  // YYYYMMDDTHH
  std::string_view name = file_name;
  if (name.ends_with(kFdqSuffix)) name.remove_suffix(kFdqSuffix.size());
  if (!name.ends_with(kLogSuffix)) return std::nullopt;
  name.remove_suffix(kLogSuffix.size());
  const std::size_t prefix = name.find(kPrefix);
  if (prefix == std::string_view::npos) return std::nullopt;
  name.remove_prefix(prefix + kPrefix.size());
  if (name.size() < kStampLength + 2 || name[name.size() - kStampLength - 1] != '-') {
    return std::nullopt;
  }
  const std::string_view stamp = name.substr(name.size() - kStampLength);
  for (std::size_t i = 0; i < stamp.size(); ++i) {
    const bool ok = i == 8 ? stamp[i] == 'T' : (stamp[i] >= '0' && stamp[i] <= '9');
    if (!ok) return std::nullopt;
  }
  return std::string(name.substr(0, name.size() - kStampLength - 1));
}

LoadedFrames load_frames(std::span<const std::uint8_t> bytes, std::string_view file_name,
                         const LoadOptions& options) {
  LoadedFrames out;
  out.format = detect_format(bytes.first(std::min<std::size_t>(bytes.size(), 64)));
  if (out.format == FileFormat::kNative) {
    load_native(bytes, out);
    return out;
  }
  const RttQuantiser quantiser(options.legacy_precision);
  out.precision = options.legacy_precision;
  out.measured = MeasuredCounters::zzping02();
  out.frame_ms = kLegacyFrameMs;
  out.host = legacy_host_from_file_name(file_name).value_or("");
  out.address = out.host;
  if (out.format == FileFormat::kFrameData) {
    load_framedata(bytes, quantiser, out);
  } else {
    load_fdq(bytes, quantiser, out);
  }
  return out;
}

}  // namespace zzping::formats
