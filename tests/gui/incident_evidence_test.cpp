// SPDX-License-Identifier: GPL-3.0-or-later
// The Qt-free choices behind the incident list: incidents and paths kept once and in time
// order, which snapshots belong to an incident, host order by role, labels, cause texts.
#include "incident_evidence.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace zzping::gui {
namespace {

using attribution::Cause;
using attribution::Incident;
using attribution::Role;

PathSnapshot snapshot(std::int64_t t_ms, PathTrigger trigger) {
  PathSnapshot p;
  p.t_ms = t_ms;
  p.trigger = trigger;
  p.hops = {PathHop{1, "10.0.0.1", 100}};
  return p;
}

TEST(Evidence, IncidentsOnceInStartOrder) {
  Evidence e;
  const Incident late{5'000, 6'000, Cause::local, {"a", "b"}, 10, ""};
  const Incident early{1'000, 2'000, Cause::upstream, {"a"}, 4, "10.0.0.1"};
  EXPECT_TRUE(e.add_incident(late));
  EXPECT_TRUE(e.add_incident(early));
  EXPECT_FALSE(e.add_incident(late));  // the copy in another target's file
  Incident other_cause = late;
  other_cause.cause = Cause::unknown;
  EXPECT_TRUE(e.add_incident(other_cause));  // not the same incident
  ASSERT_EQ(e.incidents().size(), 3u);
  EXPECT_EQ(e.incidents()[0].start_ms, 1'000);
  EXPECT_EQ(e.incidents()[1].start_ms, 5'000);
}

// Many incidents sharing starts, each arriving twice in random order (as from two targets'
// files): each is kept once, whatever else shares its start, and the list stays in order.
TEST(Evidence, DuplicatesFoundAmongIncidentsOfTheSameStart) {
  std::mt19937 random(7);
  std::vector<Incident> distinct;
  for (int i = 0; i < 600; ++i) {
    const std::int64_t start = 1'000 * (i % 40);  // 15 incidents per start
    distinct.push_back(Incident{start, start + 100 + i, static_cast<Cause>(i % 5), {"t" + std::to_string(i % 3)},
                                static_cast<std::uint32_t>(i), ""});
  }
  std::vector<Incident> arrivals = distinct;
  arrivals.insert(arrivals.end(), distinct.begin(), distinct.end());
  std::shuffle(arrivals.begin(), arrivals.end(), random);
  Evidence e;
  std::size_t added = 0;
  for (const Incident& incident : arrivals) added += e.add_incident(incident) ? 1u : 0u;
  EXPECT_EQ(added, distinct.size());
  ASSERT_EQ(e.incidents().size(), distinct.size());
  EXPECT_TRUE(std::is_sorted(e.incidents().begin(), e.incidents().end(),
                             [](const auto& a, const auto& b) { return a.start_ms < b.start_ms; }));
}

TEST(Evidence, PathsOncePerHostInTimeOrder) {
  Evidence e;
  EXPECT_TRUE(e.add_path("a", snapshot(300, PathTrigger::interval)));
  EXPECT_TRUE(e.add_path("a", snapshot(100, PathTrigger::start)));
  EXPECT_FALSE(e.add_path("a", snapshot(300, PathTrigger::interval)));
  EXPECT_TRUE(e.add_path("b", snapshot(300, PathTrigger::interval)));
  ASSERT_EQ(e.paths("a").size(), 2u);
  EXPECT_EQ(e.paths("a")[0].t_ms, 100);
  EXPECT_TRUE(e.paths("nobody").empty());
}

// The trace taken during the incident (the one the burst triggered, up to kDuringSlackMs
// after its end) and the last one before; targets without snapshots are left out.
TEST(Evidence, PathsOfAnIncident) {
  Evidence e;
  e.add_path("a", snapshot(1'000, PathTrigger::start));
  e.add_path("a", snapshot(9'000, PathTrigger::interval));
  e.add_path("a", snapshot(10'500, PathTrigger::interval));  // inside, but not the burst's trace
  e.add_path("a", snapshot(11'000, PathTrigger::loss_burst));
  e.add_path("a", snapshot(30'000, PathTrigger::interval));  // after: not shown
  e.add_path("b", snapshot(12'000 + kDuringSlackMs, PathTrigger::loss_burst));  // last moment that counts
  const Incident incident{10'000, 12'000, Cause::upstream, {"a", "b", "c"}, 20, "10.0.0.1"};
  const std::vector<IncidentPath> paths = incident_paths(e, incident);
  ASSERT_EQ(paths.size(), 2u);  // c has no snapshot
  EXPECT_EQ(paths[0].host, "a");
  ASSERT_TRUE(paths[0].before && paths[0].during);
  EXPECT_EQ(paths[0].before->t_ms, 9'000);
  EXPECT_EQ(paths[0].during->t_ms, 11'000);
  EXPECT_EQ(paths[1].host, "b");
  EXPECT_FALSE(paths[1].before);
  ASSERT_TRUE(paths[1].during);
  EXPECT_EQ(paths[1].during->t_ms, 12'000 + kDuringSlackMs);

  Evidence late;
  late.add_path("a", snapshot(12'001 + kDuringSlackMs, PathTrigger::loss_burst));
  EXPECT_TRUE(incident_paths(late, incident).empty());
}

TEST(Evidence, HostsOrderedGatewayIspInternetThenName) {
  struct Host {
    std::optional<Role> role;
    std::string name;
  };
  std::vector<Host> hosts{{std::nullopt, "a-legacy"}, {Role::internet, "z"}, {Role::gateway, "router"},
                          {Role::isp, "isp2"},        {Role::internet, "b"}, {Role::isp, "isp1"}};
  std::sort(hosts.begin(), hosts.end(),
            [](const Host& x, const Host& y) { return host_before(x.role, x.name, y.role, y.name); });
  std::vector<std::string> names;
  for (const Host& h : hosts) names.push_back(h.name);
  EXPECT_EQ(names, (std::vector<std::string>{"router", "isp1", "isp2", "a-legacy", "b", "z"}));
  EXPECT_EQ(host_label("r1", Role::gateway), "r1 (gateway)");
  EXPECT_EQ(host_label("10.0.0.1", std::nullopt), "10.0.0.1");
}

TEST(Evidence, EveryCauseExplained) {
  for (const Cause c : kAllCauses) EXPECT_FALSE(cause_explanation(c).empty());
  EXPECT_NE(cause_explanation(Cause::gateway_only).find("not user-affecting"), std::string_view::npos);
}

}  // namespace
}  // namespace zzping::gui
