// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/spsc_ring.hpp"

#include <gtest/gtest.h>

#include <thread>

using namespace zzping::daemon;

TEST(SpscRing, FifoAndBounded) {
  SpscRing<int> ring(4);
  EXPECT_FALSE(ring.try_pop());
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(ring.try_push(i));
  EXPECT_FALSE(ring.try_push(99)) << "full";
  for (int i = 0; i < 4; ++i) EXPECT_EQ(ring.try_pop(), i);
  EXPECT_FALSE(ring.try_pop());
}

TEST(SpscRing, RejectsBadCapacity) {
  EXPECT_THROW(SpscRing<int>(3), std::invalid_argument);
  EXPECT_THROW(SpscRing<int>(1), std::invalid_argument);
}

TEST(SpscRing, TwoThreadsTransferEverythingInOrder) {
  SpscRing<std::uint64_t> ring(64);
  constexpr std::uint64_t kCount = 200'000;
  std::thread producer([&] {
    for (std::uint64_t i = 0; i < kCount;) {
      if (ring.try_push(i)) ++i;
    }
  });
  std::uint64_t expected = 0;
  while (expected < kCount) {
    if (auto value = ring.try_pop()) {
      ASSERT_EQ(*value, expected);
      ++expected;
    }
  }
  producer.join();
}
