// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/chunks.hpp"

#include <gtest/gtest.h>

#include "synthetic.hpp"
#include "zzping/common/view/plot_series.hpp"

namespace zzping::view {
namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kMonthStart = 1'609'459'200'000;  // 2021-01-01T00:00:00Z
constexpr std::int64_t kMonthEnd = 1'612'137'600'000;    // 2021-02-01T00:00:00Z
constexpr std::int64_t kT0 = kMonthStart + 8 * kHour;     // two hours of frames from 08:00

std::size_t level_of(std::uint32_t bucket_ms) {
  for (std::size_t l = 0; l < ChunkStore::level_count(); ++l) {
    if (ChunkStore::level_bucket_ms(l) == bucket_ms) return l;
  }
  throw std::logic_error("no such level");
}

const std::vector<Frame>& two_hours() {
  static const std::vector<Frame> frames = testing::ramp_frames(kT0, 72'000);
  return frames;
}

std::shared_ptr<Chunk> raw_hour(int hour) {
  auto c = std::make_shared<Chunk>(Chunk{{{Resolution::kRaw, kT0 + hour * kHour}, kT0 + (hour + 1) * kHour}, Pyramid()});
  for (const Frame& f : two_hours()) {
    if (f.t_ms >= c->period.key.start_ms && f.t_ms < c->period.end_ms) c->pyramid.append(f);
  }
  return c;
}

// The 1 min tier of the two hours, as the daemon writes it, in a month chunk.
std::shared_ptr<Chunk> minute_month() {
  auto c = std::make_shared<Chunk>(Chunk{{{Resolution::kMinute, kMonthStart}, kMonthEnd}, Pyramid()});
  std::optional<Frame> open;
  for (const Frame& f : two_hours()) {
    const std::int64_t minute = f.t_ms - f.t_ms % 60'000;
    if (open && open->t_ms != minute) {
      c->pyramid.append_tier(*open);
      open.reset();
    }
    if (!open) {
      open = f;
      open->t_ms = minute;
      open->length_ms = 60'000;
    } else {
      merge_into(*open, f);
      open->t_ms = minute;
      open->length_ms = 60'000;
    }
  }
  c->pyramid.append_tier(*open);
  return c;
}

const Pyramid& reference() {
  static const Pyramid p = [] {
    Pyramid all;
    for (const Frame& f : two_hours()) all.append(f);
    return all;
  }();
  return p;
}

void expect_same(const std::vector<BucketSummary>& got, const std::vector<BucketSummary>& want,
                 TimeRange inside) {
  std::vector<BucketSummary> a, b;
  for (const auto& x : got) if (x.end_ms() > inside.begin_ms && x.t_ms < inside.end_ms) a.push_back(x);
  for (const auto& x : want) if (x.end_ms() > inside.begin_ms && x.t_ms < inside.end_ms) b.push_back(x);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_FALSE(a.empty());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].t_ms, b[i].t_ms);
    EXPECT_EQ(a[i].length_ms, b[i].length_ms);
    EXPECT_EQ(a[i].recv, b[i].recv);
    EXPECT_EQ(a[i].lost, b[i].lost);
    EXPECT_EQ(a[i].rtt_us, b[i].rtt_us);
  }
}

void expect_sorted_without_gaps(const std::vector<BucketSummary>& buckets) {
  for (std::size_t i = 1; i < buckets.size(); ++i) {
    ASSERT_GE(buckets[i].t_ms, buckets[i - 1].end_ms()) << "overlap at " << i;
    EXPECT_FALSE(is_gap(buckets[i - 1], buckets[i])) << "false gap at " << i;
  }
}

TEST(ChunkIndex, FindsPeriodsOverlappingARange) {
  ChunkIndex index;
  for (int h = 0; h < 5; ++h) index.add(Resolution::kRaw, kT0 + h * kHour, kT0 + (h + 1) * kHour);
  index.add(Resolution::kRaw, kT0, kT0 + kHour);  // a second file of the same hour
  index.add(Resolution::kMinute, kMonthStart, kMonthEnd);
  EXPECT_EQ(index.count(Resolution::kRaw), 5u);
  const auto got = index.overlapping(Resolution::kRaw, {kT0 + kHour + 10, kT0 + 3 * kHour});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].key.start_ms, kT0 + kHour);
  EXPECT_EQ(got[1].key.start_ms, kT0 + 2 * kHour);
  EXPECT_TRUE(index.find({Resolution::kMinute, kMonthStart}).has_value());
  EXPECT_FALSE(index.find({Resolution::kSecond, kMonthStart}).has_value());
  EXPECT_EQ(index.extent(), (TimeRange{kMonthStart, kMonthEnd}));
}

TEST(ChunkStore, CoarseChunkAloneIsShownAsCoarseNeverAsDetail) {
  ChunkStore store;
  store.insert(minute_month());
  const TimeRange minute{kT0 + 30 * 60'000, kT0 + 31 * 60'000};
  const ChunkView v = store.visible(0, minute);
  EXPECT_FALSE(v.complete);
  EXPECT_EQ(v.finest_bucket_ms, 60'000u);
  for (const auto& b : v.buckets) EXPECT_EQ(b.length_ms, 60'000u);
  // The 1 min bucket under the minute is the exact merge of its raw frames.
  expect_same(v.buckets, reference().visible(level_of(60'000), minute), minute);
}

TEST(ChunkStore, RawChunkGivesTheRawFramesAndEveryLevelUpToAnHour) {
  ChunkStore store;
  store.insert(minute_month());
  store.insert(raw_hour(1));
  const TimeRange minute{kT0 + kHour + 5 * 60'000, kT0 + kHour + 6 * 60'000};
  const ChunkView v = store.visible(0, minute);
  EXPECT_TRUE(v.complete);
  EXPECT_EQ(v.finest_bucket_ms, 0u);
  expect_same(v.buckets, reference().visible(0, minute), minute);
  const TimeRange quarter{kT0 + kHour, kT0 + kHour + 15 * 60'000};
  expect_same(store.visible(level_of(5'000), quarter).buckets,
              reference().visible(level_of(5'000), quarter), quarter);
  EXPECT_EQ(store.bucket_at(0, kT0 + kHour + 1'234)->t_ms, kT0 + kHour + 1'200);
}

TEST(ChunkStore, WhereDetailEndsTheCoarseLevelContinuesWithoutOverlapOrFalseGap) {
  ChunkStore store;
  store.insert(minute_month());
  store.insert(raw_hour(0));
  // Across the end of the loaded hour: 1 s buckets, then 1 min buckets of hour 2.
  const TimeRange across{kT0 + kHour - 10 * 60'000, kT0 + kHour + 10 * 60'000};
  const ChunkView v = store.visible(level_of(1'000), across);
  EXPECT_FALSE(v.complete);
  EXPECT_EQ(v.finest_bucket_ms, 1'000u);
  expect_sorted_without_gaps(v.buckets);
  EXPECT_EQ(v.buckets.front().length_ms, 1'000u);
  EXPECT_EQ(v.buckets.back().length_ms, 60'000u);
  const TimeRange first_part{across.begin_ms, kT0 + kHour};
  expect_same(v.buckets, reference().visible(level_of(1'000), first_part), first_part);
}

TEST(ChunkStore, CoarseLevelsComeFromTheCoarseChunkNotFromAPartialHour) {
  ChunkStore store;
  store.insert(minute_month());
  store.insert(raw_hour(0));
  const TimeRange all{kT0, kT0 + 2 * kHour};
  // 6 h buckets would straddle the raw hour's ends: the month chunk gives them.
  const ChunkView v = store.visible(level_of(21'600'000), all);
  EXPECT_TRUE(v.complete);
  expect_same(v.buckets, reference().visible(level_of(21'600'000), all), all);
  const ChunkView m = store.visible(level_of(300'000), all);
  expect_same(m.buckets, reference().visible(level_of(300'000), all), all);
}

TEST(ChunkStore, RawHoursAloneNeverFakeADayOrSixHourBucket) {
  ChunkStore store;
  store.insert(raw_hour(0));
  store.insert(raw_hour(1));
  const TimeRange all{kT0, kT0 + 2 * kHour};
  // A 6 h bucket from one hour's frames would claim data for 6 hours: the hours give their
  // own 1 h buckets instead (finer than asked, and exact).
  const ChunkView v = store.visible(level_of(21'600'000), all);
  EXPECT_EQ(v.finest_bucket_ms, 3'600'000u);
  ASSERT_EQ(v.buckets.size(), 2u);
  expect_same(v.buckets, reference().visible(level_of(3'600'000), all), all);
  EXPECT_EQ(store.bucket_at(level_of(86'400'000), kT0 + 10)->length_ms, 3'600'000u);
}

TEST(ChunkStore, EvictionFallsBackToCoarseAndTimesWithoutChunksAreGaps) {
  ChunkStore store;
  store.insert(raw_hour(0));
  store.insert(raw_hour(1));
  EXPECT_EQ(store.chunk_count(Resolution::kRaw), 2u);
  store.erase({Resolution::kRaw, kT0});
  EXPECT_FALSE(store.contains({Resolution::kRaw, kT0}));
  // Nothing covers hour 0 now: no bucket there (a real gap, nothing drawn across it).
  const ChunkView v = store.visible(level_of(1'000), {kT0 + 30 * 60'000, kT0 + kHour + 60'000});
  ASSERT_FALSE(v.buckets.empty());
  EXPECT_GE(v.buckets.front().t_ms, kT0 + kHour);
  EXPECT_EQ(store.extent()->begin_ms, kT0 + kHour);
  EXPECT_GT(store.bucket_count(), 36'000u);
}

}  // namespace
}  // namespace zzping::view
