// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/probe_token.hpp"

#include <gtest/gtest.h>

using namespace zzping::daemon;

TEST(ProbeToken, RoundTrips) {
  const ProbeToken token{0x0123456789abcdefULL, 0xfffffffffffffff0ULL, 1'700'000'000'123'456'789LL};
  const auto bytes = encode_probe_token(token);
  const auto back = decode_probe_token(bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, token);
}

TEST(ProbeToken, RejectsShortOrForeignPayloads) {
  const auto bytes = encode_probe_token(ProbeToken{1, 2, 3});
  EXPECT_FALSE(decode_probe_token(std::span(bytes).first(kProbeTokenSize - 1)));
  auto corrupt = bytes;
  corrupt[1] ^= 0x20;
  EXPECT_FALSE(decode_probe_token(corrupt));
}

TEST(ProbeToken, SequenceIsLow16BitsOfCounter) {
  EXPECT_EQ(sequence_of(0x12345), 0x2345);
  EXPECT_EQ(sequence_of(65535), 65535);
  EXPECT_EQ(sequence_of(65536), 0);
}
