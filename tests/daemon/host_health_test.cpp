// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/host_health.hpp"

#include <gtest/gtest.h>

using namespace zzping::daemon;

namespace {

zzping::Frame frame_at(std::int64_t t_ms, std::uint32_t sent, std::uint32_t recv, std::uint32_t icmp_errors = 0) {
  zzping::Frame frame;
  frame.t_ms = t_ms;
  frame.length_ms = 100;
  frame.sent = sent;
  frame.recv = recv;
  frame.lost = sent - recv;
  frame.icmp_errors = icmp_errors;
  return frame;
}

// Feeds frames of 100 ms from `t_ms` on; returns the messages in order.
std::vector<HealthMessage> feed(HostHealth& health, std::int64_t& t_ms, int frames, std::uint32_t recv,
                                std::uint32_t icmp_errors = 0) {
  std::vector<HealthMessage> messages;
  for (int i = 0; i < frames; ++i, t_ms += 100) {
    if (auto message = health.on_frame(frame_at(t_ms, 10, recv, icmp_errors))) messages.push_back(*message);
  }
  return messages;
}

}  // namespace

TEST(HostHealth, AnsweringHostLogsNothing) {
  HostHealth health;
  std::int64_t t = 0;
  EXPECT_TRUE(feed(health, t, 1000, 10).empty());
}

TEST(HostHealth, SilenceIsLoggedOnceAfterTheThresholdAndTheReturnOnce) {
  HostHealth health(HealthSettings{2000, 60'000});
  std::int64_t t = 1'000'000;
  EXPECT_TRUE(feed(health, t, 10, 10).empty());
  EXPECT_TRUE(feed(health, t, 19, 0).empty()) << "1.9 s of silence is below the threshold";
  auto down = feed(health, t, 600, 0);
  ASSERT_EQ(down.size(), 1u) << "one line for a minute of silence, not one per frame";
  EXPECT_EQ(down[0].level, HealthMessage::Level::warn);
  EXPECT_EQ(down[0].text, "no replies for 2.0 s (200 probes lost, no ICMP errors)");
  auto up = feed(health, t, 5, 10);
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0].level, HealthMessage::Level::info);
  EXPECT_EQ(up[0].text, "replies again after 61.9 s without (6190 probes lost, 0 ICMP errors)");
}

TEST(HostHealth, ShortGapsResetTheSilence) {
  HostHealth health(HealthSettings{2000, 60'000});
  std::int64_t t = 0;
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(feed(health, t, 15, 0).empty());
    EXPECT_TRUE(feed(health, t, 1, 3).empty());
  }
}

TEST(HostHealth, UnreachableHostNamesTheIcmpErrors) {
  HostHealth health(HealthSettings{1000, 60'000});
  std::int64_t t = 0;
  auto down = feed(health, t, 50, 0, 10);
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].text, "no replies for 1.0 s (100 probes lost, 100 ICMP errors: the network reports it unreachable)");
}

TEST(HostHealth, IcmpErrorsOfAnAnsweringHostAreRateLimited) {
  HostHealth health(HealthSettings{2000, 60'000});
  std::int64_t t = 0;
  auto first = feed(health, t, 1, 9, 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].text, "1 ICMP errors (unreachable / time exceeded) quoting our probes within 0.1 s while it still answers");
  EXPECT_TRUE(feed(health, t, 599, 9, 1).empty()) << "within a minute of the last line";
  auto next = feed(health, t, 1, 9, 1);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].text, "600 ICMP errors (unreachable / time exceeded) quoting our probes within 60.0 s while it still answers");
}

TEST(HostHealth, FramesWithoutProbesChangeNothing) {
  HostHealth health(HealthSettings{1000, 60'000});
  for (std::int64_t t = 0; t < 100'000; t += 100) EXPECT_FALSE(health.on_frame(frame_at(t, 0, 0)).has_value());
}
