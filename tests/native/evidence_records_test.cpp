// SPDX-License-Identifier: GPL-3.0-or-later
// The evidence records of format 1.2 (kinds 4-6) and the header's role: round trips,
// bounds, and the errors a damaged or hostile body gives (naming the record and the key).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "mpk.hpp"
#include "zzping/formats/native/errors.hpp"
#include "zzping/formats/native/evidence_records.hpp"
#include "zzping/formats/native/file_format.hpp"
#include "zzping/formats/native/stream_reader.hpp"

namespace zzping::native {
namespace {

using attribution::Cause;
using Bytes = std::vector<std::uint8_t>;

AttributedLossEvent sample_event() {
  return {{1'700'000'000'100, 1'700'000'000'400, 4}, Cause::upstream, "the gateway answered; 2 lost",
          {"one.example", "two.example"}, {"router.lan"}};
}

attribution::Incident sample_incident() {
  return {1'700'000'000'050, 1'700'000'000'450, Cause::local, {"a", "b", "c"}, 12, "192.0.2.1"};
}

PathSnapshot sample_path() {
  return {1'700'000'000'200, PathTrigger::loss_burst, false,
          {{1, "192.0.2.1", 700}, {2, "", std::nullopt}, {3, "2001:db8::1", 0}}, true};
}

// The error message decoding `body` gives, or "" if it decodes.
template <typename Decode>
std::string error_of(const Bytes& body, Decode decode) {
  try {
    decode(body);
  } catch (const FormatError& e) {
    return e.what();
  }
  return "";
}

TEST(EvidenceRecords, RoundTripEveryFieldAndCause) {
  for (const Cause c : {Cause::local, Cause::upstream, Cause::destination, Cause::gateway_only, Cause::unknown}) {
    AttributedLossEvent e = sample_event();
    e.cause = c;
    Bytes body;
    encode_attributed_event(e, body);
    EXPECT_EQ(decode_attributed_event(body), e);
    attribution::Incident i = sample_incident();
    i.cause = c;
    i.last_hop.clear();
    body.clear();
    encode_incident(i, body);
    EXPECT_TRUE(same_incident(decode_incident(body), i));
  }
  for (const PathTrigger t : {PathTrigger::start, PathTrigger::interval, PathTrigger::loss_burst}) {
    PathSnapshot p = sample_path();
    p.trigger = t;
    Bytes body;
    encode_path(p, body);
    EXPECT_EQ(decode_path(body), p);
  }
  PathSnapshot empty{5, PathTrigger::start, false, {}, false};
  Bytes body;
  encode_path(empty, body);
  EXPECT_EQ(decode_path(body), empty);
}

TEST(EvidenceRecords, ConversionsKeepTheBurst) {
  const attribution::AttributedBurst burst{{"host", 10, 20, 3}, {Cause::destination, "why", {"x"}, {"y", "z"}}};
  const AttributedLossEvent r = to_record(burst);
  EXPECT_EQ(r.event, (LossEvent{10, 20, 3}));
  const attribution::AttributedBurst back = to_burst(r, "host");
  EXPECT_EQ(back.burst.target, "host");
  EXPECT_EQ(back.attribution.answered, burst.attribution.answered);
  EXPECT_EQ(back.attribution.reason, "why");
}

TEST(EvidenceRecords, DamagedBodiesFailNamingRecordAndKey) {
  Bytes body;
  encode_attributed_event(sample_event(), body);
  // Cut anywhere: an error, never a crash.
  for (std::size_t n = 0; n < body.size(); ++n) {
    const Bytes cut(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_NE(error_of(cut, decode_attributed_event), "") << n;
  }
  Bytes trailing = body;
  trailing.push_back(0xc0);
  EXPECT_NE(error_of(trailing, decode_attributed_event).find("bytes after its map"), std::string::npos);
  // A missing key and a wrong type are named.
  Bytes missing;
  mpk::Writer w(missing);
  w.map_header(1);
  w.str("start_ms");
  w.uint(5);
  EXPECT_NE(error_of(missing, decode_attributed_event).find("attributed loss burst record: key \"end_ms\": missing"),
            std::string::npos)
      << error_of(missing, decode_attributed_event);
  Bytes wrong;
  mpk::Writer w2(wrong);
  w2.map_header(6);
  w2.str("start_ms"), w2.uint(1);
  w2.str("end_ms"), w2.uint(2);
  w2.str("cause"), w2.uint(3);
  w2.str("targets"), w2.array_header(0);
  w2.str("probes_lost"), w2.uint(1);
  w2.str("last_hop"), w2.nil();
  EXPECT_NE(error_of(wrong, decode_incident).find("incident record: key \"cause\": expected a string"),
            std::string::npos)
      << error_of(wrong, decode_incident);
  // Not a map at all.
  EXPECT_NE(error_of(Bytes{0x93, 1, 2, 3}, decode_path).find("path record: the body must be a map"),
            std::string::npos);
}

TEST(EvidenceRecords, HostileLengthsAreRefusedBeforeAllocating) {
  // An array header claiming 2^32-1 names, in a 9-byte body: over the unpack limit.
  Bytes huge;
  mpk::Writer w(huge);
  w.map_header(1);
  w.str("targets");
  huge.insert(huge.end(), {0xdd, 0xff, 0xff, 0xff, 0xff});
  EXPECT_NE(error_of(huge, decode_incident).find("incident record"), std::string::npos);
  // Nesting deeper than a record ever has.
  Bytes deep(40, 0x91);
  deep.push_back(0xc0);
  EXPECT_NE(error_of(deep, decode_path), "");
  // A name over 255 bytes, a reason over 1024, ttl 0, more than 255 hops.
  AttributedLossEvent e = sample_event();
  e.lost_too.push_back(std::string(256, 'x'));
  Bytes body;
  EXPECT_THROW(encode_attributed_event(e, body), std::invalid_argument);
  e = sample_event();
  e.reason.assign(1025, 'r');
  EXPECT_THROW(encode_attributed_event(e, body), std::invalid_argument);
  PathSnapshot p = sample_path();
  p.hops[0].ttl = 0;
  EXPECT_THROW(encode_path(p, body), std::invalid_argument);
  p = sample_path();
  p.hops.resize(256, PathHop{1, "", std::nullopt});
  EXPECT_THROW(encode_path(p, body), std::invalid_argument);
  Bytes hops;
  mpk::Writer hw(hops);
  hw.map_header(5);
  hw.str("t_ms"), hw.uint(1);
  hw.str("trigger"), hw.str("start");
  hw.str("reached"), hw.boolean(false);
  hw.str("route_changed"), hw.boolean(false);
  hw.str("hops"), hw.array_header(1);
  hw.array_header(3), hw.uint(0), hw.nil(), hw.nil();
  EXPECT_NE(error_of(hops, decode_path).find("ttl out of range"), std::string::npos);
}

TEST(EvidenceRecords, NamesFromANewerWriterReadAsDocumented) {
  // A cause or trigger this reader does not know: unknown / interval; unknown keys ignored.
  Bytes body;
  mpk::Writer w(body);
  w.map_header(6);
  w.str("t_ms"), w.uint(7);
  w.str("trigger"), w.str("user_request");
  w.str("reached"), w.boolean(true);
  w.str("route_changed"), w.boolean(false);
  w.str("hops"), w.array_header(1);
  w.array_header(4), w.uint(1), w.str("192.0.2.1"), w.uint(9), w.str("as64500");
  w.str("future"), w.str("ignored");
  const PathSnapshot p = decode_path(body);
  EXPECT_EQ(p.trigger, PathTrigger::interval);
  ASSERT_EQ(p.hops.size(), 1u);
  EXPECT_EQ(p.hops[0].address, "192.0.2.1");
  EXPECT_EQ(p.hops[0].rtt_us, 9u);
  AttributedLossEvent e = sample_event();
  Bytes ev;
  encode_attributed_event(e, ev);
  const std::string upstream = "upstream";
  const auto at = std::search(ev.begin(), ev.end(), upstream.begin(), upstream.end());
  ASSERT_NE(at, ev.end());
  std::copy_n("elsewhere", 8, at);  // same length: "elsewher"
  EXPECT_EQ(decode_attributed_event(ev).cause, Cause::unknown);
}

TEST(EvidenceRecords, HeaderRoleRoundTripsAndAbsentMeansInternet) {
  FileHeader h;
  h.host = "router.lan";
  EXPECT_FALSE(h.role.has_value());
  EXPECT_EQ(h.role_or_default(), attribution::Role::internet);
  std::size_t consumed = 0;
  EXPECT_FALSE(decode_header(encode_header(h), consumed).role.has_value());
  for (const auto role : {attribution::Role::gateway, attribution::Role::isp, attribution::Role::internet}) {
    h.role = role;
    EXPECT_EQ(decode_header(encode_header(h), consumed), h);
  }
}

TEST(EvidenceRecords, HeaderTimeoutRoundTripsAndIsOnlyWrittenWhenSet) {
  FileHeader h;
  h.host = "router.lan";
  h.role = attribution::Role::gateway;
  const Bytes without = encode_header(h);
  std::size_t consumed = 0;
  EXPECT_FALSE(decode_header(without, consumed).timeout_ms.has_value());
  h.timeout_ms = 1500;
  const Bytes with = encode_header(h);
  EXPECT_EQ(with.size(), without.size() + 1 + 10 + 3);  // fixstr "timeout_ms", uint16 1500
  EXPECT_EQ(decode_header(with, consumed), h);
  EXPECT_EQ(consumed, with.size());
  h.timeout_ms = 0xffffffffu;
  EXPECT_EQ(decode_header(encode_header(h), consumed), h);
}

// A reader that does not know "timeout_ms" (before this field) skips it as any unknown key:
// the rest of the header and the records still read. Simulated by renaming the key.
TEST(EvidenceRecords, HeaderTimeoutUnknownToAReaderIsSkipped) {
  FileHeader h;
  h.host = "one.example";
  h.start_ms = 1'700'000'000'000;
  h.timeout_ms = 900;
  Bytes bytes = encode_header(h);
  std::vector<Frame> frames(1);
  frames[0].t_ms = h.start_ms;
  append_frame_record(frames, h, bytes);
  const std::string key = "timeout_ms";
  const auto at = std::search(bytes.begin(), bytes.end(), key.begin(), key.end());
  ASSERT_NE(at, bytes.end());
  std::copy_n("future_xx", 9, at);  // same length: an unknown key
  const NativeFile file = read_native(bytes);
  EXPECT_EQ(file.end.kind, EndKind::kEof) << file.end.message;
  ASSERT_TRUE(file.header.has_value());
  EXPECT_FALSE(file.header->timeout_ms.has_value());
  EXPECT_EQ(file.header->host, "one.example");
  EXPECT_EQ(file.frames.size(), 1u);
}

// A timeout that is not an unsigned 32-bit number is damage, named.
TEST(EvidenceRecords, HeaderTimeoutOutOfRangeIsAClearError) {
  FileHeader h;
  h.timeout_ms = 7;
  Bytes bytes = encode_header(h);
  const std::string key = "timeout_ms";
  const auto at = std::search(bytes.begin(), bytes.end(), key.begin(), key.end());
  ASSERT_NE(at, bytes.end());
  const auto value = static_cast<std::size_t>(at - bytes.begin()) + key.size();
  ASSERT_EQ(bytes[value], 7);  // positive fixint; becomes uint64 2^40, past uint32
  bytes[value] = 0xcf;
  const std::array<std::uint8_t, 8> big = {0, 0, 1, 0, 0, 0, 0, 0};
  bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(value) + 1, big.begin(), big.end());
  std::size_t consumed = 0;
  try {
    decode_header(bytes, consumed);
    FAIL() << "accepted a timeout past 32 bits";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("timeout_ms"), std::string::npos) << e.what();
  }
}

TEST(EvidenceRecords, FileWithEveryKindReadsBackInOrder) {
  FileHeader h;
  h.host = "one.example";
  h.start_ms = 1'700'000'000'000;
  Bytes bytes = encode_header(h);
  append_events_record(std::vector<LossEvent>{{h.start_ms + 1, h.start_ms + 2, 2}}, h, bytes);
  append_attributed_event_record(sample_event(), bytes);
  append_incident_record(sample_incident(), bytes);
  append_path_record(sample_path(), bytes);
  const NativeFile file = read_native(bytes);
  EXPECT_EQ(file.end.kind, EndKind::kEof) << file.end.message;
  EXPECT_EQ(file.skipped_records, 0u);
  ASSERT_EQ(file.events.size(), 2u);  // the kind 2 burst, then the kind 4 one
  EXPECT_EQ(file.events[1], sample_event().event);
  ASSERT_EQ(file.attributed.size(), 1u);
  EXPECT_EQ(file.attributed[0], sample_event());
  ASSERT_EQ(file.incidents.size(), 1u);
  EXPECT_TRUE(same_incident(file.incidents[0], sample_incident()));
  ASSERT_EQ(file.paths.size(), 1u);
  EXPECT_EQ(file.paths[0], sample_path());
  // A damaged evidence record in the middle is an error at its offset, the rest before it kept.
  Bytes damaged = bytes;
  const std::size_t incident_at = encode_header(h).size();
  damaged[damaged.size() - 30] ^= 0x40;
  const NativeFile bad = read_native(damaged);
  EXPECT_NE(bad.end.kind, EndKind::kEof);
  EXPECT_GE(bad.end.offset, incident_at);
}

}  // namespace
}  // namespace zzping::native
