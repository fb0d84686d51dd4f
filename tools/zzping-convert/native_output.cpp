// SPDX-License-Identifier: GPL-3.0-or-later
#include "native_output.hpp"

#include <algorithm>

#include "zzping/formats/native/file_format.hpp"

namespace zzping::convert {

namespace {

std::string_view source_of(formats::FileFormat format) {
  switch (format) {
    case formats::FileFormat::kFrameData: return native::source::kFrameData;
    case formats::FileFormat::kFdq101: return native::source::kFdq;
    case formats::FileFormat::kNative: return native::source::kConverter;
  }
  return native::source::kConverter;
}

native::CounterSet counters_of(const formats::MeasuredCounters& measured) {
  native::CounterSet set = native::kZzping02Counters;
  if (measured.sent) set |= native::kCounterSent;
  if (measured.dup) set |= native::kCounterDup;
  if (measured.late) set |= native::kCounterLate;
  if (measured.icmp_errors) set |= native::kCounterIcmpErrors;
  return set;
}

}  // namespace

NativeSource NativeSource::from(const formats::LoadedFrames& loaded) {
  NativeSource out;
  out.host = loaded.host;
  out.address = loaded.address;
  out.frame_ms = loaded.frame_ms;
  out.tier_ms = loaded.tier_ms;
  out.precision = loaded.precision;
  out.format = loaded.format;
  out.measured = loaded.measured;
  return out;
}

std::vector<std::uint8_t> encode_native_file(const NativeSource& source,
                                             std::span<const Frame> frames,
                                             std::span<const LossEvent> events,
                                             std::uint32_t block_frames) {
  native::FileHeader header;
  header.host = source.host;
  header.address = source.address;
  header.frame_ms = source.frame_ms;
  header.tier_ms = source.tier_ms;
  header.precision = source.precision;
  header.software = std::string("zzping-convert ") + ZZPING_VERSION;
  header.start_ms = frames.empty() ? 0 : frames.front().t_ms;
  header.source = std::string(source_of(source.format));
  header.counters = counters_of(source.measured);
  // Frames without jitter (every zzping 0.2 import) make a file of format 1.0, byte for byte
  // what a 1.0 writer wrote: any 1.0 reader reads it without skipping anything.
  if (!native::has_any_jitter(frames)) header.version_minor = 0;

  std::vector<std::uint8_t> out = native::encode_header(header);
  for (std::size_t first = 0; first < frames.size(); first += block_frames) {
    const std::size_t count = std::min<std::size_t>(block_frames, frames.size() - first);
    native::append_frame_record(frames.subspan(first, count), header, out);
  }
  for (std::size_t first = 0; first < events.size(); first += native::kMaxEventsPerRecord) {
    const std::size_t count = std::min(native::kMaxEventsPerRecord, events.size() - first);
    native::append_events_record(events.subspan(first, count), header, out);
  }
  return out;
}

}  // namespace zzping::convert
