// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The expected decoding of the native golden files (tests/native/golden/), as JSON lines:
//   {"header": {...}}                                   (null when the reader refuses the header)
//   {"record": <offset>, "kind": "frames", "frames": [{...}, ...]}   one line per record
//     (<offset> is the frame block's; its jitter record, if any, comes right before it)
//   {"record": <offset>, "kind": "events", "events": [{...}, ...]}
//   since 1.2: {"record": <offset>, "kind": "attributed_event", "burst": {...}},
//              {"record": <offset>, "kind": "incident", "incident": {...}},
//              {"record": <offset>, "kind": "path", "path": {...}}   (fields as in the records)
//   {"end": {"kind": "eof"|"truncated"|"error", "offset": N, "message": "...",
//            "skipped_records": N}, "file_bytes": N}
// A frame: {"t_ms", "length_ms", the counters, "bins": [[key, count], ...]} and, since
// format 1.1, "jitter": {"sum_ns": N, "pairs": N} when the frame has jitter (no key: the
// jitter is absent, as in every 1.0 file, so the 1.0 expectations stand unchanged). The
// header has "role" and "timeout_ms" only when the file has them (since 1.2). A hop's
// "address" is null when no hop answered that TTL, its "rtt_us" null when absent.
// A standalone block (.zzb) has one line {"frames": [...]} and its end line; the jitter of
// its frames (the stream message's `jitter` field, since 1.1) is in <name>.zzb.jitter.
// Used by the generator (golden_make.cpp, run once per format version) and the test
// (native_golden_test.cpp). Plain field-by-field conversions: no codec logic here.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "zzping/common/frame.hpp"
#include "zzping/formats/native/block_codec.hpp"
#include "zzping/formats/native/evidence_records.hpp"
#include "zzping/formats/native/file_format.hpp"

namespace zzping::native::golden {

using nlohmann::json;

inline json frame_json(std::int64_t t_ms, std::uint32_t length_ms, std::uint32_t sent,
                       std::uint32_t recv, std::uint32_t lost, std::uint32_t dup,
                       std::uint32_t late, std::uint32_t icmp_errors, std::uint32_t inflight,
                       std::span<const HistogramBin> bins,
                       const std::optional<JitterSum>& jitter) {
  json b = json::array();
  for (const HistogramBin& bin : bins) b.push_back(json::array({bin.key, bin.count}));
  json f{{"t_ms", t_ms},   {"length_ms", length_ms},     {"sent", sent},
         {"recv", recv},   {"lost", lost},               {"dup", dup},
         {"late", late},   {"icmp_errors", icmp_errors}, {"inflight", inflight},
         {"bins", b}};
  if (jitter) f["jitter"] = json{{"sum_ns", jitter->sum_ns}, {"pairs", jitter->pairs}};
  return f;
}

inline json to_json(const Frame& f) {
  return frame_json(f.t_ms, f.length_ms, f.sent, f.recv, f.lost, f.dup, f.late, f.icmp_errors,
                    f.inflight, f.rtt.bins(), f.jitter);
}

inline json to_json(const FrameView& f) {
  return frame_json(f.t_ms, f.length_ms, f.sent, f.recv, f.lost, f.dup, f.late, f.icmp_errors,
                    f.inflight, f.bins, f.jitter);
}

inline Frame frame_of(const json& j, double precision) {
  Frame f{.rtt = RttHistogram(RttQuantiser(precision))};
  f.t_ms = j.at("t_ms").get<std::int64_t>();
  f.length_ms = j.at("length_ms").get<std::uint32_t>();
  f.sent = j.at("sent").get<std::uint32_t>();
  f.recv = j.at("recv").get<std::uint32_t>();
  f.lost = j.at("lost").get<std::uint32_t>();
  f.dup = j.at("dup").get<std::uint32_t>();
  f.late = j.at("late").get<std::uint32_t>();
  f.icmp_errors = j.at("icmp_errors").get<std::uint32_t>();
  f.inflight = j.at("inflight").get<std::uint32_t>();
  std::vector<HistogramBin> bins;
  for (const json& b : j.at("bins")) bins.push_back({b.at(0).get<std::int32_t>(), b.at(1).get<std::uint32_t>()});
  f.rtt.assign_bins(std::move(bins));
  if (j.contains("jitter")) {
    const json& jitter = j.at("jitter");
    f.jitter = JitterSum{jitter.at("sum_ns").get<std::uint64_t>(), jitter.at("pairs").get<std::uint32_t>()};
  }
  return f;
}

// Where append_frame_record, writing `frames` at `at`, puts the frame block: after their
// jitter record when some frame has jitter (docs/formats.md, "Jitter (record kind 3)").
inline std::size_t frame_block_offset(std::span<const Frame> frames, std::size_t at) {
  if (!has_any_jitter(frames)) return at;
  std::vector<std::uint8_t> jitter_record;
  append_record(static_cast<std::uint8_t>(RecordKind::kJitter), encode_jitter(frames), jitter_record);
  return at + jitter_record.size();
}

inline json to_json(const LossEvent& e) {
  return json{{"start_ms", e.start_ms}, {"end_ms", e.end_ms}, {"probes_lost", e.probes_lost}};
}

inline LossEvent event_of(const json& j) {
  return LossEvent{j.at("start_ms").get<std::int64_t>(), j.at("end_ms").get<std::int64_t>(),
                   j.at("probes_lost").get<std::uint32_t>()};
}

inline json names_json(const std::vector<std::string>& names) {
  json list = json::array();
  for (const std::string& n : names) list.push_back(n);
  return list;
}

inline attribution::Cause cause_of(const json& j) {
  using attribution::Cause;
  for (const Cause c : {Cause::local, Cause::upstream, Cause::destination, Cause::gateway_only, Cause::unknown}) {
    if (j.get<std::string>() == attribution::to_string(c)) return c;
  }
  throw std::runtime_error("unknown cause " + j.dump());
}

inline json to_json(const AttributedLossEvent& e) {
  return json{{"start_ms", e.event.start_ms}, {"end_ms", e.event.end_ms},
              {"probes_lost", e.event.probes_lost}, {"cause", attribution::to_string(e.cause)},
              {"reason", e.reason}, {"lost_too", names_json(e.lost_too)},
              {"answered", names_json(e.answered)}};
}

inline AttributedLossEvent attributed_event_of(const json& j) {
  return AttributedLossEvent{event_of(j), cause_of(j.at("cause")), j.at("reason").get<std::string>(),
                             j.at("lost_too").get<std::vector<std::string>>(),
                             j.at("answered").get<std::vector<std::string>>()};
}

inline json to_json(const attribution::Incident& i) {
  return json{{"start_ms", i.start_ms}, {"end_ms", i.end_ms},
              {"cause", attribution::to_string(i.cause)}, {"targets", names_json(i.targets)},
              {"probes_lost", i.probes_lost},
              {"last_hop", i.last_hop.empty() ? json(nullptr) : json(i.last_hop)}};
}

inline attribution::Incident incident_of(const json& j) {
  attribution::Incident i;
  i.start_ms = j.at("start_ms").get<std::int64_t>();
  i.end_ms = j.at("end_ms").get<std::int64_t>();
  i.cause = cause_of(j.at("cause"));
  i.targets = j.at("targets").get<std::vector<std::string>>();
  i.probes_lost = j.at("probes_lost").get<std::uint32_t>();
  if (!j.at("last_hop").is_null()) i.last_hop = j.at("last_hop").get<std::string>();
  return i;
}

inline json to_json(const PathSnapshot& p) {
  json hops = json::array();
  for (const PathHop& h : p.hops) {
    hops.push_back(json{{"ttl", h.ttl},
                        {"address", h.address.empty() ? json(nullptr) : json(h.address)},
                        {"rtt_us", h.rtt_us ? json(*h.rtt_us) : json(nullptr)}});
  }
  return json{{"t_ms", p.t_ms}, {"trigger", to_string(p.trigger)}, {"reached", p.reached},
              {"route_changed", p.route_changed}, {"hops", hops}};
}

inline PathSnapshot path_of(const json& j) {
  PathSnapshot p;
  p.t_ms = j.at("t_ms").get<std::int64_t>();
  for (const PathTrigger t : {PathTrigger::start, PathTrigger::interval, PathTrigger::loss_burst}) {
    if (j.at("trigger").get<std::string>() == to_string(t)) p.trigger = t;
  }
  p.reached = j.at("reached").get<bool>();
  p.route_changed = j.at("route_changed").get<bool>();
  for (const json& h : j.at("hops")) {
    PathHop hop;
    hop.ttl = h.at("ttl").get<std::uint8_t>();
    if (!h.at("address").is_null()) hop.address = h.at("address").get<std::string>();
    if (!h.at("rtt_us").is_null()) hop.rtt_us = h.at("rtt_us").get<std::uint32_t>();
    p.hops.push_back(hop);
  }
  return p;
}

// In bit order, as the header lists them.
inline constexpr Counter kCounters[] = {kCounterSent, kCounterRecv,       kCounterLost,
                                        kCounterDup,  kCounterLate,       kCounterIcmpErrors,
                                        kCounterInflight};

inline json to_json(const FileHeader& h) {
  json counters = json::array();
  for (const Counter c : kCounters) {
    if (h.counters & c) counters.push_back(std::string(counter_name(c)));
  }
  json j{{"version", json::array({h.version_major, h.version_minor})},
          {"host", h.host},
          {"address", h.address},
          {"frame_ms", h.frame_ms},
          {"precision", h.precision},
          {"software", h.software},
          {"start_ms", h.start_ms},
          {"source", h.source},
          {"tier_ms", h.tier_ms},
          {"counters", counters}};
  if (h.role) j["role"] = std::string(attribution::to_string(*h.role));
  if (h.timeout_ms) j["timeout_ms"] = *h.timeout_ms;
  return j;
}

inline FileHeader header_of(const json& j) {
  FileHeader h;
  h.version_major = j.at("version").at(0).get<std::uint32_t>();
  h.version_minor = j.at("version").at(1).get<std::uint32_t>();
  h.host = j.at("host").get<std::string>();
  h.address = j.at("address").get<std::string>();
  h.frame_ms = j.at("frame_ms").get<std::uint32_t>();
  h.precision = j.at("precision").get<double>();
  h.software = j.at("software").get<std::string>();
  h.start_ms = j.at("start_ms").get<std::int64_t>();
  h.source = j.at("source").get<std::string>();
  h.tier_ms = j.at("tier_ms").get<std::uint32_t>();
  if (j.contains("role")) h.role = attribution::parse_role(j.at("role").get<std::string>());
  if (j.contains("timeout_ms")) h.timeout_ms = j.at("timeout_ms").get<std::uint32_t>();
  h.counters = 0;
  for (const json& name : j.at("counters")) {
    for (const Counter c : kCounters) {
      if (name.get<std::string>() == counter_name(c)) h.counters |= c;
    }
  }
  return h;
}

inline std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::vector<json> read_jsonl(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(json::parse(line));
  }
  return lines;
}

inline std::filesystem::path expected_of(const std::filesystem::path& binary) {
  return binary.string() + ".expected.jsonl";
}

}  // namespace zzping::native::golden
