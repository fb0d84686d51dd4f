// SPDX-License-Identifier: GPL-3.0-or-later
// AlertEngine: every [[alert]] form on synthetic frames and events, its edges (one start,
// one end), min_duration_ms, the hold-down, target sets, reloads, and the event's JSON.
#include "zzping/daemon/alert_engine.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace zzping::daemon {
namespace {

using attribution::AttributedBurst;
using attribution::Cause;
using attribution::Incident;

constexpr std::uint32_t kFrameMs = 100;

AlertConfig window_alert(AlertWhen when, double threshold, std::uint32_t window_s) {
  AlertConfig alert;
  alert.name = "w";
  alert.when = when;
  alert.threshold = threshold;
  alert.window_s = window_s;
  return alert;
}

AlertConfig event_alert(AlertWhen when) {
  AlertConfig alert;
  alert.name = "e";
  alert.when = when;
  return alert;
}

// 10 probes per 100 ms frame, `lost` of them lost, the others answered in `rtt_ms`.
Frame frame(std::int64_t t_ms, std::uint32_t lost, double rtt_ms = 10.0) {
  Frame f;
  f.t_ms = t_ms;
  f.length_ms = kFrameMs;
  f.sent = 10;
  f.lost = lost;
  f.recv = 10 - lost;
  if (f.recv > 0) f.rtt.add_ns(rtt_ms * 1e6, f.recv);
  f.jitter = JitterSum{0, 0};
  return f;
}

// Feeds frames of `host` from `from_ms` up to (not including) `to_ms`; `lost_in(t)` says how
// many of a frame's 10 probes are lost. Returns every event.
template <typename LostIn>
std::vector<AlertEvent> feed(AlertEngine& engine, const std::string& host, std::int64_t from_ms, std::int64_t to_ms,
                             LostIn lost_in) {
  std::vector<AlertEvent> all;
  for (std::int64_t t = from_ms; t < to_ms; t += kFrameMs) {
    for (auto& e : engine.on_frame(host, frame(t, lost_in(t)))) all.push_back(std::move(e));
  }
  return all;
}

bool in(std::int64_t t, std::int64_t from, std::int64_t to) { return t >= from && t < to; }

TEST(AlertEngine, LossPctStartsOnceAndEndsOnceOverTheSlidingWindow) {
  AlertEngine engine({window_alert(AlertWhen::loss_pct, 2.0, 10)});
  // Every probe lost from 20 s to 25 s; a window of 10 s holds 100 frames of 10 probes.
  const auto events = feed(engine, "a", 0, 60'000, [](std::int64_t t) { return in(t, 20'000, 25'000) ? 10u : 0u; });
  ASSERT_EQ(events.size(), 2u);
  // 3 lost frames of 100 = 3% > 2%: true at the end of the third lost frame.
  EXPECT_EQ(events[0].phase, AlertPhase::start);
  EXPECT_EQ(events[0].t_ms, 20'300);
  EXPECT_EQ(events[0].start_ms, 20'300);
  EXPECT_DOUBLE_EQ(*events[0].value, 3.0);
  EXPECT_EQ(events[0].host, "a");
  EXPECT_EQ(events[0].targets, std::vector<std::string>{"a"});
  EXPECT_DOUBLE_EQ(*events[0].threshold, 2.0);
  EXPECT_EQ(*events[0].window_s, 10u);
  EXPECT_FALSE(events[0].duration_ms);
  // Back to 2 lost frames in the window (not > 2%) once it starts at 24.8 s: end 34.8 s.
  EXPECT_EQ(events[1].phase, AlertPhase::end);
  EXPECT_EQ(events[1].t_ms, 34'800);
  EXPECT_EQ(events[1].start_ms, 20'300);
  EXPECT_EQ(*events[1].duration_ms, 14'500);
  EXPECT_DOUBLE_EQ(*events[1].value, 2.0);
  EXPECT_EQ(events[1].reason, "condition");
}

TEST(AlertEngine, NothingBeforeTheWindowIsFull) {
  AlertEngine engine({window_alert(AlertWhen::loss_pct, 2.0, 10)});
  // All lost during the first 5 s, then fine: the first full window (at 10 s) holds 50%.
  auto events = feed(engine, "a", 0, 9'900, [](std::int64_t t) { return t < 5'000 ? 10u : 0u; });
  EXPECT_TRUE(events.empty());
  events = feed(engine, "a", 9'900, 10'000, [](std::int64_t) { return 0u; });
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].t_ms, 10'000);
  EXPECT_DOUBLE_EQ(*events[0].value, 50.0);
}

TEST(AlertEngine, MinDurationDelaysTheStartAndDropsShortConditions) {
  auto alert = window_alert(AlertWhen::loss_pct, 2.0, 1);
  alert.min_duration_ms = 1000;
  AlertEngine engine({alert});
  // Lost 20.0-20.3 s: with a 1 s window the condition holds from 20.1 s to 21.3 s (1.2 s).
  auto events = feed(engine, "a", 0, 21'000, [](std::int64_t t) { return in(t, 20'000, 20'300) ? 10u : 0u; });
  EXPECT_TRUE(events.empty()) << "still pending at 21.0 s";
  events = feed(engine, "a", 21'000, 21'100, [](std::int64_t) { return 0u; });
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].phase, AlertPhase::start);
  EXPECT_EQ(events[0].t_ms, 20'100) << "the start is when the condition began, delivered 1 s later";
  events = feed(engine, "a", 21'100, 30'000, [](std::int64_t) { return 0u; });
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].t_ms, 21'300);

  // 2 s of min_duration: the same 1.2 s condition never alerts.
  alert.min_duration_ms = 2000;
  AlertEngine strict({alert});
  EXPECT_TRUE(feed(strict, "a", 0, 30'000, [](std::int64_t t) { return in(t, 20'000, 20'300) ? 10u : 0u; }).empty());
}

// Outages A (20.0-21.0 s) and B (from `b_ms`, 0.5 s) with a 1 s window: A's condition holds
// 20.1-22.0 s, B's from b_ms + 0.1 s.
std::vector<AlertEvent> two_outages(std::uint32_t hold_down_s, std::int64_t b_ms) {
  auto alert = window_alert(AlertWhen::loss_pct, 2.0, 1);
  alert.hold_down_s = hold_down_s;
  AlertEngine engine({alert});
  return feed(engine, "a", 0, 60'000,
              [b_ms](std::int64_t t) { return in(t, 20'000, 21'000) || in(t, b_ms, b_ms + 500) ? 10u : 0u; });
}

TEST(AlertEngine, WithoutHoldDownEveryFlapIsAStartAndAnEnd) {
  const auto events = two_outages(0, 24'000);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].t_ms, 20'100);
  EXPECT_EQ(events[1].t_ms, 22'000);
  EXPECT_EQ(events[2].t_ms, 24'100);
  EXPECT_EQ(events[3].t_ms, 25'500);
}

TEST(AlertEngine, HoldDownMergesAReturnWithinIt) {
  // B true again at 24.1 s, 2.1 s after A ended (< 5 s): one alert from 20.1 s to B's end
  // (25.5 s), delivered once 5 s passed without a return (at the frame ending 30.5 s).
  const auto events = two_outages(5, 24'000);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].phase, AlertPhase::start);
  EXPECT_EQ(events[0].t_ms, 20'100);
  EXPECT_EQ(events[1].phase, AlertPhase::end);
  EXPECT_EQ(events[1].t_ms, 25'500);
  EXPECT_EQ(*events[1].duration_ms, 5'400);
}

TEST(AlertEngine, HoldDownBoundaryIsExclusive) {
  // True again exactly 5 s after the end (27.0 s): a new alert.
  const auto events = two_outages(5, 26'900);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[1].phase, AlertPhase::end);
  EXPECT_EQ(events[1].t_ms, 22'000);
  EXPECT_EQ(events[2].phase, AlertPhase::start);
  EXPECT_EQ(events[2].t_ms, 27'000);
}

TEST(AlertEngine, RttP95IsTheMergedHistogramsQuantile) {
  AlertEngine engine({window_alert(AlertWhen::rtt_p95, 150.0, 1)});
  std::vector<Frame> window;
  std::vector<AlertEvent> events;
  for (std::int64_t t = 0; t < 3'000; t += kFrameMs) {
    const Frame f = frame(t, 0, t >= 2'000 ? 200.0 : 10.0 + static_cast<double>(t % 700) / 100.0);
    window.push_back(f);
    events = engine.on_frame("a", f);
    if (!events.empty()) break;
  }
  // 10 probes at 200 ms in a window of 100: the p95 (rank 94.05) is one of them.
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].t_ms, 2'100);
  RttHistogram merged;
  for (std::size_t i = window.size() - 10; i < window.size(); ++i) merged.merge(window[i].rtt);
  EXPECT_DOUBLE_EQ(*events[0].value, merged.quantile_ns(0.95) / 1e6);
  EXPECT_NEAR(*events[0].value, 200.0, 200.0 * 0.01);
}

TEST(AlertEngine, JitterIsSumOverPairsInTheWindow) {
  AlertEngine engine({window_alert(AlertWhen::jitter, 30.0, 1)});
  std::vector<AlertEvent> events;
  for (std::int64_t t = 0; t < 3'000 && events.empty(); t += kFrameMs) {
    Frame f = frame(t, 0);
    // 9 pairs per frame: 5 ms each, then 50 ms each from 2 s.
    f.jitter = JitterSum{static_cast<std::uint64_t>((t >= 2'000 ? 50 : 5) * 9 * 1'000'000), 9};
    events = engine.on_frame("a", f);
  }
  // Frames at 50 ms: (k * 50 + (10 - k) * 5) / 10 > 30 from k = 6.
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].t_ms, 2'600);
  EXPECT_DOUBLE_EQ(*events[0].value, 32.0);
}

TEST(AlertEngine, TargetSetsFilterAndEachTargetHasItsOwnCondition) {
  auto alert = window_alert(AlertWhen::loss_pct, 2.0, 1);
  alert.targets = {"a", "b"};
  AlertEngine engine({alert});
  const auto lossy = [](std::int64_t t) { return in(t, 5'000, 6'000) ? 10u : 0u; };
  const auto a = feed(engine, "a", 0, 10'000, lossy);
  const auto c = feed(engine, "c", 0, 10'000, lossy);  // not in the set
  const auto b = feed(engine, "b", 0, 10'000, lossy);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].host, "a");
  EXPECT_TRUE(c.empty());
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].host, "b");
}

AttributedBurst burst(std::int64_t start_ms, std::int64_t end_ms, Cause cause, std::uint32_t lost = 5) {
  AttributedBurst out;
  out.burst = {"a", start_ms, end_ms, lost};
  out.attribution.cause = cause;
  return out;
}

TEST(AlertEngine, LossBurstStartAndEndAtTheBurstsEdgesFilteredByCauseAndDuration) {
  auto alert = event_alert(AlertWhen::loss_burst);
  alert.causes = {Cause::upstream, Cause::local};
  alert.min_duration_ms = 500;
  alert.targets = {"a"};
  AlertEngine engine({alert});
  EXPECT_TRUE(engine.on_burst("a", burst(1'000, 2'000, Cause::destination)).empty()) << "cause filtered out";
  EXPECT_TRUE(engine.on_burst("a", burst(3'000, 3'400, Cause::upstream)).empty()) << "shorter than 500 ms";
  EXPECT_TRUE(engine.on_burst("b", burst(3'000, 9'000, Cause::upstream)).empty()) << "target not in the set";
  const auto events = engine.on_burst("a", burst(5'000, 5'500, Cause::local, 26));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].phase, AlertPhase::start);
  EXPECT_EQ(events[0].t_ms, 5'000);
  EXPECT_EQ(events[1].phase, AlertPhase::end);
  EXPECT_EQ(events[1].t_ms, 5'500);
  EXPECT_EQ(*events[1].duration_ms, 500);
  EXPECT_EQ(*events[1].cause, Cause::local);
  EXPECT_EQ(*events[1].probes_lost, 26u);
  EXPECT_EQ(events[1].host, "a");
  EXPECT_FALSE(events[1].value);
}

TEST(AlertEngine, LossBurstHoldDownMergesBurstsAndExpiresWithTheFrames) {
  auto alert = event_alert(AlertWhen::loss_burst);
  alert.hold_down_s = 10;
  AlertEngine engine({alert});
  auto events = engine.on_burst("a", burst(1'000, 2'000, Cause::upstream, 10));
  ASSERT_EQ(events.size(), 1u) << "the end waits for the hold-down";
  EXPECT_EQ(events[0].phase, AlertPhase::start);
  EXPECT_TRUE(engine.on_frame("a", frame(11'000, 0)).empty()) << "frames up to 11.1 s: 9.1 s after the end";
  EXPECT_TRUE(engine.on_burst("a", burst(11'500, 12'000, Cause::local, 3)).empty()) << "merged: 9.5 s after";
  EXPECT_TRUE(engine.on_frame("a", frame(21'800, 0)).empty());
  events = engine.on_frame("b", frame(21'900, 0));  // any target's frames move the time on
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].phase, AlertPhase::end);
  EXPECT_EQ(events[0].t_ms, 12'000);
  EXPECT_EQ(events[0].start_ms, 1'000);
  EXPECT_EQ(*events[0].probes_lost, 13u);
  EXPECT_EQ(*events[0].cause, Cause::upstream) << "the first burst's cause";
}

TEST(AlertEngine, FinishDeliversTheEndsHeldBackByAHoldDown) {
  auto alert = event_alert(AlertWhen::incident);
  alert.hold_down_s = 60;
  AlertEngine engine({alert});
  Incident incident;
  incident.start_ms = 1'000;
  incident.end_ms = 3'000;
  incident.targets = {"a"};
  ASSERT_EQ(engine.on_incident(incident).size(), 1u);
  const auto events = engine.finish();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].phase, AlertPhase::end);
  EXPECT_EQ(events[0].t_ms, 3'000);
  EXPECT_EQ(events[0].reason, "condition");
  EXPECT_TRUE(engine.finish().empty());
}

TEST(AlertEngine, IncidentsFilteredByCauseTargetsAndDuration) {
  auto alert = event_alert(AlertWhen::incident);
  alert.causes = {Cause::upstream};
  alert.targets = {"x", "y"};
  alert.min_duration_ms = 1000;
  AlertEngine engine({alert});
  Incident incident;
  incident.start_ms = 10'000;
  incident.end_ms = 15'000;
  incident.cause = Cause::upstream;
  incident.targets = {"a", "b"};
  incident.probes_lost = 100;
  EXPECT_TRUE(engine.on_incident(incident).empty()) << "no target of the set";
  incident.targets = {"b", "y"};
  incident.cause = Cause::local;
  EXPECT_TRUE(engine.on_incident(incident).empty()) << "cause";
  incident.cause = Cause::upstream;
  incident.end_ms = 10'500;
  EXPECT_TRUE(engine.on_incident(incident).empty()) << "too short";
  incident.end_ms = 15'000;
  const auto events = engine.on_incident(incident);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].t_ms, 10'000);
  EXPECT_EQ(events[1].t_ms, 15'000);
  EXPECT_EQ(events[1].targets, (std::vector<std::string>{"b", "y"}));
  EXPECT_EQ(events[1].host, "");
  EXPECT_EQ(*events[1].cause, Cause::upstream);
}

TEST(AlertEngine, ReloadKeepsUnchangedAlertsAndEndsChangedOnes) {
  const auto kept = window_alert(AlertWhen::loss_pct, 2.0, 1);
  auto changed = window_alert(AlertWhen::loss_pct, 2.0, 1);
  changed.name = "changed";
  AlertEngine engine({kept, changed});
  auto events = feed(engine, "a", 0, 5'000, [](std::int64_t t) { return t >= 3'000 ? 10u : 0u; });
  ASSERT_EQ(events.size(), 2u);  // both started at 3.1 s

  changed.threshold = 50.0;
  auto added = window_alert(AlertWhen::loss_pct, 2.0, 1);
  added.name = "added";
  events = engine.set_alerts({kept, changed, added});
  ASSERT_EQ(events.size(), 1u) << "only the changed alert ends";
  EXPECT_EQ(events[0].alert, "changed");
  EXPECT_EQ(events[0].phase, AlertPhase::end);
  EXPECT_EQ(events[0].reason, "alert_removed");
  EXPECT_EQ(events[0].t_ms, 5'000);

  // The loss goes on: the kept alert stays active (no new start); the changed and the new
  // one start once their window is full again (at 6.0 s, 1 s after the reload).
  events = feed(engine, "a", 5'000, 6'000, [](std::int64_t) { return 10u; });
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].alert, "changed");
  EXPECT_EQ(events[1].alert, "added");
  EXPECT_EQ(events[0].t_ms, 6'000);
  EXPECT_EQ(engine.alerts().size(), 3u);
}

TEST(AlertEngine, RemovedTargetEndsItsActiveAlerts) {
  AlertEngine engine({window_alert(AlertWhen::loss_pct, 2.0, 1)});
  ASSERT_EQ(feed(engine, "a", 0, 2'000, [](std::int64_t) { return 10u; }).size(), 1u);
  const auto events = engine.on_host_removed("a");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].phase, AlertPhase::end);
  EXPECT_EQ(events[0].reason, "target_removed");
  EXPECT_EQ(events[0].t_ms, 2'000);
  EXPECT_TRUE(engine.on_host_removed("a").empty());
}

TEST(AlertEngine, JsonAndEnvironment) {
  AlertEvent event;
  event.alert = "lossy";
  event.when = AlertWhen::loss_pct;
  event.phase = AlertPhase::end;
  event.t_ms = 1'700'000'010'000;
  event.start_ms = 1'700'000'000'000;
  event.duration_ms = 10'000;
  event.host = "10.0.0.\"1";
  event.targets = {event.host};
  event.value = 1.5;
  event.threshold = 2;
  event.window_s = 60;
  EXPECT_EQ(to_json(event),
            R"({"alert":"lossy","when":"loss_pct","phase":"end","t_ms":1700000010000,"start_ms":1700000000000,)"
            R"("duration_ms":10000,"host":"10.0.0.\"1","targets":["10.0.0.\"1"],"value":1.5,"threshold":2,)"
            R"("window_s":60,"cause":null,"probes_lost":null,"reason":"condition"})");
  EXPECT_EQ(to_environment(event),
            (std::vector<std::string>{"ZZPING_ALERT=lossy", "ZZPING_WHEN=loss_pct", "ZZPING_PHASE=end",
                                      "ZZPING_T_MS=1700000010000", "ZZPING_START_MS=1700000000000",
                                      "ZZPING_TARGETS=10.0.0.\"1", "ZZPING_REASON=condition",
                                      "ZZPING_DURATION_MS=10000", "ZZPING_HOST=10.0.0.\"1", "ZZPING_VALUE=1.5",
                                      "ZZPING_THRESHOLD=2", "ZZPING_WINDOW_S=60"}));
}

}  // namespace
}  // namespace zzping::daemon
