// SPDX-License-Identifier: GPL-3.0-or-later
// SinkFanout: every result reaches every sink in the order it came, and the attribution
// tracker sees the same frames and events (every burst published comes back attributed, at
// the latest at finish, with its incident's last_hop from the path snapshots). No sockets.
#include "zzping/daemon/sink_fanout.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "fake_sink.hpp"

namespace zzping::daemon {
namespace {

using Calls = std::vector<std::string>;

constexpr std::int64_t kT0 = 1'700'000'000'000;  // wall ms, a whole second

HostInfo host(const std::string& name) {
  HostInfo info;
  info.name = name;
  info.rate = 10;
  info.frame_ms = 100;
  return info;
}

Frame frame(std::int64_t t_ms) {
  Frame out;
  out.t_ms = t_ms;
  out.sent = 1;
  return out;
}

struct Fanout {
  Calls first;
  Calls second;
  SinkFanout fanout{AttributionSettings{100, 1000}};
  Fanout() {
    fanout.add_sink(std::make_unique<RecordingSink>(first));
    fanout.add_sink(std::make_unique<RecordingSink>(second));
  }
};

TEST(SinkFanout, FramesAndEventsReachEverySinkInOrderAndTheOutputIsCleared) {
  Fanout f;
  const HostInfo a = host("a");
  f.fanout.host_added(a, kT0);
  AggregatorOutput output;
  output.frames.push_back(frame(kT0));
  output.frames.push_back(frame(kT0 + 100));
  output.events.push_back(LossEvent{kT0 + 100, kT0 + 100, 1});
  f.fanout.publish(a, output);

  const Calls expected{"frame a " + std::to_string(kT0), "frame a " + std::to_string(kT0 + 100),
                       "event a " + std::to_string(kT0 + 100)};
  EXPECT_EQ(f.first, expected);
  EXPECT_EQ(f.second, expected);
  EXPECT_TRUE(output.frames.empty());
  EXPECT_TRUE(output.events.empty());
}

TEST(SinkFanout, StatusPathsFlushesAndReloadsReachEverySink) {
  Fanout f;
  const HostInfo a = host("a");
  f.fanout.status(a, HostStatus{.in_flight = 0, .last_reply_age_ms = 5, .probes_sent = 42});
  PathSnapshot path;
  path.t_ms = kT0;
  f.fanout.path(a, path, {});
  f.fanout.flush();
  DaemonConfig config;
  config.flush_ms = 1234;
  f.fanout.config_reloaded(config);
  const Calls expected{"status a 42", "path a " + std::to_string(kT0), "flush", "reloaded 1234"};
  EXPECT_EQ(f.first, expected);
  EXPECT_EQ(f.second, expected);
}

TEST(SinkFanout, AnEventPublishedComesBackAttributedAtFinishWithTheLastHopOfItsTrace) {
  Fanout f;
  const HostInfo a = host("a");
  f.fanout.host_added(a, kT0);
  // The trace taken during the burst: hop 1 answered to a probe sent while it went on.
  PathSnapshot path;
  path.t_ms = kT0 + 250;
  path.trigger = PathTrigger::loss_burst;
  path.hops.push_back(PathHop{1, "10.0.0.1", 300});
  path.hops.push_back(PathHop{2, "", std::nullopt});
  f.fanout.path(a, path, {kT0 + 250, kT0 + 310});
  AggregatorOutput output;
  output.events.push_back(LossEvent{kT0 + 200, kT0 + 500, 4});
  f.fanout.publish(a, output);
  f.first.clear();
  f.fanout.attribute(kT0 + 600);  // a's frames covering the burst are not final: nothing yet
  EXPECT_TRUE(f.first.empty());

  f.fanout.finish({&a});
  const Calls expected{"burst a " + std::to_string(kT0 + 200),
                       "incident " + std::to_string(kT0 + 200) + " last_hop=10.0.0.1", "removed a", "flush"};
  EXPECT_EQ(f.first, expected);
  EXPECT_EQ(f.second.size(), 1 + 1 + expected.size());  // path and event, then the same
}

TEST(SinkFanout, ARemovedHostIsReleasedByEverySinkAndStillAttributed) {
  Fanout f;
  const HostInfo a = host("a");
  const HostInfo b = host("b");
  f.fanout.host_added(a, kT0);
  f.fanout.host_added(b, kT0);
  AggregatorOutput output;
  output.events.push_back(LossEvent{kT0 + 200, kT0 + 300, 2});
  f.fanout.publish(a, output);
  f.fanout.host_removed(a, kT0 + 400);
  EXPECT_EQ(f.first.back(), "removed a");
  EXPECT_EQ(f.second.back(), "removed a");
  f.first.clear();
  f.fanout.finish({&b});  // a is gone; its burst is attributed all the same
  EXPECT_EQ(f.first.front(), "burst a " + std::to_string(kT0 + 200));
  EXPECT_EQ(f.first.back(), "flush");
  EXPECT_EQ(std::count(f.first.begin(), f.first.end(), "removed a"), 0);
  EXPECT_EQ(std::count(f.first.begin(), f.first.end(), "removed b"), 1);
}

}  // namespace
}  // namespace zzping::daemon
