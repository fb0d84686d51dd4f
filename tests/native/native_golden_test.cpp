// SPDX-License-Identifier: GPL-3.0-or-later
// The committed native golden files (tests/native/golden/, docs/formats.md "Golden files"):
// bytes written once per format version by golden_make.cpp and frozen, each with the
// decoding it must give. Two directions, so that a change made to the encoder and the
// decoder together (which every round-trip test would miss) fails here:
//   - every golden file, of every version, decodes to exactly its .expected.jsonl
//     (old versions must keep reading);
//   - for the version this build writes, encoding the expectation's header, records and
//     frames (with their jitter) reproduces the file byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "golden_json.hpp"
#include "zzping/formats/native/file_format.hpp"
#include "zzping/formats/native/stream_reader.hpp"
#include "zzping/formats/stream/frame_payload.hpp"

namespace zzping::native {
namespace {

using golden::json;

std::filesystem::path root() { return std::filesystem::path(ZZPING_SOURCE_DIR) / "tests/native/golden"; }

std::string current_version() {
  return std::to_string(kVersionMajor) + "." + std::to_string(kVersionMinor);
}

std::vector<std::filesystem::path> goldens(const std::string& extension) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root())) {
    if (e.is_regular_file() && e.path().extension() == extension) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string test_name(const std::filesystem::path& p) {
  std::string name = std::filesystem::relative(p, root()).string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

bool is_current(const std::filesystem::path& p) {
  return std::filesystem::relative(p, root()).begin()->string() == current_version();
}

json end_json(const ReadEnd& end, std::size_t skipped, std::size_t file_bytes) {
  return json{{"end",
               {{"kind", to_string(end.kind)},
                {"offset", end.offset},
                {"message", end.message},
                {"skipped_records", skipped}}},
              {"file_bytes", file_bytes}};
}

// What the reader makes of a file, in the expectation's terms.
std::vector<json> decode(const std::vector<std::uint8_t>& bytes) {
  std::vector<json> lines;
  StreamReader reader(bytes);
  lines.push_back(json{{"header", reader.header() ? golden::to_json(*reader.header()) : json(nullptr)}});
  Record record;
  while (reader.next(record)) {
    if (record.kind == RecordKind::kFrameBlock) {
      json frames = json::array();
      for (std::size_t i = 0; i < record.frames.size(); ++i) frames.push_back(golden::to_json(record.frames[i]));
      lines.push_back(json{{"record", record.offset}, {"kind", "frames"}, {"frames", frames}});
    } else if (record.kind == RecordKind::kLossEvents) {
      json events = json::array();
      for (const LossEvent& e : record.events) events.push_back(golden::to_json(e));
      lines.push_back(json{{"record", record.offset}, {"kind", "events"}, {"events", events}});
    } else if (record.kind == RecordKind::kAttributedEvent) {
      lines.push_back(json{{"record", record.offset}, {"kind", "attributed_event"},
                           {"burst", golden::to_json(record.attributed)}});
    } else if (record.kind == RecordKind::kIncident) {
      lines.push_back(json{{"record", record.offset}, {"kind", "incident"},
                           {"incident", golden::to_json(record.incident)}});
    } else if (record.kind == RecordKind::kPath) {
      lines.push_back(json{{"record", record.offset}, {"kind", "path"}, {"path", golden::to_json(record.path)}});
    }
  }
  lines.push_back(end_json(reader.end(), reader.skipped_records(), bytes.size()));
  return lines;
}

class NativeGoldenFile : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(NativeGoldenFile, DecodesToExpectedJsonl) {
  const auto bytes = golden::read_bytes(GetParam());
  auto expected = golden::read_jsonl(golden::expected_of(GetParam()));
  auto actual = decode(bytes);
  ASSERT_GE(expected.size(), 2u);
  // End messages are for people: compared by presence, not wording.
  auto strip_message = [](std::vector<json> lines) {
    json& end = lines.back().at("end");
    end["message"] = !end.at("message").get<std::string>().empty();
    return lines;
  };
  actual = strip_message(actual);
  expected = strip_message(expected);
  EXPECT_EQ(actual.front(), expected.front()) << "header";
  ASSERT_EQ(actual.size(), expected.size()) << "records + 2";
  for (std::size_t i = 1; i < actual.size(); ++i) {
    EXPECT_EQ(actual[i], expected[i]) << "line " << i + 1 << " of " << golden::expected_of(GetParam());
  }
  // The convenience reader agrees with the record walk.
  const NativeFile file = read_native(bytes);
  std::size_t frames = 0;
  for (const json& line : expected) {
    if (line.contains("frames")) frames += line.at("frames").size();
  }
  EXPECT_EQ(file.frames.size(), frames);
  EXPECT_EQ(file.end.offset, expected.back().at("end").at("offset").get<std::size_t>());
  // Every loss burst, whichever record holds it, is in NativeFile::events.
  std::size_t bursts = 0;
  for (const json& line : expected) {
    if (line.contains("events")) bursts += line.at("events").size();
    if (line.contains("burst")) ++bursts;
  }
  EXPECT_EQ(file.events.size(), bursts);
}

// The version policy (docs/formats.md): a reader of an older minor reads a newer file's
// frames and skips (and counts) the record kinds it does not know. Every golden read as a
// 1.1 reader and as a 1.0 reader gives the same frames, without what those readers lacked.
TEST_P(NativeGoldenFile, OlderMinorReaderSkipsNewerKinds) {
  const auto bytes = golden::read_bytes(GetParam());
  const auto expected = golden::read_jsonl(golden::expected_of(GetParam()));
  for (const std::uint32_t minor : {0u, 1u}) {
    StreamReader reader(bytes);
    reader.read_as_minor(minor);
    Record record;
    std::size_t frames = 0;
    while (reader.next(record)) {
      ASSERT_TRUE(record.kind == RecordKind::kFrameBlock || record.kind == RecordKind::kLossEvents);
      if (record.kind == RecordKind::kFrameBlock) {
        frames += record.frames.size();
        for (std::size_t i = 0; i < record.frames.size() && minor == 0; ++i) {
          EXPECT_FALSE(record.frames[i].jitter.has_value());
        }
      }
    }
    std::size_t expected_frames = 0;
    std::size_t newer = 0;
    for (const json& line : expected) {
      if (line.contains("frames")) {
        expected_frames += line.at("frames").size();
        if (minor == 0) {
          bool jitter = false;
          for (const json& f : line.at("frames")) jitter = jitter || f.contains("jitter");
          newer += jitter;  // its jitter record
        }
      }
      if (line.contains("burst") || line.contains("incident") || line.contains("path")) ++newer;
    }
    const json& end = expected.back().at("end");
    if (end.at("kind") != "eof") continue;  // cut files: counted up to the cut, checked above
    EXPECT_EQ(reader.end().kind, EndKind::kEof) << "minor " << minor;
    EXPECT_EQ(frames, expected_frames) << "minor " << minor;
    EXPECT_EQ(reader.skipped_records(), newer + end.at("skipped_records").get<std::size_t>()) << "minor " << minor;
  }
}

INSTANTIATE_TEST_SUITE_P(Native, NativeGoldenFile, ::testing::ValuesIn(goldens(".zzf")),
                         [](const auto& param_info) { return test_name(param_info.param); });

// Only the files of the version this build writes (older ones are decoded only).
std::vector<std::filesystem::path> current(const std::string& extension) {
  auto all = goldens(extension);
  std::erase_if(all, [](const auto& p) { return !is_current(p); });
  return all;
}

class NativeGoldenEncode : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(NativeGoldenEncode, ReproducesTheFileByteForByte) {
  const auto bytes = golden::read_bytes(GetParam());
  const auto expected = golden::read_jsonl(golden::expected_of(GetParam()));
  const FileHeader header = golden::header_of(expected.front().at("header"));
  EXPECT_EQ(header.version_major, kVersionMajor);
  // This version writes its own minor, except zzping-convert for frames without jitter
  // (imported.zzf): then [1, 0], byte for byte what a 1.0 writer wrote.
  bool any_jitter = false;
  for (const json& line : expected) {
    for (const json& f : line.value("frames", json::array())) any_jitter = any_jitter || f.contains("jitter");
  }
  if (header.version_minor != kVersionMinor) {
    EXPECT_EQ(header.version_minor, 0u);
    EXPECT_FALSE(any_jitter);
  }
  std::vector<std::uint8_t> out = encode_header(header);
  for (std::size_t i = 1; i + 1 < expected.size(); ++i) {
    const json& line = expected[i];
    if (line.at("kind") == "frames") {
      std::vector<Frame> frames;
      for (const json& f : line.at("frames")) frames.push_back(golden::frame_of(f, header.precision));
      ASSERT_EQ(line.at("record").get<std::size_t>(), golden::frame_block_offset(frames, out.size()))
          << "line " << i + 1;
      append_frame_record(frames, header, out);
    } else {
      ASSERT_EQ(line.at("record").get<std::size_t>(), out.size()) << "line " << i + 1;
      const std::string kind = line.at("kind").get<std::string>();
      if (kind == "events") {
        std::vector<LossEvent> events;
        for (const json& e : line.at("events")) events.push_back(golden::event_of(e));
        append_events_record(events, header, out);
      } else if (kind == "attributed_event") {
        append_attributed_event_record(golden::attributed_event_of(line.at("burst")), out);
      } else if (kind == "incident") {
        append_incident_record(golden::incident_of(line.at("incident")), out);
      } else {
        ASSERT_EQ(kind, "path") << "line " << i + 1;
        append_path_record(golden::path_of(line.at("path")), out);
      }
    }
  }
  ASSERT_EQ(out.size(), bytes.size());
  EXPECT_TRUE(out == bytes);
}

INSTANTIATE_TEST_SUITE_P(Native, NativeGoldenEncode, ::testing::ValuesIn(current(".zzf")),
                         [](const auto& param_info) { return test_name(param_info.param); });

// Standalone blocks (the live stream's frame payload), with the jitter of their frames (the
// message's `jitter` field, since 1.1) in <name>.zzb.jitter when there is one.
class NativeGoldenBlock : public ::testing::TestWithParam<std::filesystem::path> {};

std::filesystem::path jitter_of(const std::filesystem::path& block) { return block.string() + ".jitter"; }

TEST_P(NativeGoldenBlock, DecodesAndEncodes) {
  const auto bytes = golden::read_bytes(GetParam());
  const auto expected = golden::read_jsonl(golden::expected_of(GetParam()));
  ASSERT_EQ(expected.size(), 2u);
  const bool has_jitter_file = std::filesystem::exists(jitter_of(GetParam()));
  const std::vector<std::uint8_t> jitter =
      has_jitter_file ? golden::read_bytes(jitter_of(GetParam())) : std::vector<std::uint8_t>{};
  const auto frames = stream::decode_frames(stream::FrameBlock{"", bytes, jitter});
  json list = json::array();
  for (const Frame& f : frames) list.push_back(golden::to_json(f));
  EXPECT_EQ(list, expected.front().at("frames"));
  EXPECT_EQ(expected.back().at("file_bytes").get<std::size_t>(), bytes.size());
  if (!is_current(GetParam())) return;  // older versions: decoded only
  ASSERT_FALSE(frames.empty());
  std::vector<Frame> from_json;
  for (const json& f : expected.front().at("frames")) {
    from_json.push_back(golden::frame_of(f, frames.front().rtt.quantiser().precision()));
  }
  EXPECT_TRUE(encode_standalone_block(from_json) == bytes);
  EXPECT_TRUE(stream::encode_frame_jitter(from_json) == jitter);
}

INSTANTIATE_TEST_SUITE_P(Native, NativeGoldenBlock, ::testing::ValuesIn(goldens(".zzb")),
                         [](const auto& param_info) { return test_name(param_info.param); });

// One set of goldens per version this code writes: bumping the version without adding
// golden/<major>.<minor>/ (native_golden_make) fails here.
TEST(NativeGoldenSet, CurrentVersionHasHourTierImportedAndStreamFiles) {
  const auto dir = root() / current_version();
  for (const char* name : {"hour.zzf", "imported.zzf", "tier-1s.zzf", "tier-1min.zzf", "tier-1h.zzf",
                           "standalone.zzb", "standalone.zzb.jitter"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / name)) << (dir / name);
    if (std::string_view(name).ends_with(".jitter")) continue;  // its expectation is the .zzb's
    EXPECT_TRUE(std::filesystem::exists(golden::expected_of(dir / name))) << name;
  }
  for (const auto& p : goldens(".zzf")) EXPECT_TRUE(std::filesystem::exists(golden::expected_of(p))) << p;
}

// Reader files whose name ends with `suffix` (e.g. "-newer-minor.zzf").
std::vector<std::filesystem::path> reader_files(std::string_view suffix) {
  std::vector<std::filesystem::path> out;
  for (const auto& p : goldens(".zzf")) {
    if (p.parent_path().filename() == "reader" && p.filename().string().ends_with(suffix)) out.push_back(p);
  }
  return out;
}

TEST(NativeGoldenSet, ReaderFilesEndAsDocumented) {
  // A newer minor version is read (its unknown record skipped and counted): 1.1-newer-minor
  // (written by 1.0) is the same minor for a 1.1 reader, and reads the same way; a newer
  // major is refused; a cut file keeps every whole record.
  const auto reader = root() / "reader";
  EXPECT_TRUE(std::filesystem::exists(reader / ("1." + std::to_string(kVersionMinor + 1) + "-newer-minor.zzf")));
  EXPECT_TRUE(std::filesystem::exists(reader / (current_version() + "-cut.zzf")));
  for (const auto& p : reader_files("-newer-minor.zzf")) {
    const auto minor = read_native(golden::read_bytes(p));
    EXPECT_EQ(minor.end.kind, EndKind::kEof) << p;
    EXPECT_EQ(minor.skipped_records, 1u) << p;
  }
  const auto major = read_native(golden::read_bytes(
      reader / (std::to_string(kVersionMajor + 1) + ".0-newer-major.zzf")));
  EXPECT_FALSE(major.header.has_value());
  EXPECT_EQ(major.end.kind, EndKind::kError);
  EXPECT_NE(major.end.message.find("major version"), std::string::npos) << major.end.message;
  for (const auto& p : reader_files(".zzf")) {
    if (p.filename().string().find("-cut") == std::string::npos) continue;
    const auto cut = read_native(golden::read_bytes(p));
    EXPECT_EQ(cut.end.kind, EndKind::kTruncated) << p;
    EXPECT_FALSE(cut.frames.empty()) << p;
  }
}

}  // namespace
}  // namespace zzping::native
