// SPDX-License-Identifier: GPL-3.0-or-later
// Path snapshots as frames_jsonl lines: silent hops are null, a route change adds a line.
#include "zzping/daemon/path_json.hpp"

#include <gtest/gtest.h>

namespace zzping::daemon {
namespace {

TEST(PathJson, PathAndRouteChangeLines) {
  PathSnapshot path;
  path.t_ms = 1700000000123;
  path.trigger = PathTrigger::loss_burst;
  path.reached = false;
  path.hops = {PathHop{1, "10.0.0.1", 812}, PathHop{2, "", std::nullopt}, PathHop{3, "fd00::3", 0}};
  EXPECT_EQ(path_to_json("h\"1", path),
            R"({"host":"h\"1","event":"path","t_ms":1700000000123,"trigger":"loss_burst","reached":false,)"
            R"("hops":[{"ttl":1,"addr":"10.0.0.1","rtt_us":812},{"ttl":2,"addr":null,"rtt_us":null},)"
            R"({"ttl":3,"addr":"fd00::3","rtt_us":0}]})");
  EXPECT_EQ(route_change_to_json("h", path),
            R"({"host":"h","event":"route_change","t_ms":1700000000123,"hops":["10.0.0.1",null,"fd00::3"]})");
  path.hops.clear();
  path.trigger = PathTrigger::start;
  EXPECT_EQ(path_to_json("h", path),
            R"({"host":"h","event":"path","t_ms":1700000000123,"trigger":"start","reached":false,"hops":[]})");
}

}  // namespace
}  // namespace zzping::daemon
