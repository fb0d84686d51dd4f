// SPDX-License-Identifier: GPL-3.0-or-later
// LiveFrameLog: keeps about its window of frames, in sealed blocks a snapshot shares.
#include <gtest/gtest.h>

#include "live_frame_log.hpp"

namespace zzping::gui {
namespace {

Frame frame(std::int64_t t_ms) {
  Frame f;
  f.t_ms = t_ms;
  f.sent = 10;
  f.recv = 10;
  f.rtt.add_us(1000.0, 10);
  return f;
}

TEST(LiveFrameLog, KeepsItsWindowInWholeBlocks) {
  LiveFrameLog log(60'000);  // one minute: 600 frames, one block
  for (int i = 0; i < 3000; ++i) log.append(frame(i * 100));
  // Frames older than the window go a block at a time: between 1 and 2 blocks remain.
  EXPECT_GE(log.frame_count(), 600u);
  EXPECT_LE(log.frame_count(), 1200u + LiveFrameLog::kBlockFrames);
  const LiveFrameLog::Snapshot s = log.snapshot();
  ASSERT_TRUE(s.first_ms.has_value());
  EXPECT_LE(*s.first_ms, 300'000 - 60'000);
  EXPECT_EQ(s.blocks.back()->back().t_ms, 299'900);  // the newest frame, from the open block
  std::int64_t previous = -1;
  for (const auto& b : s.blocks) {
    for (const Frame& f : *b) {
      EXPECT_EQ(f.t_ms, previous < 0 ? f.t_ms : previous + 100);
      previous = f.t_ms;
    }
  }
}

TEST(LiveFrameLog, SnapshotsShareSealedBlocksAndStayUnchanged) {
  LiveFrameLog log;
  for (int i = 0; i < 700; ++i) log.append(frame(i * 100));
  const LiveFrameLog::Snapshot before = log.snapshot();
  ASSERT_EQ(before.blocks.size(), 2u);
  for (int i = 700; i < 800; ++i) log.append(frame(i * 100));
  const LiveFrameLog::Snapshot after = log.snapshot();
  EXPECT_EQ(before.blocks[0], after.blocks[0]);  // the same sealed block, not a copy
  EXPECT_EQ(before.blocks[1]->size(), 100u);     // the old snapshot's open block is its own
  EXPECT_EQ(after.blocks[1]->size(), 200u);
  log.add_event({1'000, 1'500, 5});
  EXPECT_EQ(log.snapshot().events.size(), 1u);
}

}  // namespace
}  // namespace zzping::gui
