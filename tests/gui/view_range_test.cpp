// SPDX-License-Identifier: GPL-3.0-or-later
// The time axis' zoom and pan maths (no Qt).
#include <gtest/gtest.h>

#include "view_range.hpp"

namespace zzping::gui {
namespace {

using view::TimeRange;

TEST(ViewRange, ZoomKeepsThePointUnderTheCursor) {
  const TimeRange r{1'000'000, 2'000'000};
  const TimeRange in = zoom_view(r, 0.5, 1'200'000);
  EXPECT_EQ(in.span_ms(), 500'000);
  // The cursor was at 20 % of the view and still is.
  EXPECT_EQ(in.begin_ms, 1'100'000);
  EXPECT_EQ(in.end_ms, 1'600'000);
  EXPECT_EQ(zoom_view(in, 2.0, 1'200'000), r);
  EXPECT_EQ(zoom_view(r, 0.5), (TimeRange{1'250'000, 1'750'000}));  // around the middle
}

TEST(ViewRange, ZoomStopsAtOneFrameAndTwentyYears) {
  const TimeRange tiny = zoom_view({0, 1'000}, 0.001, 500);
  EXPECT_EQ(tiny.span_ms(), kMinViewSpanMs);
  EXPECT_EQ(tiny.begin_ms, 450);
  const TimeRange huge = zoom_view({0, 86'400'000}, 1e6);
  EXPECT_EQ(huge.span_ms(), kMaxViewSpanMs);
}

TEST(ViewRange, PanMovesByAFractionOfTheSpan) {
  EXPECT_EQ(pan_view({0, 1'000}, 0.25), (TimeRange{250, 1'250}));
  EXPECT_EQ(pan_view({0, 1'000}, -1.0), (TimeRange{-1'000, 0}));
}

TEST(ViewRange, FollowKeepsTheSpanAndEndsAtTheNewest) {
  EXPECT_EQ(follow_view({0, 60'000}, 1'000'000), (TimeRange{940'000, 1'000'000}));
}

TEST(ViewRange, UnionSkipsEmptyExtents) {
  EXPECT_FALSE(union_of({}).has_value());
  EXPECT_FALSE(union_of({std::nullopt}).has_value());
  EXPECT_EQ(union_of({TimeRange{5, 10}, std::nullopt, TimeRange{0, 7}}), (TimeRange{0, 10}));
}

}  // namespace
}  // namespace zzping::gui
