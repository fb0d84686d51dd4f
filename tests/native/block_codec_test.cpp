// SPDX-License-Identifier: GPL-3.0-or-later
// Frame block codec: exact round trips of every regime, the decoder's bounds on corrupt
// blocks, loss events and the standalone block.
#include "zzping/formats/native/block_codec.hpp"

#include <gtest/gtest.h>

#include <array>
#include <random>

#include "native/bit_stream.hpp"
#include "native/block_format.hpp"
#include "random_frames.hpp"

namespace zzping::native {
namespace {

using testing::Rng;

void expect_round_trip(const std::vector<Frame>& frames, const BlockContext& ctx,
                       std::size_t block_frames) {
  BlockDecoder decoder(ctx);
  DecodedBlock decoded;
  for (std::size_t i = 0; i < frames.size(); i += block_frames) {
    const auto part = std::span(frames).subspan(i, std::min(block_frames, frames.size() - i));
    const std::vector<std::uint8_t> bytes = encode_block(part, ctx);
    ASSERT_EQ(decode_block(bytes, ctx), std::vector<Frame>(part.begin(), part.end()))
        << "block at frame " << i << " of " << block_frames;
    decoder.decode(bytes, decoded);  // the reusable decoder agrees with the one-shot one
    ASSERT_EQ(decoded.size(), part.size());
    for (std::size_t j = 0; j < part.size(); ++j) {
      ASSERT_EQ(decoded.to_frame(j, RttQuantiser(ctx.precision)), part[j]);
    }
  }
}

TEST(BlockCodec, DaemonFramesRoundTripExactly) {
  Rng rng(1);
  const RttQuantiser q;
  const auto frames = testing::daemon_frames(rng, 3000, q);
  for (const std::size_t block : std::array<std::size_t, 5>{1, 2, 10, 600, 3000}) {
    expect_round_trip(frames, BlockContext{100, 0.01, 1'609'488'000'000}, block);
  }
}

TEST(BlockCodec, ImportedFramesWithRepeatedSamplesRoundTripExactly) {
  Rng rng(2);
  const RttQuantiser q;
  const auto frames = testing::imported_frames(rng, 2000, q);
  for (const std::size_t block : std::array<std::size_t, 4>{1, 7, 10, 600}) {
    expect_round_trip(frames, BlockContext{100, 0.01, 1'609'488'000'000}, block);
  }
}

TEST(BlockCodec, TierFramesRoundTripExactly) {
  Rng rng(3);
  const RttQuantiser q;
  const auto frames = testing::tier_like_frames(rng, 500, q);
  expect_round_trip(frames, BlockContext{1000, 0.01, 1'609'488'000'000}, 100);
  expect_round_trip(frames, BlockContext{100, 0.01, 0}, 3);
}

TEST(BlockCodec, AdversarialFramesRoundTripExactly) {
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    Rng rng(seed);
    const double precision = std::array{0.0001, 0.001, 0.01, 0.05, 0.5}[seed % 5];
    const RttQuantiser q(precision);
    const auto frames = testing::adversarial_frames(rng, 1 + rng() % 80, q);
    const BlockContext ctx{static_cast<std::uint32_t>(rng() % 2000), precision,
                           static_cast<std::int64_t>(rng() % 1'000'000'000'000)};
    expect_round_trip(frames, ctx, 1 + rng() % 40);
  }
}

// Keys 2^17..2^19 apart: the encoder picks Rice parameters above Reader::kMaxGroupedK for
// the key contexts, so the decoder reads every histogram code with its own refill (the
// other instantiation of its frame loop), in lists of 7+ (fixed end contexts) and shorter.
TEST(BlockCodec, WideKeyGapsRoundTripExactly) {
  Rng rng(4);
  const RttQuantiser q;
  std::vector<Frame> frames;
  for (std::int64_t i = 0; i < 40; ++i) {
    Frame f{.t_ms = 1'609'488'000'000 + i * 100, .rtt = RttHistogram(q)};
    std::int32_t key = -1'000'000'000 + static_cast<std::int32_t>(rng() % 1000);
    for (std::uint32_t s = (i % 2 == 0) ? 9 : 4; s > 0; --s) {
      key += static_cast<std::int32_t>((std::uint32_t{1} << 17) + rng() % (std::uint32_t{3} << 17));
      f.rtt.add_key(key, 1);
    }
    f.recv = static_cast<std::uint32_t>(f.rtt.count());
    f.sent = f.recv;
    frames.push_back(std::move(f));
  }
  const BlockContext ctx{100, 0.01, 1'609'488'000'000};
  // The block header's Rice parameters (docs/formats.md, "Block layout"): sample lists, and
  // the key gap contexts above the grouped limit.
  const std::vector<std::uint8_t> bytes = encode_block(frames, ctx);
  std::vector<std::uint8_t> padded(bytes);
  padded.resize(bytes.size() + bits::Reader::kPadding);
  bits::Reader r(padded.data(), bytes.size());
  r.exp_golomb(0);
  block::Flags flags;
  flags.time_jitter = r.bit();
  flags.time_signed = r.bit();
  flags.hist_bins = r.bit();
  flags.carry = r.bit();
  flags.sent_explicit = r.bit();
  ASSERT_FALSE(flags.hist_bins);
  r.bit();
  r.long_value();
  const auto defaults = block::default_k(ctx.precision);
  for (unsigned c = 0; c < block::kContextCount; ++c) {
    if (!block::context_present(c, flags)) continue;
    const std::int64_t k = static_cast<std::int64_t>(defaults[c]) + bits::unzigzag(r.exp_golomb(0));
    if (c == block::kGap3) {
      EXPECT_GT(k, static_cast<std::int64_t>(bits::Reader::kMaxGroupedK));
    }
  }
  for (const std::size_t block : std::array<std::size_t, 3>{1, 10, 40}) {
    expect_round_trip(frames, ctx, block);
  }
}

TEST(BlockCodec, MixedRegimesInOneBlock) {
  Rng rng(4);
  const RttQuantiser q;
  std::vector<Frame> frames = testing::daemon_frames(rng, 30, q);
  for (auto& f : testing::imported_frames(rng, 30, q)) frames.push_back(f);
  for (auto& f : testing::tier_like_frames(rng, 30, q)) frames.push_back(f);
  for (auto& f : testing::adversarial_frames(rng, 30, q)) frames.push_back(f);
  expect_round_trip(frames, BlockContext{}, frames.size());
}

TEST(BlockCodec, EmptyHistogramsAndZeroCounters) {
  std::vector<Frame> frames(5);
  for (std::size_t i = 0; i < frames.size(); ++i) frames[i].t_ms = static_cast<std::int64_t>(i) * 100;
  expect_round_trip(frames, BlockContext{}, 5);
  // All-zero regular frames cost almost nothing.
  EXPECT_LE(encode_block(frames, BlockContext{}).size(), 6u);
}

TEST(BlockCodec, RegularDaemonBlockIsSmall) {
  Rng rng(5);
  const auto frames = testing::daemon_frames(rng, 600, RttQuantiser{});
  const auto bytes = encode_block(frames, BlockContext{100, 0.01, 1'609'488'000'000});
  // About 10 samples per frame at 1 %: well under 7 bytes per frame.
  EXPECT_LT(static_cast<double>(bytes.size()) / 600.0, 7.0);
}

TEST(BlockCodec, RejectsWhatItCannotStore) {
  EXPECT_THROW(encode_block({}, BlockContext{}), std::invalid_argument);
  std::vector<Frame> wrong_precision(1, Frame{.rtt = RttHistogram(RttQuantiser(0.02))});
  EXPECT_THROW(encode_block(wrong_precision, BlockContext{}), std::invalid_argument);
  std::vector<Frame> too_many(kMaxFramesPerBlock + 1);
  EXPECT_THROW(encode_block(too_many, BlockContext{}), std::invalid_argument);
  std::vector<Frame> far_future(1);
  far_future[0].t_ms = std::int64_t{1} << 62;
  EXPECT_THROW(encode_block(far_future, BlockContext{}), std::invalid_argument);
}

// Every prefix and every single-byte change of a block either decodes or throws
// FormatError: never a crash, never another exception.
TEST(BlockCodec, CorruptBlocksFailCleanly) {
  Rng rng(6);
  const RttQuantiser q;
  std::vector<Frame> frames = testing::imported_frames(rng, 40, q);
  for (auto& f : testing::adversarial_frames(rng, 10, q)) frames.push_back(f);
  const BlockContext ctx;
  const auto bytes = encode_block(frames, ctx);
  std::size_t failures = 0;
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    try {
      decode_block(std::span(bytes).first(cut), ctx);
    } catch (const FormatError& e) {
      ++failures;
      EXPECT_LE(e.offset(), cut);
    }
  }
  EXPECT_EQ(failures, bytes.size()) << "every strict prefix must be rejected";
  std::size_t rejected = 0;
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    for (const int flip : {0x01, 0x10, 0x80, 0xff}) {
      auto damaged = bytes;
      damaged[at] = static_cast<std::uint8_t>(damaged[at] ^ flip);
      try {
        decode_block(damaged, ctx);
      } catch (const FormatError&) {
        ++rejected;
      }
    }
  }
  // A changed bit usually breaks the stream's structure (its exact end, its ranges).
  EXPECT_GT(rejected, bytes.size() * 4 / 2);
}

TEST(BlockCodec, RandomBytesNeverCrash) {
  Rng rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::vector<std::uint8_t> bytes(rng() % 64);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    try {
      decode_block(bytes, BlockContext{});
    } catch (const FormatError&) {
    }
  }
}

TEST(BlockCodec, ClaimedSizesAreBoundedByTheBitsPresent) {
  // 65536 frames claimed by a 5-byte block: rejected before anything is allocated for them.
  std::vector<std::uint8_t> bytes;
  bits::Writer w(bytes);
  w.exp_golomb(kMaxFramesPerBlock - 1, 0);
  w.put(0, 6);  // flags, unaligned start
  w.long_value(0);
  w.finish();
  try {
    decode_block(bytes, BlockContext{});
    FAIL() << "accepted";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("frames"), std::string::npos) << e.what();
  }
}

TEST(Events, RoundTrip) {
  const BlockContext ctx{100, 0.01, 1'609'488'000'000};
  const std::vector<LossEvent> events = {
      {1'609'488'000'100, 1'609'488'000'300, 3},
      {1'609'487'000'000, 1'609'487'000'000, 2},  // before the base, zero length
      {1'609'488'100'000, 1'609'488'124'000, 2400},
  };
  EXPECT_EQ(decode_events(encode_events(events, ctx), ctx), events);
  EXPECT_TRUE(decode_events(encode_events({}, ctx), ctx).empty());
}

TEST(Events, CorruptBytesFailCleanly) {
  const BlockContext ctx;
  const auto bytes = encode_events(std::vector<LossEvent>{{100, 300, 3}, {400, 900, 5}}, ctx);
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_THROW(decode_events(std::span(bytes).first(cut), ctx), FormatError);
  }
}

TEST(StandaloneBlock, CarriesItsOwnContext) {
  Rng rng(8);
  const RttQuantiser q(0.001);
  const auto frames = testing::daemon_frames(rng, 10, q);
  const auto bytes = encode_standalone_block(frames);
  EXPECT_EQ(decode_standalone_block(bytes), frames);
  EXPECT_THROW(decode_standalone_block(std::span(bytes).first(bytes.size() - 1)), FormatError);
  EXPECT_THROW(decode_standalone_block(std::span(bytes).first(5)), FormatError);
}

}  // namespace
}  // namespace zzping::native
