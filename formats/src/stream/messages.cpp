// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/stream/messages.hpp"

#include <string_view>
#include <type_traits>

#include "mpk.hpp"

namespace zzping::stream {

namespace {

constexpr std::size_t kMaxKeyBytes = 32;
constexpr std::uint32_t kMaxMapEntries = 64;

// ---- encoding ----

// Collects the entries of a map so the header can carry their count; optional fields
// then need no separate counting.
class MapBuilder {
 public:
  mpk::Writer& key(std::string_view k) {
    ++entries_;
    w_.str(k);
    return w_;
  }
  void finish_into(mpk::Writer& out_writer, std::vector<std::uint8_t>& out) const {
    out_writer.map_header(entries_);
    out.insert(out.end(), bytes_.begin(), bytes_.end());
  }

 private:
  std::vector<std::uint8_t> bytes_;
  mpk::Writer w_{bytes_};
  std::uint32_t entries_ = 0;
};

void build(MapBuilder& m, const Hello& h) {
  m.key("proto").str(kProtocolName);
  m.key("major").uint(h.major);
  m.key("minor").uint(h.minor);
  m.key("software").str(h.software);
  m.key("heartbeat_ms").uint(h.heartbeat_ms);
  if (h.token) m.key("token").str(*h.token);
}

void write_names(mpk::Writer& w, const std::vector<std::string>& names) {
  w.array_header(static_cast<std::uint32_t>(names.size()));
  for (const auto& n : names) w.str(n);
}

void write_host_info(mpk::Writer& w, const HostInfo& h) {
  w.map_header(6);
  w.str("name"); w.str(h.name);
  w.str("address"); w.str(h.address);
  w.str("rate_hz"); w.f64(h.rate_hz);
  w.str("frame_ms"); w.uint(h.frame_ms);
  w.str("precision"); w.f64(h.precision);
  w.str("role"); w.str(attribution::to_string(h.role));
}

void build(MapBuilder& m, const HostList& l) {
  auto& w = m.key("hosts");
  w.array_header(static_cast<std::uint32_t>(l.hosts.size()));
  for (const auto& h : l.hosts) write_host_info(w, h);
}

void build(MapBuilder& m, const Subscribe& s) {
  auto& w = m.key("hosts");
  w.array_header(static_cast<std::uint32_t>(s.hosts.size()));
  for (const auto& h : s.hosts) w.str(h);
  if (s.since_ms) m.key("since_ms").sint(*s.since_ms);
  if (s.backfill_ms) m.key("backfill_ms").uint(*s.backfill_ms);
}

void build(MapBuilder& m, const FrameBlock& f) {
  m.key("host").str(f.host);
  m.key("block").bin(f.block);
  if (!f.jitter.empty()) m.key("jitter").bin(f.jitter);
}

void build(MapBuilder& m, const EventMessage& e) {
  m.key("host").str(e.host);
  m.key("start_ms").sint(e.event.start_ms);
  m.key("end_ms").sint(e.event.end_ms);
  m.key("lost").uint(e.event.probes_lost);
  if (e.cause) {  // optional fields (1.2): older clients skip them
    m.key("cause").str(attribution::to_string(*e.cause));
    m.key("reason").str(e.reason);
    write_names(m.key("lost_too"), e.lost_too);
    write_names(m.key("answered"), e.answered);
  }
}

void build(MapBuilder& m, const IncidentMessage& i) {
  m.key("start_ms").sint(i.start_ms);
  m.key("end_ms").sint(i.end_ms);
  m.key("cause").str(attribution::to_string(i.cause));
  write_names(m.key("targets"), i.targets);
  m.key("lost").uint(i.probes_lost);
  auto& w = m.key("last_hop");
  if (i.last_hop.empty()) w.nil();
  else w.str(i.last_hop);
}

void build(MapBuilder& m, const PathMessage& p) {
  m.key("host").str(p.host);
  m.key("t_ms").sint(p.path.t_ms);
  m.key("trigger").str(to_string(p.path.trigger));
  m.key("reached").boolean(p.path.reached);
  m.key("route_changed").boolean(p.path.route_changed);
  auto& w = m.key("hops");
  w.array_header(static_cast<std::uint32_t>(p.path.hops.size()));
  for (const PathHop& hop : p.path.hops) {  // [ttl, address or nil, rtt_us or nil]
    w.array_header(3);
    w.uint(hop.ttl);
    if (hop.address.empty()) w.nil();
    else w.str(hop.address);
    if (hop.rtt_us) w.uint(*hop.rtt_us);
    else w.nil();
  }
}

void build(MapBuilder& m, const HostStatus& s) {
  m.key("host").str(s.host);
  m.key("t_ms").sint(s.t_ms);
  m.key("inflight").uint(s.inflight);
  auto& w = m.key("since_reply_ms");
  if (s.since_reply_ms) w.sint(*s.since_reply_ms);
  else w.nil();
  m.key("rate_hz").f64(s.rate_hz);
}

void build(MapBuilder& m, const CaughtUp& c) { m.key("host").str(c.host); }
void build(MapBuilder& m, const Heartbeat& h) { m.key("t_ms").sint(h.t_ms); }
void build(MapBuilder& m, const Close& c) { m.key("reason").str(c.reason); }

// ---- decoding ----

// Reads a body map: for each key, `on_field(key, reader)` must consume the value or
// return false (unknown key: skipped, so newer minor versions may add fields).
template <typename OnField>
void read_map(mpk::Reader& r, OnField&& on_field) {
  const std::uint32_t n = r.read_map_header(kMaxMapEntries);
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::string key(r.read_str(kMaxKeyBytes));
    if (!on_field(key, r)) r.skip(8);
  }
}

std::uint32_t read_u32(mpk::Reader& r, const char* what) {
  const std::size_t at = r.position();
  const std::uint64_t v = r.read_uint();
  if (v > UINT32_MAX) r.fail_at(at, std::string(what) + " out of range");
  return static_cast<std::uint32_t>(v);
}

std::string read_name(mpk::Reader& r) { return std::string(r.read_str(kMaxNameBytes)); }
std::string read_text(mpk::Reader& r) { return std::string(r.read_str(kMaxTextBytes)); }

std::vector<std::string> read_names(mpk::Reader& r) {
  const std::uint32_t n = r.read_array_header(kMaxHosts);
  std::vector<std::string> names;
  names.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) names.push_back(read_name(r));
  return names;
}

// Names a newer peer added read as the documented defaults (unknown, interval, internet).
attribution::Cause read_cause(mpk::Reader& r) {
  using attribution::Cause;
  const std::string_view name = r.read_str(kMaxNameBytes);
  for (const Cause c : {Cause::local, Cause::upstream, Cause::destination, Cause::gateway_only}) {
    if (name == attribution::to_string(c)) return c;
  }
  return Cause::unknown;
}

PathTrigger read_trigger(mpk::Reader& r) {
  const std::string_view name = r.read_str(kMaxNameBytes);
  for (const PathTrigger t : {PathTrigger::start, PathTrigger::loss_burst}) {
    if (name == to_string(t)) return t;
  }
  return PathTrigger::interval;
}

PathHop read_hop(mpk::Reader& r) {
  const std::size_t at = r.position();
  const std::uint32_t n = r.read_array_header(16);
  if (n < 3) r.fail_at(at, "a path hop must be [ttl, address, rtt_us]");
  PathHop hop;
  const std::uint64_t ttl = r.read_uint();
  if (ttl < 1 || ttl > 255) r.fail_at(at, "path hop ttl out of range 1..255");
  hop.ttl = static_cast<std::uint8_t>(ttl);
  if (r.next_is_nil()) r.read_nil();
  else hop.address = read_name(r);
  if (r.next_is_nil()) r.read_nil();
  else hop.rtt_us = read_u32(r, "rtt_us");
  for (std::uint32_t i = 3; i < n; ++i) r.skip(4);
  return hop;
}

// A required field missing from the map is an error naming it.
template <typename T>
T required(const std::optional<T>& v, const char* field, MessageType type, mpk::Reader& r) {
  if (!v) r.fail_at(0, std::string(name_of(type)) + " message lacks field '" + field + "'");
  return *v;
}

Hello decode_hello(mpk::Reader& r) {
  Hello h;
  std::optional<std::string> proto;
  std::optional<std::uint32_t> major, minor;
  read_map(r, [&](const std::string& k, mpk::Reader& in) {
    if (k == "proto") proto = read_text(in);
    else if (k == "major") major = read_u32(in, "major");
    else if (k == "minor") minor = read_u32(in, "minor");
    else if (k == "software") h.software = read_text(in);
    else if (k == "heartbeat_ms") h.heartbeat_ms = read_u32(in, "heartbeat_ms");
    else if (k == "token") h.token = read_text(in);
    else return false;
    return true;
  });
  if (required(proto, "proto", MessageType::Hello, r) != kProtocolName) {
    r.fail_at(0, "hello names protocol '" + *proto + "', expected '" + kProtocolName + "'");
  }
  h.major = required(major, "major", MessageType::Hello, r);
  h.minor = required(minor, "minor", MessageType::Hello, r);
  return h;
}

HostInfo decode_host_info(mpk::Reader& r) {
  HostInfo h;
  std::optional<std::string> name;
  read_map(r, [&](const std::string& k, mpk::Reader& in) {
    if (k == "name") name = read_name(in);
    else if (k == "address") h.address = read_name(in);
    else if (k == "rate_hz") h.rate_hz = in.read_float();
    else if (k == "frame_ms") h.frame_ms = read_u32(in, "frame_ms");
    else if (k == "precision") h.precision = in.read_float();
    else if (k == "role") h.role = attribution::parse_role(in.read_str(kMaxNameBytes)).value_or(attribution::Role::internet);
    else return false;
    return true;
  });
  h.name = required(name, "name", MessageType::HostList, r);
  return h;
}

HostList decode_host_list(mpk::Reader& r) {
  HostList l;
  read_map(r, [&](const std::string& k, mpk::Reader& in) {
    if (k != "hosts") return false;
    const std::uint32_t n = in.read_array_header(kMaxHosts);
    l.hosts.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) l.hosts.push_back(decode_host_info(in));
    return true;
  });
  return l;
}

Subscribe decode_subscribe(mpk::Reader& r) {
  Subscribe s;
  read_map(r, [&](const std::string& k, mpk::Reader& in) {
    if (k == "hosts") {
      const std::uint32_t n = in.read_array_header(kMaxHosts);
      s.hosts.reserve(n);
      for (std::uint32_t i = 0; i < n; ++i) s.hosts.push_back(read_name(in));
    } else if (k == "since_ms") {
      s.since_ms = in.read_int();
    } else if (k == "backfill_ms") {
      s.backfill_ms = in.read_uint();
    } else {
      return false;
    }
    return true;
  });
  return s;
}

FrameBlock decode_frame_block(mpk::Reader& r) {
  FrameBlock f;
  std::optional<std::string> host;
  bool has_block = false;
  read_map(r, [&](const std::string& k, mpk::Reader& in) {
    if (k == "host") host = read_name(in);
    else if (k == "block") {
      const auto bytes = in.read_bin(kMaxServerMessageBytes);
      f.block.assign(bytes.begin(), bytes.end());
      has_block = true;
    } else if (k == "jitter") {
      const auto bytes = in.read_bin(kMaxServerMessageBytes);
      f.jitter.assign(bytes.begin(), bytes.end());
    } else return false;
    return true;
  });
  f.host = required(host, "host", MessageType::FrameBlock, r);
  if (!has_block) r.fail_at(0, "frames message lacks field 'block'");
  return f;
}

EventMessage decode_event(mpk::Reader& r) {
  EventMessage e;
  std::optional<std::string> host;
  read_map(r, [&](const std::string& k, mpk::Reader& in) {
    if (k == "host") host = read_name(in);
    else if (k == "start_ms") e.event.start_ms = in.read_int();
    else if (k == "end_ms") e.event.end_ms = in.read_int();
    else if (k == "lost") e.event.probes_lost = read_u32(in, "lost");
    else if (k == "cause") e.cause = read_cause(in);
    else if (k == "reason") e.reason = read_text(in);
    else if (k == "lost_too") e.lost_too = read_names(in);
    else if (k == "answered") e.answered = read_names(in);
    else return false;
    return true;
  });
  e.host = required(host, "host", MessageType::Event, r);
  return e;
}

IncidentMessage decode_incident(mpk::Reader& r) {
  IncidentMessage i;
  std::optional<std::int64_t> start, end;
  read_map(r, [&](const std::string& k, mpk::Reader& in) {
    if (k == "start_ms") start = in.read_int();
    else if (k == "end_ms") end = in.read_int();
    else if (k == "cause") i.cause = read_cause(in);
    else if (k == "targets") i.targets = read_names(in);
    else if (k == "lost") i.probes_lost = read_u32(in, "lost");
    else if (k == "last_hop") {
      if (in.next_is_nil()) in.read_nil();
      else i.last_hop = read_name(in);
    } else return false;
    return true;
  });
  i.start_ms = required(start, "start_ms", MessageType::Incident, r);
  i.end_ms = required(end, "end_ms", MessageType::Incident, r);
  return i;
}

PathMessage decode_path(mpk::Reader& r) {
  PathMessage p;
  std::optional<std::string> host;
  std::optional<std::int64_t> t_ms;
  read_map(r, [&](const std::string& k, mpk::Reader& in) {
    if (k == "host") host = read_name(in);
    else if (k == "t_ms") t_ms = in.read_int();
    else if (k == "trigger") p.path.trigger = read_trigger(in);
    else if (k == "reached") p.path.reached = in.read_bool();
    else if (k == "route_changed") p.path.route_changed = in.read_bool();
    else if (k == "hops") {
      const std::uint32_t n = in.read_array_header(255);
      p.path.hops.reserve(n);
      for (std::uint32_t h = 0; h < n; ++h) p.path.hops.push_back(read_hop(in));
    } else return false;
    return true;
  });
  p.host = required(host, "host", MessageType::Path, r);
  p.path.t_ms = required(t_ms, "t_ms", MessageType::Path, r);
  return p;
}

HostStatus decode_status(mpk::Reader& r) {
  HostStatus s;
  std::optional<std::string> host;
  read_map(r, [&](const std::string& k, mpk::Reader& in) {
    if (k == "host") host = read_name(in);
    else if (k == "t_ms") s.t_ms = in.read_int();
    else if (k == "inflight") s.inflight = read_u32(in, "inflight");
    else if (k == "since_reply_ms") {
      if (in.next_is_nil()) in.read_nil();
      else s.since_reply_ms = in.read_int();
    } else if (k == "rate_hz") s.rate_hz = in.read_float();
    else return false;
    return true;
  });
  s.host = required(host, "host", MessageType::Status, r);
  return s;
}

template <typename T>
T decode_single_string(mpk::Reader& r, const char* field, MessageType type,
                       std::string (*read)(mpk::Reader&)) {
  std::optional<std::string> value;
  read_map(r, [&](const std::string& k, mpk::Reader& in) {
    if (k != field) return false;
    value = read(in);
    return true;
  });
  return T{required(value, field, type, r)};
}

Heartbeat decode_heartbeat(mpk::Reader& r) {
  Heartbeat h;
  read_map(r, [&](const std::string& k, mpk::Reader& in) {
    if (k != "t_ms") return false;
    h.t_ms = in.read_int();
    return true;
  });
  return h;
}

Message decode_typed(MessageType type, mpk::Reader& r) {
  switch (type) {
    case MessageType::Hello: return decode_hello(r);
    case MessageType::HostList: return decode_host_list(r);
    case MessageType::Subscribe: return decode_subscribe(r);
    case MessageType::FrameBlock: return decode_frame_block(r);
    case MessageType::Event: return decode_event(r);
    case MessageType::Status: return decode_status(r);
    case MessageType::CaughtUp:
      return decode_single_string<CaughtUp>(r, "host", type, read_name);
    case MessageType::Heartbeat: return decode_heartbeat(r);
    case MessageType::Close: return decode_single_string<Close>(r, "reason", type, read_text);
    case MessageType::Incident: return decode_incident(r);
    case MessageType::Path: return decode_path(r);
  }
  r.fail_at(0, "unknown message type");
}

std::uint32_t read_be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

// Fills the 4 bytes reserved at `prefix_at` with the length of what follows them.
void write_length_prefix(std::vector<std::uint8_t>& out, std::size_t prefix_at) {
  const std::size_t body = out.size() - prefix_at - kLengthPrefixBytes;
  if (body > UINT32_MAX) throw std::length_error("stream message body exceeds 4 GiB");
  for (std::size_t i = 0; i < kLengthPrefixBytes; ++i) {
    out[prefix_at + i] = static_cast<std::uint8_t>(body >> (8 * (kLengthPrefixBytes - 1 - i)));
  }
}

}  // namespace

MessageType type_of(const Message& message) {
  return static_cast<MessageType>(message.index() + 1);
}

const char* name_of(MessageType type) {
  switch (type) {
    case MessageType::Hello: return "hello";
    case MessageType::HostList: return "hosts";
    case MessageType::Subscribe: return "subscribe";
    case MessageType::FrameBlock: return "frames";
    case MessageType::Event: return "event";
    case MessageType::Status: return "status";
    case MessageType::CaughtUp: return "caught_up";
    case MessageType::Heartbeat: return "heartbeat";
    case MessageType::Close: return "close";
    case MessageType::Incident: return "incident";
    case MessageType::Path: return "path";
  }
  return "unknown";
}

std::uint32_t minor_of(MessageType type) {
  return type == MessageType::Incident || type == MessageType::Path ? 2 : 0;
}

IncidentMessage to_message(const attribution::Incident& i) {
  return IncidentMessage{i.start_ms, i.end_ms, i.cause, i.targets, i.probes_lost, i.last_hop};
}

attribution::Incident to_incident(const IncidentMessage& m) {
  return attribution::Incident{m.start_ms, m.end_ms, m.cause, m.targets, m.probes_lost, m.last_hop};
}

void append_message(std::vector<std::uint8_t>& out, const Message& message) {
  const std::size_t prefix_at = out.size();
  out.resize(prefix_at + kLengthPrefixBytes);
  mpk::Writer w(out);
  w.array_header(2);
  w.uint(static_cast<std::uint8_t>(type_of(message)));
  MapBuilder map;
  std::visit([&](const auto& m) { build(map, m); }, message);
  map.finish_into(w, out);
  write_length_prefix(out, prefix_at);
}

void append_frame_block(std::vector<std::uint8_t>& out, std::string_view host,
                        std::span<const std::uint8_t> payload,
                        std::span<const std::uint8_t> jitter) {
  const std::size_t prefix_at = out.size();
  out.resize(prefix_at + kLengthPrefixBytes);
  mpk::Writer w(out);
  w.array_header(2);
  w.uint(static_cast<std::uint8_t>(MessageType::FrameBlock));
  w.map_header(jitter.empty() ? 2 : 3);
  w.str("host");
  w.str(host);
  w.str("block");
  w.bin(payload);
  if (!jitter.empty()) {  // an optional field: older clients skip it
    w.str("jitter");
    w.bin(jitter);
  }
  write_length_prefix(out, prefix_at);
}

std::vector<std::uint8_t> encode_message(const Message& message) {
  std::vector<std::uint8_t> out;
  append_message(out, message);
  return out;
}

Message decode_body(std::span<const std::uint8_t> body, std::size_t stream_offset) {
  mpk::Reader r(body, stream_offset);
  try {
    if (r.read_array_header(16) < 2) r.fail_at(0, "message body must be [type, fields]");
    const std::size_t type_at = r.position();
    const std::uint64_t code = r.read_uint();
    if (code < 1 || code > static_cast<std::uint64_t>(MessageType::Path)) {
      r.fail_at(type_at, "unknown message type " + std::to_string(code));
    }
    const auto type = static_cast<MessageType>(code);
    Message m = decode_typed(type, r);
    if (!r.at_end()) r.fail_at(r.position(), "trailing bytes after the message body");
    return m;
  } catch (const mpk::DecodeError& e) {
    throw ProtocolError(e.problem(), e.offset());  // ProtocolError adds the offset itself
  }
}

void MessageReader::feed(std::span<const std::uint8_t> bytes) {
  compact();
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

std::optional<Message> MessageReader::next() {
  if (buffered_bytes() < kLengthPrefixBytes) return std::nullopt;
  const std::uint32_t length = read_be32(buffer_.data() + consumed_);
  const std::size_t at = stream_offset_ + consumed_;
  if (length > max_message_bytes_) {
    throw ProtocolError("message of " + std::to_string(length) + " bytes exceeds the limit of " +
                            std::to_string(max_message_bytes_),
                        at);
  }
  if (buffered_bytes() < kLengthPrefixBytes + length) return std::nullopt;
  const std::span<const std::uint8_t> body(buffer_.data() + consumed_ + kLengthPrefixBytes, length);
  consumed_ += kLengthPrefixBytes + length;
  return decode_body(body, at + kLengthPrefixBytes);
}

void MessageReader::compact() {
  if (consumed_ == 0) return;
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(consumed_));
  stream_offset_ += consumed_;
  consumed_ = 0;
}

}  // namespace zzping::stream
