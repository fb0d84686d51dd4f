// SPDX-License-Identifier: GPL-3.0-or-later
// PathTracer: when traces start (start, interval, loss burst with hold-off), the probe budget
// (one per TTL, spaced, none beyond the end), answer matching and the snapshots it makes.
#include "zzping/daemon/path_tracer.hpp"

#include <gtest/gtest.h>

#include "zzping/daemon/ip_address.hpp"

#include <map>

namespace zzping::daemon {
namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kS = 1000 * kMs;
constexpr std::int64_t kWall0 = 1'700'000'000'000 * kMs;

using Answer = PathTracer::Answer;

TraceSettings settings(std::uint8_t max_ttl = 8, std::int64_t interval_ns = 600 * kS) {
  TraceSettings s;
  s.max_ttl = max_ttl;
  s.interval_ns = interval_ns;
  return s;
}

// A network answering trace probes: hop addresses by TTL, the target at `target_ttl` (0:
// unreachable), and each answer `rtt` after the probe.
struct FakePath {
  std::map<std::uint8_t, std::string> hops;
  std::uint8_t target_ttl = 0;
  std::int64_t rtt = 2 * kMs;
};

// Drives a tracer in 10 ms steps from `from` until a snapshot comes out (or `limit`);
// returns it and the probes sent.
struct TraceRun {
  std::optional<PathSnapshot> path;
  std::vector<TraceProbe> probes;
  std::vector<std::int64_t> send_times;
  std::int64_t finished_at = 0;
};

TraceRun drive(PathTracer& tracer, const FakePath& net, std::int64_t from, std::int64_t limit = 10 * kS) {
  TraceRun run;
  std::vector<std::pair<std::int64_t, TraceProbe>> in_flight;
  for (std::int64_t now = from; now < from + limit; now += 10 * kMs) {
    for (auto it = in_flight.begin(); it != in_flight.end();) {
      if (it->first + net.rtt > now) {
        ++it;
        continue;
      }
      const TraceProbe probe = it->second;
      if (net.target_ttl != 0 && probe.ttl >= net.target_ttl) {
        tracer.on_answer(Answer::echo_reply, probe.counter, "198.51.100.9", it->first + net.rtt);
      } else if (const auto hop = net.hops.find(probe.ttl); hop != net.hops.end()) {
        tracer.on_answer(Answer::time_exceeded, probe.counter, hop->second, it->first + net.rtt);
      }
      it = in_flight.erase(it);
    }
    if (auto path = tracer.advance(now)) {
      run.path = std::move(path);
      run.finished_at = now;
      return run;
    }
    if (auto probe = tracer.take_due_probe(now, kWall0 + now)) {
      run.probes.push_back(*probe);
      run.send_times.push_back(now);
      in_flight.emplace_back(now, *probe);
    }
  }
  return run;
}

const FakePath kThreeHops{{{1, "10.0.0.1"}, {2, "10.0.1.1"}}, 3, 2 * kMs};

TEST(PathTracer, StartTraceListsEveryHopAndStopsAtTheTarget) {
  PathTracer tracer(settings());
  const TraceRun run = drive(tracer, kThreeHops, 0);
  ASSERT_TRUE(run.path.has_value());
  const PathSnapshot& path = *run.path;
  EXPECT_EQ(path.trigger, PathTrigger::start);
  EXPECT_EQ(path.t_ms, kWall0 / kMs);
  EXPECT_TRUE(path.reached);
  EXPECT_FALSE(path.route_changed);
  ASSERT_EQ(path.hops.size(), 3u);
  EXPECT_EQ(path.hops[0], (PathHop{1, "10.0.0.1", 2000}));
  EXPECT_EQ(path.hops[1], (PathHop{2, "10.0.1.1", 2000}));
  EXPECT_EQ(path.hops[2], (PathHop{3, "198.51.100.9", 2000}));
  EXPECT_EQ(last_answering_hop(path), "198.51.100.9");
  // One probe per TTL, 50 ms apart; TTL 4 never goes out (TTL 3's reply came first).
  ASSERT_EQ(run.probes.size(), 3u);
  for (std::size_t i = 0; i < run.probes.size(); ++i) {
    EXPECT_EQ(run.probes[i].ttl, i + 1);
    EXPECT_EQ(run.probes[i].counter, trace_counter(1, static_cast<std::uint8_t>(i + 1)));
    if (i > 0) {
      EXPECT_GE(run.send_times[i] - run.send_times[i - 1], kTraceProbeGapNs);
    }
  }
  EXPECT_EQ(tracer.probes_sent(), 3u);
  EXPECT_FALSE(tracer.tracing());
}

TEST(PathTracer, TraceCountersNeverLookLikeAHostsCounters) {
  EXPECT_NE(trace_counter(1, 1) & kTraceCounterBit, 0u);
  EXPECT_EQ(trace_counter(7, 30) & 0xffu, 30u);
  EXPECT_EQ((trace_counter(7, 30) & ~kTraceCounterBit) >> 8, 7u);
}

TEST(PathTracer, AnOutageTraceEndsAtTheLastHopThatAnswersAfterEveryTtlTimedOut) {
  PathTracer tracer(settings(8));
  const FakePath outage{{{1, "10.0.0.1"}}, 0, 2 * kMs};
  const TraceRun run = drive(tracer, outage, 0);
  ASSERT_TRUE(run.path.has_value());
  EXPECT_FALSE(run.path->reached);
  ASSERT_EQ(run.path->hops.size(), 1u);  // the silent TTLs 2..8 are not listed
  EXPECT_EQ(last_answering_hop(*run.path), "10.0.0.1");
  EXPECT_EQ(run.probes.size(), 8u);  // every TTL up to max_ttl, once
  // It ends one timeout after the last probe, not before.
  EXPECT_GE(run.finished_at - run.send_times.back(), TraceSettings{}.timeout_ns);
  EXPECT_LT(run.finished_at - run.send_times.back(), TraceSettings{}.timeout_ns + 20 * kMs);
}

TEST(PathTracer, SilentHopInTheMiddleIsAnEmptyHop) {
  PathTracer tracer(settings());
  const FakePath net{{{1, "10.0.0.1"}, {3, "10.0.2.1"}}, 4, 2 * kMs};
  const TraceRun run = drive(tracer, net, 0);
  ASSERT_TRUE(run.path.has_value());
  ASSERT_EQ(run.path->hops.size(), 4u);
  EXPECT_EQ(run.path->hops[1], (PathHop{2, "", std::nullopt}));
  EXPECT_TRUE(run.path->reached);
}

TEST(PathTracer, UnreachableFromAHopEndsThePathThere) {
  PathTracer tracer(settings());
  ASSERT_TRUE(tracer.take_due_probe(0, kWall0).has_value());
  tracer.on_answer(Answer::time_exceeded, trace_counter(1, 1), "10.0.0.1", 1 * kMs);
  ASSERT_TRUE(tracer.take_due_probe(50 * kMs, kWall0).has_value());
  tracer.on_answer(Answer::unreachable, trace_counter(1, 2), "10.0.1.1", 51 * kMs);
  EXPECT_FALSE(tracer.take_due_probe(100 * kMs, kWall0).has_value()) << "nothing beyond the unreachable hop";
  const auto path = tracer.advance(100 * kMs);
  ASSERT_TRUE(path.has_value());
  EXPECT_FALSE(path->reached);
  ASSERT_EQ(path->hops.size(), 2u);
  EXPECT_EQ(last_answering_hop(*path), "10.0.1.1");
}

TEST(PathTracer, StaleAndDuplicateAnswersAreIgnored) {
  PathTracer tracer(settings(2));
  ASSERT_TRUE(tracer.take_due_probe(0, kWall0).has_value());
  tracer.on_answer(Answer::time_exceeded, 1, "10.9.9.9", 1 * kMs);                     // a host's counter
  tracer.on_answer(Answer::time_exceeded, trace_counter(9, 1), "10.9.9.9", 1 * kMs);   // another trace
  tracer.on_answer(Answer::time_exceeded, trace_counter(1, 2), "10.9.9.9", 1 * kMs);   // TTL not sent yet
  tracer.on_answer(Answer::time_exceeded, trace_counter(1, 1), "10.0.0.1", 3 * kMs);
  tracer.on_answer(Answer::time_exceeded, trace_counter(1, 1), "10.9.9.9", 4 * kMs);   // second answer
  ASSERT_TRUE(tracer.take_due_probe(50 * kMs, kWall0).has_value());
  tracer.on_answer(Answer::echo_reply, trace_counter(1, 2), "198.51.100.9", 52 * kMs);
  const auto path = tracer.advance(60 * kMs);
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(path->hops[0], (PathHop{1, "10.0.0.1", 3000}));
  EXPECT_EQ(path->hops[1], (PathHop{2, "198.51.100.9", 2000}));
}

TEST(PathTracer, TracesAgainEveryIntervalAndNeverWhenTheIntervalIsZero) {
  PathTracer tracer(settings(8, 10 * kS));
  ASSERT_TRUE(drive(tracer, kThreeHops, 0).path.has_value());
  EXPECT_FALSE(tracer.take_due_probe(9 * kS, kWall0).has_value());
  const TraceRun again = drive(tracer, kThreeHops, 10 * kS);
  ASSERT_TRUE(again.path.has_value());
  EXPECT_EQ(again.path->trigger, PathTrigger::interval);
  EXPECT_EQ(again.send_times.front(), 10 * kS);

  PathTracer once(settings(8, 0));
  ASSERT_TRUE(drive(once, kThreeHops, 0).path.has_value());
  EXPECT_FALSE(once.take_due_probe(100'000 * kS, kWall0).has_value());
}

TEST(PathTracer, ALossRunThatBeginsTracesAtOnceReplacingARunningTrace) {
  PathTracer tracer(settings(8, 0));
  ASSERT_TRUE(drive(tracer, kThreeHops, 0).path.has_value());
  tracer.on_loss_run(0, 5 * kS, kWall0);
  EXPECT_FALSE(tracer.tracing());
  tracer.on_loss_run(1, 6 * kS, kWall0 + 6 * kS);  // the first probe of a run timed out
  ASSERT_TRUE(tracer.tracing());
  const auto first = tracer.take_due_probe(6 * kS, kWall0 + 6 * kS);
  ASSERT_TRUE(first.has_value()) << "the first TTL goes out at the same moment";
  EXPECT_EQ(first->ttl, 1);
  tracer.on_answer(Answer::time_exceeded, first->counter, "10.0.0.1", 6 * kS + 2 * kMs);
  const TraceRun run = drive(tracer, FakePath{{{1, "10.0.0.1"}}, 0, 2 * kMs}, 6 * kS + 10 * kMs);
  ASSERT_TRUE(run.path.has_value());
  EXPECT_EQ(run.path->trigger, PathTrigger::loss_burst);
  EXPECT_EQ(run.path->t_ms, (kWall0 + 6 * kS) / kMs);
  EXPECT_FALSE(run.path->reached);
  EXPECT_EQ(last_answering_hop(*run.path), "10.0.0.1");
  EXPECT_FALSE(run.path->route_changed) << "silent hops are wildcards, not a new route";

  // An interval trace running when a burst starts gives way to a loss-burst trace.
  PathTracer busy(settings(8, 0));
  ASSERT_TRUE(busy.take_due_probe(0, kWall0).has_value());
  busy.on_loss_run(1, 20 * kMs, kWall0 + 20 * kMs);
  const auto replaced = busy.take_due_probe(20 * kMs, kWall0 + 20 * kMs);
  ASSERT_TRUE(replaced.has_value());
  EXPECT_EQ(replaced->counter, trace_counter(2, 1));
}

TEST(PathTracer, LossBurstTracesAreHeldOffAndARunningRunDoesNotRetrigger) {
  PathTracer tracer(settings(8, 0));
  tracer.on_loss_run(1, 1 * kS, kWall0);
  ASSERT_TRUE(tracer.tracing());
  ASSERT_TRUE(drive(tracer, kThreeHops, 1 * kS).path.has_value());
  tracer.on_loss_run(5, 3 * kS, kWall0);  // the same run goes on
  EXPECT_FALSE(tracer.tracing());
  tracer.on_loss_run(0, 4 * kS, kWall0);
  tracer.on_loss_run(1, 5 * kS, kWall0);  // a new run within the hold-off
  EXPECT_FALSE(tracer.tracing());
  tracer.on_loss_run(0, 60 * kS, kWall0);
  tracer.on_loss_run(1, 1 * kS + kTraceBurstHoldoffNs, kWall0);  // hold-off over
  EXPECT_TRUE(tracer.tracing());
}

TEST(PathTracer, ARouteChangeIsFlaggedAgainstThePreviousSnapshot) {
  PathTracer tracer(settings(8, 10 * kS));
  ASSERT_TRUE(drive(tracer, kThreeHops, 0).path.has_value());
  const FakePath rerouted{{{1, "10.0.0.1"}, {2, "10.0.5.1"}}, 3, 2 * kMs};
  const TraceRun changed = drive(tracer, rerouted, 10 * kS);
  ASSERT_TRUE(changed.path.has_value());
  EXPECT_TRUE(changed.path->route_changed);
  const TraceRun same = drive(tracer, rerouted, 20 * kS);
  ASSERT_TRUE(same.path.has_value());
  EXPECT_FALSE(same.path->route_changed);
}

TEST(PathTracer, NewSettingsApplyFromTheNextTrace) {
  PathTracer tracer(settings(8, 0));
  ASSERT_TRUE(drive(tracer, kThreeHops, 0).path.has_value());
  tracer.set_settings(settings(2, 5 * kS));
  const TraceRun run = drive(tracer, FakePath{{{1, "10.0.0.1"}}, 0, 2 * kMs}, 5 * kS);
  ASSERT_TRUE(run.path.has_value());
  EXPECT_EQ(run.probes.size(), 2u);  // max_ttl 2
  EXPECT_EQ(run.path->trigger, PathTrigger::interval);
}

TEST(TraceProbeBudget, AllowsABurstThenTheRatePerSecond) {
  TraceProbeBudget budget;
  int taken = 0;
  for (std::int64_t now = 0; now <= 2 * kS; now += 1 * kMs) {
    while (budget.available(now)) {
      budget.take();
      ++taken;
    }
    if (now == 0) {
      EXPECT_EQ(taken, static_cast<int>(kTraceProbeBurst));
    }
  }
  // The burst, then 50 per second for 2 s.
  EXPECT_EQ(taken, static_cast<int>(kTraceProbeBurst + 2 * kTraceProbesPerSecond));
  EXPECT_FALSE(budget.available(2 * kS));
}

TEST(PathTracer, ADirectlyConnectedTargetIsTracedOnlyOnce) {
  PathTracer tracer(settings(8, 1 * kS));
  const TraceRun run = drive(tracer, FakePath{{}, 1, 2 * kMs}, 0);
  ASSERT_TRUE(run.path.has_value());
  EXPECT_TRUE(run.path->reached);
  EXPECT_EQ(run.path->hops.size(), 1u);
  EXPECT_EQ(run.probes.size(), 1u);
  EXPECT_FALSE(tracer.take_due_probe(10 * kS, kWall0).has_value()) << "no interval trace";
  tracer.on_loss_run(1, 11 * kS, kWall0);
  EXPECT_FALSE(tracer.tracing()) << "no loss-burst trace";
}

// Loopback targets are never traced (Pinger checks the resolved address).
TEST(PathTracer, LoopbackAddressesAreRecognised) {
  for (const char* yes : {"127.0.0.1", "127.255.0.9", "::1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(IpAddress::parse(yes)->is_loopback()) << yes;
  }
  for (const char* no : {"128.0.0.1", "10.0.0.1", "::2", "fe80::1", "::ffff:10.0.0.1", "::"}) {
    EXPECT_FALSE(IpAddress::parse(no)->is_loopback()) << no;
  }
}

}  // namespace
}  // namespace zzping::daemon
