// SPDX-License-Identifier: GPL-3.0-or-later
// ScheduleGrid: hosts added later start on a whole second of the first hosts' grid (so
// deadlines of equal rates coincide), never before the time asked, never before the origin.
#include "zzping/daemon/schedule_grid.hpp"

#include <gtest/gtest.h>

namespace zzping::daemon {
namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kS = 1000 * kMs;

TEST(ScheduleGrid, LaterHostsStartOnAWholeSecondOfTheFirstHostsGrid) {
  ScheduleGrid grid;
  const std::int64_t origin = 7 * kS + 10 * kMs;
  EXPECT_EQ(grid.start(origin), origin);
  EXPECT_EQ(grid.next(origin), origin);
  EXPECT_EQ(grid.next(origin + 1), origin + kS);
  EXPECT_EQ(grid.next(origin + kS), origin + kS);
  EXPECT_EQ(grid.next(origin + 5 * kS + 999 * kMs), origin + 6 * kS);
  EXPECT_EQ(grid.next(0), origin);  // never before the origin
}

}  // namespace
}  // namespace zzping::daemon
