// SPDX-License-Identifier: GPL-3.0-or-later
// zzping-dump as scripts use it: JSON lines with the documented fields for every format.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../convert/golden.hpp"
#include "run_command.hpp"
#include "zzping/formats/native/file_format.hpp"

namespace zzping::test {
namespace {

using nlohmann::json;

const std::string kDump = ZZPING_DUMP_BIN;

std::vector<json> json_lines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
  return out;
}

std::vector<json> expected_lines(const std::string& relative) {
  std::vector<json> out;
  std::ifstream in(golden_path(relative + ".expected.jsonl"));
  for (std::string line; std::getline(in, line);) {
    auto j = json::parse(line);
    if (!j.contains("header") && !j.contains("end")) out.push_back(j);
  }
  return out;
}

CommandResult dump(const std::string& args, const TempDir& dir) {
  return run_command(kDump + " " + args, dir);
}

TEST(DumpCli, FdqJsonLinesCarryTheStoredValues) {
  TempDir dir;
  const std::string file = "fdq/llq-0.01_fes-60/pingd-log-192.168.0.1-20210101T08.log.fdq.log";
  const auto r = dump("--format jsonl " + shell_quote(golden_path(file).string()), dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto got = json_lines(r.out);
  const auto want = expected_lines(file);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i]["t_ms"], want[i]["timestamp_ms"]);
    EXPECT_EQ(got[i]["inflight"], want[i]["inflight"]);
    EXPECT_EQ(got[i]["lost"], want[i]["lost_packets"]);
    EXPECT_EQ(got[i]["recv"], want[i]["recv_us_len"]);
    EXPECT_EQ(got[i]["host"], "192.168.0.1");
    if (want[i]["recv_us_len"] == 0) {
      EXPECT_TRUE(got[i]["rtt_us"].is_null());
    } else {
      EXPECT_EQ(got[i]["rtt_us"], want[i]["recv_us"]);
    }
  }
}

TEST(DumpCli, FrameDataJsonLinesCarryEverySample) {
  TempDir dir;
  const std::string file = "framedata/pingd-log-1.1.1.1-20210101T08.log";
  const auto r = dump("--format jsonl " + shell_quote(golden_path(file).string()), dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto got = json_lines(r.out);
  const auto want = expected_lines(file);
  ASSERT_EQ(got.size(), 5u);
  ASSERT_EQ(want.size(), 5u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i]["t_ms"], want[i]["ts_us"].get<std::int64_t>() / 1000);
    EXPECT_EQ(got[i]["samples_us"], want[i]["recv_us"]);
    EXPECT_EQ(got[i]["recv"], want[i]["recv_us"].size());
    EXPECT_EQ(got[i]["lost"], want[i]["lost_packets"]);
  }
  EXPECT_TRUE(got[0]["rtt_us"].is_null());
  EXPECT_EQ(got[1]["rtt_us"], json::parse("[850,893,935,1020,1179,1258,1337]"));
}

TEST(DumpCli, CutFileGivesItsFramesAndAWarning) {
  TempDir dir;
  const auto r = dump("--format jsonl " +
                          shell_quote(golden_path("framedata/truncated/pingd-log-192.168.0.1-20210101T08.log").string()),
                      dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json_lines(r.out).size(), 200u);
  EXPECT_NE(r.err.find("warning"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("12698"), std::string::npos) << r.err;
}

TEST(DumpCli, CsvAndTextFormats) {
  TempDir dir;
  const std::string file =
      shell_quote(golden_path("fdq/llq-none_fes-60/pingd-log-1.1.1.1-20210101T08.log.fdq.log").string());
  auto r = dump("--format csv " + file, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream csv(r.out);
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header.rfind("host,t_ms,time_utc,", 0), 0u) << header;
  std::size_t rows = 0;
  for (std::string line; std::getline(csv, line);) ++rows;
  EXPECT_EQ(rows, 5u);
  r = dump("--format text " + file, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2021-01-01T08:58:59.950Z"), std::string::npos) << r.out;
}

// jitter_us: the mean |delta RTT| of the frame; null when not measured or without pairs.
TEST(DumpCli, NativeFramesPrintJitterInEveryFormat) {
  TempDir dir;
  native::FileHeader h;
  h.host = "h";
  h.start_ms = 1'700'000'000'000;
  std::vector<Frame> frames(3);
  for (std::size_t i = 0; i < frames.size(); ++i) frames[i].t_ms = h.start_ms + static_cast<std::int64_t>(i) * 100;
  frames[0].jitter = JitterSum{7500, 3};  // 2.5 us
  frames[1].jitter = JitterSum{0, 0};     // measured, no pair
  std::vector<std::uint8_t> bytes = native::encode_header(h);
  native::append_frame_record(frames, h, bytes);
  const auto file = dir / "j.zzf";
  write_bytes(file, bytes);
  auto r = dump("--format jsonl " + shell_quote(file.string()), dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto got = json_lines(r.out);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0]["jitter_us"], 2.5);
  EXPECT_TRUE(got[1]["jitter_us"].is_null());
  EXPECT_TRUE(got[2]["jitter_us"].is_null());
  r = dump("--format csv " + shell_quote(file.string()), dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(",p100_us,jitter_us\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(",2.5\n"), std::string::npos) << r.out;
  r = dump("--format text " + shell_quote(file.string()), dir);
  EXPECT_NE(r.out.find("jitter_us 2.5"), std::string::npos) << r.out;
}

// Format 1.2 evidence (docs/output.md): loss bursts with their cause, incidents printed
// once even when read from several hosts' files, paths and route changes.
TEST(DumpCli, CausesIncidentsAndPathsAsDocumented) {
  TempDir dir;
  constexpr std::int64_t t0 = 1'700'000'000'000;
  const attribution::Incident incident{t0 + 100, t0 + 400, attribution::Cause::upstream, {"gw", "one"}, 7, ""};
  auto host_file = [&](const std::string& host, attribution::Role role) {
    native::FileHeader h;
    h.host = host;
    h.start_ms = t0;
    h.role = role;
    if (role == attribution::Role::internet) h.timeout_ms = 750;
    std::vector<Frame> frames(3);
    for (std::size_t i = 0; i < frames.size(); ++i) frames[i].t_ms = t0 + static_cast<std::int64_t>(i) * 100;
    std::vector<std::uint8_t> bytes = native::encode_header(h);
    native::append_frame_record(frames, h, bytes);
    native::append_incident_record(incident, bytes);
    return std::pair{h, bytes};
  };
  auto [gw_header, gw] = host_file("gw", attribution::Role::gateway);
  auto [one_header, one] = host_file("one", attribution::Role::internet);
  native::append_events_record(std::vector<LossEvent>{{t0 + 10, t0 + 20, 2}}, one_header, one);
  native::append_attributed_event_record({{t0 + 100, t0 + 400, 5}, attribution::Cause::upstream,
                                          "the gateway answered, \"two\" lost", {"two"}, {"gw"}},
                                         one);
  native::append_path_record({t0 + 150, PathTrigger::loss_burst, false, {{1, "192.0.2.1", 800}, {2, "", std::nullopt}}, true},
                             one);
  const auto gw_file = dir / "gw.zzf";
  const auto one_file = dir / "one.zzf";
  write_bytes(gw_file, gw);
  write_bytes(one_file, one);
  auto r = dump("--format jsonl " + shell_quote(one_file.string()) + " " + shell_quote(gw_file.string()), dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<json> bursts, incidents, paths, changes;
  for (const json& j : json_lines(r.out)) {
    if (!j.contains("event")) continue;
    const std::string e = j.at("event");
    (e == "loss_burst" ? bursts : e == "incident" ? incidents : e == "path" ? paths : changes).push_back(j);
  }
  ASSERT_EQ(bursts.size(), 2u) << r.out;
  EXPECT_FALSE(bursts[0].contains("cause")) << "a kind 2 burst has no cause";
  EXPECT_EQ(bursts[1], json::parse(R"({"host":"one","event":"loss_burst","start_ms":1700000000100,"end_ms":1700000000400,
      "probes_lost":5,"cause":"upstream","reason":"the gateway answered, \"two\" lost","lost_too":["two"],"answered":["gw"]})"));
  ASSERT_EQ(incidents.size(), 1u) << "the same incident from two hosts' files, printed once";
  EXPECT_EQ(incidents[0], json::parse(R"({"event":"incident","start_ms":1700000000100,"end_ms":1700000000400,
      "cause":"upstream","targets":["gw","one"],"probes_lost":7,"last_hop":null})"));
  ASSERT_EQ(paths.size(), 1u);
  EXPECT_EQ(paths[0], json::parse(R"({"host":"one","event":"path","t_ms":1700000000150,"trigger":"loss_burst",
      "reached":false,"hops":[{"ttl":1,"addr":"192.0.2.1","rtt_us":800},{"ttl":2,"addr":null,"rtt_us":null}]})"));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0], json::parse(R"({"host":"one","event":"route_change","t_ms":1700000000150,"hops":["192.0.2.1",null]})"));
  r = dump("--format text " + shell_quote(one_file.string()), dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("cause upstream: the gateway answered"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("INCIDENT upstream 300 ms"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PATH (loss_burst, not reached): 1 192.0.2.1 800 us; 2 *;"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ROUTE CHANGE: 192.0.2.1 *"), std::string::npos) << r.out;
  r = dump("--info " + shell_quote(one_file.string()), dir);
  EXPECT_NE(r.out.find("2 events (1 with a cause), 1 incidents, 1 paths, role internet, timeout 750 ms\n"),
            std::string::npos)
      << r.out;
  r = dump("--info " + shell_quote(gw_file.string()), dir);
  EXPECT_NE(r.out.find("role gateway\n"), std::string::npos) << "no timeout where the header has none: " << r.out;
}

// Every golden native file of every version still dumps (1.0 and 1.1 without causes).
TEST(DumpCli, EveryNativeGoldenVersionDumps) {
  TempDir dir;
  const std::filesystem::path golden = std::filesystem::path(ZZPING_SOURCE_DIR) / "tests/native/golden";
  std::size_t causes = 0;
  for (const char* version : {"1.0", "1.1", "1.2"}) {
    const auto r = dump("--format jsonl " + shell_quote((golden / version / "hour.zzf").string()), dir);
    ASSERT_EQ(r.exit_code, 0) << version << r.err;
    // Every line is JSON, the extreme frames too: their largest bins lie past the range
    // of a double and print as the largest finite one.
    std::istringstream in(r.out);
    std::size_t huge = 0;
    for (std::string line; std::getline(in, line);) {
      json j;
      ASSERT_NO_THROW(j = json::parse(line)) << version << ": " << line;
      if (j.value("event", "") == "loss_burst" && j.contains("cause")) ++causes;
      if (j.contains("rtt_us") && j["rtt_us"].is_array() && j["rtt_us"].back().get<double>() > 1e300) ++huge;
    }
    EXPECT_GT(huge, 0u) << version << ": the extremes block has a bin past a double's range";
  }
  EXPECT_EQ(causes, 5u) << "one burst per cause, in 1.2/hour.zzf";
}

TEST(DumpCli, ZzpingO2FramesHaveNullJitter) {
  TempDir dir;
  const auto r = dump("--format jsonl " +
                          shell_quote(golden_path("framedata/pingd-log-1.1.1.1-20210101T08.log").string()),
                      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const json& j : json_lines(r.out)) EXPECT_TRUE(j.at("jitter_us").is_null());
}

TEST(DumpCli, GarbageIsAOneLineError) {
  TempDir dir;
  const auto in = dir / "garbage.bin";
  { std::ofstream(in, std::ios::binary) << std::string("\xc1\xc1\xc1\xc1", 4); }
  const auto r = dump(shell_quote(in.string()), dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("unknown file format"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(DumpCli, BadFormatNameIsAUsageError) {
  TempDir dir;
  const auto r = dump("--format xml " +
                          shell_quote(golden_path("framedata/pingd-log-1.1.1.1-20210101T08.log").string()),
                      dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("xml"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace zzping::test
