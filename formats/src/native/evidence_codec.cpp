// SPDX-License-Identifier: GPL-3.0-or-later
// Record kinds 4 (attributed loss burst), 5 (incident) and 6 (path): one MessagePack map
// each (docs/formats.md). Written with the small mpk writer; read with msgpack-c under an
// unpack_limit, then checked field by field.
#include <msgpack.hpp>

#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

#include "mpk.hpp"
#include "zzping/formats/native/errors.hpp"
#include "zzping/formats/native/evidence_records.hpp"

namespace zzping::native {
namespace {

using attribution::Cause;

constexpr std::uint32_t kMaxMapEntries = 64;
constexpr std::size_t kMaxDepth = 4;  // map > list > hop array > value
constexpr std::int64_t kMaxAbsTimeMs = std::int64_t{1} << 58;

// ---- encoding ----

void check_name(std::string_view s, const char* what) {
  if (s.size() > kMaxEvidenceNameBytes) {
    throw std::invalid_argument(std::string(what) + " longer than " + std::to_string(kMaxEvidenceNameBytes) + " bytes");
  }
}

void write_names(mpk::Writer& w, const std::vector<std::string>& names, const char* what) {
  if (names.size() > kMaxEvidenceTargets) throw std::invalid_argument(std::string("too many ") + what);
  w.array_header(static_cast<std::uint32_t>(names.size()));
  for (const std::string& n : names) {
    check_name(n, what);
    w.str(n);
  }
}

void write_time(mpk::Writer& w, std::int64_t t_ms) {
  if (t_ms < -kMaxAbsTimeMs || t_ms > kMaxAbsTimeMs) throw std::invalid_argument("time out of range");
  w.sint(t_ms);
}

// ---- decoding ----

// The map of one record body, with typed accessors that name the record and the key in
// their errors. Offsets in errors are 0 (the body's start): msgpack-c does not report one.
class Fields {
 public:
  Fields(const msgpack::object& root, const char* record) : record_(record) {
    if (root.type != msgpack::type::MAP) fail("", "the body must be a map");
    map_ = &root.via.map;
  }

  const msgpack::object* find(std::string_view key) const {
    for (std::uint32_t i = 0; i < map_->size; ++i) {
      const msgpack::object& k = map_->ptr[i].key;
      if (k.type == msgpack::type::STR && std::string_view(k.via.str.ptr, k.via.str.size) == key) {
        return &map_->ptr[i].val;
      }
    }
    return nullptr;
  }
  const msgpack::object& need(std::string_view key) const {
    const msgpack::object* v = find(key);
    if (!v) fail(key, "missing");
    return *v;
  }

  std::int64_t time(std::string_view key) const {
    const msgpack::object& v = need(key);
    std::int64_t t = 0;
    if (v.type == msgpack::type::POSITIVE_INTEGER && v.via.u64 <= static_cast<std::uint64_t>(kMaxAbsTimeMs)) {
      t = static_cast<std::int64_t>(v.via.u64);
    } else if (v.type == msgpack::type::NEGATIVE_INTEGER) {
      t = v.via.i64;
    } else {
      fail(key, "expected a time in ms");
    }
    if (t < -kMaxAbsTimeMs || t > kMaxAbsTimeMs) fail(key, "time out of range");
    return t;
  }
  std::uint32_t u32(const msgpack::object& v, std::string_view key) const {
    if (v.type != msgpack::type::POSITIVE_INTEGER || v.via.u64 > std::numeric_limits<std::uint32_t>::max()) {
      fail(key, "expected an unsigned 32-bit integer");
    }
    return static_cast<std::uint32_t>(v.via.u64);
  }
  std::uint32_t u32(std::string_view key) const { return u32(need(key), key); }
  bool boolean(std::string_view key) const {
    const msgpack::object& v = need(key);
    if (v.type != msgpack::type::BOOLEAN) fail(key, "expected a bool");
    return v.via.boolean;
  }
  std::string str(const msgpack::object& v, std::string_view key, std::size_t max) const {
    if (v.type != msgpack::type::STR) fail(key, "expected a string");
    if (v.via.str.size > max) fail(key, "string longer than " + std::to_string(max) + " bytes");
    return std::string(v.via.str.ptr, v.via.str.size);
  }
  std::string str(std::string_view key, std::size_t max) const { return str(need(key), key, max); }
  std::vector<std::string> names(std::string_view key) const {
    const msgpack::object& v = need(key);
    if (v.type != msgpack::type::ARRAY) fail(key, "expected a list of names");
    std::vector<std::string> out;
    out.reserve(v.via.array.size);
    for (std::uint32_t i = 0; i < v.via.array.size; ++i) {
      out.push_back(str(v.via.array.ptr[i], key, kMaxEvidenceNameBytes));
    }
    return out;
  }
  Cause cause(std::string_view key) const {
    // A cause a newer writer added reads as unknown (documented), not as damage.
    const std::string name = str(key, kMaxEvidenceNameBytes);
    for (const Cause c : {Cause::local, Cause::upstream, Cause::destination, Cause::gateway_only, Cause::unknown}) {
      if (name == attribution::to_string(c)) return c;
    }
    return Cause::unknown;
  }

  [[noreturn]] void fail(std::string_view key, const std::string& what) const {
    std::string message = std::string(record_) + " record: ";
    if (!key.empty()) message += "key \"" + std::string(key) + "\": ";
    throw FormatError(message + what, 0, false);
  }

 private:
  const char* record_;
  const msgpack::object_map* map_ = nullptr;
};

// Unpacks one body under the limits; the whole body must be one map.
template <typename Decode>
auto decode_body(std::span<const std::uint8_t> body, const char* record, Decode decode) {
  const msgpack::unpack_limit limit(kMaxEvidenceTargets, kMaxMapEntries, kMaxEvidenceTextBytes, 0, 0, kMaxDepth);
  msgpack::object_handle handle;
  std::size_t offset = 0;
  try {
    handle = msgpack::unpack(reinterpret_cast<const char*>(body.data()), body.size(), offset, nullptr, nullptr, limit);
  } catch (const msgpack::insufficient_bytes&) {
    throw FormatError(std::string(record) + " record: body ends inside a value", body.size(), false);
  } catch (const msgpack::size_overflow& e) {
    throw FormatError(std::string(record) + " record: over the limits (" + e.what() + ")", 0, false);
  } catch (const msgpack::unpack_error& e) {
    throw FormatError(std::string(record) + " record: invalid MessagePack (" + e.what() + ")", 0, false);
  }
  if (offset != body.size()) {
    throw FormatError(std::string(record) + " record: bytes after its map", offset, false);
  }
  return decode(Fields(handle.get(), record));
}

PathHop decode_hop(const Fields& f, const msgpack::object& v) {
  // [ttl, address or nil, rtt_us or nil]; later elements (a newer writer's) are ignored.
  if (v.type != msgpack::type::ARRAY || v.via.array.size < 3) f.fail("hops", "a hop must be [ttl, address, rtt_us]");
  const msgpack::object* e = v.via.array.ptr;
  PathHop hop;
  const std::uint32_t ttl = f.u32(e[0], "hops");
  if (ttl == 0 || ttl > 255) f.fail("hops", "ttl out of range 1..255");
  hop.ttl = static_cast<std::uint8_t>(ttl);
  if (e[1].type != msgpack::type::NIL) {
    hop.address = f.str(e[1], "hops", kMaxEvidenceNameBytes);
    if (hop.address.empty()) f.fail("hops", "an empty address must be nil");
  }
  if (e[2].type != msgpack::type::NIL) hop.rtt_us = f.u32(e[2], "hops");
  return hop;
}

PathTrigger parse_trigger(const Fields& f) {
  const std::string name = f.str("trigger", kMaxEvidenceNameBytes);
  for (const PathTrigger t : {PathTrigger::start, PathTrigger::interval, PathTrigger::loss_burst}) {
    if (name == to_string(t)) return t;
  }
  return PathTrigger::interval;  // a trigger a newer writer added (documented)
}

}  // namespace

AttributedLossEvent to_record(const attribution::AttributedBurst& burst) {
  return AttributedLossEvent{{burst.burst.start_ms, burst.burst.end_ms, burst.burst.probes_lost},
                             burst.attribution.cause, burst.attribution.reason,
                             burst.attribution.lost_too, burst.attribution.answered};
}

attribution::AttributedBurst to_burst(const AttributedLossEvent& r, const std::string& host) {
  return attribution::AttributedBurst{{host, r.event.start_ms, r.event.end_ms, r.event.probes_lost},
                                      {r.cause, r.reason, r.lost_too, r.answered}};
}

bool same_incident(const attribution::Incident& a, const attribution::Incident& b) {
  return a.start_ms == b.start_ms && a.end_ms == b.end_ms && a.cause == b.cause && a.targets == b.targets &&
         a.probes_lost == b.probes_lost && a.last_hop == b.last_hop;
}

void encode_attributed_event(const AttributedLossEvent& e, std::vector<std::uint8_t>& out) {
  if (e.reason.size() > kMaxEvidenceTextBytes) throw std::invalid_argument("reason longer than 1024 bytes");
  mpk::Writer w(out);
  w.map_header(7);
  w.str("start_ms"), write_time(w, e.event.start_ms);
  w.str("end_ms"), write_time(w, e.event.end_ms);
  w.str("probes_lost"), w.uint(e.event.probes_lost);
  w.str("cause"), w.str(attribution::to_string(e.cause));
  w.str("reason"), w.str(e.reason);
  w.str("lost_too"), write_names(w, e.lost_too, "lost_too");
  w.str("answered"), write_names(w, e.answered, "answered");
}

AttributedLossEvent decode_attributed_event(std::span<const std::uint8_t> body) {
  return decode_body(body, "attributed loss burst", [](const Fields& f) {
    AttributedLossEvent e;
    e.event = LossEvent{f.time("start_ms"), f.time("end_ms"), f.u32("probes_lost")};
    e.cause = f.cause("cause");
    e.reason = f.str("reason", kMaxEvidenceTextBytes);
    e.lost_too = f.names("lost_too");
    e.answered = f.names("answered");
    return e;
  });
}

void encode_incident(const attribution::Incident& i, std::vector<std::uint8_t>& out) {
  check_name(i.last_hop, "last_hop");
  mpk::Writer w(out);
  w.map_header(6);
  w.str("start_ms"), write_time(w, i.start_ms);
  w.str("end_ms"), write_time(w, i.end_ms);
  w.str("cause"), w.str(attribution::to_string(i.cause));
  w.str("targets"), write_names(w, i.targets, "targets");
  w.str("probes_lost"), w.uint(i.probes_lost);
  w.str("last_hop");
  if (i.last_hop.empty()) w.nil();
  else w.str(i.last_hop);
}

attribution::Incident decode_incident(std::span<const std::uint8_t> body) {
  return decode_body(body, "incident", [](const Fields& f) {
    attribution::Incident i;
    i.start_ms = f.time("start_ms");
    i.end_ms = f.time("end_ms");
    i.cause = f.cause("cause");
    i.targets = f.names("targets");
    i.probes_lost = f.u32("probes_lost");
    const msgpack::object& hop = f.need("last_hop");
    if (hop.type != msgpack::type::NIL) i.last_hop = f.str(hop, "last_hop", kMaxEvidenceNameBytes);
    return i;
  });
}

void encode_path(const PathSnapshot& p, std::vector<std::uint8_t>& out) {
  if (p.hops.size() > kMaxPathHops) throw std::invalid_argument("a path holds at most 255 hops");
  mpk::Writer w(out);
  w.map_header(5);
  w.str("t_ms"), write_time(w, p.t_ms);
  w.str("trigger"), w.str(to_string(p.trigger));
  w.str("reached"), w.boolean(p.reached);
  w.str("route_changed"), w.boolean(p.route_changed);
  w.str("hops");
  w.array_header(static_cast<std::uint32_t>(p.hops.size()));
  for (const PathHop& hop : p.hops) {
    if (hop.ttl == 0) throw std::invalid_argument("a hop's ttl starts at 1");
    check_name(hop.address, "hop address");
    w.array_header(3);
    w.uint(hop.ttl);
    if (hop.address.empty()) w.nil();
    else w.str(hop.address);
    if (hop.rtt_us) w.uint(*hop.rtt_us);
    else w.nil();
  }
}

PathSnapshot decode_path(std::span<const std::uint8_t> body) {
  return decode_body(body, "path", [](const Fields& f) {
    PathSnapshot p;
    p.t_ms = f.time("t_ms");
    p.trigger = parse_trigger(f);
    p.reached = f.boolean("reached");
    p.route_changed = f.boolean("route_changed");
    const msgpack::object& hops = f.need("hops");
    if (hops.type != msgpack::type::ARRAY) f.fail("hops", "expected a list");
    if (hops.via.array.size > kMaxPathHops) f.fail("hops", "more than 255 hops");
    for (std::uint32_t i = 0; i < hops.via.array.size; ++i) p.hops.push_back(decode_hop(f, hops.via.array.ptr[i]));
    return p;
  });
}

}  // namespace zzping::native
