// SPDX-License-Identifier: GPL-3.0-or-later
// frames_jsonl lines of attributed loss bursts and incidents (docs/config.md): exact text,
// and valid JSON when names need escaping.
#include "zzping/daemon/frame_log.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace zzping::daemon {
namespace {

TEST(FrameLog, AttributedBurstLine) {
  attribution::AttributedBurst burst{{"a", 1'700'000'000'100, 1'700'000'000'400, 4}, {}};
  burst.attribution = {attribution::Cause::upstream, "the gateway answered (gw) and internet targets lost: b", {"b"},
                       {"gw"}};
  EXPECT_EQ(attributed_burst_to_json("a", burst),
            R"({"host":"a","event":"loss_burst","start_ms":1700000000100,"end_ms":1700000000400,"probes_lost":4,)"
            R"("cause":"upstream","reason":"the gateway answered (gw) and internet targets lost: b",)"
            R"("lost_too":["b"],"answered":["gw"]})");
}

TEST(FrameLog, IncidentLineWithAndWithoutLastHop) {
  attribution::Incident incident{1'700'000'000'100, 1'700'000'000'900, attribution::Cause::local, {"a", "b", "gw"}, 12, ""};
  EXPECT_EQ(incident_to_json(incident),
            R"({"event":"incident","start_ms":1700000000100,"end_ms":1700000000900,"cause":"local",)"
            R"("targets":["a","b","gw"],"probes_lost":12,"last_hop":null})");
  incident.last_hop = "192.0.2.1";
  incident.targets.clear();
  EXPECT_EQ(incident_to_json(incident),
            R"({"event":"incident","start_ms":1700000000100,"end_ms":1700000000900,"cause":"local",)"
            R"("targets":[],"probes_lost":12,"last_hop":"192.0.2.1"})");
}

TEST(FrameLog, NamesAreEscaped) {
  attribution::AttributedBurst burst{{"we\"ird\\", 0, 100, 2}, {}};
  burst.attribution = {attribution::Cause::unknown, "line\nbreak", {"x\ty"}, {}};
  const auto parsed = nlohmann::json::parse(attributed_burst_to_json("we\"ird\\", burst));
  EXPECT_EQ(parsed["host"], "we\"ird\\");
  EXPECT_EQ(parsed["reason"], "line\nbreak");
  EXPECT_EQ(parsed["lost_too"][0], "x\ty");
  EXPECT_EQ(parsed["cause"], "unknown");
}

}  // namespace
}  // namespace zzping::daemon
