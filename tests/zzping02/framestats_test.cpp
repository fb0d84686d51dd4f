// SPDX-License-Identifier: GPL-3.0-or-later
// FrameStats: the original's casts and bytes (framestats.expected.jsonl), and its decoder.
#include <gtest/gtest.h>

#include <cstdio>

#include "golden.hpp"
#include "zzping/formats/zzping02/framestats.hpp"

namespace zzping::zzping02 {
namespace {

std::string to_hex(const std::vector<std::uint8_t>& bytes) {
  std::string out;
  char buf[3];
  for (const std::uint8_t b : bytes) {
    std::snprintf(buf, sizeof buf, "%02x", b);
    out += buf;
  }
  return out;
}

std::vector<std::uint8_t> from_hex(const std::string& hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

TEST(FrameStatsGolden, EncodesAndDecodesEveryCase) {
  const auto cases = golden::read_jsonl(golden::root() / "framestats/framestats.expected.jsonl");
  ASSERT_EQ(cases.size(), 6u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.at("name").get<std::string>());
    const auto& in = c.at("input");
    const FrameStats stats = make_frame_stats(
        in.at("addr").get<std::string>(), in.at("inflight_count").get<std::uint64_t>(),
        in.at("avg_time_us").get<std::uint64_t>(), in.at("last_pckt_received_us").get<std::uint64_t>(),
        static_cast<float>(in.at("packet_loss_percent_f32").get<double>()));
    const auto bytes = encode_frame_stats(stats);
    EXPECT_EQ(to_hex(bytes), c.at("hex").get<std::string>());
    EXPECT_EQ(bytes.size(), c.at("len").get<std::size_t>());

    const FrameStats decoded = decode_frame_stats(from_hex(c.at("hex").get<std::string>()));
    const auto& want = c.at("decoded");
    EXPECT_EQ(decoded.addr, want.at("addr").get<std::string>());
    EXPECT_EQ(decoded.inflight_count, want.at("inflight_count").get<std::uint16_t>());
    EXPECT_EQ(decoded.avg_time_us, want.at("avg_time_us").get<std::uint32_t>());
    EXPECT_EQ(decoded.last_pckt_ms, want.at("last_pckt_ms").get<std::uint32_t>());
    EXPECT_EQ(decoded.packet_loss_x100_000, want.at("packet_loss_x100_000").get<std::uint32_t>());
    EXPECT_EQ(decoded, stats);
  }
}

TEST(FrameStats, LossCastSaturatesLikeRust) {
  EXPECT_EQ(make_frame_stats("a", 0, 0, 0, -1.0f).packet_loss_x100_000, 0u);
  EXPECT_EQ(make_frame_stats("a", 0, 0, 0, 1e30f).packet_loss_x100_000, 4294967295u);
  EXPECT_EQ(make_frame_stats("a", 0, 0, 0, std::nanf("")).packet_loss_x100_000, 0u);
  EXPECT_EQ(make_frame_stats("a", 0, 0, 999, 0.0f).last_pckt_ms, 0u);  // floored
}

TEST(FrameStats, RejectsBadMessagesWithOffsets) {
  const auto good = encode_frame_stats(make_frame_stats("10.0.0.1", 1, 2, 3000, 4.0f));
  // Every strict prefix is a truncated message.
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    try {
      decode_frame_stats(std::span(good.data(), cut));
      ADD_FAILURE() << "prefix of " << cut << " bytes decoded";
    } catch (const FormatError& e) {
      EXPECT_TRUE(e.truncated()) << e.what();
      EXPECT_LE(e.offset(), cut);
    }
  }
  auto wrong_len = good;
  wrong_len[0] = 0x94;
  EXPECT_THROW(decode_frame_stats(wrong_len), FormatError);
  auto wrong_marker = good;
  wrong_marker[10] = 0xcc;  // the cd of inflight_count
  try {
    decode_frame_stats(wrong_marker);
    ADD_FAILURE();
  } catch (const FormatError& e) {
    EXPECT_FALSE(e.truncated());
    EXPECT_EQ(e.offset(), 10u);
    EXPECT_NE(std::string(e.what()).find("inflight_count"), std::string::npos);
  }
  std::vector<std::uint8_t> bad_utf8 = {0x95, 0xa2, 0xc3, 0x28};
  EXPECT_THROW(decode_frame_stats(bad_utf8), FormatError);
  // Bytes after a complete message are ignored, as the GUI did.
  auto trailing = good;
  trailing.push_back(0x00);
  EXPECT_EQ(decode_frame_stats(trailing).addr, "10.0.0.1");
}

}  // namespace
}  // namespace zzping::zzping02
