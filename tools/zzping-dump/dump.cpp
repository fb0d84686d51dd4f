// SPDX-License-Identifier: GPL-3.0-or-later
#include "dump.hpp"

#include <iostream>
#include <optional>
#include <string>

#include "zzping/formats/any_format.hpp"
#include "zzping/formats/zzping02/fdq.hpp"
#include "zzping/formats/zzping02/framedata.hpp"
#include "zzping/tools/cli.hpp"

namespace zzping::dump {

namespace {

constexpr const char* kTool = "zzping-dump";

std::int64_t floor_div_1000(std::int64_t us) { return us >= 0 ? us / 1000 : (us - 999) / 1000; }

std::array<double, 7> as_doubles(const zzping02::Percentiles& p) {
  std::array<double, 7> out{};
  for (std::size_t i = 0; i < p.size(); ++i) out[i] = static_cast<double>(p[i]);
  return out;
}

// Reports how decoding ended: a warning for a cut, an error line for bad bytes.
void report_end(const std::filesystem::path& path, formats::LoadEnd end,
                const std::string& message, DumpResult& result) {
  if (end == formats::LoadEnd::kEof) return;
  // The decoders' messages name the frame, the offset and what stands before it.
  result.truncated = end == formats::LoadEnd::kTruncated;
  result.failed = end == formats::LoadEnd::kError;
  std::cout.flush();
  std::cerr << kTool << ": " << path.string() << ": " << message << '\n';
}

DumpResult dump_framedata(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                          tools::FramePrinter& printer) {
  const auto host = formats::legacy_host_from_file_name(path.filename().string());
  DumpResult result;
  zzping02::FrameDataDecoder decoder(bytes);
  zzping02::LegacyFrame frame;
  while (decoder.next(frame)) {
    tools::OutputFrame out;
    out.host = host;
    out.t_ms = floor_div_1000(frame.ts_us);
    out.recv = static_cast<std::uint32_t>(frame.recv_us.size());
    out.lost = frame.lost_packets;
    out.inflight = frame.inflight;
    if (!frame.recv_us.empty()) out.rtt_us = as_doubles(zzping02::compute_percentiles(frame.recv_us));
    out.samples_us = frame.recv_us;
    printer.print(out);
    ++result.frames;
  }
  report_end(path, formats::load_end_of(decoder.end().kind), decoder.end().message, result);
  return result;
}

DumpResult dump_fdq(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                    tools::FramePrinter& printer) {
  const auto host = formats::legacy_host_from_file_name(path.filename().string());
  DumpResult result;
  zzping02::FdqDecoder decoder(bytes);
  zzping02::FdqFrame frame;
  while (decoder.next(frame)) {
    tools::OutputFrame out;
    out.host = host;
    out.t_ms = frame.timestamp_ms;
    out.recv = frame.recv_us_len;
    out.lost = frame.lost_packets;
    out.inflight = frame.inflight;
    if (frame.recv_us_len > 0) out.rtt_us = as_doubles(frame.recv_us);
    printer.print(out);
    ++result.frames;
  }
  report_end(path, formats::load_end_of(decoder.end().kind), decoder.end().message, result);
  return result;
}

// The loss bursts (kind 2 plain, kind 4 with their cause), then the paths (each followed
// by a route_change line when its route changed), then the incidents (the printer drops one
// already printed from another host's file).
void print_evidence(const formats::LoadedFrames& loaded, const std::optional<std::string>& host,
                    tools::FramePrinter& printer) {
  std::size_t next_attributed = 0;  // `attributed` is the kind 4 subsequence of `events`
  for (const LossEvent& event : loaded.events) {
    tools::OutputEvent out{host, event};
    if (next_attributed < loaded.attributed.size() && loaded.attributed[next_attributed].event == event) {
      const native::AttributedLossEvent& a = loaded.attributed[next_attributed++];
      out.attribution = attribution::Attribution{a.cause, a.reason, a.lost_too, a.answered};
    }
    printer.print(out);
  }
  for (const PathSnapshot& path : loaded.paths) printer.print(tools::OutputPath{host, path});
  for (const attribution::Incident& incident : loaded.incidents) printer.print(tools::OutputIncident{incident});
}

DumpResult dump_native(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                       tools::FramePrinter& printer) {
  const formats::LoadedFrames loaded = formats::load_frames(bytes, path.filename().string());
  DumpResult result;
  const std::optional<std::string> host =
      loaded.host.empty() ? std::nullopt : std::optional<std::string>(loaded.host);
  for (const Frame& frame : loaded.frames) {
    tools::OutputFrame out = tools::output_from_native(frame);
    out.host = host;
    // Imported zzping 0.2 data never counted these: omit them rather than print zeros.
    if (!loaded.measured.sent) out.sent.reset();
    if (!loaded.measured.dup) out.dup.reset();
    if (!loaded.measured.late) out.late.reset();
    if (!loaded.measured.icmp_errors) out.icmp_errors.reset();
    printer.print(out);
    ++result.frames;
  }
  print_evidence(loaded, host, printer);
  report_end(path, loaded.end, loaded.end_message, result);
  return result;
}

}  // namespace

DumpResult dump_file(const std::filesystem::path& path, tools::FramePrinter& printer) {
  const auto bytes = tools::read_file_bytes(path);
  formats::FileFormat format;
  try {
    format = formats::detect_format(std::span(bytes).first(std::min<std::size_t>(bytes.size(), 64)));
  } catch (const std::exception& e) {
    throw std::runtime_error(path.string() + ": " + e.what());
  }
  switch (format) {
    case formats::FileFormat::kFrameData: return dump_framedata(path, bytes, printer);
    case formats::FileFormat::kFdq101: return dump_fdq(path, bytes, printer);
    case formats::FileFormat::kNative: return dump_native(path, bytes, printer);
  }
  return {};
}

DumpResult describe_file(const std::filesystem::path& path, std::ostream& out) {
  const auto bytes = tools::read_file_bytes(path);
  formats::LoadedFrames loaded;
  try {
    loaded = formats::load_frames(bytes, path.filename().string());
  } catch (const std::exception& e) {
    throw std::runtime_error(path.string() + ": " + e.what());
  }
  DumpResult result;
  result.frames = loaded.frames.size();
  out << path.string() << ": format " << formats::to_string(loaded.format) << ", host '"
      << loaded.host << "'";
  if (!loaded.address.empty() && loaded.address != loaded.host) out << " (" << loaded.address << ")";
  out << ", frame " << loaded.frame_ms << " ms";
  if (loaded.tier_ms) out << ", tier " << loaded.tier_ms << " ms";
  out << ", precision " << loaded.precision << ", " << bytes.size() << " bytes, "
      << loaded.frames.size() << " frames";
  if (!loaded.frames.empty()) {
    out << " (" << tools::format_utc_ms(loaded.frames.front().t_ms) << " .. "
        << tools::format_utc_ms(loaded.frames.back().t_ms) << ")";
  }
  out << ", " << loaded.events.size() << " events";
  // 0 events means "no burst" only where bursts are recorded (docs/summary.md).
  if (!loaded.measured.loss_bursts) out << " (loss bursts not recorded in this file)";
  if (!loaded.attributed.empty()) out << " (" << loaded.attributed.size() << " with a cause)";
  if (!loaded.incidents.empty()) out << ", " << loaded.incidents.size() << " incidents";
  if (!loaded.paths.empty()) out << ", " << loaded.paths.size() << " paths";
  if (loaded.role) out << ", role " << attribution::to_string(*loaded.role);
  if (loaded.timeout_ms) out << ", timeout " << *loaded.timeout_ms << " ms";
  out << "\n";
  report_end(path, loaded.end, loaded.end_message, result);
  return result;
}

}  // namespace zzping::dump
