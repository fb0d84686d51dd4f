// SPDX-License-Identifier: GPL-3.0-or-later
// Attribution: every branch of the classification (local, upstream, destination,
// gateway_only, unknown with each missing piece), the one-frame edge tolerance, and the
// merge of bursts into incidents.
#include "zzping/common/attribution.hpp"

#include <gtest/gtest.h>

#include <set>

namespace zzping::attribution {
namespace {

constexpr std::int64_t kT0 = 1'764'957'600'000;
constexpr std::uint32_t kFrameMs = 100;
constexpr std::int64_t kStep = kFrameMs;

// 40 frames of 10 probes from kT0; frames in `lost` lose all 10, frames in `silent` send none.
std::vector<Frame> frames(const std::set<int>& lost, const std::set<int>& silent = {}) {
  std::vector<Frame> out;
  for (int i = 0; i < 40; ++i) {
    Frame f;
    f.t_ms = kT0 + i * kStep;
    f.length_ms = kFrameMs;
    if (silent.count(i) == 0) {
      f.sent = 10;
      f.lost = lost.count(i) ? 10 : 0;
      f.recv = f.sent - f.lost;
    }
    out.push_back(f);
  }
  return out;
}

// The burst of a target that lost frames [first, last]: first to last probe send time.
Burst burst(const std::string& target, int first, int last) {
  return Burst{target, kT0 + first * kStep, kT0 + last * kStep + 90, static_cast<std::uint32_t>((last - first + 1) * 10)};
}

struct World {
  std::vector<std::vector<Frame>> storage;
  std::vector<TargetFrames> targets;
  void add(const std::string& name, Role role, std::vector<Frame> f) {
    storage.push_back(std::move(f));
    targets.push_back(TargetFrames{name, role, {}});
  }
  Attribution attribute(const Burst& b) {
    for (std::size_t i = 0; i < targets.size(); ++i) targets[i].frames = storage[i];
    return attribution::attribute(b, targets, kFrameMs);
  }
};

TEST(Attribution, LocalWhenTheGatewayLostToo) {
  World w;
  w.add("router", Role::gateway, frames({10, 11, 12}));
  w.add("a", Role::internet, frames({10, 11, 12}));
  w.add("b", Role::internet, frames({10, 11, 12}));
  const auto result = w.attribute(burst("a", 10, 12));
  EXPECT_EQ(result.cause, Cause::local) << result.reason;
  EXPECT_EQ(result.lost_too, (std::vector<std::string>{"router", "b"}));
  EXPECT_NE(result.reason.find("router"), std::string::npos);
}

TEST(Attribution, OneFrameOfToleranceAtEachEdge) {
  World w;
  w.add("router", Role::gateway, frames({9}));  // the frame just before the burst
  w.add("a", Role::internet, frames({10, 11, 12}));
  EXPECT_EQ(w.attribute(burst("a", 10, 12)).cause, Cause::local);
  World later;
  later.add("router", Role::gateway, frames({13}));  // the frame just after
  later.add("a", Role::internet, frames({10, 11, 12}));
  EXPECT_EQ(later.attribute(burst("a", 10, 12)).cause, Cause::local);
  World apart;  // two frames away: not the same event; the gateway answered meanwhile
  apart.add("router", Role::gateway, frames({8, 14}));
  apart.add("a", Role::internet, frames({10, 11, 12}));
  apart.add("b", Role::isp, frames({10, 11, 12}));
  EXPECT_EQ(apart.attribute(burst("a", 10, 12)).cause, Cause::upstream);
}

TEST(Attribution, UpstreamWhenTheGatewayAnsweredAndEveryInternetTargetLost) {
  World w;
  w.add("router", Role::gateway, frames({}));
  w.add("isp-hop", Role::isp, frames({10, 11}));
  w.add("a", Role::internet, frames({10, 11, 12}));
  w.add("b", Role::internet, frames({11, 12}));
  const auto result = w.attribute(burst("a", 10, 12));
  EXPECT_EQ(result.cause, Cause::upstream) << result.reason;
  EXPECT_EQ(result.answered, std::vector<std::string>{"router"});
}

TEST(Attribution, DestinationWhenAnotherInternetTargetAnswered) {
  World w;
  w.add("router", Role::gateway, frames({}));
  w.add("a", Role::internet, frames({10, 11, 12}));
  w.add("b", Role::internet, frames({}));
  w.add("c", Role::internet, frames({10, 11, 12}));
  const auto result = w.attribute(burst("a", 10, 12));
  EXPECT_EQ(result.cause, Cause::destination) << result.reason;
  EXPECT_NE(result.reason.find("b"), std::string::npos);
  // It needs no gateway target.
  World bare;
  bare.add("a", Role::internet, frames({10, 11, 12}));
  bare.add("b", Role::internet, frames({}));
  EXPECT_EQ(bare.attribute(burst("a", 10, 12)).cause, Cause::destination);
}

TEST(Attribution, GatewayOnlyWhenInternetTargetsAnswered) {
  World w;
  w.add("router", Role::gateway, frames({10, 11}));
  w.add("a", Role::internet, frames({}));
  w.add("b", Role::internet, frames({}));
  const auto result = w.attribute(burst("router", 10, 11));
  EXPECT_EQ(result.cause, Cause::gateway_only) << result.reason;
}

TEST(Attribution, AGatewayBurstIsLocalWhenTheInternetTargetsLostToo) {
  World w;
  w.add("router", Role::gateway, frames({10, 11}));
  w.add("a", Role::internet, frames({10, 11}));
  EXPECT_EQ(w.attribute(burst("router", 10, 11)).cause, Cause::local);
}

TEST(Attribution, UnknownSaysWhatIsMissing) {
  World no_gateway;
  no_gateway.add("a", Role::internet, frames({10, 11}));
  no_gateway.add("b", Role::internet, frames({10, 11}));
  auto result = no_gateway.attribute(burst("a", 10, 11));
  EXPECT_EQ(result.cause, Cause::unknown);
  EXPECT_NE(result.reason.find("no gateway target"), std::string::npos) << result.reason;

  World one_internet;
  one_internet.add("router", Role::gateway, frames({}));
  one_internet.add("a", Role::internet, frames({10, 11}));
  result = one_internet.attribute(burst("a", 10, 11));
  EXPECT_EQ(result.cause, Cause::unknown);
  EXPECT_NE(result.reason.find("upstream needs two"), std::string::npos) << result.reason;

  World silent_gateway;
  silent_gateway.add("router", Role::gateway, frames({}, {9, 10, 11, 12}));
  silent_gateway.add("a", Role::internet, frames({10, 11}));
  silent_gateway.add("b", Role::internet, frames({10, 11}));
  result = silent_gateway.attribute(burst("a", 10, 11));
  EXPECT_EQ(result.cause, Cause::unknown);
  EXPECT_NE(result.reason.find("no data"), std::string::npos) << result.reason;

  World gateway_alone;
  gateway_alone.add("router", Role::gateway, frames({10, 11}));
  result = gateway_alone.attribute(burst("router", 10, 11));
  EXPECT_EQ(result.cause, Cause::unknown);
  EXPECT_NE(result.reason.find("no internet or isp target"), std::string::npos) << result.reason;
}

TEST(Behaviour, LostAnsweredOrNoData) {
  const auto f = frames({20}, {5, 6, 7});
  EXPECT_EQ(behaviour_during(f, kT0 + 1000, kT0 + 1290, kFrameMs), Behaviour::answered);
  EXPECT_EQ(behaviour_during(f, kT0 + 2000, kT0 + 2050, kFrameMs), Behaviour::lost);
  EXPECT_EQ(behaviour_during(f, kT0 + 600, kT0 + 650, kFrameMs), Behaviour::no_data);  // sent nothing
  EXPECT_EQ(behaviour_during(f, kT0 + 9000, kT0 + 9100, kFrameMs), Behaviour::no_data);  // no frames
  EXPECT_EQ(behaviour_during({}, kT0, kT0 + 100, kFrameMs), Behaviour::no_data);
}

TEST(Incidents, OverlappingBurstsOfSeveralTargetsAreOneIncident) {
  const std::vector<AttributedBurst> bursts = {
      {burst("b", 11, 13), {Cause::upstream, "", {}, {}}},
      {burst("a", 10, 12), {Cause::upstream, "", {}, {}}},
      {burst("router", 14, 14), {Cause::gateway_only, "", {}, {}}},  // adjacent: within a frame
      {burst("a", 30, 31), {Cause::destination, "", {}, {}}},
  };
  const auto incidents = merge_incidents(bursts, kFrameMs);
  ASSERT_EQ(incidents.size(), 2u);
  EXPECT_EQ(incidents[0].start_ms, kT0 + 1000);
  EXPECT_EQ(incidents[0].end_ms, kT0 + 1490);
  EXPECT_EQ(incidents[0].cause, Cause::upstream);  // upstream outranks gateway_only
  EXPECT_EQ(incidents[0].targets, (std::vector<std::string>{"a", "b", "router"}));
  EXPECT_EQ(incidents[0].probes_lost, 70u);
  EXPECT_EQ(incidents[1].cause, Cause::destination);
  EXPECT_EQ(incidents[1].targets, std::vector<std::string>{"a"});
}

TEST(Incidents, TheMostUserAffectingCauseWins) {
  auto cause_of = [](std::vector<Cause> causes) {
    std::vector<AttributedBurst> bursts;
    for (std::size_t i = 0; i < causes.size(); ++i) bursts.push_back({burst("t" + std::to_string(i), 10, 12), {causes[i], "", {}, {}}});
    return merge_incidents(bursts, kFrameMs).at(0).cause;
  };
  EXPECT_EQ(cause_of({Cause::gateway_only, Cause::local}), Cause::local);
  EXPECT_EQ(cause_of({Cause::destination, Cause::upstream}), Cause::upstream);
  EXPECT_EQ(cause_of({Cause::gateway_only, Cause::unknown}), Cause::unknown);
  EXPECT_EQ(cause_of({Cause::destination, Cause::unknown}), Cause::destination);
  EXPECT_TRUE(merge_incidents({}, kFrameMs).empty());
}

TEST(Roles, ParseAndPrint) {
  for (const Role role : {Role::gateway, Role::isp, Role::internet}) EXPECT_EQ(parse_role(to_string(role)), role);
  EXPECT_FALSE(parse_role("router").has_value());
  EXPECT_EQ(to_string(Cause::gateway_only), "gateway_only");
}

}  // namespace
}  // namespace zzping::attribution
