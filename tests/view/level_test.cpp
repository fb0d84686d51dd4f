// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/level.hpp"

#include <gtest/gtest.h>

namespace zzping::view {
namespace {

BucketSummary bucket(std::int64_t t, std::uint32_t len) {
  BucketSummary b;
  b.t_ms = t;
  b.length_ms = len;
  return b;
}

TEST(Level, RefusesBucketsThatGoBackInTime) {
  Level l(0);
  EXPECT_TRUE(l.append(bucket(1000, 100)));
  EXPECT_FALSE(l.append(bucket(900, 100)));
  EXPECT_EQ(l.size(), 1u);
}

TEST(Level, OverlappingStartTrimsThePreviousBucket) {
  Level l(0);
  ASSERT_TRUE(l.append(bucket(1000, 100)));
  ASSERT_TRUE(l.append(bucket(1060, 100)));
  EXPECT_EQ(l.buckets()[0].length_ms, 60u);
  EXPECT_EQ(l.covering(1059)->t_ms, 1000);
  EXPECT_EQ(l.covering(1060)->t_ms, 1060);
}

TEST(Level, CountsAndRangesWithAGap) {
  Level l(0);
  for (std::int64_t t : {0, 100, 200, 5000, 5100}) ASSERT_TRUE(l.append(bucket(t, 100)));
  EXPECT_EQ(l.count_overlapping({150, 5050}), 3u);  // 100, 200, 5000
  EXPECT_EQ(l.count_overlapping({300, 4999}), 0u);
  const IndexRange r = l.overlapping({150, 5050});
  EXPECT_EQ(r.first, 0u);  // widened by one
  EXPECT_EQ(r.last, 5u);
  EXPECT_FALSE(l.covering(1000));
  EXPECT_FALSE(l.covering(5200));
  EXPECT_EQ(l.covering(5199)->t_ms, 5100);
}

TEST(Level, EmptyLevelAnswersEmpty) {
  Level l(1000);
  EXPECT_EQ(l.count_overlapping({0, 100000}), 0u);
  EXPECT_EQ(l.overlapping({0, 100000}).size(), 0u);
  EXPECT_FALSE(l.covering(5));
}

}  // namespace
}  // namespace zzping::view
