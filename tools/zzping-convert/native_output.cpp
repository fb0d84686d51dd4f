// SPDX-License-Identifier: GPL-3.0-or-later
#include "native_output.hpp"

#include <algorithm>
#include <iterator>

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
  out.role = loaded.role;
  out.timeout_ms = loaded.timeout_ms;
  return out;
}

std::int64_t NativeEvidence::earliest_ms() const {
  std::optional<std::int64_t> earliest;
  const auto see = [&](std::int64_t t) { earliest = std::min(earliest.value_or(t), t); };
  for (const auto& e : plain) see(e.start_ms);
  for (const auto& a : attributed) see(a.event.start_ms);
  for (const auto& i : incidents) see(i.start_ms);
  for (const auto& p : paths) see(p.t_ms);
  return earliest.value_or(0);
}

void NativeEvidence::take_from(formats::LoadedFrames& loaded) {
  std::size_t next_attributed = 0;
  for (LossEvent& event : loaded.events) {
    if (next_attributed < loaded.attributed.size() && loaded.attributed[next_attributed].event == event) {
      ++next_attributed;
      continue;
    }
    plain.push_back(event);
  }
  std::move(loaded.attributed.begin(), loaded.attributed.end(), std::back_inserter(attributed));
  std::move(loaded.incidents.begin(), loaded.incidents.end(), std::back_inserter(incidents));
  std::move(loaded.paths.begin(), loaded.paths.end(), std::back_inserter(paths));
}

std::vector<std::uint8_t> encode_native_file(const NativeSource& source,
                                             std::span<const Frame> frames,
                                             const NativeEvidence& evidence,
                                             std::uint32_t block_frames) {
  native::FileHeader header;
  header.host = source.host;
  header.address = source.address;
  header.frame_ms = source.frame_ms;
  header.tier_ms = source.tier_ms;
  header.precision = source.precision;
  header.software = std::string("zzping-convert ") + ZZPING_VERSION;
  header.start_ms = frames.empty() ? evidence.earliest_ms() : frames.front().t_ms;
  header.source = std::string(source_of(source.format));
  header.counters = counters_of(source.measured);
  header.role = source.role;
  header.timeout_ms = source.timeout_ms;
  // Frames without jitter and nothing of 1.2 (every zzping 0.2 import) make a file of
  // format 1.0, byte for byte what a 1.0 writer wrote: any 1.0 reader reads it without
  // skipping anything.
  const bool needs_1_2 =
      source.role || !evidence.attributed.empty() || !evidence.incidents.empty() || !evidence.paths.empty();
  if (!native::has_any_jitter(frames) && !needs_1_2) header.version_minor = 0;

  std::vector<std::uint8_t> out = native::encode_header(header);
  for (std::size_t first = 0; first < frames.size(); first += block_frames) {
    const std::size_t count = std::min<std::size_t>(block_frames, frames.size() - first);
    native::append_frame_record(frames.subspan(first, count), header, out);
  }
  const std::span<const LossEvent> plain = evidence.plain;
  for (std::size_t first = 0; first < plain.size(); first += native::kMaxEventsPerRecord) {
    const std::size_t count = std::min(native::kMaxEventsPerRecord, plain.size() - first);
    native::append_events_record(plain.subspan(first, count), header, out);
  }
  for (const auto& burst : evidence.attributed) native::append_attributed_event_record(burst, out);
  for (const auto& incident : evidence.incidents) native::append_incident_record(incident, out);
  for (const auto& path : evidence.paths) native::append_path_record(path, out);
  return out;
}

}  // namespace zzping::convert
