// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the seed corpora of the zzping02_* fuzz targets (small files made by our encoders):
//   zzping02_fuzz_seeds <repo>/fuzz/corpus
// Not a test: run it by hand when the formats change, and commit the files.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "zzping/formats/zzping02/fdq.hpp"
#include "zzping/formats/zzping02/framestats.hpp"

namespace {

using namespace zzping::zzping02;
using Bytes = std::vector<std::uint8_t>;

void write(const std::filesystem::path& dir, const std::string& name, const Bytes& bytes) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

LegacyFrame keyframe(const char* time, std::vector<std::uint32_t> rtts) {
  LegacyFrame f;
  f.keyframe = true;
  f.chrono_time = parse_rfc3339(time).time;
  f.recv_us = std::move(rtts);
  return f;
}

LegacyFrame delta(std::uint64_t elapsed_us, std::uint32_t inflight, std::uint32_t lost,
                  std::vector<std::uint32_t> rtts) {
  LegacyFrame f;
  f.elapsed_us = elapsed_us;
  f.inflight = inflight;
  f.lost_packets = lost;
  f.recv_us = std::move(rtts);
  return f;
}

Bytes framedata(const std::vector<LegacyFrame>& frames) {
  Bytes out;
  for (const LegacyFrame& f : frames) encode_framedata_frame(f, out);
  return out;
}

std::vector<LegacyFrame> sample_log() {
  std::vector<std::uint32_t> wide;
  for (std::uint32_t v = 1; v < 10'000'000; v *= 3) wide.push_back(v);  // 15 values, fixint..u32
  wide.push_back(4294967295u);
  return {keyframe("2021-01-01T08:58:59.950000+00:00", {}),
          delta(100'000, 1, 0, {850, 1020, 1337}),
          delta(200'499, 0, 2, {}),
          delta(15'000'999, 64, 0, wide),  // array16
          keyframe("2021-01-01T08:59:15.049001+00:00", {1500}),
          delta(100'000, 0, 0, {5000, 1000, 3000, 2000})};  // unsorted
}

void framedata_seeds(const std::filesystem::path& dir) {
  const Bytes log = framedata(sample_log());
  write(dir, "log", log);
  write(dir, "cut", Bytes(log.begin(), log.end() - 7));
  write(dir, "leap", framedata({keyframe("2016-12-31T23:59:60.500000+00:00", {1}), delta(600'000, 0, 0, {2})}));
  write(dir, "orphan_delta", framedata({delta(100'000, 0, 0, {1200}), keyframe("2021-01-01T10:00:00.100000+00:00", {})}));
  Bytes other_zone = {0xb9};  // fixstr: an offset the daemon never wrote, but chrono read
  const std::string zone = "2021-01-01T11:00:00.5+01:00";
  other_zone[0] = static_cast<std::uint8_t>(0xa0 | zone.size());
  other_zone.insert(other_zone.end(), zone.begin(), zone.end());
  const Bytes rest = {0xce, 0, 0, 0, 0, 0xcd, 0, 0, 0xcd, 0, 0, 0x90};
  other_zone.insert(other_zone.end(), rest.begin(), rest.end());
  write(dir, "other_zone", other_zone);
}

Bytes fdq(const FdqConfig& config, const std::vector<LegacyFrame>& frames) {
  FdqEncoder encoder(config);
  Bytes out;
  encoder.append_header(out);
  const FrameDataFile decoded = decode_framedata(framedata(frames));
  for (const LegacyFrame& f : decoded.frames) encoder.encode(fdq_frame_from_legacy(f), fdq_time_of(f), out);
  return out;
}

void fdq_seeds(const std::filesystem::path& dir) {
  const std::vector<LegacyFrame> log = sample_log();
  write(dir, "llq_none", fdq(FdqConfig{}, log));
  write(dir, "llq_0.01", fdq(FdqConfig{60, 0.01, false}, log));
  write(dir, "llq_0.1_delta_enc", fdq(FdqConfig{60, 0.1, true}, log));
  write(dir, "fes_1_backwards",
        fdq(FdqConfig{1, std::nullopt, false},
            {keyframe("2021-01-01T10:00:30.900000+00:00", {777}), delta(2'000'000, 2, 1, {1, 2}),
             keyframe("2021-01-01T10:00:30.850000+00:00", {3})}));
  const Bytes full = fdq(FdqConfig{}, log);
  write(dir, "cut", Bytes(full.begin(), full.end() - 3));
  write(dir, "header_only", fdq(FdqConfig{}, {}));
}

void framestats_seeds(const std::filesystem::path& dir) {
  write(dir, "ipv4", encode_frame_stats(make_frame_stats("192.168.0.1", 0, 1532, 12345, 0.0f)));
  write(dir, "ipv6", encode_frame_stats(make_frame_stats("2001:db8::1", 64, 0, 10'000'000, 99.8004f)));
  write(dir, "truncation", encode_frame_stats(make_frame_stats("10.0.0.1", 70000, 5000000123, 4294967301000, 100.0f)));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <repo>/fuzz/corpus\n", argv[0]);
    return 2;
  }
  const std::filesystem::path corpus = argv[1];
  framedata_seeds(corpus / "zzping02_framedata");
  fdq_seeds(corpus / "zzping02_fdq");
  framestats_seeds(corpus / "zzping02_framestats");
  return 0;
}
