// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/live_link.hpp"

#include <gtest/gtest.h>

namespace zzping::view {
namespace {

Frame frame(std::int64_t t_ms) {
  Frame f;
  f.t_ms = t_ms;
  f.length_ms = 100;
  return f;
}

TEST(LiveLink, RefusalsThatWouldRepeatStopRetrying) {
  // The texts the stream client reports for the server's close messages.
  EXPECT_EQ(state_after_disconnect("server closed the stream: authentication failed: wrong token"),
            LinkState::TokenRefused);
  EXPECT_EQ(state_after_disconnect(
                "server closed the stream: authentication failed: this server requires a token"),
            LinkState::TokenRefused);
  EXPECT_EQ(state_after_disconnect("server closed the stream: client speaks protocol version 2.0, "
                                   "this server 1.0"),
            LinkState::VersionRefused);
  EXPECT_EQ(state_after_disconnect("server closed the stream: unknown host 'x'"), LinkState::Refused);
  EXPECT_FALSE(retries(LinkState::TokenRefused));
  EXPECT_FALSE(retries(LinkState::VersionRefused));
  EXPECT_FALSE(retries(LinkState::Refused));
}

TEST(LiveLink, DroppedConnectionsRetry) {
  for (const char* reason : {"connection lost: Connection refused", "server peer silent for 20000 ms",
                             "connection lost: The remote host closed the connection"}) {
    EXPECT_EQ(state_after_disconnect(reason), LinkState::Reconnecting) << reason;
  }
  EXPECT_TRUE(retries(LinkState::Reconnecting));
  EXPECT_STREQ(link_state_name(LinkState::Connected), "connected");
  EXPECT_STREQ(link_state_name(LinkState::TokenRefused), "token refused");
  EXPECT_STREQ(link_state_name(LinkState::VersionRefused), "version refused");
}

TEST(LiveLink, BackoffDoublesToItsCapAndResets) {
  ReconnectBackoff b(250, 1000);
  EXPECT_EQ(b.next_delay_ms(), 250);
  EXPECT_EQ(b.next_delay_ms(), 500);
  EXPECT_EQ(b.next_delay_ms(), 1000);
  EXPECT_EQ(b.next_delay_ms(), 1000);
  b.reset();
  EXPECT_EQ(b.next_delay_ms(), 250);
}

TEST(LiveLink, ResumeCursorDropsWhatWasTakenAndResumesFromTheEarliestHost) {
  ResumeCursor c;
  EXPECT_FALSE(c.resume_since_ms());
  EXPECT_TRUE(c.take("a", frame(1000)));
  EXPECT_TRUE(c.take("a", frame(1100)));
  EXPECT_TRUE(c.take("b", frame(900)));
  EXPECT_EQ(c.resume_since_ms(), 1000);  // b ends at 1000, a at 1200
  // The resumed subscription repeats frames from 1000 on: only the new ones are taken.
  EXPECT_FALSE(c.take("a", frame(1000)));
  EXPECT_FALSE(c.take("a", frame(1100)));
  EXPECT_TRUE(c.take("b", frame(1000)));
  EXPECT_TRUE(c.take("a", frame(1200)));
  EXPECT_TRUE(c.take("a", frame(5000)));  // after a gap
  EXPECT_EQ(c.resume_since_ms(), 1100);
}

TEST(LiveLink, HostLabelsNameTheDaemonOnlyWhenThereAreSeveral) {
  EXPECT_EQ(live_host_label("gw", "10.0.0.1:7878", 1), "gw");
  EXPECT_EQ(live_host_label("gw", "10.0.0.1:7878", 2), "gw @ 10.0.0.1:7878");
}

}  // namespace
}  // namespace zzping::view

namespace zzping::view {
namespace {

TEST(LiveLink, DaemonAddressesParseOrAreRejected) {
  const auto a = parse_daemon_address("127.0.0.1:7878");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 7878);
  const auto b = parse_daemon_address("[::1]:9");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->host, "::1");
  EXPECT_EQ(b->port, 9);
  EXPECT_EQ(parse_daemon_address("gw.example:65535")->host, "gw.example");
  for (const char* bad : {"", "host", ":7878", "host:", "host:0", "host:65536", "host:12a",
                          "::1:7878", "[]:1", "[::1:7878", "host:123456"}) {
    EXPECT_FALSE(parse_daemon_address(bad)) << bad;
  }
}

}  // namespace
}  // namespace zzping::view
