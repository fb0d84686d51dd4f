// SPDX-License-Identifier: GPL-3.0-or-later
// Native frame format speed: decode and encode frames/s, on the golden zzping 0.2 log
// (10 samples/frame, a third repeated from the previous frame) and on daemon-like frames
// (10 fresh samples/frame), in converter blocks (600 frames) and daemon blocks (10).
// Run: <build>/bench/native/bench_native   (figures: items_per_second = frames/s)
#include <benchmark/benchmark.h>

#include <fstream>
#include <iterator>

#include "random_frames.hpp"
#include "zzping/formats/legacy_frames.hpp"
#include "zzping/formats/native/file_format.hpp"
#include "zzping/formats/native/stream_reader.hpp"
#include "zzping/formats/native/tiers.hpp"
#include "zzping/formats/zzping02/framedata.hpp"

namespace {

using namespace zzping;
using namespace zzping::native;

const BlockContext kContext{100, 0.01, 1'609'488'000'000};

const std::vector<Frame>& golden_frames() {
  static const std::vector<Frame> frames = [] {
    std::ifstream in(ZZPING_TESTDATA_DIR "/zzping-0.2.2/framedata/pingd-log-192.168.0.1-20210101T08.log",
                     std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    std::vector<Frame> out;
    for (const auto& f : zzping02::decode_framedata(bytes).frames) {
      out.push_back(formats::native_from_framedata(f, RttQuantiser(0.01)));
    }
    return out;
  }();
  return frames;
}

const std::vector<Frame>& daemon_frames() {
  static const std::vector<Frame> frames = [] {
    testing::Rng rng(1);
    return testing::daemon_frames(rng, 36000, RttQuantiser(0.01), kContext.base_ms);
  }();
  return frames;
}

const std::vector<Frame>& frames_of(int set) { return set == 0 ? golden_frames() : daemon_frames(); }

std::vector<std::vector<std::uint8_t>> encode_blocks(const std::vector<Frame>& frames,
                                                     std::size_t per_block) {
  std::vector<std::vector<std::uint8_t>> blocks;
  for (std::size_t i = 0; i < frames.size(); i += per_block) {
    blocks.push_back(encode_block(
        std::span(frames).subspan(i, std::min(per_block, frames.size() - i)), kContext));
  }
  return blocks;
}

void set_labels(benchmark::State& state, const std::vector<std::vector<std::uint8_t>>& blocks,
                std::size_t frames) {
  std::size_t bytes = 0;
  for (const auto& b : blocks) bytes += b.size() + 5;  // + record framing and checksum
  state.counters["bytes_per_frame"] = static_cast<double>(bytes) / static_cast<double>(frames);
  state.SetLabel(state.range(0) == 0 ? "golden log" : "daemon-like");
}

// Decoding into a reused DecodedBlock: no allocation per frame (the fast path).
void BM_Decode(benchmark::State& state) {
  const auto& frames = frames_of(static_cast<int>(state.range(0)));
  const auto blocks = encode_blocks(frames, static_cast<std::size_t>(state.range(1)));
  BlockDecoder decoder(kContext);
  DecodedBlock out;
  std::uint64_t samples = 0;
  for (auto _ : state) {
    for (const auto& b : blocks) {
      decoder.decode(b, out);
      samples += out[out.size() - 1].recv;
    }
  }
  benchmark::DoNotOptimize(samples);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(frames.size()));
  set_labels(state, blocks, frames.size());
}
BENCHMARK(BM_Decode)->ArgsProduct({{0, 1}, {600, 10}})->ArgNames({"set", "block"});

// Decoding to owning Frames (one histogram allocation per frame).
void BM_DecodeToFrames(benchmark::State& state) {
  const auto& frames = frames_of(static_cast<int>(state.range(0)));
  const auto blocks = encode_blocks(frames, static_cast<std::size_t>(state.range(1)));
  for (auto _ : state) {
    for (const auto& b : blocks) benchmark::DoNotOptimize(decode_block(b, kContext));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(frames.size()));
  set_labels(state, blocks, frames.size());
}
BENCHMARK(BM_DecodeToFrames)->ArgsProduct({{0, 1}, {600}})->ArgNames({"set", "block"});

void BM_Encode(benchmark::State& state) {
  const auto& frames = frames_of(static_cast<int>(state.range(0)));
  const auto per_block = static_cast<std::size_t>(state.range(1));
  std::vector<std::uint8_t> out;
  for (auto _ : state) {
    for (std::size_t i = 0; i < frames.size(); i += per_block) {
      out.clear();
      encode_block(std::span(frames).subspan(i, std::min(per_block, frames.size() - i)), kContext, out);
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(frames.size()));
  set_labels(state, encode_blocks(frames, per_block), frames.size());
}
BENCHMARK(BM_Encode)->ArgsProduct({{0, 1}, {600, 10}})->ArgNames({"set", "block"});

// A whole file image read record by record (checksums included), frames left in blocks.
void BM_ReadFile(benchmark::State& state) {
  const auto& frames = frames_of(static_cast<int>(state.range(0)));
  FileHeader h;
  h.start_ms = kContext.base_ms;
  std::vector<std::uint8_t> bytes = encode_header(h);
  const auto per_block = static_cast<std::size_t>(state.range(1));
  for (std::size_t i = 0; i < frames.size(); i += per_block) {
    append_frame_record(std::span(frames).subspan(i, std::min(per_block, frames.size() - i)), h, bytes);
  }
  Record record;
  std::size_t read = 0;
  for (auto _ : state) {
    StreamReader reader(bytes);
    while (reader.next(record)) read += record.frames.size();
  }
  benchmark::DoNotOptimize(read);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(frames.size()));
  state.counters["bytes_per_frame"] =
      static_cast<double>(bytes.size()) / static_cast<double>(frames.size());
}
BENCHMARK(BM_ReadFile)->ArgsProduct({{0, 1}, {600, 10}})->ArgNames({"set", "block"});

void BM_TierAggregate(benchmark::State& state) {
  const auto& frames = daemon_frames();
  std::vector<TierFrame> out;
  for (auto _ : state) {
    TierAggregator aggregator;
    out.clear();
    for (const Frame& f : frames) aggregator.add(f, out);
    aggregator.flush(out);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(frames.size()));
}
BENCHMARK(BM_TierAggregate);

}  // namespace

BENCHMARK_MAIN();
