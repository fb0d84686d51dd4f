// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/legacy_frames.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "golden.hpp"

namespace zzping::formats {
namespace {

using zzping02::FdqFrame;

constexpr const char* kTenMinuteLog = "framedata/pingd-log-192.168.0.1-20210101T08.log";
constexpr const char* kTenMinuteFdq =
    "fdq/llq-none_fes-60/pingd-log-192.168.0.1-20210101T08.log.fdq.log";

// |got - want| within the quantiser's relative precision plus `slack_us`.
void expect_close(std::int64_t got, std::int64_t want, const RttQuantiser& q,
                  double slack_us) {
  const double tolerance = q.max_relative_error() * static_cast<double>(want) + slack_us + 1e-6;
  EXPECT_LE(std::abs(static_cast<double>(got - want)), tolerance) << got << " vs " << want;
}

TEST(LegacyFrames, FrameDataKeepsEverySampleWithinPrecision) {
  const auto bytes = test::read_bytes(test::golden_path(kTenMinuteLog));
  const auto file = zzping02::decode_framedata(bytes);
  ASSERT_EQ(file.frames.size(), 6000u);
  const RttQuantiser quantiser(0.01);
  for (const auto& legacy : file.frames) {
    const Frame frame = native_from_framedata(legacy, quantiser);
    EXPECT_EQ(frame.t_ms, legacy.ts_us / 1000);
    EXPECT_EQ(frame.recv, legacy.recv_us.size());
    EXPECT_EQ(frame.rtt.count(), legacy.recv_us.size());
    EXPECT_EQ(frame.lost, legacy.lost_packets);
    EXPECT_EQ(frame.inflight, legacy.inflight);
    EXPECT_EQ(frame.sent, frame.recv + frame.lost);
    // The native quantiles agree with zzping 0.2's own percentiles of the same samples.
    const auto want = zzping02::compute_percentiles(legacy.recv_us);
    const auto got = fdq_from_native(frame);
    if (legacy.recv_us.empty()) {
      EXPECT_EQ(got.recv_us, zzping02::kNoPercentiles);
      continue;
    }
    // 1 µs: both sides are rounded to whole µs from the same exact value.
    for (std::size_t i = 0; i < 7; ++i) expect_close(got.recv_us[i], want[i], quantiser, 1.0);
  }
}

// FDQ -> native -> FDQ keeps time, counters and sample count exactly, and the 7 quantiles
// within the precision: what both formats can express survives the round trip.
TEST(LegacyFrames, FdqRoundTripThroughNative) {
  const auto bytes = test::read_bytes(test::golden_path(kTenMinuteFdq));
  const auto file = zzping02::decode_fdq(bytes);
  ASSERT_EQ(file.frames.size(), 6000u);
  for (double precision : {0.001, 0.01}) {
    const RttQuantiser quantiser(precision);
    for (const FdqFrame& original : file.frames) {
      const FdqFrame back = fdq_from_native(native_from_fdq(original, quantiser));
      ASSERT_EQ(back.timestamp_ms, original.timestamp_ms);
      ASSERT_EQ(back.inflight, original.inflight);
      ASSERT_EQ(back.lost_packets, original.lost_packets);
      ASSERT_EQ(back.recv_us_len, original.recv_us_len);
      // The stored percentiles were rounded to whole µs, so no set of samples meets all 7
      // exactly; where two percentiles share a sample the ±0.5 µs can add up: 3 µs slack.
      for (std::size_t i = 0; i < 7; ++i) {
        expect_close(back.recv_us[i], original.recv_us[i], quantiser, 3.0);
      }
    }
  }
}

TEST(LegacyFrames, HugeSampleCountStaysBoundedAndExact) {
  FdqFrame frame;
  frame.timestamp_ms = 1'609'488'000'000;
  frame.recv_us_len = 4'000'000'000u;
  frame.recv_us = {100, 200, 300, 400, 500, 600, 700};
  const Frame native = native_from_fdq(frame, RttQuantiser(0.01));
  EXPECT_EQ(native.recv, 4'000'000'000u);
  EXPECT_EQ(native.rtt.count(), 4'000'000'000u);
  EXPECT_LE(native.rtt.bins().size(), kMaxSynthesisedSamples);
  EXPECT_NEAR(native.rtt.quantile_ns(0.5) / 1000.0, 400.0, 400.0 * 0.01);
}

TEST(LegacyFrames, NoSamplesGiveAnEmptyHistogram) {
  FdqFrame frame;
  frame.lost_packets = 3;
  const Frame native = native_from_fdq(frame, RttQuantiser(0.01));
  EXPECT_TRUE(native.rtt.empty());
  EXPECT_EQ(native.recv, 0u);
  EXPECT_EQ(native.sent, 3u);
  EXPECT_EQ(fdq_from_native(native).recv_us, zzping02::kNoPercentiles);
}

}  // namespace
}  // namespace zzping::formats
