// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the native golden files ONCE per format version (docs/formats.md, "Golden files"):
//   native_golden_make tests/native/golden
// writes golden/<major>.<minor>/ for the version this build writes, and the golden/reader/
// files (a reader must accept or refuse) that are not there yet, each binary with its
// .expected.jsonl beside it. The
// expectations are written from the frames the generator encoded, not from a decoder, so
// the files say what the format means, not what today's code happens to do; only the end
// message of reader/ files that end early is the reader's own words (the test compares
// end kinds and offsets, not the wording).
// It refuses to overwrite a file: goldens are frozen once committed (reader/ files already
// there are kept and named, not an error: e.g. 2.0-newer-major.zzf serves every 1.x). This
// code writes the files of 1.2; the 1.0 and 1.1 files were written by its earlier versions
// (git history).
// Not a test.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "golden_json.hpp"
#include "random_frames.hpp"
#include "zzping/formats/native/file_format.hpp"
#include "zzping/formats/native/stream_reader.hpp"
#include "zzping/formats/native/tiers.hpp"
#include "zzping/formats/stream/frame_payload.hpp"

namespace {

using namespace zzping;
using namespace zzping::native;
using golden::json;
using Bytes = std::vector<std::uint8_t>;

constexpr std::int64_t kHour = 1'609'488'000'000;  // 2021-01-01T08:00Z

bool write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  if (std::filesystem::exists(path)) {
    std::fprintf(stderr, "%s exists: goldens are frozen, not regenerated\n", path.c_str());
    return false;
  }
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return true;
}

// A file being built: its bytes and, line by line, what it must decode to.
struct Golden {
  Bytes bytes;
  std::vector<json> lines;
  FileHeader header;

  explicit Golden(const FileHeader& h) : bytes(encode_header(h)), header(h) {
    lines.push_back(json{{"header", golden::to_json(h)}});
  }
  // A frame block, preceded by its jitter record when some frame has jitter.
  void frames(std::span<const Frame> frames) {
    json list = json::array();
    for (const Frame& f : frames) list.push_back(golden::to_json(f));
    lines.push_back(json{{"record", golden::frame_block_offset(frames, bytes.size())},
                         {"kind", "frames"},
                         {"frames", list}});
    append_frame_record(frames, header, bytes);
  }
  void events(std::span<const LossEvent> events) {
    json list = json::array();
    for (const LossEvent& e : events) list.push_back(golden::to_json(e));
    lines.push_back(json{{"record", bytes.size()}, {"kind", "events"}, {"events", list}});
    append_events_record(events, header, bytes);
  }
  // The evidence records of 1.2 (kinds 4, 5, 6).
  void attributed(const AttributedLossEvent& e) {
    lines.push_back(json{{"record", bytes.size()}, {"kind", "attributed_event"}, {"burst", golden::to_json(e)}});
    append_attributed_event_record(e, bytes);
  }
  void incident(const attribution::Incident& i) {
    lines.push_back(json{{"record", bytes.size()}, {"kind", "incident"}, {"incident", golden::to_json(i)}});
    append_incident_record(i, bytes);
  }
  void path(const PathSnapshot& p) {
    lines.push_back(json{{"record", bytes.size()}, {"kind", "path"}, {"path", golden::to_json(p)}});
    append_path_record(p, bytes);
  }
  void end(const ReadEnd& e, std::size_t skipped) {
    lines.push_back(json{{"end",
                          {{"kind", to_string(e.kind)},
                           {"offset", e.offset},
                           {"message", e.message},
                           {"skipped_records", skipped}}},
                         {"file_bytes", bytes.size()}});
  }
  void end_eof(std::size_t skipped = 0) { end(ReadEnd{EndKind::kEof, bytes.size(), ""}, skipped); }

  bool write(const std::filesystem::path& path) const {
    std::string text;
    for (const json& line : lines) text += line.dump() + "\n";
    return write_bytes(path, std::string(bytes.begin(), bytes.end())) &&
           write_bytes(golden::expected_of(path), text);
  }
};

FileHeader hour_header(double precision) {
  FileHeader h;
  h.host = "gw.example.net";
  h.address = "192.0.2.7";
  h.precision = precision;
  h.software = "zzping 0.3.0";
  h.start_ms = kHour;
  return h;
}

void fix_sent(Frame& f) { f.sent = f.recv + f.lost; }

// Jitter as zzpingd measures it: a pair per two consecutive answered probes, each |delta RTT|
// kept to the microsecond (so the record codes sums in units of 1000 ns); a frame without a
// pair has jitter {0, 0} (measured, nothing to measure).
void add_daemon_jitter(testing::Rng& rng, std::span<Frame> frames) {
  for (Frame& f : frames) {
    const std::uint32_t pairs = f.recv > 1 ? f.recv - 1 : 0;
    JitterSum j{0, pairs};
    for (std::uint32_t i = 0; i < pairs; ++i) j.sum_ns += 1000 * testing::uniform_u32(rng, 0, 900);
    f.jitter = j;
  }
}

constexpr std::uint64_t kMaxJitterSum = (std::uint64_t{1} << 62) - 1;  // the largest a record codes

// Since 1.2: one attributed loss burst per cause, one incident per cause, one path per
// trigger, and every optional or empty field: empty lists, no last hop, hops without an
// address or an RTT, a path not reached, a path without hops, route_changed, IPv6.
void add_evidence(Golden& g) {
  using attribution::Cause;
  using attribution::Incident;
  g.attributed({{kHour + 5050, kHour + 5140, 10}, Cause::local,
                "the gateway lost too: gw.example.net", {"gw.example.net", "one.example"}, {}});
  g.attributed({{kHour + 5200, kHour + 5300, 2}, Cause::upstream,
                "the gateway answered, 2 internet-side targets lost", {"one.example"}, {"router.lan"}});
  g.attributed({{kHour + 5400, kHour + 5400, 1}, Cause::destination,
                "other internet-side targets answered", {}, {"one.example", "two.example", "router.lan"}});
  g.attributed({{kHour + 5500, kHour + 5800, 4}, Cause::gateway_only,
                "internet-side targets answered: ICMP to the router deprioritised", {}, {"one.example"}});
  g.attributed({{kHour - 7, kHour + 3'600'000, 4'000'000'000u}, Cause::unknown,
                "no gateway target configured (\u00e9t\u00e9 \u2014 \"quoted\")", {}, {}});
  Incident local{kHour + 5050, kHour + 5140, Cause::local, {"gw.example.net", "one.example"}, 25, ""};
  g.incident(local);
  g.incident({kHour + 5200, kHour + 5310, Cause::upstream, {"one.example", "two.example"}, 4, "192.0.2.1"});
  g.incident({kHour + 5400, kHour + 5400, Cause::destination, {"two.example"}, 1, ""});
  g.incident({kHour + 5500, kHour + 5800, Cause::gateway_only, {"gw.example.net"}, 4, "fe80::1"});
  g.incident({kHour - 7, kHour + 3'600'000, Cause::unknown, {}, 4'000'000'000u, ""});
  g.path({kHour + 100, PathTrigger::start, true,
          {{1, "192.0.2.1", 850}, {2, "198.51.100.1", 4200}, {3, "192.0.2.7", 11'000}}, false});
  g.path({kHour + 600'000, PathTrigger::interval, true,
          {{1, "192.0.2.1", 900}, {2, "", std::nullopt}, {3, "198.51.100.9", 4'294'967'295u},
           {4, "2001:db8::7", 0}},
          true});
  g.path({kHour + 5060, PathTrigger::loss_burst, false,
          {{1, "192.0.2.1", 1000}, {2, "", std::nullopt}, {3, "", std::nullopt}}, false});
  g.path({kHour + 5070, PathTrigger::loss_burst, false, {}, false});
}

// A raw hour file as zzpingd writes it, with a block for each thing a block and its jitter
// record can hold, and (since 1.2) the header's role and the evidence records.
Golden hour_file() {
  testing::Rng rng(20210101);
  const RttQuantiser q(0.01);
  FileHeader header = hour_header(0.01);
  header.role = attribution::Role::gateway;
  Golden g(header);
  // 1: regular daemon frames, aligned to the file start.
  // 2: every sticky field changes somewhere: lost, dup, late, icmp_errors, inflight, a short
  //    frame (length), a 300 ms hole (gap), recv above the samples, sent above recv + lost.
  auto a = testing::daemon_frames(rng, 10, q, kHour);
  add_daemon_jitter(rng, a);
  g.frames(a);
  //    Jitter in every block below but 6 (zzpingd's, in whole microseconds, unless said).
  auto b = testing::daemon_frames(rng, 10, q, kHour + 1000);
  b[1].lost += 2, fix_sent(b[1]);
  b[2].dup = 1;
  b[3].late = 1, b[3].lost += 1, fix_sent(b[3]);
  b[4].icmp_errors = 2;
  b[5].inflight = 4;
  b[6].length_ms = 50;
  for (std::size_t i = 7; i < b.size(); ++i) b[i].t_ms += 300;
  b[8].recv += 1, fix_sent(b[8]);
  b[9].sent += 3;
  add_daemon_jitter(rng, b);
  g.frames(b);
  // 3: irregular times, one of them going back (time_jitter, time_signed), start not aligned.
  auto c = testing::daemon_frames(rng, 10, q, kHour + 3007);
  for (std::size_t i = 0; i < c.size(); ++i) c[i].t_ms += static_cast<std::int64_t>((i * 37) % 11);
  c[6].t_ms = c[5].t_ms + 95;
  //    Jitter of a mix: absent in some frames (some_absent), {0, 0} (measured, no pair),
  //    pair counts going down and up, sums in units of 10 ns (one not a multiple of 100).
  add_daemon_jitter(rng, c);
  c[0].jitter.reset();
  c[2].jitter = JitterSum{0, 0};
  c[3].jitter.reset();
  c[4].jitter = JitterSum{12'345'670, 2};
  c[5].jitter = JitterSum{990, 17};
  c[9].jitter.reset();
  g.frames(c);
  g.events(std::vector<LossEvent>{{kHour + 1100, kHour + 1300, 3}, {kHour + 1400, kHour + 1400, 1}});
  // 4: one frame, every probe lost (empty histogram).
  //    Its jitter is {0, 0}: measured, no pair.
  Frame lost{.t_ms = kHour + 5050, .sent = 10, .lost = 10, .rtt = RttHistogram(q)};
  lost.jitter = JitterSum{0, 0};
  g.frames(std::span(&lost, 1));
  add_evidence(g);
  // 5: extremes: full-range counters and keys, huge counts, far times, odd lengths; jitter
  //    sums up to the largest a record codes (in units of 1 ns), full-range pair counts.
  auto e = testing::adversarial_frames(rng, 6, q);
  e[0].jitter = JitterSum{kMaxJitterSum, std::numeric_limits<std::uint32_t>::max()};
  e[1].jitter = JitterSum{0, 0};
  e[2].jitter = JitterSum{std::uint64_t{1} << 40, 4'000'000'000u};
  e[4].jitter = JitterSum{1, 1};
  e[5].jitter = JitterSum{kMaxJitterSum - 1, 3};
  g.frames(e);
  // 6: a block whose frames have no jitter (not measured): no jitter record, as in 1.0.
  g.frames(testing::daemon_frames(rng, 10, q, kHour + 6000));
  g.events(std::vector<LossEvent>{{kHour + 5050, kHour + 5140, 10}, {kHour - 7, kHour + 3'600'000, 4'000'000'000u}});
  g.end_eof();
  return g;
}

// zzping 0.2 FrameData converted: irregular times, samples carried from the previous frame.
// zzping 0.2 measured no jitter, and zzping-convert writes frames without jitter as a 1.0
// file (tools/zzping-convert/native_output.cpp): header [1, 0], no jitter record, byte for
// byte the 1.0 golden's imported.zzf. That is what this version writes for imported data.
Golden imported_file() {
  testing::Rng rng(101);
  FileHeader h = hour_header(0.01);
  h.host = h.address = "192.168.0.1";
  h.source = std::string(source::kFrameData);
  h.counters = kZzping02Counters;
  const auto frames = testing::imported_frames(rng, 30, RttQuantiser(0.01));
  if (!has_any_jitter(frames)) h.version_minor = 0;  // as zzping-convert does
  Golden g(h);
  g.frames(std::span(frames).first(15));
  g.frames(std::span(frames).subspan(15));
  g.end_eof();
  return g;
}

// The three tier files of 40 s of raw frames across an hour boundary, at p = 0.002
// (the key contexts' defaults shift with the precision). The raw frames have zzpingd's
// jitter except for one whole second (its 1 s frame: jitter absent) and half of another
// (its 1 s frame: the sums of the other half); the tier frames' sums are merged by the
// real TierAggregator.
std::vector<std::pair<std::string, Golden>> tier_files() {
  testing::Rng rng(7);
  const RttQuantiser q(0.002);
  auto raw = testing::daemon_frames(rng, 400, q, kHour + 3'600'000 - 20'000);
  add_daemon_jitter(rng, raw);
  for (std::size_t i = 100; i < 110; ++i) raw[i].jitter.reset();
  for (std::size_t i = 305; i < 310; ++i) raw[i].jitter.reset();
  TierAggregator aggregator;
  std::vector<TierFrame> tiers;
  for (const Frame& f : raw) aggregator.add(f, tiers);
  aggregator.flush(tiers);
  std::vector<std::pair<std::string, Golden>> out;
  const std::int64_t file_start[] = {1'609'459'200'000,   // 2021-01-01 (1 s tier: one file a day)
                                     1'609'459'200'000,   // 2021-01 (1 min: a month)
                                     1'609'459'200'000};  // 2021 (1 h: a year)
  for (const Tier tier : kTiers) {
    FileHeader h = hour_header(0.002);
    h.frame_ms = h.tier_ms = tier_length_ms(tier);
    h.start_ms = file_start[static_cast<int>(tier)];
    // Roles written by name (1.2): isp, and internet written explicitly in the 1 h tier.
    h.role = tier == Tier::kHour ? attribution::Role::internet : attribution::Role::isp;
    std::vector<Frame> frames;
    for (const TierFrame& t : tiers) {
      if (t.tier == tier) frames.push_back(t.frame);
    }
    Golden g(h);
    for (std::size_t i = 0; i < frames.size(); i += 16) {
      g.frames(std::span(frames).subspan(i, std::min<std::size_t>(16, frames.size() - i)));
    }
    g.end_eof();
    out.emplace_back("tier-" + std::string(tier_name(tier)) + ".zzf", std::move(g));
  }
  return out;
}

// A daemon's raw file with the optional header key "timeout_ms" (1.2, no version step: a
// reader that does not know it skips it). The other goldens have none: byte for byte as before.
Golden timeout_file() {
  testing::Rng rng(11);
  const RttQuantiser q(0.01);
  auto frames = testing::daemon_frames(rng, 20, q, kHour);
  FileHeader h = hour_header(0.01);
  h.role = attribution::Role::gateway;
  h.timeout_ms = 1000;
  Golden g(h);
  g.frames(frames);
  g.end_eof();
  return g;
}

// The live stream's frame message: a block carrying its own context (`block`), and since
// 1.1 the jitter of its frames (`jitter`, the body of a jitter record) in <path>.jitter.
bool write_standalone(const std::filesystem::path& path) {
  testing::Rng rng(55);
  auto frames = testing::daemon_frames(rng, 10, RttQuantiser(0.01), kHour + 42'000);
  add_daemon_jitter(rng, frames);
  frames[3].jitter.reset();
  frames[7].jitter = JitterSum{0, 0};
  const Bytes bytes = stream::encode_frame_payload(frames);
  const Bytes jitter = stream::encode_frame_jitter(frames);
  json list = json::array();
  for (const Frame& f : frames) list.push_back(golden::to_json(f));
  const std::string text = json{{"frames", list}}.dump() + "\n" +
                           json{{"end", {{"kind", "eof"}, {"offset", bytes.size()}, {"message", ""},
                                         {"skipped_records", 0}}},
                                {"file_bytes", bytes.size()}}.dump() + "\n";
  return write_bytes(path, std::string(bytes.begin(), bytes.end())) &&
         write_bytes(path.string() + ".jitter", std::string(jitter.begin(), jitter.end())) &&
         write_bytes(golden::expected_of(path), text);
}

// The end state the reader gives for these bytes (used only where a file ends early).
ReadEnd reader_end(const Bytes& bytes) { return read_native(bytes).end; }

// Writes a reader file unless it is there already (frozen by an earlier version).
bool write_reader_file(const std::filesystem::path& path, const Golden& g) {
  if (std::filesystem::exists(path)) {
    std::fprintf(stderr, "%s kept (frozen)\n", path.c_str());
    return true;
  }
  return g.write(path);
}

bool write_reader_files(const std::filesystem::path& dir) {
  bool ok = true;
  testing::Rng rng(11);
  const RttQuantiser q(0.01);
  const std::string version = std::to_string(kVersionMajor) + "." + std::to_string(kVersionMinor);
  {  // From a newer minor version: an unknown header key and an unknown record kind (9, never
     // to be assigned: the reader goldens use it), both skipped; its frames have jitter.
    FileHeader h = hour_header(0.01);
    h.version_minor = kVersionMinor + 1;
    Golden g(h);
    if ((g.bytes[0] & 0xf0) != 0x80 || (g.bytes[0] & 0x0f) == 0x0f) return false;  // a fixmap
    g.bytes[0] = static_cast<std::uint8_t>(g.bytes[0] + 1);
    const std::string extra = "\xaa" "future_key" "\xa7" "ignored";
    g.bytes.insert(g.bytes.end(), extra.begin(), extra.end());
    auto a = testing::daemon_frames(rng, 10, q, kHour);
    add_daemon_jitter(rng, a);
    g.frames(a);
    const Bytes body = {'n', 'e', 'w', ' ', 'k', 'i', 'n', 'd'};
    append_record(9, body, g.bytes);
    auto b = testing::daemon_frames(rng, 10, q, kHour + 1000);
    add_daemon_jitter(rng, b);
    g.frames(b);
    g.events(std::vector<LossEvent>{{kHour + 1500, kHour + 1700, 3}});
    g.end_eof(1);
    ok = write_reader_file(dir / ("1." + std::to_string(kVersionMinor + 1) + "-newer-minor.zzf"), g) && ok;
  }
  {  // A newer major version: refused with an error naming it, nothing read.
    FileHeader h = hour_header(0.01);
    h.version_major = kVersionMajor + 1;
    Golden g(h);
    g.frames(testing::daemon_frames(rng, 10, q, kHour));
    g.lines.clear();
    g.lines.push_back(json{{"header", nullptr}});
    g.end(reader_end(g.bytes), 0);
    ok = write_reader_file(dir / (std::to_string(kVersionMajor + 1) + ".0-newer-major.zzf"), g) && ok;
  }
  {  // Cut by a kill -9 in the middle of the last record: everything before it stands.
    Golden g = hour_file();
    g.lines.pop_back();  // the eof line
    g.bytes.resize(g.bytes.size() - 7);
    g.lines.pop_back();  // the cut record
    g.end(reader_end(g.bytes), 0);
    ok = write_reader_file(dir / (version + "-cut.zzf"), g) && ok;
  }
  {  // Cut right after a jitter record: its frame block (the same write) was lost, so the
     // file is truncated AT THE JITTER RECORD (docs/formats.md, "Jitter"). The end offset is
     // the format's, not the reader's; only the message is the reader's words.
    Golden g = hour_file();
    g.lines.pop_back();  // the eof line
    auto frames = testing::daemon_frames(rng, 10, q, kHour + 7000);
    add_daemon_jitter(rng, frames);
    const std::size_t jitter_at = g.bytes.size();
    append_record(static_cast<std::uint8_t>(RecordKind::kJitter), encode_jitter(frames), g.bytes);
    g.end(ReadEnd{EndKind::kTruncated, jitter_at, reader_end(g.bytes).message}, 0);
    ok = write_reader_file(dir / (version + "-cut-after-jitter.zzf"), g) && ok;
  }
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: native_golden_make <tests/native/golden>\n");
    return 2;
  }
  const std::filesystem::path root(argv[1]);
  const std::filesystem::path dir = root / (std::to_string(kVersionMajor) + "." + std::to_string(kVersionMinor));
  bool ok = hour_file().write(dir / "hour.zzf");
  ok = imported_file().write(dir / "imported.zzf") && ok;
  ok = timeout_file().write(dir / "timeout.zzf") && ok;
  for (const auto& [name, g] : tier_files()) ok = g.write(dir / name) && ok;
  ok = write_standalone(dir / "standalone.zzb") && ok;
  ok = write_reader_files(root / "reader") && ok;
  return ok ? 0 : 1;
}
