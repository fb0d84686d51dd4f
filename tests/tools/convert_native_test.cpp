// SPDX-License-Identifier: GPL-3.0-or-later
// zzping-convert to and from the native format: what both formats can express survives,
// our aggregation is exact, and the native file meets its size goal on the golden log.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "../convert/golden.hpp"
#include "run_command.hpp"
#include "zzping/formats/any_format.hpp"
#include "zzping/formats/native/stream_reader.hpp"
#include "zzping/formats/zzping02/fdq.hpp"
#include "zzping/formats/zzping02/framedata.hpp"
#include "zzping/formats/zzping02/llq.hpp"

namespace zzping::test {
namespace {

const std::string kConvert = ZZPING_CONVERT_BIN;
const std::string kTenMinuteLog = "framedata/pingd-log-192.168.0.1-20210101T08.log";
const std::string kTenMinuteFdqNone = "fdq/llq-none_fes-60/pingd-log-192.168.0.1-20210101T08.log.fdq.log";
const std::string kTenMinuteFdq001 = "fdq/llq-0.01_fes-60/pingd-log-192.168.0.1-20210101T08.log.fdq.log";

void convert_ok(const std::string& args, const TempDir& dir) {
  const auto r = run_command(kConvert + " " + args, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

std::string q(const std::filesystem::path& p) { return shell_quote(p.string()); }

double exact_quantile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const double x = p * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(x));
  const auto hi = static_cast<std::size_t>(std::ceil(x));
  return v[lo] + (x - std::floor(x)) * (v[hi] - v[lo]);
}

// FrameData -> native -> FDQ (llq none): time, counters and sample counts exact, the 7
// percentiles within the native precision (0.5%) of zzping 0.2's own conversion.
TEST(ConvertNative, FrameDataThroughNativeMatchesTheOriginalFdq) {
  TempDir dir;
  convert_ok(q(golden_path(kTenMinuteLog)) + " -o " + q(dir / "a.zzf"), dir);
  convert_ok("--to fdq101 " + q(dir / "a.zzf") + " -o " + q(dir / "a.fdq"), dir);
  const auto got = zzping02::decode_fdq(read_bytes(dir / "a.fdq"));
  const auto want = zzping02::decode_fdq(read_bytes(golden_path(kTenMinuteFdqNone)));
  ASSERT_EQ(got.frames.size(), 6000u);
  ASSERT_EQ(want.frames.size(), 6000u);
  for (std::size_t i = 0; i < got.frames.size(); ++i) {
    const auto& g = got.frames[i];
    const auto& w = want.frames[i];
    ASSERT_EQ(g.timestamp_ms, w.timestamp_ms) << i;
    ASSERT_EQ(g.inflight, w.inflight) << i;
    ASSERT_EQ(g.lost_packets, w.lost_packets) << i;
    ASSERT_EQ(g.recv_us_len, w.recv_us_len) << i;
    for (std::size_t k = 0; k < 7; ++k) {
      ASSERT_LE(std::abs(static_cast<double>(g.recv_us[k] - w.recv_us[k])),
                0.005 * static_cast<double>(w.recv_us[k]) + 1.0)
          << "frame " << i << " quantile " << k;
    }
  }
}

// PRODUCT.md: at most half the bytes per frame of FDQ llq 0.01 on the same data, at equal or
// better precision (every sample kept within 0.4975%, against 7 percentiles within 0.53%).
TEST(ConvertNative, TenMinuteLogTakesAtMostHalfTheBytesOfFdqLlq001) {
  TempDir dir;
  convert_ok(q(golden_path(kTenMinuteLog)) + " -o " + q(dir / "a.zzf"), dir);
  const double native_bytes = static_cast<double>(std::filesystem::file_size(dir / "a.zzf"));
  const double fdq_bytes = static_cast<double>(std::filesystem::file_size(golden_path(kTenMinuteFdq001)));
  const double ratio = native_bytes / fdq_bytes;
  std::printf("native %.3f bytes/frame, FDQ llq 0.01 %.3f bytes/frame, ratio %.3f\n",
              native_bytes / 6000, fdq_bytes / 6000, ratio);
  EXPECT_LE(ratio, 0.5);
}

TEST(ConvertNative, NativeToNativeKeepsEveryFrame) {
  TempDir dir;
  convert_ok(q(golden_path(kTenMinuteLog)) + " -o " + q(dir / "a.zzf"), dir);
  convert_ok("--block-frames 7 " + q(dir / "a.zzf") + " -o " + q(dir / "b.zzf"), dir);
  const auto a = native::read_native(read_bytes(dir / "a.zzf"));
  const auto b = native::read_native(read_bytes(dir / "b.zzf"));
  ASSERT_EQ(a.end.kind, native::EndKind::kEof);
  ASSERT_EQ(b.end.kind, native::EndKind::kEof);
  EXPECT_EQ(a.frames, b.frames);
  EXPECT_EQ(b.header->host, "192.168.0.1");
  EXPECT_EQ(b.header->counters, native::kZzping02Counters);
  // zzping 0.2 data has no jitter: the output is a 1.0 file (no jitter record to skip).
  EXPECT_EQ(a.header->version_minor, 0u);
  EXPECT_EQ(a.skipped_records, 0u);
  for (const Frame& f : a.frames) EXPECT_FALSE(f.jitter);
}

// A native 1.2 file converted to native (re-blocked, or imported into a data directory)
// keeps what zzpingd recorded beside the frames: the header's role and probe timeout, plain
// and attributed loss bursts, incidents and path snapshots.
std::filesystem::path native_golden(const std::string& name) {
  return std::filesystem::path(ZZPING_SOURCE_DIR) / "tests/native/golden/1.2" / name;
}

formats::LoadedFrames load(const std::filesystem::path& file) {
  const auto bytes = read_bytes(file);
  auto loaded = formats::load_frames(bytes, file.filename().string());
  EXPECT_EQ(loaded.end, formats::LoadEnd::kEof) << loaded.end_message;
  return loaded;
}

void expect_same_evidence(const formats::LoadedFrames& got, const formats::LoadedFrames& want) {
  EXPECT_EQ(got.frames, want.frames);
  EXPECT_EQ(got.role, want.role);
  EXPECT_EQ(got.timeout_ms, want.timeout_ms);
  auto sorted_events = [](std::vector<LossEvent> v) {
    std::sort(v.begin(), v.end(), [](const LossEvent& a, const LossEvent& b) {
      return std::tie(a.start_ms, a.end_ms, a.probes_lost) < std::tie(b.start_ms, b.end_ms, b.probes_lost);
    });
    return v;
  };
  EXPECT_EQ(sorted_events(got.events), sorted_events(want.events));
  EXPECT_EQ(got.attributed, want.attributed);
  ASSERT_EQ(got.incidents.size(), want.incidents.size());
  for (std::size_t i = 0; i < got.incidents.size(); ++i) {
    EXPECT_TRUE(native::same_incident(got.incidents[i], want.incidents[i])) << i;
    EXPECT_EQ(got.incidents[i].last_hop, want.incidents[i].last_hop) << i;
  }
  EXPECT_EQ(got.paths, want.paths);
}

TEST(ConvertNative, NativeToNativeKeepsRoleTimeoutAndEvidence) {
  TempDir dir;
  for (const std::string name : {"hour.zzf", "timeout.zzf"}) {
    SCOPED_TRACE(name);
    const auto out = dir / ("re-" + name);
    convert_ok("--block-frames 7 " + q(native_golden(name)) + " -o " + q(out), dir);
    const auto want = load(native_golden(name));
    const auto got = load(out);
    expect_same_evidence(got, want);
    EXPECT_EQ(got.host, want.host);
  }
  // The golden hour holds each kind: a test that finds nothing to keep would prove nothing.
  const auto hour = load(native_golden("hour.zzf"));
  EXPECT_TRUE(hour.role.has_value());
  EXPECT_FALSE(hour.attributed.empty());
  EXPECT_GT(hour.events.size(), hour.attributed.size());  // kind 2 records too
  EXPECT_FALSE(hour.incidents.empty());
  EXPECT_FALSE(hour.paths.empty());
  EXPECT_TRUE(load(native_golden("timeout.zzf")).timeout_ms.has_value());
}

// The golden hour's frames of ordinary times (it also holds frames at extreme times, which
// a data directory refuses) with all of its evidence, as one native 1.2 file.
std::vector<std::uint8_t> ordinary_hour_with_evidence() {
  const auto golden = native::read_native(read_bytes(native_golden("hour.zzf")));
  auto header = *golden.header;
  std::vector<Frame> frames;
  for (const Frame& f : golden.frames) {
    if (f.t_ms >= 1'609'488'000'000 && f.t_ms < 1'609'491'600'000) frames.push_back(f);
  }
  auto out = native::encode_header(header);
  native::append_frame_record(frames, header, out);
  const auto loaded = load(native_golden("hour.zzf"));
  for (const auto& burst : loaded.attributed) native::append_attributed_event_record(burst, out);
  for (const auto& incident : loaded.incidents) native::append_incident_record(incident, out);
  for (const auto& path : loaded.paths) native::append_path_record(path, out);
  return out;
}

void sort_evidence(formats::LoadedFrames& loaded) {
  std::stable_sort(loaded.attributed.begin(), loaded.attributed.end(),
                   [](const auto& a, const auto& b) { return a.event.start_ms < b.event.start_ms; });
  std::stable_sort(loaded.incidents.begin(), loaded.incidents.end(),
                   [](const auto& a, const auto& b) { return a.start_ms < b.start_ms; });
  std::stable_sort(loaded.paths.begin(), loaded.paths.end(), [](const auto& a, const auto& b) { return a.t_ms < b.t_ms; });
}

// Every raw hour file of a host folder, loaded and concatenated (evidence in time order);
// each burst, incident and path must lie in the hour of its file (the hour it starts in).
formats::LoadedFrames load_hours(const std::filesystem::path& host_dir) {
  constexpr std::int64_t kHourMs = 3'600'000;
  formats::LoadedFrames all;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(host_dir)) {
    if (!entry.is_regular_file() || entry.path().string().find("/tiers/") != std::string::npos) continue;
    auto one = load(entry.path());
    const std::int64_t hour = native::read_native(read_bytes(entry.path())).header->start_ms / kHourMs;
    for (const auto& a : one.attributed) EXPECT_EQ(a.event.start_ms / kHourMs, hour) << entry.path();
    for (const auto& i : one.incidents) EXPECT_EQ(i.start_ms / kHourMs, hour) << entry.path();
    for (const auto& p : one.paths) EXPECT_EQ(p.t_ms / kHourMs, hour) << entry.path();
    all.role = one.role;
    all.timeout_ms = one.timeout_ms;
    all.frames.insert(all.frames.end(), one.frames.begin(), one.frames.end());
    all.events.insert(all.events.end(), one.events.begin(), one.events.end());
    all.attributed.insert(all.attributed.end(), one.attributed.begin(), one.attributed.end());
    all.incidents.insert(all.incidents.end(), one.incidents.begin(), one.incidents.end());
    all.paths.insert(all.paths.end(), one.paths.begin(), one.paths.end());
  }
  sort_evidence(all);
  return all;
}

TEST(ConvertNative, ImportOfNativeDataKeepsEvidenceInItsHour) {
  TempDir dir;
  const auto input = dir / "in.zzf";
  write_bytes(input, ordinary_hour_with_evidence());
  const auto data = dir / "data";
  convert_ok("--data-dir " + q(data) + " --host gw " + q(input), dir);
  auto want = load(input);
  ASSERT_FALSE(want.incidents.empty());
  // One burst and one incident start 7 ms before the frames' hour: they go to the hour before.
  sort_evidence(want);
  EXPECT_TRUE(std::filesystem::exists(data / "gw" / "2021-01-01" / "2021-01-01T07Z.zzf"));
  expect_same_evidence(load_hours(data / "gw"), want);
}

// Our aggregation merges histograms: each output's quantiles are those of every sample it
// covers (within the precision), and the counts are sums, unlike zzping 0.2's fold.
TEST(ConvertNative, AggregationIsExact) {
  TempDir dir;
  convert_ok("--agg-window 10 --agg-step 5 " + q(golden_path(kTenMinuteLog)) + " -o " +
                 q(dir / "agg.zzf"),
             dir);
  const auto agg = native::read_native(read_bytes(dir / "agg.zzf"));
  const auto raw = zzping02::decode_framedata(read_bytes(golden_path(kTenMinuteLog)));
  ASSERT_EQ(agg.frames.size(), 1200u);
  for (std::size_t i = 0; i < agg.frames.size(); ++i) {
    const std::size_t first = i * 5;
    const std::size_t end = std::min<std::size_t>(first + 10, raw.frames.size());
    std::vector<double> samples;
    std::uint32_t lost = 0;
    for (std::size_t j = first; j < end; ++j) {
      for (auto us : raw.frames[j].recv_us) samples.push_back(us);
      lost += raw.frames[j].lost_packets;
    }
    const Frame& f = agg.frames[i];
    ASSERT_EQ(f.recv, samples.size());
    ASSERT_EQ(f.lost, lost);
    if (samples.empty()) continue;
    for (double p : {0.0, 0.25, 0.5, 0.75, 0.99, 1.0}) {
      const double want = exact_quantile(samples, p);
      ASSERT_LE(std::abs(f.rtt.quantile_ns(p) / 1000 - want), 0.004975 * want + 1e-6)
          << "output " << i << " p=" << p;
    }
  }
}

TEST(ConvertNative, FdqInputRoundTrips) {
  TempDir dir;
  convert_ok(q(golden_path(kTenMinuteFdq001)) + " -o " + q(dir / "q.zzf"), dir);
  convert_ok("--to fdq101 --llq 0.01 " + q(dir / "q.zzf") + " -o " + q(dir / "q.fdq"), dir);
  const auto got = zzping02::decode_fdq(read_bytes(dir / "q.fdq"));
  const auto want = zzping02::decode_fdq(read_bytes(golden_path(kTenMinuteFdq001)));
  ASSERT_EQ(got.frames.size(), want.frames.size());
  // The stored values are LLQ 0.01 codes; the native histogram moves a value by at most
  // 0.5%, half an LLQ step, so re-encoding lands on the same code or a neighbour.
  const zzping02::LinearLogQuantizer llq(0.01);
  std::size_t codes_off_by_more_than_one = 0;
  for (std::size_t i = 0; i < got.frames.size(); ++i) {
    ASSERT_EQ(got.frames[i].timestamp_ms, want.frames[i].timestamp_ms);
    ASSERT_EQ(got.frames[i].recv_us_len, want.frames[i].recv_us_len);
    ASSERT_EQ(got.frames[i].lost_packets, want.frames[i].lost_packets);
    ASSERT_EQ(got.frames[i].inflight, want.frames[i].inflight);
    for (std::size_t k = 0; k < 7; ++k) {
      const std::int64_t code_got = llq.encode(got.frames[i].recv_us[k]);
      const std::int64_t code_want = llq.encode(want.frames[i].recv_us[k]);
      if (std::abs(code_got - code_want) > 1) {
        ++codes_off_by_more_than_one;
        std::printf("frame %zu q%zu: %lld -> %lld (n=%u)\n", i, k,
                    static_cast<long long>(want.frames[i].recv_us[k]),
                    static_cast<long long>(got.frames[i].recv_us[k]), want.frames[i].recv_us_len);
      }
    }
  }
  EXPECT_EQ(codes_off_by_more_than_one, 0u);
}

}  // namespace
}  // namespace zzping::test

namespace zzping::test {
namespace {

std::uint64_t total_recv(const std::filesystem::path& file) {
  std::uint64_t sum = 0;
  for (const Frame& f : native::read_native(read_bytes(file)).frames) sum += f.recv;
  return sum;
}

// Imported history gets the daemon's layout: hour files plus exact tiers, and a second
// import never touches the first one's files.
TEST(ConvertNative, ImportIntoDataDirWritesHoursAndTiers) {
  TempDir dir;
  const auto data = dir / "data";
  const std::string import = "--data-dir " + q(data) + " " + q(golden_path(kTenMinuteLog));
  convert_ok(import, dir);
  const auto host = data / "192.168.0.1";
  const auto hour = host / "2021-01-01" / "2021-01-01T08Z.zzf";
  const auto tier_1h = host / "tiers" / "1h" / "2021.zzf";
  ASSERT_TRUE(std::filesystem::exists(hour));
  ASSERT_TRUE(std::filesystem::exists(host / "tiers" / "1s" / "2021-01-01.zzf"));
  ASSERT_TRUE(std::filesystem::exists(host / "tiers" / "1min" / "2021-01.zzf"));
  ASSERT_TRUE(std::filesystem::exists(tier_1h));

  const auto raw = zzping02::decode_framedata(read_bytes(golden_path(kTenMinuteLog)));
  std::vector<double> samples;
  for (const auto& f : raw.frames) samples.insert(samples.end(), f.recv_us.begin(), f.recv_us.end());
  const auto hours = native::read_native(read_bytes(tier_1h));
  ASSERT_EQ(hours.frames.size(), 1u);
  EXPECT_EQ(hours.header->tier_ms, 3'600'000u);
  EXPECT_EQ(hours.frames[0].recv, samples.size());
  for (double p : {0.0, 0.5, 0.9, 0.99, 1.0}) {
    const double want = exact_quantile(samples, p);
    EXPECT_LE(std::abs(hours.frames[0].rtt.quantile_ns(p) / 1000 - want), 0.004975 * want + 1e-6) << p;
  }
  EXPECT_EQ(total_recv(host / "tiers" / "1s" / "2021-01-01.zzf"), samples.size());
  EXPECT_EQ(total_recv(host / "tiers" / "1min" / "2021-01.zzf"), samples.size());

  const auto before = read_bytes(hour);
  convert_ok(import, dir);
  EXPECT_EQ(read_bytes(hour), before);
  EXPECT_TRUE(std::filesystem::exists(host / "2021-01-01" / "2021-01-01T08Z.1.zzf"));
  EXPECT_TRUE(std::filesystem::exists(host / "tiers" / "1h" / "2021.1.zzf"));
}

}  // namespace
}  // namespace zzping::test
