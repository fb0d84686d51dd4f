// SPDX-License-Identifier: GPL-3.0-or-later
// The daemon's live console table: one row per host over the last 10 s, with jitter.
#include "zzping/daemon/console_table.hpp"

#include <gtest/gtest.h>

namespace zzping::daemon {
namespace {

TEST(ConsoleTable, ShowsTheJitterOfTheLastSecondsAndADashWithoutPairs) {
  ConsoleTable table(stdout);
  HostInfo a;
  a.name = "a";
  a.precision = 0.01;
  HostInfo b = a;
  b.name = "b";
  for (int i = 0; i < 10; ++i) {
    Frame f;
    f.t_ms = 1'700'000'000'000 + i * 100;
    f.sent = 10;
    f.recv = 10;
    f.rtt.add_us(1000, 10);
    f.jitter = JitterSum{9 * 250'000, 9};  // 0.25 ms
    table.on_frame(a, f);
    f.jitter = JitterSum{};
    table.on_frame(b, f);
  }
  const std::string text = table.render();
  EXPECT_NE(text.find("jitter ms"), std::string::npos) << text;
  const std::string row_a = text.substr(text.find("\na ") + 1, text.find("\nb ") - text.find("\na ") - 1);
  EXPECT_NE(row_a.find(" 0.250 "), std::string::npos) << text;
  const std::string row_b = text.substr(text.find("\nb ") + 1);
  EXPECT_NE(row_b.find("     - "), std::string::npos) << text;
}

TEST(ConsoleTable, ShowsTheCauseOfTheLastAttributedBurst) {
  ConsoleTable table(stdout);
  HostInfo a;
  a.name = "a";
  a.precision = 0.01;
  Frame f;
  f.t_ms = 1'700'000'000'000;
  f.sent = 10;
  f.recv = 10;
  table.on_frame(a, f);
  EXPECT_NE(table.render().find("last cause"), std::string::npos);
  attribution::AttributedBurst burst{{"a", f.t_ms, f.t_ms + 300, 4}, {}};
  burst.attribution.cause = attribution::Cause::gateway_only;
  table.on_burst_attributed(a, burst);
  burst.attribution.cause = attribution::Cause::upstream;
  table.on_burst_attributed(a, burst);
  const std::string text = table.render();
  EXPECT_NE(text.find(" upstream"), std::string::npos) << text;
  EXPECT_EQ(text.find("gateway_only"), std::string::npos) << text;
  HostInfo gone = a;
  gone.name = "gone";  // removed by a reload before its burst was attributed: no row
  table.on_burst_attributed(gone, burst);
  EXPECT_EQ(table.render().find("gone"), std::string::npos);
}

}  // namespace
}  // namespace zzping::daemon
