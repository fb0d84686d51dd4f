// SPDX-License-Identifier: GPL-3.0-or-later
// zzping-dump --summary: the same numbers from raw files alone and from a data directory
// (tiers inside the span, raw hours at its edges), for spans that cut tier buckets.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "../convert/golden.hpp"
#include "prerequisite.hpp"
#include "run_command.hpp"
#include "zzping/formats/native/file_format.hpp"
#include "zzping/formats/native/layout.hpp"
#include "zzping/formats/native/tiers.hpp"

namespace zzping::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr std::int64_t kT0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr std::int64_t kHour = 3'600'000;
const std::string kDump = ZZPING_DUMP_BIN;
const std::string kConvert = ZZPING_CONVERT_BIN;

void write_file(const fs::path& path, const native::FileHeader& h, std::span<const Frame> frames,
                std::span<const LossEvent> events) {
  std::vector<std::uint8_t> bytes = native::encode_header(h);
  for (std::size_t i = 0; i < frames.size(); i += 600) {
    native::append_frame_record(frames.subspan(i, std::min<std::size_t>(600, frames.size() - i)), h, bytes);
  }
  if (!events.empty()) native::append_events_record(events, h, bytes);
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                              static_cast<std::streamsize>(bytes.size()));
}

// `hours` hours of raw frames (with jitter and loss events) and their three tiers.
struct DataDir {
  fs::path dir;
  std::vector<fs::path> raw_files;
};

DataDir make_data_dir(const fs::path& dir, int hours) {
  DataDir d{dir, {}};
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> rtt_us(std::log(1500.0), 0.5);
  native::TierAggregator aggregator;
  std::vector<native::TierFrame> tier_frames;
  for (int h = 0; h < hours; ++h) {
    const std::int64_t start = kT0 + h * kHour;
    std::vector<Frame> frames;
    std::vector<LossEvent> events;
    for (std::int64_t t = start; t < start + kHour; t += 100) {
      if ((t / 100) % 5000 < 30) continue;  // a 3 s gap every 500 s: not covered
      Frame f;
      f.t_ms = t;
      f.sent = 10;
      f.lost = rng() % 200 == 0 ? 10 : static_cast<std::uint32_t>(rng() % 40 == 0);
      f.recv = f.sent - f.lost;
      for (std::uint32_t i = 0; i < f.recv; ++i) f.rtt.add_us(rtt_us(rng));
      const std::uint32_t pairs = f.recv > 0 ? f.recv - 1 : 0;
      f.jitter = JitterSum{pairs * (rng() % 300'000), pairs};
      if (f.lost == 10) events.push_back(LossEvent{t, t + 90, 10});
      frames.push_back(f);
      aggregator.add(f, tier_frames);
    }
    native::FileHeader header;
    header.host = "host-a";
    header.start_ms = start;
    d.raw_files.push_back(native::layout::raw_file(dir, "host-a", start));
    write_file(d.raw_files.back(), header, frames, events);
  }
  aggregator.flush(tier_frames);
  std::map<fs::path, std::vector<Frame>> tier_files;
  for (const native::TierFrame& tf : tier_frames) {
    tier_files[native::layout::tier_file(dir, "host-a", tf.tier, tf.frame.t_ms)].push_back(tf.frame);
  }
  for (const auto& [path, frames] : tier_files) {
    native::FileHeader header;
    header.host = "host-a";
    header.frame_ms = header.tier_ms = frames.front().length_ms;
    header.start_ms = frames.front().t_ms;
    write_file(path, header, frames, {});
  }
  return d;
}

json summary_of(const std::string& args, const TempDir& dir) {
  const auto r = run_command(kDump + " --summary --format jsonl " + args, dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::istringstream in(r.out);
  std::string line;
  std::getline(in, line);
  return json::parse(line);
}

TEST(DumpSummary, DataDirectoryEqualsRawFilesForSpansThatCutTierBuckets) {
  TempDir tmp;
  const DataDir d = make_data_dir(tmp / "data", 5);
  std::string raw_args;
  for (const auto& f : d.raw_files) raw_args += " " + shell_quote(f.string());
  const std::vector<std::pair<std::int64_t, std::int64_t>> spans = {
      {kT0, kT0 + 5 * kHour},                             // whole hours: tiers only
      {kT0 + 1234567, kT0 + 4 * kHour + 98765},           // edges cut hours
      {kT0 + 2 * kHour + 100, kT0 + 2 * kHour + 200000},  // inside one hour
  };
  for (const auto& [from, to] : spans) {
    const auto rfc = [](std::int64_t t) {
      const std::time_t s = t / 1000;
      std::tm tm{};
      gmtime_r(&s, &tm);
      char buf[64];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(t % 1000));
      return std::string(buf);
    };
    const std::string span = " --from " + rfc(from) + " --to " + rfc(to);
    const json from_raw = summary_of(span + raw_args, tmp);
    const json from_dir = summary_of(span + " " + shell_quote(d.dir.string()), tmp);
    // Exact: every count, quantile, jitter, MOS and burst. Covered time is the exception: an
    // hour read from the 1 h tier counts whole (its 3 s gaps are not seen; docs/summary.md).
    json dir_exact = from_dir, raw_exact = from_raw;
    for (json* j : {&dir_exact, &raw_exact}) {
      j->erase("covered_ms");
      j->erase("availability_pct");
    }
    EXPECT_EQ(dir_exact, raw_exact) << span;
    EXPECT_GE(from_dir["covered_ms"].get<std::int64_t>(), from_raw["covered_ms"].get<std::int64_t>());
    EXPECT_EQ(from_dir["from_ms"], from);
    EXPECT_EQ(from_dir["to_ms"], to);
    EXPECT_GT(from_dir["sent"].get<std::uint64_t>(), 0u);
    EXPECT_FALSE(from_dir["jitter_us"].is_null());
    EXPECT_FALSE(from_dir["mos"].is_null());
  }
}

std::string rfc3339(std::int64_t t) {
  const std::time_t s = t / 1000;
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(t % 1000));
  return buf;
}

// Raw files pruned at the edges: the edge hours come from the 1 min and 1 s tiers.
TEST(DumpSummary, EdgeHoursWithoutRawFilesComeFromFinerTiers) {
  TempDir tmp;
  const DataDir d = make_data_dir(tmp / "data", 5);
  std::string raw_args;
  for (const auto& f : d.raw_files) raw_args += " " + shell_quote(f.string());
  const std::string span = " --from " + rfc3339(kT0 + 17 * 60'000 + 12'000) + " --to " + rfc3339(kT0 + 4 * kHour + 41 * 60'000);
  const json truth = summary_of(span + raw_args, tmp);
  fs::remove(d.raw_files.front());
  fs::remove(d.raw_files.back());
  const json from_dir = summary_of(span + " " + shell_quote(d.dir.string()), tmp);
  for (const char* key : {"sent", "recv", "lost", "loss_pct", "dup", "late", "icmp_errors", "rtt_us", "jitter_us", "mos"}) {
    EXPECT_EQ(from_dir[key], truth[key]) << key;
  }
}

TEST(DumpSummary, FieldsAreTheDocumentedOnes) {
  TempDir tmp;
  const DataDir d = make_data_dir(tmp / "data", 1);
  const json s = summary_of(shell_quote(d.raw_files[0].string()), tmp);
  for (const char* key : {"host", "from_ms", "to_ms", "covered_ms", "sent", "recv", "lost", "loss_pct", "dup",
                          "late", "icmp_errors", "rtt_us", "jitter_us", "mos", "loss_bursts", "availability_pct"}) {
    EXPECT_TRUE(s.contains(key)) << key;
  }
  for (const char* key : {"p0", "p50", "p95", "p99", "p100"}) EXPECT_TRUE(s["rtt_us"].contains(key)) << key;
  for (const char* key : {"count", "total_ms", "longest_ms", "longest_start_ms"}) {
    EXPECT_TRUE(s["loss_bursts"].contains(key)) << key;
  }
  EXPECT_EQ(s["host"], "host-a");
  EXPECT_EQ(s["from_ms"], kT0);
  EXPECT_EQ(s["sent"], s["recv"].get<std::uint64_t>() + s["lost"].get<std::uint64_t>());
  EXPECT_GT(s["loss_bursts"]["count"].get<int>(), 0);
}

// Format 1.2 files: attributed bursts (kind 4) count as loss bursts; incident and path
// records between frame blocks are neither frames nor bursts.
TEST(DumpSummary, AttributedBurstsCountAndEvidenceRecordsAreNotFrames) {
  TempDir tmp;
  native::FileHeader h;
  h.host = "one";
  h.start_ms = kT0;
  h.role = attribution::Role::isp;
  std::vector<Frame> frames(20);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    frames[i].t_ms = kT0 + static_cast<std::int64_t>(i) * 100;
    frames[i].sent = 10;
    frames[i].recv = 10;
  }
  std::vector<std::uint8_t> bytes = native::encode_header(h);
  native::append_frame_record(std::span(frames).first(10), h, bytes);
  native::append_events_record(std::vector<LossEvent>{{kT0 + 100, kT0 + 300, 3}}, h, bytes);
  native::append_attributed_event_record({{kT0 + 500, kT0 + 900, 5}, attribution::Cause::local, "gw lost", {"gw"}, {}},
                                         bytes);
  native::append_incident_record({kT0 + 500, kT0 + 900, attribution::Cause::local, {"gw", "one"}, 9, ""}, bytes);
  native::append_path_record({kT0 + 550, PathTrigger::loss_burst, false, {}, false}, bytes);
  native::append_frame_record(std::span(frames).subspan(10), h, bytes);
  const fs::path file = tmp / "one.zzf";
  std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                              static_cast<std::streamsize>(bytes.size()));
  const json s = summary_of(shell_quote(file.string()), tmp);
  EXPECT_EQ(s["sent"], 200);
  EXPECT_EQ(s["loss_bursts"]["count"], 2);
  EXPECT_EQ(s["loss_bursts"]["longest_ms"], 400);
  EXPECT_EQ(s["loss_bursts"]["by_cause"],
            json::parse(R"({"local":1,"upstream":0,"destination":0,"gateway_only":0,"unknown":0})"));
  const auto text = run_command(kDump + " --summary " + shell_quote(file.string()), tmp);
  EXPECT_NE(text.out.find("loss bursts 2, 600 ms in all, longest 400 ms at"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("; by cause: local 1"), std::string::npos) << text.out;
  // The same file in a data directory (read record by record): the same counts.
  const fs::path raw = native::layout::raw_file(tmp / "data", "one", kT0);
  fs::create_directories(raw.parent_path());
  fs::copy_file(file, raw);
  const json from_dir = summary_of(shell_quote((tmp / "data").string()), tmp);
  EXPECT_EQ(from_dir["sent"], 200);
  EXPECT_EQ(from_dir["loss_bursts"], s["loss_bursts"]);
}

TEST(DumpSummary, CsvAndTextCarryTheSameNumbers) {
  TempDir tmp;
  const DataDir d = make_data_dir(tmp / "data", 1);
  const json j = summary_of(shell_quote(d.dir.string()), tmp);
  auto r = run_command(kDump + " --summary --format csv " + shell_quote(d.dir.string()), tmp);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream csv(r.out);
  std::string header, row;
  std::getline(csv, header);
  std::getline(csv, row);
  EXPECT_EQ(header.rfind("host,from_ms,to_ms,covered_ms,sent,recv,lost,loss_pct,", 0), 0u) << header;
  EXPECT_EQ(row.rfind("host-a," + std::to_string(kT0) + ",", 0), 0u) << row;
  EXPECT_NE(row.find("," + std::to_string(j["sent"].get<std::uint64_t>()) + ","), std::string::npos) << row;
  EXPECT_EQ(std::count(header.begin(), header.end(), ','), std::count(row.begin(), row.end(), ','));
  r = run_command(kDump + " --summary --format text " + shell_quote(d.dir.string()), tmp);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sent " + std::to_string(j["sent"].get<std::uint64_t>())), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("MOS (estimate)"), std::string::npos) << r.out;
}

TEST(DumpSummary, RelativeTimesAndBadTimes) {
  TempDir tmp;
  const DataDir d = make_data_dir(tmp / "data", 1);
  // The data is from 2026-01-01: -1h (relative to now) leaves nothing in the span.
  const json s = summary_of("--from -1h " + shell_quote(d.dir.string()), tmp);
  EXPECT_EQ(s["sent"], 0);
  EXPECT_TRUE(s["loss_pct"].is_null());
  EXPECT_EQ(s["host"], "host-a");
  EXPECT_EQ(s["to_ms"], s["from_ms"]) << "an empty span";
  const json local = summary_of("--from 2026-01-01T01:30:00+01:00 --to 2026-01-01T00:31:00Z " +
                                    shell_quote(d.dir.string()),
                                tmp);
  EXPECT_EQ(local["from_ms"], kT0 + 30 * 60'000);
  EXPECT_LE(local["covered_ms"].get<std::int64_t>(), 60'000);
  EXPECT_GE(local["covered_ms"].get<std::int64_t>(), 57'000);
  const auto bad = run_command(kDump + " --summary --from yesterday " + shell_quote(d.dir.string()), tmp);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("bad time 'yesterday'"), std::string::npos) << bad.err;
}


// --- Loss bursts "not recorded" (docs/summary.md, "Loss bursts") ----------------------

// The first line after the header of `--format csv`, split at commas.
std::vector<std::string> csv_cells(const std::string& args, const TempDir& dir) {
  const auto r = run_command(kDump + " --summary --format csv " + args, dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::istringstream in(r.out);
  std::string header, row;
  std::getline(in, header);
  std::getline(in, row);
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream fields(row);
  while (std::getline(fields, cell, ',')) cells.push_back(cell);
  if (!row.empty() && row.back() == ',') cells.emplace_back();
  return cells;
}

void expect_bursts_not_recorded(const std::string& args, const TempDir& tmp) {
  const json s = summary_of(args, tmp);
  EXPECT_GT(s["lost"].get<std::uint64_t>(), 0u) << args;
  EXPECT_TRUE(s["loss_bursts"].is_null()) << s.dump();
  EXPECT_TRUE(s["availability_pct"].is_null()) << s.dump();
  EXPECT_GT(s["covered_ms"].get<std::int64_t>(), 0);
  const std::vector<std::string> cells = csv_cells(args, tmp);
  ASSERT_EQ(cells.size(), 23u);
  for (std::size_t i = 18; i < 23; ++i) EXPECT_EQ(cells[i], "") << "csv column " << i;
  const auto text = run_command(kDump + " --summary " + args, tmp);
  EXPECT_NE(text.out.find("availability n/a"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("loss bursts n/a"), std::string::npos) << text.out;
}

// zzping 0.2 never recorded loss events: its lost probes must not read as 0 bursts, 100 %.
TEST(DumpSummary, Zzping02DataHasNoLossBurstsNorAvailability) {
  ZZPING_REQUIRE(std::filesystem::exists(golden_path("framedata")), "the zzping 0.2 golden files (ZZPING_TESTDATA_DIR)");
  TempDir tmp;
  const std::string log = shell_quote(golden_path("framedata/pingd-log-192.168.0.1-20210101T08.log").string());
  const std::string fdq =
      shell_quote(golden_path("fdq/llq-0.01_fes-60/pingd-log-192.168.0.1-20210101T08.log.fdq.log").string());
  expect_bursts_not_recorded(log, tmp);
  expect_bursts_not_recorded(fdq, tmp);
  const auto info = run_command(kDump + " --info " + log, tmp);
  EXPECT_NE(info.out.find("0 events (loss bursts not recorded in this file)"), std::string::npos) << info.out;
  // Converted to native (a file, then re-converted, and a data directory): still not recorded.
  ASSERT_EQ(run_command(kConvert + " " + log + " -o " + shell_quote((tmp / "a.zzf").string()), tmp).exit_code, 0);
  expect_bursts_not_recorded(shell_quote((tmp / "a.zzf").string()), tmp);
  ASSERT_EQ(run_command(kConvert + " " + shell_quote((tmp / "a.zzf").string()) + " -o " +
                            shell_quote((tmp / "b.zzf").string()), tmp).exit_code, 0);
  expect_bursts_not_recorded(shell_quote((tmp / "b.zzf").string()), tmp);
  ASSERT_EQ(run_command(kConvert + " --data-dir " + shell_quote((tmp / "data").string()) + " " + log, tmp).exit_code, 0);
  expect_bursts_not_recorded(shell_quote((tmp / "data").string()), tmp);
}

// zzpingd data records every burst: isolated losses without an event are 0 bursts.
TEST(DumpSummary, NativeDataWithLossButNoBurstHasZeroBursts) {
  TempDir tmp;
  native::FileHeader h;
  h.host = "one";
  h.start_ms = kT0;
  std::vector<Frame> frames(50);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    frames[i].t_ms = kT0 + static_cast<std::int64_t>(i) * 100;
    frames[i].sent = 10;
    frames[i].lost = i % 10 == 0 ? 1 : 0;  // single lost probes: no burst
    frames[i].recv = 10 - frames[i].lost;
    frames[i].rtt.add_us(1500, frames[i].recv);
  }
  const fs::path file = tmp / "one.zzf";
  write_file(file, h, frames, {});
  const json s = summary_of(shell_quote(file.string()), tmp);
  EXPECT_EQ(s["lost"], 5);
  EXPECT_EQ(s["loss_bursts"]["count"], 0);
  EXPECT_EQ(s["availability_pct"], 100);
  const std::vector<std::string> cells = csv_cells(shell_quote(file.string()), tmp);
  ASSERT_EQ(cells.size(), 23u);
  EXPECT_EQ(cells[18], "0");
  EXPECT_EQ(cells[22], "100");
}

// A tier file alone holds no events; a data directory whose raw hours are gone keeps its
// tier hours' loss without bursts, and with them the count is back.
TEST(DumpSummary, TierHoursWithoutTheirRawFilesHaveNoBursts) {
  TempDir tmp;
  const DataDir d = make_data_dir(tmp / "data", 3);
  const std::string dir = shell_quote(d.dir.string());
  const std::string span = " --from " + rfc3339(kT0) + " --to " + rfc3339(kT0 + 3 * kHour) + " ";
  const json whole = summary_of(span + dir, tmp);
  ASSERT_FALSE(whole["loss_bursts"].is_null());
  EXPECT_GT(whole["loss_bursts"]["count"].get<int>(), 0);
  EXPECT_FALSE(whole["availability_pct"].is_null());
  // The 1 h tier file read alone: frames with loss, no events in such a file.
  const fs::path tier_1h = native::layout::tier_file(d.dir, "host-a", native::Tier::kHour, kT0);
  expect_bursts_not_recorded(shell_quote(tier_1h.string()), tmp);
  fs::remove(d.raw_files[1]);  // the middle hour pruned: its tier frame has loss, no events
  const json pruned = summary_of(span + dir, tmp);
  EXPECT_EQ(pruned["lost"], whole["lost"]);
  EXPECT_TRUE(pruned["loss_bursts"].is_null()) << pruned.dump();
  EXPECT_TRUE(pruned["availability_pct"].is_null());
  // A span of the remaining raw hour alone is exact again.
  const json first = summary_of(" --from " + rfc3339(kT0) + " --to " + rfc3339(kT0 + kHour) + " " + dir, tmp);
  EXPECT_FALSE(first["loss_bursts"].is_null()) << first.dump();
}

}  // namespace
}  // namespace zzping::test
