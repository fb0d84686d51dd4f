// SPDX-License-Identifier: GPL-3.0-or-later
// EventLoop, the loop owner (no root): the wake-up timer fires at its time and a later
// wake_at replaces an earlier one; SIGHUP asks for a reload, the first SIGINT/SIGTERM for a
// graceful stop and any later one for a stop at once; stop() ends run(). Signals are raised
// in this process (asio's signal_set catches them).
#include "zzping/daemon/event_loop.hpp"

#include <gtest/gtest.h>

#include <asio.hpp>
#include <csignal>
#include <string>

#include "zzping/daemon/clock.hpp"

namespace zzping::daemon {
namespace {

TEST(EventLoop, WakesAtTheAskedTimeAndALaterRequestReplacesTheEarlierOne) {
  EventLoop loop;
  int wakes = 0;
  std::int64_t woke_ns = 0;
  const std::int64_t start = monotonic_ns();
  const std::int64_t asked = start + 20 * kNsPerMs;
  loop.wake_at(start + 5 * kNsPerMs);
  loop.wake_at(asked);  // replaces the 5 ms wake-up
  loop.run(EventLoop::Handlers{
      .on_wake =
          [&] {
            ++wakes;
            woke_ns = monotonic_ns();
            loop.stop();
          },
      .on_reload = [] {},
      .on_stop = [] {},
      .on_stop_now = [] {},
  });
  EXPECT_EQ(wakes, 1);
  EXPECT_GE(woke_ns, asked);
}

TEST(EventLoop, HupReloadsTheFirstStopSignalStopsGracefullyALaterOneAtOnce) {
  EventLoop loop;
  std::string events;
  loop.wake_at(monotonic_ns());
  loop.run(EventLoop::Handlers{
      .on_wake =
          [&] {
            events += "wake ";
            std::raise(SIGHUP);
          },
      .on_reload =
          [&] {
            events += "reload ";
            EXPECT_FALSE(loop.stop_requested());
            std::raise(SIGTERM);
          },
      .on_stop =
          [&] {
            events += "stop ";
            EXPECT_TRUE(loop.stop_requested());
            std::raise(SIGINT);
          },
      .on_stop_now =
          [&] {
            events += "stop_now";
            loop.stop();
          },
  });
  EXPECT_EQ(events, "wake reload stop stop_now");
}

TEST(EventLoop, LendsItsContextToOtherServersAndStopEndsRun) {
  EventLoop loop;
  bool ran = false;
  asio::post(loop.context(), [&] {
    ran = true;
    loop.stop();
  });
  loop.run(EventLoop::Handlers{.on_wake = [] {}, .on_reload = [] {}, .on_stop = [] {}, .on_stop_now = [] {}});
  EXPECT_TRUE(ran);
}

}  // namespace
}  // namespace zzping::daemon
