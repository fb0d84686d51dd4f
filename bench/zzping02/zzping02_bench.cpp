// SPDX-License-Identifier: GPL-3.0-or-later
// zzping 0.2 codec figures: frames/s for FDQ decode and encode (llq none and 0.01) and for
// FrameData decode, on the golden 10-minute log (a): 6000 frames, ~9.5 RTTs per frame.
// Goal: decode >= 20 M frames/s per core. Decoders run into one reused frame, as a reader
// loop does; encoders append to one reused buffer.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "zzping/formats/zzping02/fdq.hpp"
#include "zzping/formats/zzping02/fold.hpp"

namespace {

using namespace zzping::zzping02;
using Bytes = std::vector<std::uint8_t>;

const std::filesystem::path kGolden = std::filesystem::path(ZZPING_TESTDATA_DIR) / "zzping-0.2.2";
const char* const kLog = "framedata/pingd-log-192.168.0.1-20210101T08.log";
const char* const kFdqNone = "fdq/llq-none_fes-60/pingd-log-192.168.0.1-20210101T08.log.fdq.log";
const char* const kFdq001 = "fdq/llq-0.01_fes-60/pingd-log-192.168.0.1-20210101T08.log.fdq.log";

const Bytes& golden(const std::string& relative) {
  static std::map<std::string, Bytes> cache;
  auto it = cache.find(relative);
  if (it != cache.end()) return it->second;
  std::ifstream in(kGolden / relative, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", (kGolden / relative).c_str());
    std::exit(1);
  }
  return cache[relative] = Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void count_frames(benchmark::State& state, std::size_t frames_per_iteration) {
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(frames_per_iteration));
  state.counters["Mframes/s"] = benchmark::Counter(static_cast<double>(frames_per_iteration) / 1e6,
                                                   benchmark::Counter::kIsIterationInvariantRate);
}

void BM_FdqDecode(benchmark::State& state, const char* file) {
  const Bytes& bytes = golden(file);
  FdqFrame frame;
  std::size_t frames = 0;
  for (auto _ : state) {
    FdqDecoder decoder(bytes);
    frames = 0;
    while (decoder.next(frame)) ++frames;
    benchmark::DoNotOptimize(frame);
    if (!decoder.end().ok()) state.SkipWithError(decoder.end().message.c_str());
  }
  count_frames(state, frames);
}
BENCHMARK_CAPTURE(BM_FdqDecode, llq_none, kFdqNone);
BENCHMARK_CAPTURE(BM_FdqDecode, llq_0_01, kFdq001);

// Encodes the exact percentiles (the llq-none file decodes to them) with the file's config;
// the output must be the golden file.
void BM_FdqEncode(benchmark::State& state, const char* file) {
  const FdqConfig config = decode_fdq_header(golden(file)).config;
  const std::vector<FdqFrame> frames = decode_fdq(golden(kFdqNone)).frames;
  Bytes out;
  out.reserve(golden(file).size());
  for (auto _ : state) {
    out.clear();
    FdqEncoder encoder(config);
    encoder.append_header(out);
    for (const FdqFrame& f : frames) encoder.encode(f, out);
    benchmark::DoNotOptimize(out.data());
  }
  if (out != golden(file)) state.SkipWithError("encoding differs from the golden file");
  count_frames(state, frames.size());
}
BENCHMARK_CAPTURE(BM_FdqEncode, llq_none, kFdqNone);
BENCHMARK_CAPTURE(BM_FdqEncode, llq_0_01, kFdq001);

void BM_FrameDataDecode(benchmark::State& state) {
  const Bytes& bytes = golden(kLog);
  LegacyFrame frame;
  std::size_t frames = 0;
  for (auto _ : state) {
    FrameDataDecoder decoder(bytes);
    frames = 0;
    while (decoder.next(frame)) ++frames;
    benchmark::DoNotOptimize(frame);
  }
  count_frames(state, frames);
}
BENCHMARK(BM_FrameDataDecode);

// datareadq: FrameData -> percentiles -> FDQ (what zzping-convert does for old logs).
void BM_FrameDataToFdq(benchmark::State& state) {
  const Bytes& bytes = golden(kLog);
  FdqConfig config;
  config.recv_llq = 0.01;
  std::size_t frames = 0;
  for (auto _ : state) {
    const FdqConversion result = convert_framedata_to_fdq(bytes, config);
    frames = result.frames;
    benchmark::DoNotOptimize(result.bytes.data());
  }
  count_frames(state, frames);
}
BENCHMARK(BM_FrameDataToFdq);

void BM_Fold_w32_s8(benchmark::State& state) {
  const std::vector<FdqFrame> frames = decode_fdq(golden(kFdqNone)).frames;
  for (auto _ : state) benchmark::DoNotOptimize(iter_fold(frames, 32, 8));
  count_frames(state, frames.size());
}
BENCHMARK(BM_Fold_w32_s8);

}  // namespace

BENCHMARK_MAIN();
