// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/path.hpp"

#include <gtest/gtest.h>

namespace zzping {
namespace {

PathSnapshot path_of(std::initializer_list<const char*> addresses, bool reached = false) {
  PathSnapshot path;
  std::uint8_t ttl = 1;
  for (const char* a : addresses) {
    PathHop hop;
    hop.ttl = ttl++;
    hop.address = a;
    if (*a) hop.rtt_us = 1000u * hop.ttl;
    path.hops.push_back(hop);
  }
  path.reached = reached;
  return path;
}

TEST(Path, LastAnsweringHopIsTheFarthestThatAnswered) {
  EXPECT_EQ(last_answering_hop(path_of({"10.0.0.1", "10.0.1.1", "", ""})), "10.0.1.1");
  EXPECT_EQ(last_answering_hop(path_of({"10.0.0.1", "10.0.1.1", "10.0.2.9"}, true)), "10.0.2.9");
  EXPECT_EQ(last_answering_hop(path_of({"", ""})), "");
  EXPECT_EQ(last_answering_hop(PathSnapshot{}), "");
}

TEST(Path, RouteChangesWhenAnAnsweringHopDiffers) {
  EXPECT_FALSE(route_changed(path_of({"a", "b", "c"}), path_of({"a", "b", "c"})));
  EXPECT_TRUE(route_changed(path_of({"a", "b", "c"}), path_of({"a", "x", "c"})));
  EXPECT_TRUE(route_changed(path_of({"a", "b"}), path_of({"x"})));
}

TEST(Path, SilentHopsAndLengthAreNotARouteChange) {
  // One lost time-exceeded reply, or a trace cut short by an outage, is the same route.
  EXPECT_FALSE(route_changed(path_of({"a", "", "c"}), path_of({"a", "b", "c"})));
  EXPECT_FALSE(route_changed(path_of({"a", "b", "c"}), path_of({"a"})));
  EXPECT_FALSE(route_changed(path_of({"a", "b"}), path_of({"a", "b", "c", "d"})));
}

TEST(Path, TriggerNames) {
  EXPECT_EQ(to_string(PathTrigger::start), "start");
  EXPECT_EQ(to_string(PathTrigger::interval), "interval");
  EXPECT_EQ(to_string(PathTrigger::loss_burst), "loss_burst");
}

}  // namespace
}  // namespace zzping
