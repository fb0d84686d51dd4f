// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/outage_detector.hpp"

#include <gtest/gtest.h>

#include "zzping/common/view/host_timeline.hpp"

namespace zzping::view {
namespace {

Frame frame(std::int64_t t, std::uint32_t recv, std::uint32_t lost) {
  Frame f;
  f.t_ms = t;
  f.sent = recv + lost;
  f.recv = recv;
  f.lost = lost;
  for (std::uint32_t i = 0; i < recv; ++i) f.rtt.add_us(1000);
  return f;
}

TEST(OutageDetector, ReportsARunOfDarkFrames) {
  OutageDetector d;
  d.append(frame(0, 10, 0));
  d.append(frame(100, 0, 10));
  d.append(frame(200, 0, 10));
  d.append(frame(300, 0, 10));
  d.append(frame(400, 10, 0));
  const auto e = d.events();
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].start_ms, 100);
  EXPECT_EQ(e[0].end_ms, 400);
  EXPECT_EQ(e[0].probes_lost, 30u);
}

TEST(OutageDetector, IgnoresSingleLostProbesAndPartialLoss) {
  OutageDetector d;
  d.append(frame(0, 0, 1));     // one probe: not a burst
  d.append(frame(100, 9, 1));   // replies came back: not dark
  d.append(frame(200, 9, 0));
  EXPECT_TRUE(d.events().empty());
}

TEST(OutageDetector, AHoleInTheDataEndsTheRun) {
  OutageDetector d;
  d.append(frame(0, 0, 5));
  d.append(frame(5000, 0, 5));
  const auto e = d.events();
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].end_ms, 100);
  EXPECT_EQ(e[1].start_ms, 5000);
}

TEST(OutageDetector, ReportsTheRunStillGoingOn) {
  OutageDetector d;
  d.append(frame(0, 0, 5));
  ASSERT_EQ(d.events().size(), 1u);
  EXPECT_EQ(d.events()[0].end_ms, 100);
}

TEST(HostTimeline, RecordedEventsReplaceDetectedOnes) {
  HostTimeline h("10.0.0.1");
  h.append(frame(0, 0, 5));
  h.append(frame(100, 10, 0));
  ASSERT_EQ(h.events().size(), 1u);
  h.add_recorded_event(LossEvent{42, 84, 3});
  ASSERT_EQ(h.events().size(), 1u);
  EXPECT_EQ(h.events()[0].start_ms, 42);
  EXPECT_EQ(h.pyramid().level(0).size(), 2u);
  EXPECT_EQ(h.name(), "10.0.0.1");
}

}  // namespace
}  // namespace zzping::view
