// SPDX-License-Identifier: GPL-3.0-or-later
// Finding a time in a file image without reading it from its start: a frame block
// recognised from any offset (BlockIndex::first_block_in), the bisection over a file's bytes
// (seek_block_at_or_before) and its file form (seek_file), on intact, cut and damaged files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "zzping/formats/native/block_seek.hpp"
#include "zzping/formats/native/file_format.hpp"
#include "zzping/formats/native/file_reader.hpp"

namespace zzping::native {
namespace {

constexpr std::int64_t kStart = 1'764'957'600'000;  // an hour start

FileHeader header() {
  FileHeader h;
  h.host = "h";
  h.start_ms = kStart;
  return h;
}

Frame frame_at(std::int64_t t_ms) {
  Frame f;
  f.t_ms = t_ms;
  f.sent = 10;
  f.recv = 10;
  for (int i = 0; i < 10; ++i) f.rtt.add_us(800.0 + static_cast<double>((t_ms / 100 * 37 + i * 91) % 900));
  f.jitter = JitterSum{static_cast<std::uint64_t>(t_ms % 7919) * 1000, 9};
  return f;
}

// `seconds` blocks of 10 frames of 100 ms, as zzpingd writes them (each with its jitter
// record), and a loss-events record every 7th second: the records of a daemon's hour file.
std::vector<std::uint8_t> hour_image(int seconds) {
  const FileHeader h = header();
  std::vector<std::uint8_t> bytes = encode_header(h);
  for (int s = 0; s < seconds; ++s) {
    std::vector<Frame> block;
    for (int i = 0; i < 10; ++i) block.push_back(frame_at(kStart + s * 1000 + i * 100));
    append_frame_record(block, h, bytes);
    if (s % 7 == 3) {
      const LossEvent e{kStart + s * 1000, kStart + s * 1000 + 300, 3};
      append_events_record(std::span(&e, 1), h, bytes);
    }
  }
  return bytes;
}

std::size_t header_size(std::span<const std::uint8_t> bytes) {
  std::size_t consumed = 0;
  decode_header(bytes, consumed);
  return consumed;
}

BlockIndex full_index(std::span<const std::uint8_t> bytes) {
  BlockIndex index;
  index.extend(bytes, header().block_context(), header_size(bytes));
  return index;
}

// Every mark of the index, in file order.
std::vector<BlockIndex::Mark> marks_of(const BlockIndex& index, int seconds) {
  std::vector<BlockIndex::Mark> out;
  for (int s = 0; s < seconds; ++s) out.push_back(*index.last_block_at_or_before(kStart + s * 1000));
  return out;
}

ReadWindow reader_of(std::span<const std::uint8_t> bytes, std::size_t* reads = nullptr) {
  return [bytes, reads](std::size_t offset, std::size_t length) {
    if (reads) ++*reads;
    if (offset >= bytes.size()) return std::span<const std::uint8_t>{};
    return bytes.subspan(offset, std::min(length, bytes.size() - offset));
  };
}

// From any offset, the block found is the index's first block after the first record start
// at or after that offset, with its jitter record: never a false record start in between.
TEST(BlockSeek, ABlockIsRecognisedFromAnyOffset) {
  const auto bytes = hour_image(40);
  const auto marks = marks_of(full_index(bytes), 40);
  const BlockContext ctx = header().block_context();
  for (std::size_t offset = header_size(bytes); offset < bytes.size(); ++offset) {
    const auto found = BlockIndex::first_block_in(std::span(bytes).subspan(offset), offset, ctx);
    // The first record at or after `offset` is a jitter record (decode_from), a block, or an
    // events record; the mark taken is the first whose record before it starts there or later.
    const auto expected = std::find_if(marks.begin(), marks.end(), [&](const BlockIndex::Mark& m) {
      return m.decode_from > offset || (m.decode_from == offset && m.decode_from < m.block_at);
    });
    if (expected == marks.end()) {
      EXPECT_FALSE(found.has_value()) << "offset " << offset;
      continue;
    }
    ASSERT_TRUE(found.has_value()) << "offset " << offset;
    EXPECT_EQ(found->block_at, expected->block_at) << "offset " << offset;
    EXPECT_EQ(found->decode_from, expected->decode_from) << "offset " << offset;
    EXPECT_EQ(found->start_ms, expected->start_ms) << "offset " << offset;
  }
}

// A window ending inside the block (or the record before it) finds nothing: a larger window
// is needed, not a guess.
TEST(BlockSeek, AWindowEndingInsideTheBlockFindsNothing) {
  const auto bytes = hour_image(3);
  const auto marks = marks_of(full_index(bytes), 3);
  const BlockContext ctx = header().block_context();
  const std::size_t from = marks[0].block_at + 1;  // inside block 0: block 1 is the first found
  for (std::size_t end = from; end < bytes.size(); ++end) {
    const auto found = BlockIndex::first_block_in(std::span(bytes).subspan(from, end - from), from, ctx);
    const bool block1_whole = end >= marks[2].decode_from;
    EXPECT_EQ(found.has_value(), block1_whole) << "window end " << end;
    if (found) {
      EXPECT_EQ(found->block_at, marks[1].block_at);
    }
  }
}

// The bisection finds, for every target, a block at or before it at most a window before the
// index's answer, and reads a few windows of an hour's image.
TEST(BlockSeek, BisectionFindsTheBlockOfAnyTimeReadingAFewWindows) {
  const auto bytes = hour_image(3600);
  const BlockIndex index = full_index(bytes);
  const SeekLimits limits;
  for (int second = 0; second < 3600; second += 97) {
    for (const std::int64_t into : {std::int64_t{0}, std::int64_t{999}}) {
      const std::int64_t target = kStart + second * 1000 + into;
      std::size_t bytes_read = 0;
      const auto mark = seek_block_at_or_before(reader_of(bytes), header_size(bytes), bytes.size(),
                                                header().block_context(), target, limits, &bytes_read);
      const auto exact = *index.last_block_at_or_before(target);
      if (!mark) {  // only when no block before the exact one is more than a window before it
        EXPECT_LE(exact.block_at - header_size(bytes), limits.window + 512) << "second " << second;
        continue;
      }
      EXPECT_LE(mark->start_ms, target);
      EXPECT_LE(mark->block_at, exact.block_at);
      EXPECT_LE(exact.block_at - mark->block_at, limits.window + 512) << "second " << second;
      EXPECT_EQ(*index.last_block_at_or_before(mark->start_ms), *mark) << "a real block, with its jitter";
      EXPECT_LT(bytes_read, 30 * limits.window) << "second " << second;
    }
  }
  EXPECT_FALSE(seek_block_at_or_before(reader_of(bytes), header_size(bytes), bytes.size(), header().block_context(),
                                       kStart - 1)
                   .has_value());
}

// Blocks out of time order (a wall clock stepped back) seen by two probes: nothing trusted.
TEST(BlockSeek, BlocksOutOfTimeOrderAreNotTrusted) {
  const FileHeader h = header();
  std::vector<std::uint8_t> bytes = encode_header(h);
  for (int s = 600; s > 0; --s) {
    std::vector<Frame> block;
    for (int i = 0; i < 10; ++i) block.push_back(frame_at(kStart + s * 1000 + i * 100));
    append_frame_record(block, h, bytes);
  }
  EXPECT_FALSE(seek_block_at_or_before(reader_of(bytes), header_size(bytes), bytes.size(), h.block_context(),
                                       kStart + 300'000)
                   .has_value());
}

// Damage: garbage over a stretch of the file is skipped by the probes (the blocks after it
// are found), and a stretch of zeros or garbage to the end (a write lost, a file cut) leaves
// the answer at or before it. Whatever the bytes, the bisection ends within its probes.
TEST(BlockSeek, DamagedStretchesAreSteppedOverAndNeverTrusted) {
  const auto intact = hour_image(1200);
  const BlockIndex index = full_index(intact);
  const std::size_t records_start = header_size(intact);
  for (const std::uint8_t fill : {std::uint8_t{0}, std::uint8_t{0xc7}, std::uint8_t{0xc8}, std::uint8_t{0xc9}, std::uint8_t{0x5a}}) {
    for (const double from : {0.3, 0.5, 0.9}) {
      auto bytes = intact;
      const auto bad_from = static_cast<std::size_t>(static_cast<double>(bytes.size()) * from);
      const std::size_t bad_to = std::min(bytes.size(), bad_from + 40'000);
      std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(bad_from), bytes.begin() + static_cast<std::ptrdiff_t>(bad_to),
                fill);
      for (const int second : {100, 500, 1000, 1190}) {
        const std::int64_t target = kStart + second * 1000;
        std::size_t reads = 0;
        const auto mark = seek_block_at_or_before(reader_of(bytes, &reads), records_start, bytes.size(),
                                                  header().block_context(), target);
        EXPECT_LE(reads, 64u * 9u);
        if (!mark) continue;
        EXPECT_LE(mark->start_ms, target);
        EXPECT_TRUE(mark->decode_from >= bad_to || mark->block_at < bad_from) << "a mark inside the damage";
        EXPECT_EQ(*index.last_block_at_or_before(mark->start_ms), *mark);
      }
    }
  }
}

// seek_file reads the header and a few windows with pread; a file cut inside its header or
// not a native file gives nullopt (the whole-file reader then says why).
TEST(BlockSeek, SeekFileReadsAFewWindowsOfTheFile) {
  const auto bytes = hour_image(3600);
  const auto dir = std::filesystem::temp_directory_path() / ("zzping-block-seek-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto write = [&](const std::string& name, std::span<const std::uint8_t> content) {
    const auto p = dir / name;
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(content.data()), static_cast<std::streamsize>(content.size()));
    return p;
  };
  const auto whole = write("whole.zzf", bytes);
  const auto seek = seek_file(whole, kStart + 3000 * 1000);
  ASSERT_TRUE(seek.has_value());
  EXPECT_EQ(seek->records_start, header_size(bytes));
  EXPECT_EQ(seek->identity.size, bytes.size());
  ASSERT_TRUE(seek->mark.has_value());
  EXPECT_EQ(*full_index(bytes).last_block_at_or_before(seek->mark->start_ms), *seek->mark);
  EXPECT_LE(seek->bytes_read, 10 * SeekLimits{}.window);  // the header, then one window per halving (359 kB)
  EXPECT_FALSE(seek_file(write("cut.zzf", std::span(bytes).first(10)), kStart).has_value());
  const std::vector<std::uint8_t> text(5000, 'x');
  EXPECT_FALSE(seek_file(write("text.zzf", text), kStart).has_value());
  EXPECT_THROW(seek_file(dir / "missing.zzf", kStart), std::runtime_error);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace zzping::native
