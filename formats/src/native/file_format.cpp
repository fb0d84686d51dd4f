// SPDX-License-Identifier: GPL-3.0-or-later
// The .zzf header (a MessagePack map) and the record framing (MessagePack ext + CRC-16).
#include "zzping/formats/native/file_format.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "mpk.hpp"

namespace zzping::native {
namespace {

constexpr std::size_t kMaxStringBytes = 4096;
constexpr std::uint32_t kMaxHeaderEntries = 64;
constexpr std::array<Counter, 7> kCounters = {kCounterSent, kCounterRecv, kCounterLost, kCounterDup,
                                              kCounterLate, kCounterIcmpErrors, kCounterInflight};

constexpr std::array<std::uint16_t, 256> make_crc_table() {
  std::array<std::uint16_t, 256> table{};
  for (unsigned i = 0; i < 256; ++i) {
    auto crc = static_cast<std::uint16_t>(i << 8);
    for (int b = 0; b < 8; ++b) {
      crc = static_cast<std::uint16_t>((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
    }
    table[i] = crc;
  }
  return table;
}
constexpr std::array<std::uint16_t, 256> kCrcTable = make_crc_table();

void check_encodable(const FileHeader& h) {
  const RttQuantiser check(h.precision);  // throws std::invalid_argument when out of range
  if (h.frame_ms == 0) throw std::invalid_argument("frame length must be positive");
  for (const std::string* s : {&h.host, &h.address, &h.software, &h.source}) {
    if (s->size() > kMaxStringBytes) {
      throw std::invalid_argument("header strings are limited to 4096 bytes");
    }
  }
}

std::string read_string(mpk::Reader& r) { return std::string(r.read_str(kMaxStringBytes)); }

std::uint32_t read_u32(mpk::Reader& r, const char* what) {
  const std::size_t at = r.position();
  const std::uint64_t v = r.read_uint();
  if (v > std::numeric_limits<std::uint32_t>::max()) {
    r.fail_at(at, std::string(what) + " out of range");
  }
  return static_cast<std::uint32_t>(v);
}

CounterSet read_counters(mpk::Reader& r) {
  const std::uint32_t n = r.read_array_header(32);
  CounterSet set = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::string_view name = r.read_str(64);
    for (Counter c : kCounters) {
      if (name == counter_name(c)) set |= c;
    }
    // Unknown counter names (from a newer writer) are ignored.
  }
  return set;
}

// Reads one header entry into `h`; returns false for a key this version does not know.
bool read_entry(std::string_view key, mpk::Reader& r, FileHeader& h) {
  if (key == "version") {
    const std::size_t at = r.position();
    const std::uint32_t n = r.read_array_header(8);
    if (n < 2) r.fail_at(at, "header version must be [major, minor]");
    h.version_major = read_u32(r, "major version");
    h.version_minor = read_u32(r, "minor version");
    for (std::uint32_t i = 2; i < n; ++i) r.skip(4);
  } else if (key == "host") {
    h.host = read_string(r);
  } else if (key == "address") {
    h.address = read_string(r);
  } else if (key == "frame_ms") {
    h.frame_ms = read_u32(r, "frame_ms");
  } else if (key == "precision") {
    h.precision = r.read_float();
  } else if (key == "software") {
    h.software = read_string(r);
  } else if (key == "start_ms") {
    h.start_ms = r.read_int();
  } else if (key == "source") {
    h.source = read_string(r);
  } else if (key == "tier_ms") {
    h.tier_ms = read_u32(r, "tier_ms");
  } else if (key == "counters") {
    h.counters = read_counters(r);
  } else if (key == "role") {
    // A role a newer writer added reads as absent (internet), not as damage.
    h.role = attribution::parse_role(r.read_str(64));
  } else if (key == "timeout_ms") {
    h.timeout_ms = read_u32(r, "timeout_ms");
  } else {
    return false;
  }
  return true;
}

void check_decoded(const FileHeader& h, mpk::Reader& r) {
  if (h.version_major != kVersionMajor) {
    r.fail_at(0, "unsupported zzping-frames major version " + std::to_string(h.version_major) +
                     " (this reader knows " + std::to_string(kVersionMajor) + ")");
  }
  if (!(h.precision >= RttQuantiser::kMinPrecision && h.precision <= RttQuantiser::kMaxPrecision)) {
    r.fail_at(0, "header precision out of range");
  }
  if (h.frame_ms == 0) r.fail_at(0, "header frame_ms must be positive");
  if (h.start_ms < -(std::int64_t{1} << 58) || h.start_ms > (std::int64_t{1} << 58)) {
    r.fail_at(0, "header start_ms out of range");
  }
}

}  // namespace

std::string_view counter_name(Counter c) {
  switch (c) {
    case kCounterSent: return "sent";
    case kCounterRecv: return "recv";
    case kCounterLost: return "lost";
    case kCounterDup: return "dup";
    case kCounterLate: return "late";
    case kCounterIcmpErrors: return "icmp_errors";
    case kCounterInflight: return "inflight";
  }
  return "";
}

std::uint16_t crc16(std::span<const std::uint8_t> bytes, std::uint16_t crc) {
  for (const std::uint8_t b : bytes) {
    crc = static_cast<std::uint16_t>((crc << 8) ^ kCrcTable[((crc >> 8) ^ b) & 0xff]);
  }
  return crc;
}

std::vector<std::uint8_t> encode_header(const FileHeader& h) {
  check_encodable(h);
  std::vector<std::uint8_t> out;
  mpk::Writer w(out);
  w.map_header(10u + (h.tier_ms != 0 ? 1u : 0u) + (h.role ? 1u : 0u) + (h.timeout_ms ? 1u : 0u));
  w.str("format");  // first, so the file starts with a fixed signature
  w.str(kFormatName);
  w.str("version");
  w.array_header(2);
  w.uint(h.version_major);
  w.uint(h.version_minor);
  w.str("host");
  w.str(h.host);
  w.str("address");
  w.str(h.address);
  w.str("frame_ms");
  w.uint(h.frame_ms);
  w.str("precision");
  w.f64(h.precision);
  w.str("software");
  w.str(h.software);
  w.str("start_ms");
  w.sint(h.start_ms);
  w.str("source");
  w.str(h.source);
  w.str("counters");
  std::uint32_t n = 0;
  for (Counter c : kCounters) n += (h.counters & c) != 0;
  w.array_header(n);
  for (Counter c : kCounters) {
    if (h.counters & c) w.str(counter_name(c));
  }
  if (h.tier_ms != 0) {
    w.str("tier_ms");
    w.uint(h.tier_ms);
  }
  if (h.role) {
    w.str("role");
    w.str(attribution::to_string(*h.role));
  }
  if (h.timeout_ms) {
    w.str("timeout_ms");
    w.uint(*h.timeout_ms);
  }
  return out;
}

FileHeader decode_header(std::span<const std::uint8_t> bytes, std::size_t& consumed) {
  mpk::Reader r(bytes.first(std::min(bytes.size(), kMaxHeaderBytes)));
  try {
    const std::uint32_t entries = r.read_map_header(kMaxHeaderEntries);
    if (entries == 0 || r.read_str(64) != "format" || r.read_str(64) != kFormatName) {
      r.fail_at(0, "not a zzping-frames file (the header must start with format: zzping-frames)");
    }
    FileHeader h;
    h.version_major = 0;  // "version" is required
    bool have_frame_ms = false;
    bool have_precision = false;
    bool have_start = false;
    for (std::uint32_t i = 1; i < entries; ++i) {
      const std::string_view key = r.read_str(64);
      have_frame_ms |= key == "frame_ms";
      have_precision |= key == "precision";
      have_start |= key == "start_ms";
      if (!read_entry(key, r, h)) r.skip(8);  // an unknown key from a newer writer
    }
    if (h.version_major == 0 || !have_frame_ms || !have_precision || !have_start) {
      r.fail_at(0, "header lacks one of version, frame_ms, precision, start_ms");
    }
    check_decoded(h, r);
    consumed = r.position();
    return h;
  } catch (const mpk::DecodeError& e) {
    // A header cut by the size limit is not "truncated": more bytes would not help.
    const bool truncated = e.truncated() && bytes.size() < kMaxHeaderBytes;
    throw FormatError("file header: " + e.problem(), e.offset(), truncated);
  }
}

bool looks_like_native(std::span<const std::uint8_t> bytes) {
  static constexpr std::string_view kSignature = "\xa6" "format" "\xad" "zzping-frames";
  if (bytes.size() < 1 + kSignature.size()) return false;
  const bool map = (bytes[0] & 0xf0) == 0x80 || bytes[0] == 0xde;
  const std::size_t start = bytes[0] == 0xde ? 3 : 1;
  if (!map || bytes.size() < start + kSignature.size()) return false;
  for (std::size_t i = 0; i < kSignature.size(); ++i) {
    if (bytes[start + i] != static_cast<std::uint8_t>(kSignature[i])) return false;
  }
  return true;
}

void append_record(std::uint8_t kind, std::span<const std::uint8_t> body,
                   std::vector<std::uint8_t>& out) {
  const std::size_t payload = body.size() + 2;
  if (payload > kMaxRecordBytes) throw std::invalid_argument("record too large");
  if (payload <= 0xff) {
    out.push_back(0xc7);
    out.push_back(static_cast<std::uint8_t>(payload));
  } else if (payload <= 0xffff) {
    out.push_back(0xc8);
    out.push_back(static_cast<std::uint8_t>(payload >> 8));
    out.push_back(static_cast<std::uint8_t>(payload));
  } else {
    out.push_back(0xc9);
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(payload >> shift));
  }
  out.push_back(kind);
  out.insert(out.end(), body.begin(), body.end());
  const std::uint8_t kind_byte[1] = {kind};
  const std::uint16_t crc = crc16(body, crc16(kind_byte));
  out.push_back(static_cast<std::uint8_t>(crc >> 8));
  out.push_back(static_cast<std::uint8_t>(crc));
}

void append_frame_record(std::span<const Frame> frames, const FileHeader& header,
                         std::vector<std::uint8_t>& out) {
  std::vector<std::uint8_t> body;
  if (has_any_jitter(frames)) {
    // Before its block, so a reader has it when the frames are decoded.
    encode_jitter(frames, body);
    append_record(static_cast<std::uint8_t>(RecordKind::kJitter), body, out);
    body.clear();
  }
  encode_block(frames, header.block_context(), body);
  append_record(static_cast<std::uint8_t>(RecordKind::kFrameBlock), body, out);
}

void append_events_record(std::span<const LossEvent> events, const FileHeader& header,
                          std::vector<std::uint8_t>& out) {
  std::vector<std::uint8_t> body;
  encode_events(events, header.block_context(), body);
  append_record(static_cast<std::uint8_t>(RecordKind::kLossEvents), body, out);
}

}  // namespace zzping::native

namespace zzping::native {

void append_attributed_event_record(const AttributedLossEvent& event, std::vector<std::uint8_t>& out) {
  std::vector<std::uint8_t> body;
  encode_attributed_event(event, body);
  append_record(static_cast<std::uint8_t>(RecordKind::kAttributedEvent), body, out);
}

void append_incident_record(const attribution::Incident& incident, std::vector<std::uint8_t>& out) {
  std::vector<std::uint8_t> body;
  encode_incident(incident, body);
  append_record(static_cast<std::uint8_t>(RecordKind::kIncident), body, out);
}

void append_path_record(const PathSnapshot& path, std::vector<std::uint8_t>& out) {
  std::vector<std::uint8_t> body;
  encode_path(path, body);
  append_record(static_cast<std::uint8_t>(RecordKind::kPath), body, out);
}

}  // namespace zzping::native
