// SPDX-License-Identifier: GPL-3.0-or-later
// The block's codes: every code reads back what was written, with the length the encoder
// assumes when it picks parameters, including values far past the fast path.
#include "native/bit_stream.hpp"

#include <gtest/gtest.h>

#include <random>

namespace zzping::native::bits {
namespace {

struct Coded {
  enum Kind { kRice, kExpGolomb, kLong, kRaw } kind;
  std::uint64_t value;
  unsigned param;
};

std::uint64_t random_value(std::mt19937_64& rng) {
  const unsigned width = static_cast<unsigned>(rng() % 63);
  return width == 0 ? 0 : rng() >> (64 - width);
}

TEST(BitStream, EveryCodeReadsBackWithItsPredictedLength) {
  std::mt19937_64 rng(11);
  std::vector<Coded> codes;
  for (int i = 0; i < 20000; ++i) {
    const auto kind = static_cast<Coded::Kind>(rng() % 4);
    const unsigned param = static_cast<unsigned>(rng() % (kMaxK + 1));
    std::uint64_t v = random_value(rng);
    if (kind == Coded::kExpGolomb || kind == Coded::kRice) v = std::min(v, kMaxCodedValue >> 1);
    if (kind == Coded::kRaw) v &= (std::uint64_t{1} << (param + 1)) - 1;
    codes.push_back({kind, v, param});
  }
  codes.push_back({Coded::kRice, kMaxCodedValue >> 1, 0});
  codes.push_back({Coded::kExpGolomb, kMaxCodedValue, 0});
  codes.push_back({Coded::kLong, ~std::uint64_t{0}, 0});
  codes.push_back({Coded::kLong, 0, 0});

  std::vector<std::uint8_t> bytes;
  Writer w(bytes);
  std::uint64_t expected_bits = 0;
  for (const Coded& c : codes) {
    switch (c.kind) {
      case Coded::kRice:
        w.rice(c.value, c.param);
        expected_bits += rice_length(c.value, c.param);
        break;
      case Coded::kExpGolomb:
        w.exp_golomb(c.value, c.param);
        expected_bits += exp_golomb_length(c.value, c.param);
        break;
      case Coded::kLong:
        w.long_value(c.value);
        expected_bits += 7 + std::max(1u, static_cast<unsigned>(std::bit_width(c.value))) - 1;
        break;
      case Coded::kRaw:
        w.put(c.value, c.param + 1);
        expected_bits += c.param + 1;
        break;
    }
  }
  w.finish();
  EXPECT_EQ(bytes.size(), (expected_bits + 7) / 8);

  bytes.resize(bytes.size() + Reader::kPadding, 0);
  Reader r(bytes.data(), bytes.size() - Reader::kPadding);
  for (const Coded& c : codes) {
    std::uint64_t got = 0;
    switch (c.kind) {
      case Coded::kRice: got = r.rice(RiceParam::of(c.param)); break;
      case Coded::kExpGolomb: got = r.exp_golomb(c.param); break;
      case Coded::kLong: got = r.long_value(); break;
      case Coded::kRaw: got = r.get(c.param + 1); break;
    }
    ASSERT_EQ(got, c.value) << "kind " << c.kind << " param " << c.param;
  }
  EXPECT_NO_THROW(r.expect_end());
}

TEST(BitStream, ReadingPastTheEndFails) {
  std::vector<std::uint8_t> bytes(1 + Reader::kPadding, 0);
  bytes[0] = 0x00;  // eight zeros: an unfinished unary code
  Reader r(bytes.data(), 1);
  EXPECT_THROW(r.rice(RiceParam::of(3)), FormatError);
}

TEST(BitStream, ZigzagIsABijection) {
  for (std::int64_t v : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1}, INT64_MIN, INT64_MAX}) {
    EXPECT_EQ(unzigzag(zigzag(v)), v);
  }
  EXPECT_EQ(zigzag(-1), 1u);
  EXPECT_EQ(zigzag(1), 2u);
}

}  // namespace
}  // namespace zzping::native::bits
