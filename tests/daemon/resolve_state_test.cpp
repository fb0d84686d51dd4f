// SPDX-License-Identifier: GPL-3.0-or-later
// ResolveState: retry after failures, log once per distinct error, re-resolve names on the
// interval, never literals, report only address changes.
#include "zzping/daemon/resolve_state.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace zzping::daemon {
namespace {

constexpr std::int64_t kS = 1'000'000'000;
const ResolveTiming kTiming{5 * kS, 300 * kS};

TEST(ResolveState, AFreshHostIsDueAtOnce) {
  const ResolveState state;
  EXPECT_TRUE(state.due(0));
  EXPECT_FALSE(state.address().has_value());
}

TEST(ResolveState, FailuresRetryAndLogOncePerDistinctError) {
  ResolveState state;
  auto outcome = state.on_result(std::nullopt, "Name or service not known", false, 10 * kS, kTiming);
  ASSERT_EQ(outcome.logs.size(), 1u);
  EXPECT_EQ(outcome.logs[0].level, ResolveLog::Level::warn);
  EXPECT_EQ(outcome.logs[0].text,
            "cannot resolve (Name or service not known); retrying every 5 s, logged again when the error changes");
  EXPECT_FALSE(state.due(14 * kS));
  EXPECT_TRUE(state.due(15 * kS));
  outcome = state.on_result(std::nullopt, "Name or service not known", false, 15 * kS, kTiming);
  EXPECT_TRUE(outcome.logs.empty()) << "the same error again is not logged";
  outcome = state.on_result(std::nullopt, "Temporary failure in name resolution", false, 20 * kS, kTiming);
  EXPECT_EQ(outcome.logs.size(), 1u) << "a new error is";
  EXPECT_EQ(state.failures(), 3u);

  outcome = state.on_result(IpAddress::parse("192.0.2.1"), "", false, 25 * kS, kTiming);
  ASSERT_EQ(outcome.logs.size(), 2u);
  EXPECT_EQ(outcome.logs[0].text, "resolved after 3 failed lookups");
  EXPECT_EQ(outcome.logs[1].text, "address 192.0.2.1");
  EXPECT_EQ(outcome.new_address, IpAddress::parse("192.0.2.1"));
  EXPECT_EQ(state.failures(), 0u);
  EXPECT_EQ(state.next_ns(), 325 * kS);
  // After a success the first failure is logged again.
  outcome = state.on_result(std::nullopt, "Name or service not known", false, 325 * kS, kTiming);
  EXPECT_EQ(outcome.logs.size(), 1u);
  EXPECT_EQ(state.address(), IpAddress::parse("192.0.2.1")) << "a failed re-resolution keeps the address";
}

TEST(ResolveState, OnlyAChangedAddressIsReported) {
  ResolveState state;
  EXPECT_TRUE(state.on_result(IpAddress::parse("192.0.2.1"), "", false, 0, kTiming).new_address);
  auto same = state.on_result(IpAddress::parse("192.0.2.1"), "", false, 300 * kS, kTiming);
  EXPECT_FALSE(same.new_address);
  EXPECT_TRUE(same.logs.empty());
  auto moved = state.on_result(IpAddress::parse("192.0.2.2"), "", false, 600 * kS, kTiming);
  EXPECT_EQ(moved.new_address, IpAddress::parse("192.0.2.2"));
}

TEST(ResolveState, LiteralsAreNeverResolvedAgain) {
  ResolveState state;
  state.on_result(IpAddress::parse("::1"), "", true, 0, kTiming);
  EXPECT_EQ(state.next_ns(), std::numeric_limits<std::int64_t>::max());
  EXPECT_FALSE(state.due(std::numeric_limits<std::int64_t>::max() - 1));
}

TEST(ResolveState, AStartFailureRetriesWithTheCurrentTiming) {
  ResolveState state;
  const ResolveTiming reloaded{1 * kS, 60 * kS};  // resolve_* apply live on reload
  const ResolveLog line = state.on_start_failed(7 * kS, reloaded);
  EXPECT_EQ(line.text, "could not start a lookup; retrying in 1 s");
  EXPECT_TRUE(state.due(8 * kS));
}

}  // namespace
}  // namespace zzping::daemon
