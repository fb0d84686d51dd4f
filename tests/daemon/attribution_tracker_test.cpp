// SPDX-License-Identifier: GPL-3.0-or-later
// AttributionTracker: when a loss burst is attributed (its frames final on every target, or
// the deadline), with which evidence, and how bursts become incidents. A small simulation
// produces what the pinger would: probes every `period` ms, a frame final frame_ms +
// timeout_ms after its start, a burst reported when its last lost probe times out.
#include "zzping/daemon/attribution_tracker.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace {

using zzping::Frame;
using zzping::LossEvent;
using zzping::attribution::Cause;
using zzping::attribution::Role;
using zzping::daemon::AttributionOutput;
using zzping::daemon::AttributionSettings;
using zzping::daemon::AttributionTracker;
using zzping::daemon::HostInfo;

constexpr std::int64_t kT0 = 1'700'000'000'000;  // a whole second
constexpr std::int64_t kFrame = 100;
constexpr std::int64_t kTimeout = 1000;
constexpr std::int64_t kStep = 20;  // the pinger's housekeeping period

struct SimHost {
  HostInfo info;
  std::int64_t period_ms = 100;
  std::vector<std::pair<std::int64_t, std::int64_t>> outages;  // [from, to): probes sent then are lost
  bool silent = false;      // never resolved: no probe, no frame
  std::int64_t flap_until = 0;  // before then, the probes of every other frame are lost
  std::int64_t next_frame = kT0;
  std::int64_t next_probe = kT0;
  LossEvent run{};
  std::vector<std::pair<std::int64_t, LossEvent>> events_due;  // (delivery time, event)
  bool removed = false;

  bool lost_at(std::int64_t t) const {
    if (t < flap_until && (t - kT0) / 100 % 2 == 0) return true;
    return std::any_of(outages.begin(), outages.end(), [t](const auto& o) { return t >= o.first && t < o.second; });
  }
};

struct Emitted {
  std::int64_t at_ms;
  AttributionOutput::Burst burst;
};
struct EmittedIncident {
  std::int64_t at_ms;
  zzping::attribution::Incident incident;
};

class Sim {
 public:
  Sim() : tracker_(AttributionSettings{kFrame, kTimeout}) {}

  SimHost& add(const std::string& name, Role role, std::int64_t period_ms = 100) {
    SimHost host;
    host.info.name = name;
    host.info.role = role;
    host.info.frame_ms = kFrame;
    host.period_ms = period_ms;
    // Probes start on the next whole second, like a host the pinger adds.
    host.next_probe = host.next_frame = kT0 + (now_ - kT0 + 999) / 1000 * 1000;
    hosts_[name] = host;
    tracker_.add_host(hosts_[name].info, now_);
    return hosts_[name];
  }
  SimHost& host(const std::string& name) { return hosts_.at(name); }
  AttributionTracker& tracker() { return tracker_; }
  std::int64_t now() const { return now_; }

  void run_until(std::int64_t end_ms, std::int64_t step = kStep) {
    while (now_ < end_ms) {
      now_ += step;
      for (auto& [name, host] : hosts_) produce(host);
      AttributionOutput out;
      tracker_.advance(now_, out);
      collect(out);
    }
  }
  void remove(const std::string& name) {
    SimHost& host = hosts_.at(name);
    host.removed = true;
    // The pinger finishes the host: its remaining probes count as lost, all frames final.
    tracker_.remove_host(name, now_);
  }
  void finish() {
    AttributionOutput out;
    tracker_.finish(out);
    collect(out);
  }

  std::vector<Emitted> bursts;
  std::vector<EmittedIncident> incidents;

  const Emitted& burst_of(const std::string& name, std::size_t nth = 0) const {
    std::size_t seen = 0;
    for (const auto& b : bursts) {
      if (b.burst.burst.burst.target == name && seen++ == nth) return b;
    }
    throw std::runtime_error("no burst of " + name);
  }

 private:
  void collect(AttributionOutput& out) {
    for (auto& b : out.bursts) bursts.push_back(Emitted{now_, std::move(b)});
    for (auto& i : out.incidents) incidents.push_back(EmittedIncident{now_, std::move(i)});
  }

  // Probes sent up to now - timeout are resolved; their frames are final once the frame's
  // end is a timeout ago; a burst is reported when its last lost probe times out.
  void produce(SimHost& host) {
    if (host.removed || host.silent) return;
    while (host.next_probe + kTimeout <= now_) {
      const std::int64_t t = host.next_probe;
      if (host.lost_at(t)) {
        if (host.run.probes_lost == 0) host.run.start_ms = t;
        host.run.end_ms = t;
        ++host.run.probes_lost;
        // The next probe was answered (in far less than the timeout): the run ends now.
        if (!host.lost_at(t + host.period_ms)) {
          if (host.run.probes_lost >= 2) host.events_due.emplace_back(now_, host.run);
          host.run = LossEvent{};
        }
      }
      host.next_probe += host.period_ms;
    }
    while (host.next_frame + kFrame + kTimeout <= now_) {
      Frame frame;
      frame.t_ms = host.next_frame;
      frame.length_ms = kFrame;
      for (std::int64_t t = kT0 + (host.next_frame - kT0 + host.period_ms - 1) / host.period_ms * host.period_ms;
           t < host.next_frame + kFrame; t += host.period_ms) {
        ++frame.sent;
        ++(host.lost_at(t) ? frame.lost : frame.recv);
      }
      if (frame.sent > 0) tracker_.on_frame(host.info, frame);
      host.next_frame += kFrame;
    }
    for (const auto& [at, event] : host.events_due) tracker_.on_event(host.info, event);
    host.events_due.clear();
  }

  AttributionTracker tracker_;
  std::map<std::string, SimHost> hosts_;
  std::int64_t now_ = kT0;
};

// Three targets: the router and two internet targets, 10 probes/s.
Sim three_targets() {
  Sim sim;
  sim.add("gw", Role::gateway);
  sim.add("a", Role::internet);
  sim.add("b", Role::internet);
  return sim;
}

std::int64_t frame_of(std::int64_t t) { return t / kFrame * kFrame; }
// The first housekeeping at or after `t` (steps of 20 ms from kT0).
std::int64_t first_step_at(std::int64_t t) { return kT0 + (t - kT0 + kStep - 1) / kStep * kStep; }

TEST(AttributionTracker, UpstreamWhenBothInternetTargetsLoseAndTheGatewayAnswers) {
  Sim sim = three_targets();
  sim.host("a").outages = {{kT0 + 5000, kT0 + 6000}};
  sim.host("b").outages = {{kT0 + 5000, kT0 + 6000}};
  sim.run_until(kT0 + 10'000);
  ASSERT_EQ(sim.bursts.size(), 2u);
  for (const auto* name : {"a", "b"}) {
    const auto& b = sim.burst_of(name);
    EXPECT_EQ(b.burst.burst.attribution.cause, Cause::upstream) << b.burst.burst.attribution.reason;
    EXPECT_EQ(b.burst.burst.burst.start_ms, kT0 + 5000);
    EXPECT_EQ(b.burst.burst.burst.end_ms, kT0 + 5900);
    EXPECT_EQ(b.burst.burst.burst.probes_lost, 10u);
    EXPECT_EQ(b.burst.burst.attribution.answered, std::vector<std::string>{"gw"});
    // Known as soon as every target's frame after the burst's last is final, no later.
    EXPECT_EQ(b.at_ms, first_step_at(frame_of(kT0 + 5900) + 2 * kFrame + kTimeout));
    EXPECT_EQ(b.burst.host.role, Role::internet);
  }
  EXPECT_EQ(sim.burst_of("a").burst.burst.attribution.lost_too, std::vector<std::string>{"b"});
  ASSERT_EQ(sim.incidents.size(), 1u);
  const auto& incident = sim.incidents[0].incident;
  EXPECT_EQ(incident.cause, Cause::upstream);
  EXPECT_EQ(incident.targets, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(incident.start_ms, kT0 + 5000);
  EXPECT_EQ(incident.end_ms, kT0 + 5900);
  EXPECT_EQ(incident.probes_lost, 20u);
  EXPECT_EQ(incident.last_hop, "");
  // Emitted once the frame after end + one frame is final everywhere.
  EXPECT_EQ(sim.incidents[0].at_ms, first_step_at(frame_of(kT0 + 5900 + kFrame) + kFrame + kTimeout));
  EXPECT_EQ(sim.tracker().pending_bursts(), 0u);
  EXPECT_EQ(sim.tracker().unmerged_bursts(), 0u);
}

TEST(AttributionTracker, DestinationWhenTheOtherInternetTargetAnswers) {
  Sim sim = three_targets();
  sim.host("a").outages = {{kT0 + 5000, kT0 + 5500}};
  sim.run_until(kT0 + 10'000);
  ASSERT_EQ(sim.bursts.size(), 1u);
  EXPECT_EQ(sim.bursts[0].burst.burst.attribution.cause, Cause::destination);
  EXPECT_EQ(sim.bursts[0].burst.burst.attribution.answered, (std::vector<std::string>{"b", "gw"}));
  ASSERT_EQ(sim.incidents.size(), 1u);
  EXPECT_EQ(sim.incidents[0].incident.cause, Cause::destination);
  EXPECT_EQ(sim.incidents[0].incident.targets, std::vector<std::string>{"a"});
}

TEST(AttributionTracker, LocalWhenTheGatewayLosesToo_OneIncidentAcrossThreeTargets) {
  Sim sim = three_targets();
  // One event seen a frame apart on each target.
  sim.host("gw").outages = {{kT0 + 5000, kT0 + 6000}};
  sim.host("a").outages = {{kT0 + 5050, kT0 + 6100}};
  sim.host("b").outages = {{kT0 + 4950, kT0 + 5950}};
  sim.run_until(kT0 + 10'000);
  ASSERT_EQ(sim.bursts.size(), 3u);
  for (const auto& b : sim.bursts) {
    EXPECT_EQ(b.burst.burst.attribution.cause, Cause::local)
        << b.burst.burst.burst.target << ": " << b.burst.burst.attribution.reason;
  }
  EXPECT_EQ(sim.burst_of("gw").burst.host.role, Role::gateway);
  ASSERT_EQ(sim.incidents.size(), 1u);
  const auto& incident = sim.incidents[0].incident;
  EXPECT_EQ(incident.cause, Cause::local);
  EXPECT_EQ(incident.targets, (std::vector<std::string>{"a", "b", "gw"}));
  EXPECT_EQ(incident.start_ms, kT0 + 5000);  // the first lost probes of b and gw
  EXPECT_EQ(incident.end_ms, kT0 + 6000);    // a's last lost probe
  EXPECT_EQ(incident.probes_lost, 30u);
}

TEST(AttributionTracker, GatewayOnlyWhenOnlyTheRouterDrops) {
  Sim sim = three_targets();
  sim.host("gw").outages = {{kT0 + 5000, kT0 + 5300}};
  sim.run_until(kT0 + 10'000);
  ASSERT_EQ(sim.bursts.size(), 1u);
  EXPECT_EQ(sim.bursts[0].burst.burst.attribution.cause, Cause::gateway_only);
  ASSERT_EQ(sim.incidents.size(), 1u);
  EXPECT_EQ(sim.incidents[0].incident.cause, Cause::gateway_only);
}

// The link goes down: the gateway loses, a loopback target still answers. Loopback is no
// evidence about the network, so this is local (not gateway_only, which would call the
// outage harmless).
TEST(AttributionTracker, LoopbackTargetsAreNoEvidenceAndTheirOwnLossIsLocal) {
  Sim sim;
  // Added before their names resolved (no address yet), as the pinger does; the frames
  // then carry the address.
  sim.add("gw", Role::gateway).info.address = "10.0.0.1";
  sim.add("lo", Role::internet).info.address = "127.0.0.1";
  sim.add("lo6", Role::internet).info.address = "::1";
  sim.add("a", Role::internet).info.address = "192.0.2.7";
  sim.host("gw").outages = {{kT0 + 5000, kT0 + 6000}};
  sim.host("a").outages = {{kT0 + 5000, kT0 + 6000}};
  sim.host("lo").outages = {{kT0 + 8000, kT0 + 8300}};
  sim.run_until(kT0 + 12'000);
  ASSERT_EQ(sim.bursts.size(), 3u);
  EXPECT_EQ(sim.burst_of("gw").burst.burst.attribution.cause, Cause::local)
      << sim.burst_of("gw").burst.burst.attribution.reason;
  EXPECT_EQ(sim.burst_of("a").burst.burst.attribution.cause, Cause::local);
  for (const auto* name : {"gw", "a"}) {
    const auto& answered = sim.burst_of(name).burst.burst.attribution.answered;
    EXPECT_TRUE(answered.empty()) << name << ": loopback targets are not listed as evidence";
  }
  const auto& lo = sim.burst_of("lo").burst.burst.attribution;
  EXPECT_EQ(lo.cause, Cause::local);
  EXPECT_EQ(lo.reason, "loopback target: the loss is on this machine itself");
}

TEST(AttributionTracker, UnknownWithoutAGatewaySaysSo) {
  Sim sim;
  sim.add("a", Role::internet);
  sim.add("b", Role::isp);
  sim.host("a").outages = {{kT0 + 5000, kT0 + 5500}};
  sim.host("b").outages = {{kT0 + 5000, kT0 + 5500}};
  sim.run_until(kT0 + 10'000);
  ASSERT_EQ(sim.bursts.size(), 2u);
  for (const auto& b : sim.bursts) {
    EXPECT_EQ(b.burst.burst.attribution.cause, Cause::unknown);
    EXPECT_EQ(b.burst.burst.attribution.reason, "no gateway target: local and upstream look alike");
  }
}

TEST(AttributionTracker, SlowTargetIsWaitedForUntilTheDeadlineThenCountsAsNoData) {
  Sim sim = three_targets();
  sim.add("slow", Role::internet, 1000);  // one probe a second: none during a 300 ms burst
  sim.host("a").outages = {{kT0 + 5100, kT0 + 5400}};
  sim.host("b").silent = true;  // b never resolved: no frame at all
  sim.run_until(kT0 + 10'000);
  ASSERT_EQ(sim.bursts.size(), 1u);
  const auto& b = sim.bursts[0];
  EXPECT_EQ(b.burst.burst.attribution.cause, Cause::unknown);
  EXPECT_EQ(b.burst.burst.attribution.reason,
            "only this internet/isp target lost while the gateway answered; upstream needs two (other internet/isp "
            "targets without data: b, slow)");
  // The frames of b and slow never reach the burst's end: attributed at the deadline,
  // timeout + 2 frames after the point the others' frames are final.
  const std::int64_t point = frame_of(kT0 + 5300) + 2 * kFrame;
  EXPECT_EQ(b.at_ms, first_step_at(point + kTimeout + 2 * kFrame));
}

TEST(AttributionTracker, UnknownWhenTheGatewayHasNoData) {
  Sim sim = three_targets();
  sim.host("gw").silent = true;
  sim.host("a").outages = {{kT0 + 5000, kT0 + 5500}};
  sim.host("b").outages = {{kT0 + 5000, kT0 + 5500}};
  sim.run_until(kT0 + 10'000);
  ASSERT_EQ(sim.bursts.size(), 2u);
  EXPECT_EQ(sim.bursts[0].burst.burst.attribution.cause, Cause::unknown);
  EXPECT_EQ(sim.bursts[0].burst.burst.attribution.reason, "the gateway target has no data during the burst: gw");
}

TEST(AttributionTracker, OneFrameOfToleranceAtEachEdge) {
  {
    // b starts losing in the frame right after a's last lost frame: it lost too, and the
    // two bursts (one frame apart) are one incident.
    Sim sim = three_targets();
    sim.host("a").outages = {{kT0 + 5000, kT0 + 5500}};
    sim.host("b").outages = {{kT0 + 5500, kT0 + 6000}};
    sim.run_until(kT0 + 10'000);
    EXPECT_EQ(sim.burst_of("a").burst.burst.attribution.cause, Cause::upstream);
    EXPECT_EQ(sim.burst_of("a").burst.burst.attribution.lost_too, std::vector<std::string>{"b"});
    EXPECT_EQ(sim.burst_of("b").burst.burst.attribution.cause, Cause::upstream);
    ASSERT_EQ(sim.incidents.size(), 1u);
    EXPECT_EQ(sim.incidents[0].incident.targets, (std::vector<std::string>{"a", "b"}));
  }
  {
    // One frame more between them: b answered during a's burst and a during b's.
    Sim sim = three_targets();
    sim.host("a").outages = {{kT0 + 5000, kT0 + 5500}};
    sim.host("b").outages = {{kT0 + 5600, kT0 + 6100}};
    sim.run_until(kT0 + 10'000);
    EXPECT_EQ(sim.burst_of("a").burst.burst.attribution.cause, Cause::destination);
    EXPECT_EQ(sim.burst_of("b").burst.burst.attribution.cause, Cause::destination);
    ASSERT_EQ(sim.incidents.size(), 2u);
    EXPECT_LT(sim.incidents[0].incident.start_ms, sim.incidents[1].incident.start_ms);
  }
}

TEST(AttributionTracker, IncidentWaitsForALossRunStillGoingOn) {
  Sim sim = three_targets();
  // a's burst is attributed while b still loses (b's loss began within a's burst): the
  // incident waits for b's burst, which then joins it.
  sim.host("a").outages = {{kT0 + 5000, kT0 + 5300}};
  sim.host("b").outages = {{kT0 + 5200, kT0 + 5600}};
  sim.run_until(kT0 + 10'000);
  ASSERT_EQ(sim.bursts.size(), 2u);
  EXPECT_LT(sim.burst_of("a").at_ms, sim.burst_of("b").at_ms);
  ASSERT_EQ(sim.incidents.size(), 1u);
  EXPECT_EQ(sim.incidents[0].incident.targets, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(sim.incidents[0].incident.start_ms, kT0 + 5000);
  EXPECT_EQ(sim.incidents[0].incident.end_ms, kT0 + 5500);
  EXPECT_EQ(sim.incidents[0].incident.cause, Cause::upstream);
}

TEST(AttributionTracker, ADeadTargetDoesNotHoldIncidentsForever) {
  Sim sim = three_targets();
  sim.add("dead", Role::internet).outages = {{kT0, kT0 + 3'600'000}};
  sim.host("a").outages = {{kT0 + 5000, kT0 + 5300}};
  sim.run_until(kT0 + 10'000);
  ASSERT_EQ(sim.bursts.size(), 1u);
  // dead lost too (its loss covers a's burst) while b answered: destination.
  EXPECT_EQ(sim.bursts[0].burst.burst.attribution.cause, Cause::destination);
  EXPECT_EQ(sim.bursts[0].burst.burst.attribution.lost_too, std::vector<std::string>{"dead"});
  ASSERT_EQ(sim.incidents.size(), 1u);
  // Not held for dead (down since before the incident): out as soon as frames are final.
  const std::int64_t point = frame_of(kT0 + 5200 + kFrame) + kFrame;
  EXPECT_EQ(sim.incidents[0].at_ms, first_step_at(point + kTimeout));
  // At stop, dead's burst (still going on) is attributed with what there is.
  sim.finish();
  ASSERT_EQ(sim.bursts.size(), 1u) << "the aggregator reports dead's burst only when it ends";
}

TEST(AttributionTracker, StopAttributesEverythingPending) {
  Sim sim = three_targets();
  sim.host("a").outages = {{kT0 + 5000, kT0 + 5500}};
  sim.host("b").outages = {{kT0 + 5000, kT0 + 5500}};
  // Stop when the bursts have been reported but the frames after them are not final yet.
  sim.run_until(kT0 + 5400 + kTimeout + 20);
  EXPECT_EQ(sim.tracker().pending_bursts(), 2u);
  EXPECT_TRUE(sim.bursts.empty());
  sim.finish();
  EXPECT_EQ(sim.tracker().pending_bursts(), 0u);
  EXPECT_EQ(sim.tracker().unmerged_bursts(), 0u);
  ASSERT_EQ(sim.bursts.size(), 2u);
  // With the data there is: the gateway's frames up to the burst's end are final.
  EXPECT_EQ(sim.bursts[0].burst.burst.attribution.cause, Cause::upstream) << sim.bursts[0].burst.burst.attribution.reason;
  ASSERT_EQ(sim.incidents.size(), 1u);
  EXPECT_EQ(sim.incidents[0].incident.targets, (std::vector<std::string>{"a", "b"}));
}

TEST(AttributionTracker, ARemovedTargetsFramesStillCountThenItIsForgotten) {
  Sim sim = three_targets();
  sim.host("a").outages = {{kT0 + 5000, kT0 + 5500}};
  sim.host("b").outages = {{kT0 + 5000, kT0 + 5500}};
  // b is removed by a reload once its frames covering the burst are final, before a's
  // burst is attributed.
  sim.run_until(frame_of(kT0 + 5400) + 2 * kFrame + kTimeout - kStep);
  sim.remove("b");
  EXPECT_TRUE(sim.bursts.size() <= 1u);
  sim.run_until(kT0 + 10'000);
  EXPECT_EQ(sim.burst_of("a").burst.burst.attribution.cause, Cause::upstream);
  EXPECT_EQ(sim.burst_of("a").burst.burst.attribution.lost_too, std::vector<std::string>{"b"});
  EXPECT_EQ(sim.tracker().hosts(), 2u) << "b is forgotten once nothing can look at its frames";
  EXPECT_EQ(sim.tracker().pending_bursts(), 0u);
}

TEST(AttributionTracker, ATargetAddedAfterTheBurstIsLeftOut) {
  Sim sim = three_targets();
  sim.host("a").outages = {{kT0 + 5000, kT0 + 5500}};
  sim.run_until(kT0 + 5900);
  sim.add("late", Role::gateway);  // a reload adds a second gateway now
  sim.run_until(kT0 + 10'000);
  ASSERT_EQ(sim.bursts.size(), 1u);
  EXPECT_EQ(sim.bursts[0].burst.burst.attribution.cause, Cause::destination);
  EXPECT_EQ(sim.bursts[0].burst.burst.attribution.answered, (std::vector<std::string>{"b", "gw"}));
}

TEST(AttributionTracker, ARoleChangedByAReloadAppliesToBurstsNotYetAttributed) {
  Sim sim = three_targets();
  sim.host("gw").outages = {{kT0 + 5000, kT0 + 5500}};
  sim.run_until(kT0 + 5400 + kTimeout + 20);  // gw's burst reported, not yet attributed
  sim.tracker().set_role("gw", Role::internet);
  sim.run_until(kT0 + 10'000);
  ASSERT_EQ(sim.bursts.size(), 1u);
  EXPECT_EQ(sim.bursts[0].burst.host.role, Role::internet);
  EXPECT_EQ(sim.bursts[0].burst.burst.attribution.cause, Cause::destination);
}

TEST(AttributionTracker, BurstsOfManyIncidentsComeOutInTimeOrder) {
  Sim sim = three_targets();
  // A long upstream outage and short destination blips on b before and after it.
  sim.host("a").outages = {{kT0 + 5000, kT0 + 9000}};
  sim.host("b").outages = {{kT0 + 2000, kT0 + 2300}, {kT0 + 5000, kT0 + 9000}, {kT0 + 12'000, kT0 + 12'200}};
  sim.run_until(kT0 + 20'000);
  ASSERT_EQ(sim.incidents.size(), 3u);
  EXPECT_EQ(sim.incidents[0].incident.cause, Cause::destination);
  EXPECT_EQ(sim.incidents[1].incident.cause, Cause::upstream);
  EXPECT_EQ(sim.incidents[1].incident.start_ms, kT0 + 5000);
  EXPECT_EQ(sim.incidents[1].incident.end_ms, kT0 + 8900);
  EXPECT_EQ(sim.incidents[2].incident.cause, Cause::destination);
  for (std::size_t i = 1; i < sim.incidents.size(); ++i) {
    EXPECT_LT(sim.incidents[i - 1].incident.end_ms, sim.incidents[i].incident.start_ms);
    EXPECT_LE(sim.incidents[i - 1].at_ms, sim.incidents[i].at_ms);
  }
}

TEST(AttributionTracker, MemoryStaysBounded) {
  Sim sim = three_targets();
  // A target flapping every other frame for 20 minutes: each frame is a run.
  auto& flappy = sim.add("flappy", Role::internet);
  flappy.flap_until = kT0 + 2'400'000;
  sim.run_until(kT0 + 1'200'000, 100);
  // Steady state: what timeout + 4 frames + 1 s of slack hold, per target.
  const std::size_t steady = static_cast<std::size_t>((kTimeout + 4 * kFrame + 1000) / kFrame + 2);
  EXPECT_LE(sim.tracker().runs_held(), steady + 3 * 2);
  EXPECT_EQ(sim.tracker().pending_bursts(), 0u);

  // A dead target keeps a loss run open: frames are then kept for its burst, up to the cap.
  sim.add("dead", Role::internet).outages = {{kT0, kT0 + 10'000'000}};
  sim.run_until(kT0 + 2'400'000, 100);
  EXPECT_LE(sim.tracker().runs_held(), AttributionTracker::kMaxRunsPerHost + 3 * 2 + 2);
  EXPECT_GT(sim.tracker().runs_held(), steady + 3 * 2) << "the open run does keep frames";
}

}  // namespace
