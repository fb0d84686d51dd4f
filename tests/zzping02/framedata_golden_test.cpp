// SPDX-License-Identifier: GPL-3.0-or-later
// Every FrameData golden log decodes to exactly its .expected.jsonl, and re-encoding the
// decoded frames gives the file back byte for byte.
#include <gtest/gtest.h>

#include "golden.hpp"
#include "zzping/formats/zzping02/framedata.hpp"

namespace zzping::zzping02 {
namespace {

using nlohmann::json;

json frame_to_json(const LegacyFrame& f) {
  json j;
  j["offset"] = f.offset;
  j["len"] = f.len;
  if (f.keyframe) {
    j["ts_str"] = f.ts_str;
  } else {
    j["elapsed_us"] = f.elapsed_us;
  }
  j["ts_us"] = f.ts_us;
  j["inflight"] = f.inflight;
  j["lost_packets"] = f.lost_packets;
  j["recv_us"] = f.recv_us;
  return j;
}

class FrameDataGolden : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(FrameDataGolden, DecodesToExpectedJsonl) {
  const auto bytes = golden::read_bytes(GetParam());
  const auto expected = golden::read_jsonl(golden::expected_of(GetParam()));
  ASSERT_FALSE(expected.empty());
  const FrameDataFile file = decode_framedata(bytes);

  ASSERT_EQ(file.frames.size() + 1, expected.size());
  for (std::size_t i = 0; i < file.frames.size(); ++i) {
    ASSERT_EQ(frame_to_json(file.frames[i]), expected[i]) << "frame #" << i;
  }
  const json& end = expected.back().at("end");
  EXPECT_EQ(file.frames.size(), end.at("frames").get<std::size_t>());
  EXPECT_EQ(file.end.bytes_consumed, end.at("bytes_consumed").get<std::size_t>());
  EXPECT_EQ(bytes.size(), end.at("file_bytes").get<std::size_t>());
  EXPECT_EQ(golden::golden_result(file.end), end.at("result").get<std::string>());
  if (!file.end.ok()) {
    EXPECT_NE(file.end.message.find("byte"), std::string::npos);
  }
}

TEST_P(FrameDataGolden, ReencodesByteForByte) {
  const auto bytes = golden::read_bytes(GetParam());
  const FrameDataFile file = decode_framedata(bytes);
  std::vector<std::uint8_t> out;
  for (const LegacyFrame& f : file.frames) encode_framedata_frame(f, out);
  const std::vector<std::uint8_t> accepted(bytes.begin(),
                                           bytes.begin() + static_cast<std::ptrdiff_t>(file.end.bytes_consumed));
  EXPECT_EQ(out, accepted);
}

INSTANTIATE_TEST_SUITE_P(AllLogs, FrameDataGolden,
                         ::testing::ValuesIn(golden::binaries_under("framedata")),
                         [](const auto& param_info) { return golden::test_name(param_info.param); });

TEST(FrameDataGoldenEnds, TruncatedLogWarnsWithTheCutFrameOffset) {
  const auto bytes =
      golden::read_bytes(golden::root() / "framedata/truncated/pingd-log-192.168.0.1-20210101T08.log");
  const FrameDataFile file = decode_framedata(bytes);
  EXPECT_EQ(file.end.kind, EndKind::kTruncated);
  EXPECT_TRUE(file.end.is_warning());
  EXPECT_EQ(file.frames.size(), 200u);
  EXPECT_EQ(file.end.bytes_consumed, 12698u);
  EXPECT_EQ(file.end.problem_offset, 12758u);
  EXPECT_NE(file.end.message.find("warning"), std::string::npos);
  EXPECT_NE(file.end.message.find("12698"), std::string::npos);
}

TEST(FrameDataGoldenEnds, DeltaBeforeKeyframeIsAnErrorAtOffsetZero) {
  const auto bytes =
      golden::read_bytes(golden::root() / "framedata/edge/pingd-log-10.0.0.2-20210101T10.log");
  const FrameDataFile file = decode_framedata(bytes);
  EXPECT_EQ(file.end.kind, EndKind::kError);
  EXPECT_EQ(file.end.bytes_consumed, 0u);
  EXPECT_TRUE(file.frames.empty());
  EXPECT_NE(file.end.message.find("before any keyframe"), std::string::npos);
}

TEST(FrameDataGoldenEnds, StreamingDecoderReusesOneFrame) {
  const auto bytes =
      golden::read_bytes(golden::root() / "framedata/pingd-log-192.168.0.1-20210101T08.log");
  FrameDataDecoder decoder(bytes);
  LegacyFrame frame;
  std::size_t frames = 0;
  std::size_t keyframes = 0;
  std::size_t samples = 0;
  while (decoder.next(frame)) {
    ++frames;
    keyframes += frame.keyframe ? 1 : 0;
    samples += frame.recv_us.size();
  }
  EXPECT_FALSE(decoder.next(frame));  // stays ended
  EXPECT_EQ(decoder.end().kind, EndKind::kEof);
  EXPECT_EQ(frames, 6000u);
  EXPECT_EQ(keyframes, 41u);  // README: "6000 frames, 41 keyframes"
  EXPECT_EQ(samples, 57274u);
}

}  // namespace
}  // namespace zzping::zzping02
