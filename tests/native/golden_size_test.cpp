// SPDX-License-Identifier: GPL-3.0-or-later
// The size goal on the golden 10-minute zzping 0.2 log: every frame, every RTT sample at
// 1 % precision, in at most half the bytes per frame of zzping's FDQ at llq 0.01
// (13.966 bytes/frame, which keeps only 7 quantiles). Also: the stored frames give the
// exact percentiles of the samples within the quantiser's precision.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "zzping/formats/legacy_frames.hpp"
#include "zzping/formats/native/file_format.hpp"
#include "zzping/formats/native/stream_reader.hpp"
#include "zzping/formats/zzping02/framedata.hpp"

namespace zzping::native {
namespace {

constexpr double kFdqBytesPerFrame = 83794.0 / 6000.0;  // FDQ llq-0.01 of the same log

const char* golden_log() {
  return ZZPING_TESTDATA_DIR "/zzping-0.2.2/framedata/pingd-log-192.168.0.1-20210101T08.log";
}

struct Golden {
  std::vector<zzping02::LegacyFrame> legacy;
  std::vector<Frame> frames;
};

const Golden& golden() {
  static const Golden g = [] {
    std::ifstream in(golden_log(), std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                          std::istreambuf_iterator<char>());
    Golden out;
    out.legacy = zzping02::decode_framedata(bytes).frames;
    const RttQuantiser q(0.01);
    for (const auto& f : out.legacy) out.frames.push_back(formats::native_from_framedata(f, q));
    return out;
  }();
  return g;
}

FileHeader golden_header() {
  FileHeader h;
  h.host = "192.168.0.1";
  h.address = "192.168.0.1";
  h.precision = 0.01;
  h.software = "zzping 0.3.0";
  h.start_ms = 1'609'488'000'000;  // 2021-01-01T08:00Z, the log's hour
  h.source = std::string(source::kFrameData);
  h.counters = kZzping02Counters;
  return h;
}

std::vector<std::uint8_t> write_file(std::size_t frames_per_block) {
  const auto& frames = golden().frames;
  std::vector<std::uint8_t> bytes = encode_header(golden_header());
  for (std::size_t i = 0; i < frames.size(); i += frames_per_block) {
    append_frame_record(std::span(frames).subspan(i, std::min(frames_per_block, frames.size() - i)),
                        golden_header(), bytes);
  }
  return bytes;
}

double bytes_per_frame(std::size_t frames_per_block) {
  return static_cast<double>(write_file(frames_per_block).size()) /
         static_cast<double>(golden().frames.size());
}

TEST(GoldenSize, AllSamplesOfTheTenMinuteLogReadBackExactly) {
  ASSERT_EQ(golden().frames.size(), 6000u);
  std::uint64_t samples = 0;
  for (const auto& f : golden().frames) samples += f.rtt.count();
  ASSERT_EQ(samples, 57274u);
  for (const std::size_t block : std::array<std::size_t, 2>{10, 600}) {
    const NativeFile file = read_native(write_file(block));
    EXPECT_EQ(file.end.kind, EndKind::kEof);
    EXPECT_EQ(file.frames, golden().frames) << "blocks of " << block;
  }
}

// Converter blocks (600 frames = 1 min): the whole file, header included.
TEST(GoldenSize, ConverterBlocksTakeWellUnderHalfOfFdq) {
  const double bpf = bytes_per_frame(600);
  std::printf("golden log, 600-frame blocks: %.3f bytes/frame, %.3f of FDQ llq-0.01\n", bpf,
              bpf / kFdqBytesPerFrame);
  RecordProperty("bytes_per_frame_600", std::to_string(bpf));
  EXPECT_LE(bpf, 5.5);
  EXPECT_LE(bpf / kFdqBytesPerFrame, 0.40);
}

// Daemon blocks (one per second = 10 frames): each block decodes alone, yet the file still
// meets the goal of half of FDQ.
TEST(GoldenSize, DaemonBlocksStillTakeUnderHalfOfFdq) {
  for (const std::size_t block : std::array<std::size_t, 2>{10, 50}) {
    const double bpf = bytes_per_frame(block);
    std::printf("golden log, %zu-frame blocks: %.3f bytes/frame, %.3f of FDQ llq-0.01\n", block,
                bpf, bpf / kFdqBytesPerFrame);
  }
  EXPECT_LE(bytes_per_frame(10), kFdqBytesPerFrame / 2);
  EXPECT_LE(bytes_per_frame(50), 5.8);
}

double exact_percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double x = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(x));
  const auto hi = static_cast<std::size_t>(std::ceil(x));
  return v[lo] + (x - std::floor(x)) * (v[hi] - v[lo]);
}

TEST(GoldenSize, QuantilesMatchTheExactPercentilesWithinPrecision) {
  const NativeFile file = read_native(write_file(600));
  ASSERT_EQ(file.frames.size(), golden().legacy.size());
  const double bound = RttQuantiser(0.01).max_relative_error() * (1 + 1e-9);
  double worst = 0;
  std::size_t checked = 0;
  for (std::size_t i = 0; i < file.frames.size(); ++i) {
    const auto& us = golden().legacy[i].recv_us;
    if (us.empty()) {
      EXPECT_TRUE(file.frames[i].rtt.empty());
      continue;
    }
    std::vector<double> samples(us.begin(), us.end());
    const auto quantiles = file.frames[i].rtt.seven_quantiles_us();
    for (std::size_t k = 0; k < kSevenQuantiles.size(); ++k) {
      const double exact = exact_percentile(samples, kSevenQuantiles[k]);
      const double error = std::abs(quantiles[k] - exact) / exact;
      worst = std::max(worst, error);
      ASSERT_LE(error, bound) << "frame " << i << " q" << kSevenQuantiles[k];
      ++checked;
    }
  }
  std::printf("%zu quantiles, worst relative error %.5f (bound %.5f, FDQ llq-0.01: 0.00527)\n",
              checked, worst, bound);
  EXPECT_EQ(checked, 5598u * 7);
}

}  // namespace
}  // namespace zzping::native
