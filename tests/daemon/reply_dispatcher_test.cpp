// SPDX-License-Identifier: GPL-3.0-or-later
// ReplyDispatcher: replies go to the host whose cookie they carry; stale cookies, wrong
// sources and unknown counters are counted as foreign, never given to a host.
#include "zzping/daemon/reply_dispatcher.hpp"

#include <gtest/gtest.h>

namespace zzping::daemon {
namespace {

constexpr std::int64_t kMs = 1'000'000;

struct Host {
  FrameAggregator aggregator{AggregatorSettings{}};
  std::optional<IpAddress> address = IpAddress::parse("192.0.2.7");
};

ReceivedReply reply(std::uint64_t cookie, std::uint64_t counter, const char* source = "192.0.2.7",
                    IcmpKind kind = IcmpKind::echo_reply) {
  return ReceivedReply{*IpAddress::parse(source), cookie, counter, 5 * kMs, kind};
}

TEST(ReplyDispatcher, RoutesByCookieAndCountsWhatBelongsToNoHost) {
  Host a;
  Host b;
  ReplyDispatcher dispatcher;
  dispatcher.add(11, {&a.aggregator, &a.address});
  dispatcher.add(22, {&b.aggregator, &b.address});
  const std::uint64_t counter = a.aggregator.on_sent(1 * kMs, 1 * kMs);
  b.aggregator.on_sent(1 * kMs, 1 * kMs);

  EXPECT_EQ(dispatcher.dispatch(reply(11, counter)), ReplyDispatcher::Outcome::reply);
  EXPECT_EQ(a.aggregator.last_reply_mono_ns(), 5 * kMs);
  EXPECT_EQ(b.aggregator.last_reply_mono_ns(), 0);  // b's probe is still unanswered
  EXPECT_EQ(dispatcher.dispatch(reply(33, counter)), ReplyDispatcher::Outcome::unknown_cookie);
  EXPECT_EQ(dispatcher.dispatch(reply(22, counter, "198.51.100.1")), ReplyDispatcher::Outcome::wrong_source);
  EXPECT_EQ(dispatcher.dispatch(reply(22, 999)), ReplyDispatcher::Outcome::unknown_token);
  EXPECT_EQ(b.aggregator.in_flight(), 1u);

  const auto& counts = dispatcher.counts();
  EXPECT_EQ(counts.replies, 1u);
  EXPECT_EQ(counts.unknown_cookie, 1u);
  EXPECT_EQ(counts.wrong_source, 1u);
  EXPECT_EQ(counts.unknown_token, 1u);
  EXPECT_EQ(counts.foreign(), 3u);
}

TEST(ReplyDispatcher, IcmpErrorsComeFromRoutersSoTheirSourceIsNotChecked) {
  Host a;
  ReplyDispatcher dispatcher;
  dispatcher.add(11, {&a.aggregator, &a.address});
  const std::uint64_t counter = a.aggregator.on_sent(1 * kMs, 1 * kMs);
  EXPECT_EQ(dispatcher.dispatch(reply(11, counter, "10.0.0.1", IcmpKind::dest_unreachable)),
            ReplyDispatcher::Outcome::icmp_error);
  EXPECT_EQ(dispatcher.counts().icmp_errors, 1u);
  AggregatorOutput out;
  a.aggregator.finish(out);
  ASSERT_FALSE(out.frames.empty());
  EXPECT_EQ(out.frames.front().icmp_errors, 1u);
}

TEST(ReplyDispatcher, AnUnresolvedOrRemovedHostTakesNothing) {
  Host a;
  a.address.reset();  // not resolved yet
  ReplyDispatcher dispatcher;
  dispatcher.add(11, {&a.aggregator, &a.address});
  const std::uint64_t counter = a.aggregator.on_sent(1 * kMs, 1 * kMs);
  EXPECT_EQ(dispatcher.dispatch(reply(11, counter)), ReplyDispatcher::Outcome::wrong_source);
  dispatcher.remove(11);
  EXPECT_EQ(dispatcher.dispatch(reply(11, counter)), ReplyDispatcher::Outcome::unknown_cookie);
  EXPECT_EQ(a.aggregator.in_flight(), 1u);
}

TEST(ReplyDispatcher, TraceAnswersGoToTheTracerNeverToTheHostsFrames) {
  Host a;
  PathTracer tracer(TraceSettings{});
  ReplyDispatcher dispatcher;
  dispatcher.add(11, {&a.aggregator, &a.address});
  dispatcher.add_trace(12, {&tracer, &a.address});
  a.aggregator.on_sent(1 * kMs, 1 * kMs);
  const auto ttl1 = tracer.take_due_probe(1 * kMs, 1 * kMs);
  const auto ttl2 = tracer.take_due_probe(60 * kMs, 60 * kMs);
  ASSERT_TRUE(ttl1 && ttl2);
  EXPECT_EQ(dispatcher.dispatch(reply(12, ttl1->counter, "10.0.0.1", IcmpKind::time_exceeded)),
            ReplyDispatcher::Outcome::trace);
  // An echo reply to a trace probe counts only from the host's address.
  EXPECT_EQ(dispatcher.dispatch(reply(12, ttl2->counter, "198.51.100.1")), ReplyDispatcher::Outcome::wrong_source);
  EXPECT_EQ(dispatcher.dispatch(reply(12, ttl2->counter)), ReplyDispatcher::Outcome::trace);
  EXPECT_EQ(dispatcher.counts().trace, 2u);
  EXPECT_EQ(dispatcher.counts().icmp_errors, 0u);
  EXPECT_EQ(dispatcher.counts().replies, 0u);
  const auto path = tracer.advance(61 * kMs);
  ASSERT_TRUE(path.has_value());
  EXPECT_TRUE(path->reached);
  EXPECT_EQ(path->hops[0].address, "10.0.0.1");
  EXPECT_EQ(path->hops[1].address, "192.0.2.7");
  AggregatorOutput out;
  a.aggregator.finish(out);
  ASSERT_FALSE(out.frames.empty());
  EXPECT_EQ(out.frames.front().sent, 1u);
  EXPECT_EQ(out.frames.front().recv, 0u);
  EXPECT_EQ(out.frames.front().icmp_errors, 0u);
  dispatcher.remove_trace(12);
  EXPECT_EQ(dispatcher.dispatch(reply(12, ttl1->counter, "10.0.0.1", IcmpKind::time_exceeded)),
            ReplyDispatcher::Outcome::unknown_cookie);
}

}  // namespace
}  // namespace zzping::daemon
