// SPDX-License-Identifier: GPL-3.0-or-later
// The server's backfill memory (HostLog) and per-client cursors (Feed), without sockets:
// a Feed pumps into a ServerSession whose bytes go straight into a ClientSession.
#include <gtest/gtest.h>

#include <algorithm>

#include "zzping/formats/stream/client_session.hpp"
#include "zzping/formats/stream/frame_payload.hpp"
#include "zzping/stream_server/feed.hpp"
#include "zzping/stream_server/host_log.hpp"

namespace zzping::stream {
namespace {

Frame frame_at(std::int64_t t_ms) {
  Frame f;
  f.t_ms = t_ms;
  f.sent = 10;
  f.recv = 9;
  f.lost = 1;
  f.inflight = static_cast<std::uint32_t>(t_ms % 7);
  for (int i = 0; i < 9; ++i) f.rtt.add_us(1000.0 + static_cast<double>((t_ms / 100 + i) % 50) * 37.0);
  return f;
}

// Everything a client receives for one host, in order.
struct Received {
  std::vector<Frame> frames;
  std::vector<LossEvent> events;
  std::size_t frames_before_caught_up = 0;
  bool caught_up = false;
  std::optional<std::string> disconnected;
};

class Harness {
 public:
  explicit Harness(LogLimits limits = {}) : limits_(limits) {
    logs_.try_emplace("h", "h", limits_);
  }
  HostLog& log() { return logs_.at("h"); }
  HostLogs& logs() { return logs_; }

  // Subscribes a fresh client; returns the refusal, if any.
  std::optional<std::string> subscribe(const Subscribe& s, std::int64_t wall_now_ms) {
    server_.feed(client_.take_outgoing(), 0);
    while (server_.poll()) {
    }
    server_.send_hosts({HostInfo{"h", "10.0.0.1", 10, 100, 0.01}}, 0);
    auto feed = Feed::create(s, logs_, wall_now_ms);
    if (auto* refusal = std::get_if<std::string>(&feed)) return *refusal;
    feed_ = std::get<Feed>(std::move(feed));
    return std::nullopt;
  }
  Feed::PumpResult pump(std::size_t high_water) {
    const auto r = feed_->pump(logs_, server_, high_water, 0);
    peak_queue_ = std::max(peak_queue_, server_.outgoing_bytes());
    return r;
  }
  // Delivers what the server queued to the client.
  void deliver() {
    client_.feed(server_.take_outgoing(), 0);
    while (auto ev = client_.poll()) {
      if (auto* f = std::get_if<ReceivedFrames>(&*ev)) {
        EXPECT_EQ(f->backfill, !received_.caught_up);
        received_.frames.insert(received_.frames.end(), f->frames.begin(), f->frames.end());
      } else if (auto* e = std::get_if<EventMessage>(&*ev)) {
        received_.events.push_back(e->event);
      } else if (std::holds_alternative<CaughtUp>(*ev)) {
        received_.caught_up = true;
        received_.frames_before_caught_up = received_.frames.size();
      } else if (auto* d = std::get_if<Disconnected>(&*ev)) {
        received_.disconnected = d->reason;
      }
    }
  }
  const Received& received() const { return received_; }
  std::size_t peak_queue() const { return peak_queue_; }

 private:
  LogLimits limits_;
  HostLogs logs_;
  ClientSession client_{ClientConfig{}, 0};
  ServerSession server_{ServerSessionConfig{}, 0};
  std::optional<Feed> feed_;
  Received received_;
  std::size_t peak_queue_ = 0;
};

std::vector<Frame> frames_from(std::int64_t t0, int n) {
  std::vector<Frame> out;
  for (int i = 0; i < n; ++i) out.push_back(frame_at(t0 + i * 100));
  return out;
}

TEST(HostLog, MergesOldFramesIntoBlocksAndKeepsTheNewestSingle) {
  HostLog log("h", LogLimits{.retention_ms = 3'600'000, .live_frames = 10, .frames_per_block = 50});
  for (const auto& f : frames_from(0, 1000)) log.append_frame(f);
  EXPECT_EQ(log.begin_seq(), 0u);
  EXPECT_EQ(log.end_seq(), 1000u);
  // 1000 frames: blocks of 50 for all but the newest 10..59.
  EXPECT_LT(log.segment_count(), 80u);
  std::vector<Frame> walked;
  for (std::uint64_t seq = 0; seq < log.end_seq();) {
    const LogPiece piece = log.piece_from(seq);
    const auto body = decode_body(piece.bytes.subspan(kLengthPrefixBytes));
    const auto frames = decode_frame_payload(std::get<FrameBlock>(body).block);
    EXPECT_EQ(frames.size(), piece.next_seq - seq);
    walked.insert(walked.end(), frames.begin(), frames.end());
    seq = piece.next_seq;
  }
  EXPECT_EQ(walked, frames_from(0, 1000));
}

TEST(HostLog, EveryStartingPointYieldsExactlyTheRest) {
  HostLog log("h", LogLimits{.retention_ms = 3'600'000, .live_frames = 4, .frames_per_block = 7});
  const auto frames = frames_from(1'000'000, 60);
  for (const auto& f : frames) log.append_frame(f);
  for (std::size_t start = 0; start < frames.size(); ++start) {
    std::vector<Frame> walked;
    for (std::uint64_t seq = start; seq < log.end_seq();) {
      const LogPiece piece = log.piece_from(seq);
      const auto body = decode_body(piece.bytes.subspan(kLengthPrefixBytes));
      const auto part = decode_frame_payload(std::get<FrameBlock>(body).block);
      walked.insert(walked.end(), part.begin(), part.end());
      seq = piece.next_seq;
    }
    ASSERT_EQ(walked, std::vector<Frame>(frames.begin() + static_cast<std::ptrdiff_t>(start), frames.end()))
        << start;
    EXPECT_EQ(log.seq_at_or_after(frames[start].t_ms), start);
    EXPECT_EQ(log.seq_at_or_after(frames[start].t_ms - 50), start);  // between frames
  }
  EXPECT_EQ(log.seq_at_or_after(INT64_MIN), 0u);
  EXPECT_EQ(log.seq_at_or_after(INT64_MAX), log.end_seq());
}

TEST(HostLog, DropsEntriesOlderThanTheRetention) {
  HostLog log("h", LogLimits{.retention_ms = 10'000, .live_frames = 8, .frames_per_block = 16});
  for (const auto& f : frames_from(0, 1000)) log.append_frame(f);  // 100 s
  // The newest frame is at 99.9 s: segments ending before 89.9 s are gone.
  EXPECT_GT(log.begin_seq(), 850u);
  EXPECT_LE(log.begin_seq(), 900u);
  const std::size_t bytes_after_100s = log.memory_bytes();
  std::size_t most = 0;
  for (const auto& f : frames_from(100'000, 2000)) {
    log.append_frame(f);
    most = std::max(most, log.memory_bytes());
  }
  EXPECT_LT(most, bytes_after_100s * 2);  // bounded by the window, not growing
}

TEST(Feed, BackfillThenLiveHasNoGapAndNoDuplicate) {
  Harness h(LogLimits{.retention_ms = 3'600'000, .live_frames = 16, .frames_per_block = 50});
  const auto all = frames_from(0, 2000);
  for (int i = 0; i < 1200; ++i) h.log().append_frame(all[static_cast<std::size_t>(i)]);
  h.log().append_event(LossEvent{119'000, 119'500, 5});
  ASSERT_FALSE(h.subscribe(Subscribe{{}, std::int64_t{60'050}, std::nullopt}, 0));
  // Live frames arrive while the backfill is still being sent in small steps.
  for (int i = 1200; i < 2000; ++i) {
    h.pump(4096);
    h.deliver();
    h.log().append_frame(all[static_cast<std::size_t>(i)]);
  }
  for (int i = 0; i < 100; ++i) {
    h.pump(4096);
    h.deliver();
  }
  const Received& r = h.received();
  EXPECT_FALSE(r.disconnected);
  EXPECT_TRUE(r.caught_up);
  // since = 60 050 ms: the first frame sent starts at 60 100 ms (frame 601).
  EXPECT_EQ(r.frames, std::vector<Frame>(all.begin() + 601, all.end()));
  EXPECT_EQ(r.events, (std::vector<LossEvent>{{119'000, 119'500, 5}}));
  EXPECT_GT(r.frames_before_caught_up, 599u);
  EXPECT_LE(h.peak_queue(), 4096u + 5000u);  // high water plus at most one block
}

TEST(Feed, LiveOnlySubscriptionStartsAtTheEnd) {
  Harness h;
  for (const auto& f : frames_from(0, 50)) h.log().append_frame(f);
  ASSERT_FALSE(h.subscribe(Subscribe{}, 0));
  h.pump(1 << 20);
  h.deliver();
  EXPECT_TRUE(h.received().caught_up);
  EXPECT_TRUE(h.received().frames.empty());
  h.log().append_frame(frame_at(5000));
  h.pump(1 << 20);
  h.deliver();
  EXPECT_EQ(h.received().frames, std::vector<Frame>{frame_at(5000)});
}

TEST(Feed, BackfillByDurationUsesTheWallClock) {
  Harness h;
  for (const auto& f : frames_from(0, 1000)) h.log().append_frame(f);  // 0..99.9 s
  ASSERT_FALSE(h.subscribe(Subscribe{{}, std::nullopt, std::uint64_t{30'000}}, 100'000));
  h.pump(1 << 20);
  h.deliver();
  ASSERT_EQ(h.received().frames.size(), 300u);
  EXPECT_EQ(h.received().frames.front().t_ms, 70'000);
}

TEST(Feed, RefusesUnknownHostsAndConflictingBackfill) {
  Harness h;
  EXPECT_EQ(h.subscribe(Subscribe{{"nope"}, std::nullopt, std::nullopt}, 0),
            "subscribe: unknown host 'nope'");
  Harness h2;
  EXPECT_EQ(h2.subscribe(Subscribe{{}, std::int64_t{1}, std::uint64_t{1}}, 0),
            "subscribe: give since_ms or backfill_ms, not both");
}

TEST(Feed, AClientThatFallsBehindTheMemoryIsReportedLagged) {
  Harness h(LogLimits{.retention_ms = 5'000, .live_frames = 4, .frames_per_block = 10});
  for (const auto& f : frames_from(0, 100)) h.log().append_frame(f);
  ASSERT_FALSE(h.subscribe(Subscribe{{}, std::int64_t{0}, std::nullopt}, 0));
  EXPECT_EQ(h.pump(100), Feed::PumpResult::Ok);  // takes a little, then stops reading
  for (const auto& f : frames_from(10'000, 100)) h.log().append_frame(f);
  EXPECT_EQ(h.pump(1 << 20), Feed::PumpResult::Lagged);
}

}  // namespace
}  // namespace zzping::stream
