// SPDX-License-Identifier: GPL-3.0-or-later
// Bad input: every decoder stops with a clear end state naming the offset, keeps the frames
// before the problem, and never allocates from a length field.
#include <gtest/gtest.h>

#include "zzping/formats/zzping02/fdq.hpp"

namespace zzping::zzping02 {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes keyframe_bytes(const std::string& time) {
  Bytes b;
  b.push_back(0xd9);
  b.push_back(static_cast<std::uint8_t>(time.size()));
  for (const char c : time) b.push_back(static_cast<std::uint8_t>(c));
  const Bytes rest = {0xce, 0, 0, 0, 0, 0xcd, 0, 1, 0xcd, 0, 0, 0x91, 0xce, 0, 0, 0x05, 0xdc};
  for (const std::uint8_t x : rest) b.push_back(x);
  return b;
}

const Bytes kKeyframe = keyframe_bytes("2021-01-01T10:00:00.000000+00:00");  // 51 bytes
const Bytes kDelta = {0xce, 0, 1, 0x86, 0xa0, 0xcd, 0, 0, 0xcd, 0, 0, 0x90};   // +100 ms

TEST(FrameDataRobustness, WrongCounterMarkerIsAnErrorAtThatByte) {
  Bytes bad = kDelta;
  bad[5] = 0xcc;  // inflight as u8
  const FrameDataFile file = decode_framedata(concat({kKeyframe, kDelta, bad}));
  EXPECT_EQ(file.frames.size(), 2u);
  EXPECT_EQ(file.end.kind, EndKind::kError);
  EXPECT_EQ(file.end.bytes_consumed, 63u);
  EXPECT_EQ(file.end.problem_offset, 68u);
  EXPECT_NE(file.end.message.find("inflight"), std::string::npos) << file.end.message;
  EXPECT_NE(file.end.message.find("at byte 68"), std::string::npos) << file.end.message;
}

TEST(FrameDataRobustness, KeyframeProblems) {
  Bytes nonzero = kKeyframe;
  nonzero[38] = 1;  // the u32 after the string
  EXPECT_EQ(decode_framedata(nonzero).end.kind, EndKind::kError);

  const FrameDataFile bad_time = decode_framedata(keyframe_bytes("2021-02-30T10:00:00.000000+00:00"));
  EXPECT_EQ(bad_time.end.kind, EndKind::kError);
  EXPECT_NE(bad_time.end.message.find("no such calendar date"), std::string::npos);

  const FrameDataFile other_offset = decode_framedata(keyframe_bytes("2021-01-01T11:00:00+01:00"));
  ASSERT_TRUE(other_offset.end.ok()) << other_offset.end.message;  // accepted, as chrono did
  EXPECT_EQ(other_offset.frames[0].ts_us, 1609495200000000);

  Bytes huge_string = {0xdb, 0xff, 0xff, 0xff, 0xff};
  EXPECT_EQ(decode_framedata(huge_string).end.kind, EndKind::kError);  // longer than the limit
}

TEST(FrameDataRobustness, FirstValueOfAnotherTypeIsAnError) {
  for (const std::uint8_t m : std::initializer_list<std::uint8_t>{0xc0, 0xc2, 0xca, 0x90, 0x80, 0xc4}) {
    Bytes frame(9, 0);
    frame[0] = m;
    const FrameDataFile file = decode_framedata(concat({kKeyframe, frame}));
    EXPECT_EQ(file.frames.size(), 1u);
    EXPECT_EQ(file.end.kind, EndKind::kError) << int{m};
    EXPECT_EQ(file.end.problem_offset, 51u);
  }
}

TEST(FrameDataRobustness, NegativeElapsedOverflowsTheTimeRange) {
  const Bytes negative = {0xff, 0xcd, 0, 0, 0xcd, 0, 0, 0x90};  // -1 as u64: 584942 years
  const FrameDataFile file = decode_framedata(concat({kKeyframe, negative}));
  EXPECT_EQ(file.end.kind, EndKind::kError);
  EXPECT_NE(file.end.message.find("overflows"), std::string::npos);
}

TEST(FrameDataRobustness, HugeArrayCountDoesNotAllocate) {
  // A delta frame with an array32 of 4 billion RTTs, of which 2 are present.
  const Bytes huge = {0xce, 0, 1, 0x86, 0xa0, 0xcd, 0, 0, 0xcd, 0, 0, 0xdd, 0xff, 0xff,
                      0xff, 0xff, 0xce, 0, 0, 0, 1, 0xce, 0, 0, 0, 2};
  const FrameDataFile file = decode_framedata(concat({kKeyframe, huge}));
  EXPECT_EQ(file.end.kind, EndKind::kTruncated);
  EXPECT_EQ(file.end.bytes_consumed, 51u);
}

Bytes fdq_header(const FdqConfig& config = {}) {
  Bytes b;
  append_fdq_header(config, b);
  return b;
}

TEST(FdqRobustness, HeaderProblemsNameTheField) {
  const auto end_of = [](const Bytes& b) { return decode_fdq(b).end; };
  EXPECT_NE(end_of({}).message.find("empty"), std::string::npos);
  EXPECT_NE(end_of({0x93, 1, 2, 3}).message.find("not a MessagePack map"), std::string::npos);

  Bytes schema = fdq_header();
  schema[9] = 'X';  // "FDCodec" -> "FXCodec"
  EXPECT_NE(end_of(schema).message.find("schema"), std::string::npos);

  Bytes newer = fdq_header();
  newer[0x18] = 0x66;  // version 102
  EXPECT_NE(end_of(newer).message.find("newer"), std::string::npos);

  Bytes missing = fdq_header();
  missing[0] = 0x84;  // drop the last entry (delta_enc)
  missing.resize(missing.size() - 11);
  EXPECT_NE(end_of(missing).message.find("delta_enc"), std::string::npos);

  Bytes cut = fdq_header();
  cut.resize(40);
  const DecodeEnd e = end_of(cut);
  EXPECT_EQ(e.kind, EndKind::kError);
  EXPECT_NE(e.message.find("FDQ header"), std::string::npos);

  // Keys in another order and an unknown key are fine.
  const Bytes reordered = {0x86, 0xa9, 'd', 'e', 'l', 't', 'a', '_', 'e', 'n', 'c', 0xc2, 0xa5, 'e',
                           'x', 't', 'r', 'a', 0x92, 1, 2, 0xa8, 'r', 'e', 'c', 'v', '_', 'l', 'l',
                           'q', 0xc0, 0xb0, 'f', 'u', 'l', 'l', '_', 'e', 'n', 'c', 'o', 'd', 'e',
                           '_', 's', 'e', 'c', 's', 0x05, 0xa7, 'v', 'e', 'r', 's', 'i', 'o', 'n',
                           100, 0xa6, 's', 'c', 'h', 'e', 'm', 'a', 0xa7, 'F', 'D', 'C', 'o', 'd',
                           'e', 'c'};
  const FdqHeader h = decode_fdq_header(reordered);
  EXPECT_EQ(h.version, 100u);
  EXPECT_EQ(h.config.full_encode_secs, 5);
  EXPECT_EQ(h.length, reordered.size());
}

TEST(FdqRobustness, FrameProblemsKeepTheFramesBefore) {
  const Bytes full = {0xce, 0x5f, 0xee, 0xe4, 0x53, 0xcd, 0x03, 0xb6, 0xff, 0x00};  // 10 bytes
  const Bytes delta = {0xc0, 0x64, 0xff, 0x00};
  struct Case {
    Bytes frame;
    const char* says;
  };
  const Case cases[] = {
      {{0xa1, 'x', 0, 0xff, 0}, "timestamp must be nil"},
      {{0xc0, 0xe0, 0xff, 0}, "subsec_ms is negative"},
      {{0xc0, 0x64, 0xfb, 0, 0}, "inflight is negative"},
      {{0xc0, 0x64, 0xcf, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}, "inflight 4294967296 does not fit u32"},
      {{0xc0, 0x64, 0xff, 0x01, 0x98, 1, 1, 1, 1, 1, 1, 1, 1}, "exceeds the limit of 7"},
      {{0xc0, 0x64, 0xff, 0x01, 0xa1, 'x'}, "array of percentiles"},
      {{0xc0, 0x64, 0xff, 0x01, 0x97, 1, 1, 1, 0xc0, 1, 1, 1}, "not an integer"},
  };
  for (const Case& c : cases) {
    const FdqFile file = decode_fdq(concat({fdq_header(), full, delta, c.frame}));
    EXPECT_EQ(file.frames.size(), 2u);
    EXPECT_EQ(file.end.kind, EndKind::kError) << c.says;
    EXPECT_EQ(file.end.bytes_consumed, 78u);
    EXPECT_NE(file.end.message.find(c.says), std::string::npos) << file.end.message;
  }
  const FdqFile orphan = decode_fdq(concat({fdq_header(), delta}));
  EXPECT_EQ(orphan.end.kind, EndKind::kError);
  EXPECT_NE(orphan.end.message.find("before any full frame"), std::string::npos);
}

TEST(FdqRobustness, ShortPercentileArraysLeaveMinusOnesAsTheOriginalDid) {
  const Bytes frame = {0xce, 0x5f, 0xee, 0xe4, 0x53, 0x00, 0xff, 0x02, 0x92, 0x05, 0x03};
  const FdqFile file = decode_fdq(concat({fdq_header(), frame}));
  ASSERT_TRUE(file.end.ok()) << file.end.message;
  EXPECT_EQ(file.frames[0].recv_us, (Percentiles{5, 8, -1, -1, -1, -1, -1}));
}

}  // namespace
}  // namespace zzping::zzping02
