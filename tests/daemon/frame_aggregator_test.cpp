// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/frame_aggregator.hpp"

#include <gtest/gtest.h>

using namespace zzping;
using namespace zzping::daemon;

namespace {

constexpr std::int64_t kMs = 1'000'000;
// Wall clock = monotonic + this offset (the step test changes it).
constexpr std::int64_t kWallOffset = 1'700'000'000'000LL * kMs;  // a multiple of 100 ms

AggregatorSettings settings() {
  AggregatorSettings s;
  s.frame_ms = 100;
  s.timeout_ns = 1000 * kMs;
  return s;
}

struct Harness {
  FrameAggregator aggregator{settings()};
  AggregatorOutput out;
  std::uint64_t send(std::int64_t mono_ms) { return aggregator.on_sent(mono_ms * kMs, mono_ms * kMs + kWallOffset); }
  void advance(std::int64_t mono_ms) { aggregator.advance(mono_ms * kMs, mono_ms * kMs + kWallOffset, out); }
};

std::int64_t frame_t_ms(std::int64_t mono_ms) { return (kWallOffset / kMs) + mono_ms / 100 * 100; }

}  // namespace

TEST(FrameAggregator, AnsweredFrameIsFinalOneTimeoutAfterIntervalEnd) {
  Harness h;
  for (int i = 0; i < 10; ++i) {
    const auto counter = h.send(i * 10);
    EXPECT_EQ(counter, static_cast<std::uint64_t>(i));
    EXPECT_EQ(h.aggregator.on_reply(counter, (i * 10 + 5) * kMs), ReplyVerdict::counted);
  }
  h.advance(99);
  EXPECT_TRUE(h.out.frames.empty()) << "interval not over";
  h.advance(1099);
  EXPECT_TRUE(h.out.frames.empty()) << "final one timeout after the interval";
  h.advance(1100);
  ASSERT_EQ(h.out.frames.size(), 1u);
  const Frame& f = h.out.frames[0];
  EXPECT_EQ(f.t_ms, frame_t_ms(0));
  EXPECT_EQ(f.length_ms, 100u);
  EXPECT_EQ(f.sent, 10u);
  EXPECT_EQ(f.recv, 10u);
  EXPECT_EQ(f.lost, 0u);
  EXPECT_EQ(f.rtt.count(), 10u);
  EXPECT_NEAR(f.rtt.quantile_ns(0.5), 5e6, 5e6 * 0.005);
  EXPECT_TRUE(h.out.events.empty());
}

TEST(FrameAggregator, FrameWaitsForTimeoutOfItsLastProbe) {
  Harness h;
  h.aggregator.on_reply(h.send(0), 3 * kMs);
  h.send(90);  // never answered
  h.advance(500);
  EXPECT_TRUE(h.out.frames.empty());
  EXPECT_EQ(h.aggregator.in_flight(), 1u);
  h.advance(1099);
  EXPECT_TRUE(h.out.frames.empty());
  h.advance(1100);
  ASSERT_EQ(h.out.frames.size(), 1u);
  EXPECT_EQ(h.out.frames[0].sent, 2u);
  EXPECT_EQ(h.out.frames[0].recv, 1u);
  EXPECT_EQ(h.out.frames[0].lost, 1u);
  EXPECT_EQ(h.aggregator.in_flight(), 0u);
}

TEST(FrameAggregator, ProbeBelongsToFrameItWasSentIn) {
  Harness h;
  const auto a = h.send(95);   // frame 0
  const auto b = h.send(105);  // frame 1
  h.aggregator.on_reply(b, 106 * kMs);
  h.aggregator.on_reply(a, 150 * kMs);  // answered during frame 1, still frame 0's
  h.advance(1200);
  ASSERT_EQ(h.out.frames.size(), 2u);
  EXPECT_EQ(h.out.frames[0].t_ms, frame_t_ms(0));
  EXPECT_EQ(h.out.frames[0].recv, 1u);
  EXPECT_NEAR(h.out.frames[0].rtt.quantile_ns(0.5), 55e6, 55e6 * 0.005);
  EXPECT_EQ(h.out.frames[1].t_ms, frame_t_ms(100));
  EXPECT_EQ(h.out.frames[1].recv, 1u);
}

TEST(FrameAggregator, InflightIsOutstandingProbesAtIntervalEnd) {
  Harness h;
  const auto a = h.send(10);
  h.send(20);
  h.send(30);
  h.aggregator.on_reply(a, 11 * kMs);
  h.send(110);  // ends frame 0 with two probes outstanding
  h.advance(2000);
  ASSERT_EQ(h.out.frames.size(), 2u);
  EXPECT_EQ(h.out.frames[0].inflight, 2u);
}

TEST(FrameAggregator, DuplicateAndLateAreCountedNotAsReplies) {
  Harness h;
  const auto a = h.send(0);
  const auto b = h.send(10);
  EXPECT_EQ(h.aggregator.on_reply(a, 5 * kMs), ReplyVerdict::counted);
  EXPECT_EQ(h.aggregator.on_reply(a, 6 * kMs), ReplyVerdict::duplicate);
  EXPECT_EQ(h.aggregator.on_reply(b, 1010 * kMs), ReplyVerdict::late);  // exactly at timeout
  h.advance(1500);
  ASSERT_EQ(h.out.frames.size(), 1u);
  const Frame& f = h.out.frames[0];
  EXPECT_EQ(f.sent, 2u);
  EXPECT_EQ(f.recv, 1u);
  EXPECT_EQ(f.lost, 1u);
  EXPECT_EQ(f.dup, 1u);
  EXPECT_EQ(f.late, 1u);
  EXPECT_EQ(f.rtt.count(), 1u);
}

TEST(FrameAggregator, ExtrasAfterFinalGoToNewestOpenFrame) {
  Harness h;
  const auto a = h.send(0);
  h.aggregator.on_reply(a, 1 * kMs);
  EXPECT_EQ(h.aggregator.on_reply(a, 50 * kMs), ReplyVerdict::duplicate);
  h.advance(1150);
  ASSERT_EQ(h.out.frames.size(), 1u);
  EXPECT_EQ(h.out.frames[0].dup, 1u) << "a duplicate within the timeout stays in its frame";
  h.send(1160);
  EXPECT_EQ(h.aggregator.on_reply(a, 1170 * kMs), ReplyVerdict::duplicate);
  h.aggregator.finish(h.out);
  ASSERT_EQ(h.out.frames.size(), 2u);
  EXPECT_EQ(h.out.frames[0].dup, 1u) << "a final frame never changes";
  EXPECT_EQ(h.out.frames[1].dup, 1u);
}

TEST(FrameAggregator, UnknownCountersAreRejected) {
  Harness h;
  EXPECT_EQ(h.aggregator.on_reply(0, kMs), ReplyVerdict::unknown);
  h.send(0);
  EXPECT_EQ(h.aggregator.on_reply(1, kMs), ReplyVerdict::unknown);
  EXPECT_FALSE(h.aggregator.on_icmp_error(5));
  // Long after resolution the probe is forgotten.
  h.advance(5000);
  EXPECT_EQ(h.aggregator.on_reply(0, 5001 * kMs), ReplyVerdict::unknown);
}

TEST(FrameAggregator, LossBurstBecomesEvent) {
  Harness h;
  std::vector<std::uint64_t> counters;
  for (int i = 0; i < 10; ++i) counters.push_back(h.send(i * 10));
  for (int i : {0, 1, 2, 7, 8, 9}) h.aggregator.on_reply(counters[static_cast<std::size_t>(i)], (i * 10 + 1) * kMs);
  h.advance(2000);
  ASSERT_EQ(h.out.events.size(), 1u);
  const LossEvent& e = h.out.events[0];
  EXPECT_EQ(e.start_ms, kWallOffset / kMs + 30);
  EXPECT_EQ(e.end_ms, kWallOffset / kMs + 60);
  EXPECT_EQ(e.probes_lost, 4u);
  ASSERT_EQ(h.out.frames.size(), 1u);
  EXPECT_EQ(h.out.frames[0].lost, 4u);
}

TEST(FrameAggregator, SingleLossIsNotABurst) {
  Harness h;
  const auto a = h.send(0);
  h.send(10);
  const auto c = h.send(20);
  h.aggregator.on_reply(a, kMs);
  h.aggregator.on_reply(c, 21 * kMs);
  h.advance(2000);
  EXPECT_TRUE(h.out.events.empty());
  EXPECT_EQ(h.out.frames.at(0).lost, 1u);
}

TEST(FrameAggregator, OngoingOutageIsReportedAtFinish) {
  Harness h;
  h.aggregator.on_reply(h.send(0), kMs);
  for (int i = 1; i <= 5; ++i) h.send(i * 100);
  h.advance(3000);
  EXPECT_TRUE(h.out.events.empty()) << "burst not over yet";
  h.aggregator.finish(h.out);
  ASSERT_EQ(h.out.events.size(), 1u);
  EXPECT_EQ(h.out.events[0].probes_lost, 5u);
  EXPECT_EQ(h.out.frames.size(), 6u);
}

TEST(FrameAggregator, IcmpErrorsCountedInProbeFrame) {
  Harness h;
  const auto a = h.send(0);
  EXPECT_TRUE(h.aggregator.on_icmp_error(a));
  h.advance(1500);
  ASSERT_EQ(h.out.frames.size(), 1u);
  EXPECT_EQ(h.out.frames[0].icmp_errors, 1u);
  EXPECT_EQ(h.out.frames[0].lost, 1u);
}

TEST(FrameAggregator, WallClockStepBackNeverReopensFramesOrBreaksRtt) {
  FrameAggregator aggregator(settings());
  AggregatorOutput out;
  const auto a = aggregator.on_sent(0, kWallOffset + 500 * kMs);
  // The wall clock jumps back one hour; monotonic time goes on.
  const auto b = aggregator.on_sent(10 * kMs, kWallOffset - 3600'000 * kMs);
  aggregator.on_reply(a, 2 * kMs);
  aggregator.on_reply(b, 12 * kMs);
  aggregator.finish(out);
  ASSERT_EQ(out.frames.size(), 1u);
  EXPECT_EQ(out.frames[0].t_ms, kWallOffset / kMs + 500);
  EXPECT_EQ(out.frames[0].recv, 2u);
  EXPECT_NEAR(out.frames[0].rtt.quantile_ns(1.0), 2e6, 2e6 * 0.005);
}

TEST(FrameAggregator, NegativeRttIsClampedToZero) {
  FrameAggregator aggregator(settings());
  AggregatorOutput out;
  const auto a = aggregator.on_sent(10 * kMs, kWallOffset);
  aggregator.on_reply(a, 9 * kMs);
  aggregator.finish(out);
  ASSERT_EQ(out.frames.size(), 1u);
  EXPECT_EQ(out.frames[0].rtt.quantile_ns(0.0), 0.0);
}

TEST(FrameAggregator, CountsStayConsistentOverManyFrames) {
  Harness h;
  std::uint64_t replies = 0;
  for (int i = 0; i < 5000; ++i) {
    const auto c = h.send(i);
    if (i % 7 != 3) {
      h.aggregator.on_reply(c, (i + 2) * kMs);
      ++replies;
    }
    if (i % 20 == 0) h.advance(i);
  }
  h.aggregator.finish(h.out);
  std::uint64_t sent = 0, recv = 0, lost = 0;
  for (const Frame& f : h.out.frames) {
    EXPECT_EQ(f.sent, f.recv + f.lost);
    EXPECT_EQ(f.recv, f.rtt.count());
    sent += f.sent;
    recv += f.recv;
    lost += f.lost;
  }
  EXPECT_EQ(h.out.frames.size(), 50u);
  EXPECT_EQ(sent, 5000u);
  EXPECT_EQ(recv, replies);
  EXPECT_EQ(lost, 5000u - replies);
}

// --- Jitter: |delta RTT| of consecutive answered probes, in send order ---

namespace {
std::uint64_t total_pairs(const std::vector<Frame>& frames) {
  std::uint64_t pairs = 0;
  for (const Frame& f : frames) pairs += f.jitter->pairs;
  return pairs;
}
}  // namespace

TEST(FrameAggregator, JitterOfAlternatingRttsIsTheirDifference) {
  Harness h;
  for (int i = 0; i < 10; ++i) {  // RTTs 2, 5, 2, 5, ... ms: every |delta| is 3 ms
    const auto c = h.send(i * 10);
    h.aggregator.on_reply(c, (i * 10 + (i % 2 == 0 ? 2 : 5)) * kMs);
  }
  h.advance(1100);
  ASSERT_EQ(h.out.frames.size(), 1u);
  ASSERT_TRUE(h.out.frames[0].jitter);
  EXPECT_EQ(*h.out.frames[0].jitter, (JitterSum{9 * 3 * kMs, 9}));
  EXPECT_DOUBLE_EQ(*h.out.frames[0].jitter->mean_us(), 3000.0);
}

TEST(FrameAggregator, LostProbeBreaksTheJitterChain) {
  Harness h;
  h.aggregator.on_reply(h.send(0), 1 * kMs);
  h.aggregator.on_reply(h.send(10), 3 * kMs + 10 * kMs);  // pair (0,1): 2 ms
  h.send(20);                                             // lost: no pair (1,2) nor (2,3)
  h.aggregator.on_reply(h.send(30), 30 * kMs + 9 * kMs);
  h.aggregator.on_reply(h.send(40), 40 * kMs + 4 * kMs);  // pair (3,4): 5 ms
  h.advance(1100);
  ASSERT_EQ(h.out.frames.size(), 1u);
  EXPECT_EQ(h.out.frames[0].lost, 1u);
  EXPECT_EQ(*h.out.frames[0].jitter, (JitterSum{7 * kMs, 2}));
}

TEST(FrameAggregator, ReorderedRepliesFormPairsInSendOrder) {
  Harness h;
  const auto a = h.send(0);
  const auto b = h.send(10);
  const auto c = h.send(20);
  // Replies arrive c, a, b: pairs are still (a,b) and (b,c), each counted once.
  h.aggregator.on_reply(c, 21 * kMs);   // rtt 1 ms
  h.aggregator.on_reply(a, 30 * kMs);   // rtt 30 ms
  h.aggregator.on_reply(b, 31 * kMs);   // rtt 21 ms
  h.advance(1100);
  ASSERT_EQ(h.out.frames.size(), 1u);
  EXPECT_EQ(*h.out.frames[0].jitter, (JitterSum{(9 + 20) * kMs, 2}));
}

TEST(FrameAggregator, LateReplyFormsNoPair) {
  Harness h;
  h.aggregator.on_reply(h.send(0), 5 * kMs);
  const auto late = h.send(10);
  h.aggregator.on_reply(h.send(20), 27 * kMs);
  h.advance(1050);  // `late` timed out
  EXPECT_EQ(h.aggregator.on_reply(late, 1060 * kMs), ReplyVerdict::late);
  h.advance(1200);
  ASSERT_EQ(h.out.frames.size(), 1u);
  EXPECT_EQ(*h.out.frames[0].jitter, (JitterSum{0, 0}));
}

TEST(FrameAggregator, DuplicateReplyFormsNoExtraPair) {
  Harness h;
  const auto a = h.send(0);
  h.aggregator.on_reply(a, 5 * kMs);
  h.aggregator.on_reply(h.send(10), 12 * kMs);
  EXPECT_EQ(h.aggregator.on_reply(a, 40 * kMs), ReplyVerdict::duplicate);
  h.advance(1100);
  ASSERT_EQ(h.out.frames.size(), 1u);
  EXPECT_EQ(*h.out.frames[0].jitter, (JitterSum{3 * kMs, 1}));
}

TEST(FrameAggregator, PairAcrossFramesCountsInTheLaterProbesFrame) {
  Harness h;
  const auto a = h.send(95);   // frame 0
  const auto b = h.send(105);  // frame 1
  h.aggregator.on_reply(b, 109 * kMs);  // rtt 4 ms, answered first
  h.aggregator.on_reply(a, 105 * kMs);  // rtt 10 ms
  h.advance(1200);
  ASSERT_EQ(h.out.frames.size(), 2u);
  EXPECT_EQ(*h.out.frames[0].jitter, (JitterSum{0, 0}));
  EXPECT_EQ(*h.out.frames[1].jitter, (JitterSum{6 * kMs, 1}));
}

TEST(FrameAggregator, FramesWithoutRepliesStillMeasureJitterAsNoPairs) {
  Harness h;
  h.send(0);
  h.aggregator.finish(h.out);
  ASSERT_EQ(h.out.frames.size(), 1u);
  ASSERT_TRUE(h.out.frames[0].jitter) << "measured: zero pairs, not unknown";
  EXPECT_EQ(h.out.frames[0].jitter->pairs, 0u);
}

TEST(FrameAggregator, EveryAnsweredNeighbourPairIsCountedOnce) {
  Harness h;
  std::uint64_t expected_pairs = 0;
  bool previous_answered = false;
  for (int i = 0; i < 3000; ++i) {
    const auto c = h.send(i);
    const bool answered = i % 7 != 3 && i % 11 != 5;
    if (answered) h.aggregator.on_reply(c, (i + 1 + i % 4) * kMs);
    if (answered && previous_answered) ++expected_pairs;
    previous_answered = answered;
    if (i % 20 == 0) h.advance(i);
  }
  h.aggregator.finish(h.out);
  EXPECT_EQ(total_pairs(h.out.frames), expected_pairs);
}

TEST(FrameAggregator, JitterIsKeptToTheMicrosecond) {
  Harness h;
  const auto a = h.send(0);
  const auto b = h.send(10);
  const auto c = h.send(20);
  h.aggregator.on_reply(a, 1 * kMs);                // 1.000000 ms
  h.aggregator.on_reply(b, 10 * kMs + 1'000'400);   // 1.000400 ms: |delta| 0.4 us -> 0
  h.aggregator.on_reply(c, 20 * kMs + 1'002'000);   // 1.002000 ms: |delta| 1.6 us -> 2 us
  h.advance(1100);
  ASSERT_EQ(h.out.frames.size(), 1u);
  EXPECT_EQ(*h.out.frames[0].jitter, (JitterSum{2000, 2}));
}
