// SPDX-License-Identifier: GPL-3.0-or-later
// The .zzf container: header, records, version policy, and the end states of reading a
// cut or damaged file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <fstream>
#include <random>

#include "random_frames.hpp"
#include "zzping/formats/native/file_format.hpp"
#include "zzping/formats/native/file_reader.hpp"
#include "zzping/formats/native/stream_reader.hpp"

namespace zzping::native {
namespace {

using testing::Rng;

FileHeader sample_header() {
  FileHeader h;
  h.host = "router.lan";
  h.address = "192.168.0.1";
  h.software = "zzping 0.3.0";
  h.start_ms = 1'609'488'000'000;
  return h;
}

// A small file: header, then blocks of `per_block` frames, with an events record after
// the first block. Returns the bytes and the offsets where each record ends.
struct SmallFile {
  std::vector<std::uint8_t> bytes;
  std::vector<std::size_t> record_ends;
  std::vector<std::vector<Frame>> blocks;
  std::vector<LossEvent> events;
};

SmallFile make_file(std::size_t blocks, std::size_t per_block, std::uint64_t seed = 1) {
  Rng rng(seed);
  SmallFile f;
  const FileHeader h = sample_header();
  f.bytes = encode_header(h);
  f.record_ends.push_back(f.bytes.size());
  const auto frames = testing::daemon_frames(rng, blocks * per_block, RttQuantiser{}, h.start_ms);
  for (std::size_t b = 0; b < blocks; ++b) {
    const auto part = std::span(frames).subspan(b * per_block, per_block);
    append_frame_record(part, h, f.bytes);
    f.blocks.emplace_back(part.begin(), part.end());
    f.record_ends.push_back(f.bytes.size());
    if (b == 0) {
      f.events = {{h.start_ms + 200, h.start_ms + 500, 4}};
      append_events_record(f.events, h, f.bytes);
      f.record_ends.push_back(f.bytes.size());
    }
  }
  return f;
}

std::vector<Frame> frames_of_blocks(const SmallFile& f, std::size_t n) {
  std::vector<Frame> out;
  for (std::size_t b = 0; b < n; ++b) out.insert(out.end(), f.blocks[b].begin(), f.blocks[b].end());
  return out;
}

TEST(FileHeader, RoundTripsEveryField) {
  FileHeader h = sample_header();
  h.frame_ms = 1000;
  h.tier_ms = 1000;
  h.precision = 0.005;
  h.source = std::string(source::kFrameData);
  h.counters = kZzping02Counters;
  h.start_ms = -5;
  const auto bytes = encode_header(h);
  std::size_t consumed = 0;
  EXPECT_EQ(decode_header(bytes, consumed), h);
  EXPECT_EQ(consumed, bytes.size());
  EXPECT_TRUE(looks_like_native(bytes));
}

TEST(FileHeader, RejectsForeignAndInvalidHeaders) {
  std::size_t consumed = 0;
  const std::vector<std::uint8_t> fdq = {0x85, 0xa6, 's', 'c', 'h', 'e', 'm', 'a'};
  EXPECT_THROW(decode_header(fdq, consumed), FormatError);
  EXPECT_FALSE(looks_like_native(fdq));
  FileHeader bad = sample_header();
  bad.precision = 2.0;
  EXPECT_THROW(encode_header(bad), std::invalid_argument);
  bad = sample_header();
  bad.frame_ms = 0;
  EXPECT_THROW(encode_header(bad), std::invalid_argument);
}

// A header as a newer writer would make it, with the given version and an unknown key.
std::vector<std::uint8_t> future_header(std::uint8_t major, std::uint8_t minor) {
  return {0x86, 0xa6, 'f', 'o', 'r', 'm', 'a', 't', 0xad, 'z', 'z', 'p', 'i', 'n', 'g', '-',
          'f', 'r', 'a', 'm', 'e', 's', 0xa7, 'v', 'e', 'r', 's', 'i', 'o', 'n', 0x92, major,
          minor, 0xa8, 'f', 'r', 'a', 'm', 'e', '_', 'm', 's', 0x64, 0xa9, 'p', 'r', 'e', 'c',
          'i', 's', 'i', 'o', 'n', 0xcb, 0x3f, 0x84, 0x7a, 0xe1, 0x47, 0xae, 0x14, 0x7b, 0xa8,
          's', 't', 'a', 'r', 't', '_', 'm', 's', 0x00, 0xa5, 'f', 'u', 't', 'u', 'r',
          0x92, 0x01, 0x81, 0xa1, 'x', 0xc0};
}

TEST(VersionPolicy, NewerMinorIsReadUnknownKeysAndRecordsSkipped) {
  std::vector<std::uint8_t> bytes = future_header(1, 7);
  std::size_t consumed = 0;
  const FileHeader h = decode_header(bytes, consumed);
  EXPECT_EQ(h.version_minor, 7u);
  EXPECT_EQ(h.precision, 0.01);
  const std::vector<std::uint8_t> unknown_body = {1, 2, 3};
  append_record(42, unknown_body, bytes);
  Rng rng(2);
  const auto frames = testing::daemon_frames(rng, 10, RttQuantiser{}, 0);
  append_frame_record(frames, h, bytes);
  const NativeFile file = read_native(bytes);
  EXPECT_EQ(file.end.kind, EndKind::kEof) << file.end.message;
  EXPECT_EQ(file.skipped_records, 1u);
  EXPECT_EQ(file.frames, frames);
}

TEST(VersionPolicy, NewerMajorIsRefusedWithAReason) {
  const NativeFile file = read_native(future_header(2, 0));
  EXPECT_EQ(file.end.kind, EndKind::kError);
  EXPECT_NE(file.end.message.find("major version 2"), std::string::npos) << file.end.message;
  // The offset is named once ("... at byte 0", not "... at byte 0 at byte 0").
  const auto at = file.end.message.find(" at byte ");
  ASSERT_NE(at, std::string::npos) << file.end.message;
  EXPECT_EQ(file.end.message.find(" at byte ", at + 1), std::string::npos) << file.end.message;
  EXPECT_FALSE(file.header.has_value());
}

TEST(FileReading, WholeFileReadsBack) {
  const SmallFile f = make_file(4, 10);
  const NativeFile file = read_native(f.bytes);
  ASSERT_TRUE(file.header.has_value());
  EXPECT_EQ(*file.header, sample_header());
  EXPECT_EQ(file.end.kind, EndKind::kEof);
  EXPECT_EQ(file.end.offset, f.bytes.size());
  EXPECT_EQ(file.frames, frames_of_blocks(f, 4));
  EXPECT_EQ(file.events, f.events);
}

// A cut anywhere gives exactly the records before the cut, then a truncation warning at
// the start of the incomplete record (a cut inside the header: no header, a warning).
TEST(FileReading, CutAtEveryByteReturnsTheCompleteRecordsAndAWarning) {
  const SmallFile f = make_file(3, 10);
  for (std::size_t cut = 0; cut < f.bytes.size(); ++cut) {
    const NativeFile file = read_native(std::span(f.bytes).first(cut));
    const auto complete = std::upper_bound(f.record_ends.begin(), f.record_ends.end(), cut) -
                          f.record_ends.begin();
    if (complete == 0) {
      EXPECT_EQ(file.end.kind, EndKind::kTruncated) << "cut " << cut << ": " << file.end.message;
      EXPECT_FALSE(file.header.has_value());
      continue;
    }
    const std::size_t last_end = f.record_ends[static_cast<std::size_t>(complete) - 1];
    const std::size_t records = static_cast<std::size_t>(complete) - 1;  // after the header
    const std::size_t blocks = records >= 2 ? records - 1 : records;   // minus the events record
    EXPECT_EQ(file.frames, frames_of_blocks(f, blocks)) << "cut " << cut;
    EXPECT_EQ(file.events.size(), records >= 2 ? 1u : 0u) << "cut " << cut;
    if (cut == last_end) {
      EXPECT_EQ(file.end.kind, EndKind::kEof) << "cut " << cut;
    } else {
      EXPECT_EQ(file.end.kind, EndKind::kTruncated) << "cut " << cut << ": " << file.end.message;
      EXPECT_EQ(file.end.offset, last_end) << "cut " << cut;
      EXPECT_NE(file.end.message.find("at byte " + std::to_string(last_end)), std::string::npos)
          << file.end.message;
    }
  }
}

TEST(FileReading, ZeroFilledTailIsATruncation) {
  SmallFile f = make_file(2, 10);
  const std::size_t size = f.bytes.size();
  f.bytes.resize(size + 4096, 0);
  const NativeFile file = read_native(f.bytes);
  EXPECT_EQ(file.end.kind, EndKind::kTruncated);
  EXPECT_EQ(file.end.offset, size);
  EXPECT_EQ(file.frames, frames_of_blocks(f, 2));
}

TEST(FileReading, DamagedLastRecordIsATruncation) {
  SmallFile f = make_file(2, 10);
  f.bytes[f.bytes.size() - 5] ^= 0x40;
  const NativeFile file = read_native(f.bytes);
  EXPECT_EQ(file.end.kind, EndKind::kTruncated) << file.end.message;
  EXPECT_EQ(file.end.offset, f.record_ends[f.record_ends.size() - 2]);
  EXPECT_EQ(file.frames, frames_of_blocks(f, 1));
}

TEST(FileReading, GarbageInTheMiddleIsAnErrorAtItsOffset) {
  const SmallFile f = make_file(4, 10);
  const std::size_t at = f.record_ends[2];  // after block 0 and the events record
  std::vector<std::uint8_t> bytes(f.bytes.begin(), f.bytes.begin() + static_cast<std::ptrdiff_t>(at));
  const std::vector<std::uint8_t> garbage = {0x13, 0x37, 0xde, 0xad, 0xbe, 0xef};
  bytes.insert(bytes.end(), garbage.begin(), garbage.end());
  bytes.insert(bytes.end(), f.bytes.begin() + static_cast<std::ptrdiff_t>(at), f.bytes.end());
  const NativeFile file = read_native(bytes);
  EXPECT_EQ(file.end.kind, EndKind::kError);
  EXPECT_EQ(file.end.offset, at);
  EXPECT_NE(file.end.message.find("at byte " + std::to_string(at)), std::string::npos)
      << file.end.message;
  EXPECT_EQ(file.frames, frames_of_blocks(f, 1));
}

TEST(FileReading, FlippedByteInsideAMiddleRecordIsAnError) {
  const SmallFile f = make_file(4, 10);
  for (std::size_t at = f.record_ends[2]; at < f.record_ends[3]; ++at) {
    auto bytes = f.bytes;
    bytes[at] ^= 0x04;
    const NativeFile file = read_native(bytes);
    EXPECT_EQ(file.end.kind, EndKind::kError) << "byte " << at << ": " << file.end.message;
    EXPECT_EQ(file.end.offset, f.record_ends[2]) << "byte " << at;
    EXPECT_EQ(file.frames, frames_of_blocks(f, 1)) << "byte " << at;
  }
}

TEST(FileReading, RandomDamageNeverCrashes) {
  const SmallFile f = make_file(5, 10);
  Rng rng(3);
  for (int i = 0; i < 3000; ++i) {
    auto bytes = f.bytes;
    for (int k = 1 + static_cast<int>(rng() % 4); k > 0; --k) {
      bytes[rng() % bytes.size()] = static_cast<std::uint8_t>(rng());
    }
    bytes.resize(rng() % (bytes.size() + 1));
    const NativeFile file = read_native(bytes);
    if (file.end.kind != EndKind::kEof) {
      EXPECT_FALSE(file.end.message.empty());
    }
  }
}

TEST(FileReader, ReadsAPathAndNamesItWhenItCannot) {
  const SmallFile f = make_file(2, 10);
  const auto path = std::filesystem::path(ZZPING_BINARY_DIR) / "native_file_reader_test.zzf";
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(f.bytes.data()), static_cast<std::streamsize>(f.bytes.size()));
  }
  const NativeFile file = read_native_file(path);
  EXPECT_EQ(file.frames, frames_of_blocks(f, 2));
  std::filesystem::remove(path);
  try {
    read_native_file(path);
    FAIL() << "read a missing file";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos);
  }
}

// All frames and events a reader returns, with the count of blocks it did not decode.
struct ReadBack {
  std::vector<Frame> frames;
  std::vector<LossEvent> events;
  std::size_t skipped_blocks = 0;
  EndKind end = EndKind::kEof;
};

ReadBack read_from(std::span<const std::uint8_t> bytes, std::optional<std::int64_t> since_ms) {
  StreamReader reader(bytes);
  if (since_ms) reader.skip_frame_blocks_before(*since_ms);
  const RttQuantiser q(reader.header()->precision);
  ReadBack out;
  Record record;
  while (reader.next(record)) {
    if (record.kind == RecordKind::kFrameBlock) {
      for (std::size_t i = 0; i < record.frames.size(); ++i) out.frames.push_back(record.frames.to_frame(i, q));
    } else {
      out.events.insert(out.events.end(), record.events.begin(), record.events.end());
    }
  }
  out.skipped_blocks = reader.blocks_skipped_by_time();
  out.end = reader.end().kind;
  return out;
}

TEST(BlockStart, IsTheFirstFramesTimeForEveryKindOfBlock) {
  Rng rng(7);
  const RttQuantiser q;
  const BlockContext ctx{100, 0.01, 1'609'488'000'000};
  for (int round = 0; round < 50; ++round) {
    for (auto frames : {testing::daemon_frames(rng, 1 + rng() % 300, q, ctx.base_ms + static_cast<std::int64_t>(100 * (rng() % 36000))),
                        testing::imported_frames(rng, 1 + rng() % 300, q),
                        testing::adversarial_frames(rng, 1 + rng() % 30, q)}) {
      const auto block = encode_block(frames, ctx);
      EXPECT_EQ(block_start_ms(block, ctx), frames.front().t_ms);
    }
  }
}

// Skipping by time returns exactly the blocks from the one holding since_ms on, every
// event, and decodes none of the blocks before it.
TEST(StreamReader, SkipsWholeBlocksBeforeATimeAndNothingAfterIt) {
  const SmallFile f = make_file(20, 50);  // 20 blocks of 5 s each
  const ReadBack all = read_from(f.bytes, std::nullopt);
  ASSERT_EQ(all.frames, frames_of_blocks(f, 20));
  for (std::size_t b = 0; b < 20; ++b) {
    for (const std::int64_t into : {std::int64_t{0}, std::int64_t{2'500}}) {
      const std::int64_t since = f.blocks[b].front().t_ms + into;
      const ReadBack part = read_from(f.bytes, since);
      EXPECT_EQ(part.skipped_blocks, b) << "since in block " << b;
      std::vector<Frame> expected;
      for (std::size_t k = b; k < 20; ++k) expected.insert(expected.end(), f.blocks[k].begin(), f.blocks[k].end());
      EXPECT_EQ(part.frames, expected) << "since in block " << b;
      EXPECT_EQ(part.events, all.events);
      EXPECT_EQ(part.end, EndKind::kEof);
      // Every frame at or after since is there.
      const auto wanted = std::count_if(all.frames.begin(), all.frames.end(), [&](const Frame& x) { return x.t_ms >= since; });
      EXPECT_EQ(std::count_if(part.frames.begin(), part.frames.end(), [&](const Frame& x) { return x.t_ms >= since; }), wanted);
    }
  }
  EXPECT_EQ(read_from(f.bytes, f.blocks[0].front().t_ms - 1).skipped_blocks, 0u);
  EXPECT_EQ(read_from(f.bytes, f.blocks[19].back().t_ms + 60'000).skipped_blocks, 19u);
}

// An index extended record by record as a file grows (and over prefixes cut inside a
// record) finds the same blocks as one built over the whole file at once.
TEST(BlockIndex, ExtendedAsTheFileGrowsItFindsWhatOneWalkFinds) {
  const SmallFile f = make_file(12, 20);
  const BlockContext ctx = sample_header().block_context();
  const std::size_t records_start = f.record_ends.front();
  BlockIndex whole;
  whole.extend(f.bytes, ctx, records_start);
  EXPECT_EQ(whole.block_count(), 12u);
  EXPECT_EQ(whole.indexed_to(), f.bytes.size());
  BlockIndex grown;
  for (std::size_t i = 1; i < f.record_ends.size(); ++i) {
    const std::size_t cut = f.record_ends[i] - 3;  // inside the record: indexed once whole
    grown.extend(std::span(f.bytes).first(cut), ctx, records_start);
    EXPECT_LE(grown.indexed_to(), cut);
    EXPECT_EQ(grown.indexed_to(), f.record_ends[i - 1]);
    grown.extend(std::span(f.bytes).first(f.record_ends[i]), ctx, records_start);
    EXPECT_EQ(grown.indexed_to(), f.record_ends[i]);
  }
  ASSERT_EQ(grown.block_count(), whole.block_count());
  for (std::size_t b = 0; b < f.blocks.size(); ++b) {
    for (const std::int64_t into : {std::int64_t{0}, std::int64_t{1'000}}) {
      const auto mark = grown.last_block_at_or_before(f.blocks[b].front().t_ms + into);
      ASSERT_TRUE(mark.has_value());
      EXPECT_EQ(mark->start_ms, f.blocks[b].front().t_ms);
      const auto same = whole.last_block_at_or_before(f.blocks[b].front().t_ms + into);
      EXPECT_EQ(mark->decode_from, same->decode_from);
      EXPECT_EQ(mark->block_at, same->block_at);
    }
  }
  EXPECT_FALSE(grown.last_block_at_or_before(f.blocks[0].front().t_ms - 1).has_value());
}

// start_at jumps to the block: the bytes before it are never read (here: overwritten with
// garbage), and the frames from that block on come out exactly.
TEST(StreamReader, StartAtAMarkReadsFromItsBlockWithoutTheBytesBefore) {
  const SmallFile f = make_file(12, 20);
  BlockIndex index;
  index.extend(f.bytes, sample_header().block_context(), f.record_ends.front());
  for (std::size_t b = 0; b < f.blocks.size(); ++b) {
    const auto mark = index.last_block_at_or_before(f.blocks[b].front().t_ms + 500);
    ASSERT_TRUE(mark.has_value());
    std::vector<std::uint8_t> bytes = f.bytes;
    std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(f.record_ends.front()),
              bytes.begin() + static_cast<std::ptrdiff_t>(mark->decode_from), std::uint8_t{0xc1});
    StreamReader reader(bytes);
    ASSERT_TRUE(reader.start_at(*mark)) << "block " << b;
    const RttQuantiser q(reader.header()->precision);
    std::vector<Frame> frames;
    Record record;
    while (reader.next(record)) {
      if (record.kind != RecordKind::kFrameBlock) continue;
      for (std::size_t i = 0; i < record.frames.size(); ++i) frames.push_back(record.frames.to_frame(i, q));
    }
    EXPECT_EQ(reader.end().kind, EndKind::kEof) << reader.end().message;
    std::vector<Frame> expected;
    for (std::size_t k = b; k < f.blocks.size(); ++k) expected.insert(expected.end(), f.blocks[k].begin(), f.blocks[k].end());
    EXPECT_EQ(frames, expected) << "block " << b;
  }
}

// A mark that does not fit the bytes (a stale index of a replaced file) is refused, and
// the reader still reads the file from its start.
TEST(StreamReader, StartAtRefusesAMarkThatDoesNotFit) {
  const SmallFile f = make_file(6, 20);
  BlockIndex index;
  index.extend(f.bytes, sample_header().block_context(), f.record_ends.front());
  const auto mark = *index.last_block_at_or_before(f.blocks[3].front().t_ms);
  StreamReader reader(f.bytes);
  auto wrong_time = mark;
  wrong_time.start_ms += 100;
  EXPECT_FALSE(reader.start_at(wrong_time));
  auto not_a_block = mark;
  not_a_block.block_at = f.record_ends[1];  // the events record
  not_a_block.decode_from = not_a_block.block_at;
  EXPECT_FALSE(reader.start_at(not_a_block));
  auto inside = mark;
  inside.block_at += 1;
  inside.decode_from = inside.block_at;
  EXPECT_FALSE(reader.start_at(inside));
  auto past_end = mark;
  past_end.block_at = f.bytes.size();
  EXPECT_FALSE(reader.start_at(past_end));
  std::vector<std::uint8_t> damaged = f.bytes;
  damaged[mark.block_at + 8] ^= 0x40;  // inside the block's body: its CRC fails
  StreamReader damaged_reader(damaged);
  EXPECT_FALSE(damaged_reader.start_at(mark));
  const ReadBack all = read_from(f.bytes, std::nullopt);
  Record record;
  std::size_t blocks = 0;
  while (reader.next(record)) blocks += record.kind == RecordKind::kFrameBlock;
  EXPECT_EQ(blocks, 6u);
  EXPECT_EQ(all.frames.size(), 120u);
}

TEST(StreamReader, SkipsNothingWhenBlocksAreOutOfTimeOrder) {
  const FileHeader h = sample_header();
  Rng rng(3);
  const auto late = testing::daemon_frames(rng, 50, RttQuantiser{}, h.start_ms + 60'000);
  const auto early = testing::daemon_frames(rng, 50, RttQuantiser{}, h.start_ms);
  std::vector<std::uint8_t> bytes = encode_header(h);
  append_frame_record(late, h, bytes);
  append_frame_record(early, h, bytes);
  const ReadBack part = read_from(bytes, h.start_ms + 30'000);
  EXPECT_EQ(part.skipped_blocks, 0u);
  EXPECT_EQ(part.frames.size(), 100u);
}

// Damage after the skipped part ends reading where it did without skipping.
TEST(StreamReader, SkippingKeepsTheEndStateOfADamagedFile) {
  SmallFile f = make_file(10, 50);
  f.bytes[f.record_ends[8] + 5] ^= 0x40;  // inside block 7 (record_ends: header, block 0, events, block 1, ...)
  const ReadBack all = read_from(f.bytes, std::nullopt);
  const ReadBack part = read_from(f.bytes, f.blocks[5].front().t_ms);
  EXPECT_EQ(all.end, EndKind::kError);
  EXPECT_EQ(part.end, EndKind::kError);
  EXPECT_EQ(part.skipped_blocks, 5u);
  ASSERT_GE(all.frames.size(), part.frames.size());
  EXPECT_TRUE(std::equal(part.frames.begin(), part.frames.end(), all.frames.end() - static_cast<std::ptrdiff_t>(part.frames.size())));
}

// A damaged block is never skipped on the strength of its own (unchecked) start time: the
// chosen block's CRC is checked, and when it fails everything is decoded as without
// skipping, ending in the same error.
TEST(StreamReader, ADamagedChosenBlockTurnsSkippingOff) {
  SmallFile f = make_file(10, 50);
  f.bytes[f.record_ends[7] - 3] ^= 0x01;  // block 5's last body byte: its preamble stays readable
  const ReadBack all = read_from(f.bytes, std::nullopt);
  const ReadBack part = read_from(f.bytes, f.blocks[5].front().t_ms + 100);
  EXPECT_EQ(part.skipped_blocks, 0u);
  EXPECT_EQ(part.frames, all.frames);
  EXPECT_EQ(part.end, all.end);
}

// Damage inside a block wholly before since_ms is not read, so it does not end reading.
TEST(StreamReader, DamageInsideASkippedBlockIsNotRead) {
  SmallFile f = make_file(10, 50);
  f.bytes[f.record_ends[4] - 3] ^= 0x01;  // block 2's last body byte
  const ReadBack part = read_from(f.bytes, f.blocks[7].front().t_ms);
  EXPECT_EQ(part.skipped_blocks, 7u);
  EXPECT_EQ(part.end, EndKind::kEof);
  EXPECT_EQ(part.frames.size(), 150u);
}

// Skipping by time in a 1.1 file: the jitter records of skipped blocks are skipped with
// them, and the first block read keeps its own jitter.
TEST(StreamReader, SkippingKeepsTheJitterOfTheBlocksRead) {
  const FileHeader h = sample_header();
  Rng rng(9);
  auto frames = testing::daemon_frames(rng, 100, RttQuantiser{}, h.start_ms);
  for (std::size_t i = 0; i < frames.size(); ++i) frames[i].jitter = JitterSum{1'000 * (i + 1), 1};
  std::vector<std::uint8_t> bytes = encode_header(h);
  for (std::size_t b = 0; b < 10; ++b) append_frame_record(std::span(frames).subspan(b * 10, 10), h, bytes);
  const ReadBack part = read_from(bytes, frames[45].t_ms);
  EXPECT_EQ(part.skipped_blocks, 4u);
  EXPECT_EQ(part.end, EndKind::kEof);
  ASSERT_EQ(part.frames.size(), 60u);
  EXPECT_EQ(part.frames, std::vector<Frame>(frames.begin() + 40, frames.end()));
}

// A frame block cut (or torn) after its complete jitter record: the file is readable up
// to the jitter record, which was written with the block in one write.
TEST(StreamReader, ACutBlockEndsTheFileAtItsJitterRecord) {
  const FileHeader h = sample_header();
  Rng rng(5);
  auto frames = testing::daemon_frames(rng, 20, RttQuantiser{}, h.start_ms);
  for (auto& f : frames) f.jitter = JitterSum{1'000, 2};
  std::vector<std::uint8_t> bytes = encode_header(h);
  append_frame_record(std::span(frames).first(10), h, bytes);
  const std::size_t second_starts = bytes.size();  // its jitter record, then its block
  append_frame_record(std::span(frames).subspan(10), h, bytes);
  ASSERT_EQ(bytes[second_starts + 2], static_cast<std::uint8_t>(RecordKind::kJitter));
  for (const bool torn : {false, true}) {
    std::vector<std::uint8_t> damaged = bytes;
    if (torn) {
      damaged[damaged.size() - 3] ^= 0x01;
    } else {
      damaged.resize(damaged.size() - 3);
    }
    const NativeFile file = read_native(damaged);
    EXPECT_EQ(file.end.kind, EndKind::kTruncated) << file.end.message;
    EXPECT_EQ(file.end.offset, second_starts) << file.end.message;
    EXPECT_EQ(file.frames.size(), 10u);
  }
}

TEST(Crc16, MatchesTheCcittFalseCheckValue) {
  const std::string s = "123456789";
  EXPECT_EQ(crc16(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size())), 0x29b1);
}

}  // namespace
}  // namespace zzping::native
