// SPDX-License-Identifier: GPL-3.0-or-later
// Random round trips: FrameData and FDQ frames survive encode -> decode, and a cut anywhere
// keeps exactly the complete frames before it.
#include <gtest/gtest.h>

#include <random>

#include "zzping/formats/zzping02/fdq.hpp"

namespace zzping::zzping02 {
namespace {

constexpr std::int64_t kYear9999 = 253402300799;

std::vector<LegacyFrame> random_framedata(std::mt19937_64& rng, std::size_t count) {
  std::uniform_int_distribution<std::uint64_t> any;
  std::vector<LegacyFrame> frames;
  ChronoTime key;
  for (std::size_t i = 0; i < count; ++i) {
    LegacyFrame f;
    f.keyframe = i == 0 || any(rng) % 8 == 0;
    if (f.keyframe) {
      key.seconds = static_cast<std::int64_t>(any(rng) % static_cast<std::uint64_t>(kYear9999 - 86400));
      key.nanos = static_cast<std::uint32_t>(any(rng) % 1'000'000) * 1000;  // µs on disk
      f.chrono_time = key;
      f.ts_str = format_rfc3339_micros(key);
    } else {
      f.elapsed_us = any(rng) % 4 == 0 ? any(rng) % 0x100000000ULL : any(rng) % 2'000'000;
      const std::int64_t us = key.unix_micros() + static_cast<std::int64_t>(f.elapsed_us);
      f.chrono_time = {us / 1'000'000, static_cast<std::uint32_t>(us % 1'000'000) * 1000};
    }
    f.ts_us = f.chrono_time.unix_micros();
    f.inflight = static_cast<std::uint32_t>(any(rng) % 65536);
    f.lost_packets = any(rng) % 3 == 0 ? static_cast<std::uint32_t>(any(rng) % 65536) : 0;
    const std::size_t n = any(rng) % 5 == 0 ? any(rng) % 70 : any(rng) % 14;
    for (std::size_t k = 0; k < n; ++k) {
      f.recv_us.push_back(static_cast<std::uint32_t>(any(rng) % 2 ? any(rng) % 5000 : any(rng)));
    }
    frames.push_back(f);
  }
  return frames;
}

TEST(FrameDataProperty, RandomFramesRoundTripAndCutsKeepCompleteFrames) {
  std::mt19937_64 rng(2021);
  for (int round = 0; round < 200; ++round) {
    std::vector<LegacyFrame> frames = random_framedata(rng, 1 + rng() % 30);
    std::vector<std::uint8_t> bytes;
    for (LegacyFrame& f : frames) {
      f.offset = bytes.size();
      encode_framedata_frame(f, bytes);
      f.len = bytes.size() - f.offset;
    }
    const FrameDataFile file = decode_framedata(bytes);
    ASSERT_TRUE(file.end.ok()) << file.end.message;
    ASSERT_EQ(file.frames, frames);

    const std::size_t cut = rng() % bytes.size();
    const FrameDataFile part = decode_framedata(std::span(bytes.data(), cut));
    std::size_t complete = 0;
    while (complete < frames.size() && frames[complete].offset + frames[complete].len <= cut) ++complete;
    ASSERT_EQ(part.frames.size(), complete);
    const bool at_boundary = complete == frames.size() || frames[complete].offset == cut;
    EXPECT_EQ(part.end.kind, at_boundary ? EndKind::kEof : EndKind::kTruncated) << part.end.message;
    EXPECT_EQ(part.end.bytes_consumed, at_boundary ? cut : frames[complete].offset);
  }
}

struct FdqCase {
  FdqConfig config;
  std::vector<FdqFrame> frames;
};

FdqCase random_fdq(std::mt19937_64& rng) {
  std::uniform_int_distribution<std::uint64_t> any;
  FdqCase c;
  switch (rng() % 4) {
    case 0: break;
    case 1: c.config.recv_llq = 0.01; break;
    case 2: c.config.recv_llq = 0.1; break;
    default: c.config.recv_llq = 0.1; c.config.delta_enc = true; break;
  }
  c.config.full_encode_secs = static_cast<std::int64_t>(1 + rng() % 90);
  std::int64_t ms = static_cast<std::int64_t>(any(rng) % 4'000'000'000'000ULL);
  const std::size_t n = 1 + rng() % 40;
  for (std::size_t i = 0; i < n; ++i) {
    switch (rng() % 6) {  // mostly ~100 ms steps, sometimes gaps and steps back
      case 0: ms += static_cast<std::int64_t>(rng() % 200'000); break;
      case 1: ms -= static_cast<std::int64_t>(rng() % 2'000); break;
      default: ms += 95 + static_cast<std::int64_t>(rng() % 10); break;
    }
    FdqFrame f;
    f.timestamp_ms = ms;
    f.inflight = rng() % 3 == 0 ? static_cast<std::uint32_t>(any(rng)) : 0;
    f.lost_packets = rng() % 3 == 0 ? static_cast<std::uint32_t>(any(rng) % 100) : 0;
    f.recv_us_len = rng() % 5 == 0 ? 0 : static_cast<std::uint32_t>(1 + rng() % 50);
    if (f.recv_us_len > 0) {
      for (std::int64_t& v : f.recv_us) {
        v = rng() % 10 == 0 ? static_cast<std::int64_t>(any(rng) % 0x100000000ULL)
                            : static_cast<std::int64_t>(rng() % 30'000);
      }
      if (!c.config.recv_llq && rng() % 4 == 0) f.recv_us[rng() % 7] = static_cast<std::int64_t>(any(rng));
    }
    c.frames.push_back(f);
  }
  return c;
}

// What decoding gives back: the percentiles through the quantizer, minus the delta_enc
// reference the original never added back; seven -1 without samples.
std::vector<FdqFrame> expected_after_round_trip(const FdqCase& c) {
  std::vector<FdqFrame> out;
  std::optional<LinearLogQuantizer> llq;
  if (c.config.recv_llq) llq.emplace(*c.config.recv_llq);
  std::int64_t reference = 0;
  for (FdqFrame f : c.frames) {
    const std::int64_t next_reference = llq ? llq->encode(f.recv_us[0]) : f.recv_us[0];
    if (f.recv_us_len == 0) {
      f.recv_us = kNoPercentiles;
    } else if (llq) {
      for (std::int64_t& v : f.recv_us) v = llq->decode(llq->encode(v) - reference);
    }
    if (c.config.delta_enc) reference = next_reference;
    out.push_back(f);
  }
  return out;
}

TEST(FdqProperty, RandomFramesRoundTripAndCutsKeepCompleteFrames) {
  std::mt19937_64 rng(101);
  for (int round = 0; round < 400; ++round) {
    const FdqCase c = random_fdq(rng);
    FdqEncoder encoder(c.config);
    std::vector<std::uint8_t> bytes;
    encoder.append_header(bytes);
    std::vector<std::size_t> ends;
    for (const FdqFrame& f : c.frames) {
      encoder.encode(f, bytes);
      ends.push_back(bytes.size());
    }
    const FdqFile file = decode_fdq(bytes);
    ASSERT_TRUE(file.end.ok()) << file.end.message;
    EXPECT_EQ(file.header.config, c.config);
    ASSERT_EQ(file.frames, expected_after_round_trip(c));

    const std::size_t header = file.header.length;
    const std::size_t cut = header + rng() % (bytes.size() - header);
    const FdqFile part = decode_fdq(std::span(bytes.data(), cut));
    std::size_t complete = 0;
    while (complete < ends.size() && ends[complete] <= cut) ++complete;
    ASSERT_EQ(part.frames.size(), complete);
    const std::size_t boundary = complete == 0 ? header : ends[complete - 1];
    EXPECT_EQ(part.end.kind, boundary == cut ? EndKind::kEof : EndKind::kTruncated);
    EXPECT_EQ(part.end.bytes_consumed, boundary);
  }
}

TEST(FdqProperty, LeapSecondKeyframesResolveLikeChrono) {
  // Keyframe inside a leap second, then deltas that stay in it and that leave it.
  const std::string key = "2016-12-31T23:59:60.500000+00:00";
  // (Built in one go: inserting the key into the 2-byte vector made GCC 12 report a bogus
  // -Warray-bounds in the ZZPING_SANITIZE=thread build.)
  const std::string head = std::string("\xd9\x20") + key;
  std::vector<std::uint8_t> bytes(head.begin(), head.end());
  const std::vector<std::uint8_t> rest = {0xce, 0, 0, 0, 0, 0xcd, 0, 0, 0xcd, 0, 0, 0x90};
  bytes.insert(bytes.end(), rest.begin(), rest.end());
  auto delta = [&](std::uint32_t us) {
    bytes.insert(bytes.end(), {0xce, static_cast<std::uint8_t>(us >> 24), static_cast<std::uint8_t>(us >> 16),
                               static_cast<std::uint8_t>(us >> 8), static_cast<std::uint8_t>(us)});
    bytes.insert(bytes.end(), {0xcd, 0, 0, 0xcd, 0, 0, 0x90});
  };
  delta(400'000);  // 23:59:60.9: still in the leap second
  delta(600'000);  // 60.5 + 0.6 s: chrono lands on 00:00:00.1, not 00:00:01.1
  const FrameDataFile file = decode_framedata(bytes);
  ASSERT_TRUE(file.end.ok()) << file.end.message;
  ASSERT_EQ(file.frames.size(), 3u);
  const std::int64_t midnight_us = 1483228800'000000;
  EXPECT_EQ(file.frames[0].ts_us, midnight_us + 500'000);
  EXPECT_EQ(file.frames[1].ts_us, midnight_us + 900'000);
  EXPECT_EQ(file.frames[2].ts_us, midnight_us + 100'000);
  // The FDQ conversion sees chrono's (second 59, ms >= 1000) form.
  EXPECT_EQ(fdq_time_of(file.frames[1]).seconds, 1483228799);
  EXPECT_EQ(fdq_time_of(file.frames[1]).subsec_ms, 1900u);
  // Re-encoding writes second 60 again.
  std::vector<std::uint8_t> again;
  for (const LegacyFrame& f : file.frames) encode_framedata_frame(f, again);
  EXPECT_EQ(again, bytes);
}

}  // namespace
}  // namespace zzping::zzping02
