// SPDX-License-Identifier: GPL-3.0-or-later
// The jitter record (kind 3, format 1.1): round trips, absence, old readers, bad bytes.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "random_frames.hpp"
#include "zzping/formats/native/file_format.hpp"
#include "zzping/formats/native/stream_reader.hpp"

namespace zzping::native {
namespace {

using testing::Rng;

std::vector<Frame> frames_with_jitter(Rng& rng, std::size_t n, std::int64_t start_ms) {
  auto frames = testing::daemon_frames(rng, n, RttQuantiser{}, start_ms);
  for (Frame& f : frames) {
    const std::uint32_t pairs = f.recv > 0 ? f.recv - 1 : 0;
    f.jitter = JitterSum{pairs * std::uint64_t{rng() % 200'000}, pairs};
  }
  return frames;
}

FileHeader header_at(std::int64_t start_ms) {
  FileHeader h;
  h.host = "h";
  h.start_ms = start_ms;
  return h;
}

TEST(JitterRecord, RoundTripsSumsPairsAndAbsence) {
  Rng rng(7);
  auto frames = frames_with_jitter(rng, 500, 0);
  frames[3].jitter.reset();
  frames[4].jitter = JitterSum{0, 0};
  frames[5].jitter = JitterSum{std::uint64_t{1} << 40, 4'000'000'000u};
  const auto decoded = decode_jitter(encode_jitter(frames));
  ASSERT_EQ(decoded.size(), frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) EXPECT_EQ(decoded[i], frames[i].jitter) << i;
}

TEST(JitterRecord, CostsAboutTwoBytesPerDaemonFrame) {
  Rng rng(8);
  const auto frames = frames_with_jitter(rng, 600, 0);
  const double per_frame = static_cast<double>(encode_jitter(frames).size()) / 600.0;
  EXPECT_LT(per_frame, 3.0);
}

TEST(JitterRecord, FileWithJitterIsVersion11OrLaterAndReadsBack) {
  Rng rng(9);
  const FileHeader h = header_at(1'700'000'000'000);
  EXPECT_GE(h.version_minor, 1u);
  std::vector<std::uint8_t> bytes = encode_header(h);
  const auto frames = frames_with_jitter(rng, 40, h.start_ms);
  append_frame_record(std::span(frames).first(30), h, bytes);
  append_events_record(std::vector<LossEvent>{{h.start_ms, h.start_ms + 10, 2}}, h, bytes);
  append_frame_record(std::span(frames).subspan(30), h, bytes);
  const NativeFile file = read_native(bytes);
  EXPECT_EQ(file.end.kind, EndKind::kEof) << file.end.message;
  EXPECT_EQ(file.header->version_minor, kVersionMinor);
  EXPECT_EQ(file.skipped_records, 0u);
  EXPECT_EQ(file.frames, frames);
}

TEST(JitterRecord, FramesWithoutJitterWriteNoJitterRecord) {
  Rng rng(10);
  const FileHeader h = header_at(0);
  const auto frames = testing::daemon_frames(rng, 20, RttQuantiser{}, 0);
  std::vector<std::uint8_t> with_record = encode_header(h);
  append_frame_record(frames, h, with_record);
  std::vector<std::uint8_t> block_only = encode_header(h);
  append_record(static_cast<std::uint8_t>(RecordKind::kFrameBlock), encode_block(frames, h.block_context()),
                block_only);
  EXPECT_EQ(with_record, block_only);
}

// A 1.0 file (no jitter records) reads exactly as before: every frame's jitter is absent.
TEST(JitterRecord, Version10FileReadsWithJitterAbsent) {
  Rng rng(11);
  FileHeader h = header_at(0);
  h.version_minor = 0;
  const auto frames = testing::daemon_frames(rng, 50, RttQuantiser{}, 0);
  std::vector<std::uint8_t> bytes = encode_header(h);
  append_frame_record(frames, h, bytes);
  const NativeFile file = read_native(bytes);
  EXPECT_EQ(file.end.kind, EndKind::kEof) << file.end.message;
  EXPECT_EQ(file.header->version_minor, 0u);
  EXPECT_EQ(file.frames, frames);
  for (const Frame& f : file.frames) EXPECT_FALSE(f.jitter);
}

// What a 1.0 reader sees in a 1.1 file: kind 3 is unknown to it, exactly like this kind 99
// is unknown to us, so it skips and counts the record and reads every frame (without
// jitter). The 1.0 reader's code path for unknown kinds is the one exercised here.
TEST(JitterRecord, ReaderThatDoesNotKnowTheKindSkipsItAndReadsTheFrames) {
  Rng rng(12);
  const FileHeader h = header_at(0);
  const auto frames = frames_with_jitter(rng, 25, 0);
  std::vector<std::uint8_t> bytes = encode_header(h);
  append_record(99, encode_jitter(frames), bytes);
  append_record(static_cast<std::uint8_t>(RecordKind::kFrameBlock), encode_block(frames, h.block_context()), bytes);
  const NativeFile file = read_native(bytes);
  EXPECT_EQ(file.end.kind, EndKind::kEof) << file.end.message;
  EXPECT_EQ(file.skipped_records, 1u);
  ASSERT_EQ(file.frames.size(), frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    EXPECT_FALSE(file.frames[i].jitter);
    EXPECT_EQ(file.frames[i].rtt, frames[i].rtt);
    EXPECT_EQ(file.frames[i].sent, frames[i].sent);
  }
}

TEST(JitterRecord, CountMismatchWithItsBlockIsAnError) {
  Rng rng(13);
  const FileHeader h = header_at(0);
  const auto frames = frames_with_jitter(rng, 10, 0);
  std::vector<std::uint8_t> bytes = encode_header(h);
  append_record(static_cast<std::uint8_t>(RecordKind::kJitter), encode_jitter(std::span(frames).first(9)), bytes);
  append_record(static_cast<std::uint8_t>(RecordKind::kFrameBlock), encode_block(frames, h.block_context()), bytes);
  const NativeFile file = read_native(bytes);
  EXPECT_EQ(file.end.kind, EndKind::kError);
  EXPECT_NE(file.end.message.find("jitter record of 9 frames"), std::string::npos) << file.end.message;
}

TEST(JitterRecord, CutBetweenJitterAndBlockIsATruncation) {
  Rng rng(14);
  const FileHeader h = header_at(0);
  const auto frames = frames_with_jitter(rng, 10, 0);
  std::vector<std::uint8_t> bytes = encode_header(h);
  append_frame_record(frames, h, bytes);
  const std::size_t full = bytes.size();
  append_frame_record(frames, h, bytes);
  for (std::size_t cut = full; cut < bytes.size(); ++cut) {
    const NativeFile file = read_native(std::span(bytes).first(cut));
    EXPECT_EQ(file.end.kind, cut == full ? EndKind::kEof : EndKind::kTruncated) << cut;
    EXPECT_EQ(file.frames, frames) << cut;
  }
}

TEST(JitterRecord, RandomBytesNeverCrash) {
  std::mt19937_64 rng(15);
  for (int i = 0; i < 20000; ++i) {
    std::vector<std::uint8_t> bytes(rng() % 40);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    try {
      const auto decoded = decode_jitter(bytes);
      EXPECT_LE(decoded.size(), bytes.size() * 8 + 1);
    } catch (const FormatError&) {
    }
  }
}

}  // namespace
}  // namespace zzping::native

namespace zzping::native {
namespace {

TEST(StreamReaderEventsOnly, SkipsFrameBlocksAndReturnsEvents) {
  testing::Rng rng(16);
  FileHeader h;
  h.host = "h";
  const auto frames = frames_with_jitter(rng, 20, 0);
  std::vector<std::uint8_t> bytes = encode_header(h);
  append_frame_record(frames, h, bytes);
  const std::vector<LossEvent> events{{100, 300, 3}};
  append_events_record(events, h, bytes);
  append_frame_record(frames, h, bytes);
  StreamReader reader(bytes);
  reader.skip_frame_blocks();
  Record record;
  std::vector<LossEvent> got;
  while (reader.next(record)) {
    ASSERT_EQ(record.kind, RecordKind::kLossEvents);
    got.insert(got.end(), record.events.begin(), record.events.end());
  }
  EXPECT_EQ(reader.end().kind, EndKind::kEof) << reader.end().message;
  EXPECT_EQ(got, events);
  EXPECT_EQ(reader.skipped_records(), 0u);
}

}  // namespace
}  // namespace zzping::native

namespace zzping::native {
namespace {

// The cost of jitter in daemon files (one block per second): printed for docs/formats.md.
TEST(JitterRecord, CostInDaemonFilesIsMeasured) {
  testing::Rng rng(17);
  FileHeader h;
  h.host = "h";
  auto frames = testing::daemon_frames(rng, 36'000, RttQuantiser{}, 0);
  std::vector<std::uint8_t> without = encode_header(h);
  for (std::size_t i = 0; i < frames.size(); i += 10) append_frame_record(std::span(frames).subspan(i, 10), h, without);
  std::normal_distribution<double> delta_us(0.0, 60.0);  // |dRTT| of a LAN host: tens of us
  for (Frame& f : frames) {
    const std::uint32_t pairs = f.recv > 0 ? f.recv - 1 : 0;
    std::uint64_t sum = 0;
    // The daemon keeps each |dRTT| to the microsecond.
    for (std::uint32_t p = 0; p < pairs; ++p) sum += static_cast<std::uint64_t>(std::round(std::abs(delta_us(rng)))) * 1000;
    f.jitter = JitterSum{sum, pairs};
  }
  std::vector<std::uint8_t> with = encode_header(h);
  for (std::size_t i = 0; i < frames.size(); i += 10) append_frame_record(std::span(frames).subspan(i, 10), h, with);
  const double before = static_cast<double>(without.size()) / 36'000.0;
  const double after = static_cast<double>(with.size()) / 36'000.0;
  std::printf("daemon hour, 10-frame blocks: %.2f bytes/frame without jitter, %.2f with (+%.2f)\n", before, after,
              after - before);
  EXPECT_LT(after - before, 4.0);
}

}  // namespace
}  // namespace zzping::native
