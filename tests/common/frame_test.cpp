// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/frame.hpp"

#include <gtest/gtest.h>

namespace zzping {
namespace {

TEST(Frame, MergeSumsCountsAndCoversBothSpans) {
  Frame a;
  a.t_ms = 1000;
  a.sent = 10;
  a.recv = 9;
  a.lost = 1;
  a.inflight = 3;
  a.rtt.add_us(1500);
  Frame b;
  b.t_ms = 1100;
  b.sent = 10;
  b.recv = 8;
  b.lost = 2;
  b.dup = 1;
  b.late = 1;
  b.icmp_errors = 2;
  b.inflight = 1;
  b.rtt.add_us(2500);
  merge_into(a, b);
  EXPECT_EQ(a.t_ms, 1000);
  EXPECT_EQ(a.length_ms, 200u);
  EXPECT_EQ(a.sent, 20u);
  EXPECT_EQ(a.recv, 17u);
  EXPECT_EQ(a.lost, 3u);
  EXPECT_EQ(a.dup, 1u);
  EXPECT_EQ(a.late, 1u);
  EXPECT_EQ(a.icmp_errors, 2u);
  EXPECT_EQ(a.inflight, 3u);
  EXPECT_EQ(a.rtt.count(), 2u);
}

}  // namespace
}  // namespace zzping
