// SPDX-License-Identifier: GPL-3.0-or-later
// IncidentPaths: an incident cites the first snapshot of one of its targets taken within its
// span; snapshots of other hosts or outside the span do not count, nor hops probed after it
// ended, and a trace not finished yet leaves last_hop empty (never an older snapshot's).
#include "zzping/daemon/incident_paths.hpp"

#include <gtest/gtest.h>

namespace zzping::daemon {
namespace {

PathSnapshot snapshot(std::int64_t t_ms, std::vector<std::string> hops) {
  PathSnapshot path;
  path.t_ms = t_ms;
  path.trigger = PathTrigger::loss_burst;
  for (std::size_t i = 0; i < hops.size(); ++i) {
    path.hops.push_back(PathHop{static_cast<std::uint8_t>(i + 1), hops[i], hops[i].empty() ? std::nullopt : std::optional<std::uint32_t>(100)});
  }
  return path;
}

// Hop probes 60 ms apart from the trace's start, as PathTracer sends them.
std::vector<std::int64_t> sent_times(const PathSnapshot& path) {
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < path.hops.size(); ++i) out.push_back(path.t_ms + 60 * static_cast<std::int64_t>(i));
  return out;
}

void add(IncidentPaths& paths, const std::string& host, const PathSnapshot& path) {
  paths.on_path(host, path, sent_times(path));
}

attribution::Incident incident(std::int64_t start_ms, std::int64_t end_ms, std::vector<std::string> targets) {
  attribution::Incident out;
  out.start_ms = start_ms;
  out.end_ms = end_ms;
  out.targets = std::move(targets);
  return out;
}

TEST(IncidentPaths, TheFirstTraceOfATargetWithinTheSpanGivesTheLastHop) {
  IncidentPaths paths;
  add(paths, "a", snapshot(900, {"10.0.0.1", "10.0.1.1", "192.0.2.1"}));  // before the incident
  add(paths, "b", snapshot(2500, {"10.0.0.1", "10.0.9.9"}));              // another host
  add(paths, "a", snapshot(3000, {"10.0.0.1", "10.0.1.1", ""}));          // a later trace of a
  add(paths, "a", snapshot(2000, {"10.0.0.1", "", ""}));                  // the burst's trace (ended last)
  auto hit = incident(1000, 5000, {"a"});
  paths.fill(hit);
  EXPECT_EQ(hit.last_hop, "10.0.0.1");
  auto both = incident(1000, 5000, {"a", "b"});
  paths.fill(both);
  EXPECT_EQ(both.last_hop, "10.0.0.1");
  auto other = incident(2400, 2600, {"b"});
  paths.fill(other);
  EXPECT_EQ(other.last_hop, "10.0.9.9");
  auto none = incident(6000, 7000, {"a", "b"});
  none.last_hop = "stale";
  paths.fill(none);
  EXPECT_EQ(none.last_hop, "");
}

// The incident is emitted while its loss-burst trace still runs: the start trace (before the
// incident) must not stand in for it.
TEST(IncidentPaths, ATraceNotFinishedYetGivesNoHop) {
  IncidentPaths paths;
  add(paths, "a", snapshot(900, {"10.0.0.1", "10.0.1.1", "192.0.2.1"}));
  auto hit = incident(1000, 1700, {"a"});
  hit.last_hop = "192.0.2.1";
  paths.fill(hit);
  EXPECT_EQ(hit.last_hop, "") << "null in the incident line";
}

// The outage ended while the loss-burst trace went on: its later TTLs got through and the
// target answered. Only hops probed by the incident's end count: the last is the gateway.
TEST(IncidentPaths, HopsProbedAfterTheIncidentEndedAreNoEvidence) {
  IncidentPaths paths;
  PathSnapshot trace = snapshot(1500, {"10.0.0.1", "", "", "", "", "192.0.2.1"});
  trace.reached = true;
  paths.on_path("a", trace, {1500, 1560, 1620, 1680, 1740, 1800});
  auto hit = incident(1000, 1700, {"a"});
  paths.fill(hit);
  EXPECT_EQ(hit.last_hop, "10.0.0.1");
  auto longer = incident(1000, 1800, {"a"});
  paths.fill(longer);
  EXPECT_EQ(longer.last_hop, "192.0.2.1") << "probed at the incident's last lost probe: still within it";
  auto none = incident(1000, 1499, {"a"});
  paths.fill(none);
  EXPECT_EQ(none.last_hop, "") << "the trace started after it";
}

TEST(IncidentPaths, KeepsABoundedNumberOfSnapshots) {
  IncidentPaths paths;
  for (std::size_t i = 0; i < IncidentPaths::kMaxKept + 10; ++i) {
    add(paths, "a", snapshot(static_cast<std::int64_t>(i), {"10.0.0." + std::to_string(i % 250)}));
  }
  auto oldest = incident(0, 9, {"a"});
  paths.fill(oldest);
  EXPECT_EQ(oldest.last_hop, "") << "the first snapshots were dropped";
  auto newest = incident(static_cast<std::int64_t>(IncidentPaths::kMaxKept), 1'000'000, {"a"});
  paths.fill(newest);
  EXPECT_FALSE(newest.last_hop.empty());
}

}  // namespace
}  // namespace zzping::daemon
