// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The backfill memory of one host: its recent frames and events, in arrival order, as
// ready-to-send stream messages. Every frame and event gets a sequence number; clients
// hold a cursor (the next sequence number they need), so backfill and live data are the
// same walk through the same log and the seam between them has no gap and no duplicate.
//
// Memory: each message is encoded once for all clients. The newest `live_frames` frames
// stay single (live clients take them as they come), each encoded only when a client
// first asks for it: with no client connected no frame is encoded one by one (that was
// about 5% of zzpingd's CPU, docs/benchmarks.md "Daemon"). Older frames are merged into blocks of
// `frames_per_block`, which costs far fewer bytes per frame. Entries older than
// `retention_ms` (relative to the newest frame) are dropped.
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "zzping/common/frame.hpp"
#include "zzping/formats/stream/messages.hpp"

namespace zzping::stream {

struct LogLimits {
  std::int64_t retention_ms = 3'660'000;  // the last hour, plus a minute of slack for slow readers
  std::size_t live_frames = 64;
  std::size_t frames_per_block = 100;
};

// Encoded messages starting at a sequence number, and where the next piece starts.
struct LogPiece {
  std::span<const std::uint8_t> bytes;  // valid until the log changes
  std::uint64_t next_seq = 0;
};

class HostLog {
 public:
  HostLog(std::string host, LogLimits limits);

  void append_frame(const Frame& frame);
  void append_event(const LossEvent& event);
  // A burst with its attribution (since 1.2; message.host is set to this log's host).
  void append_event(EventMessage message);

  std::uint64_t begin_seq() const;  // oldest entry still held
  std::uint64_t end_seq() const { return next_seq_; }
  // First entry at or after wall time t_ms (frames by t_ms; events by arrival).
  std::uint64_t seq_at_or_after(std::int64_t t_ms) const;
  // t_ms of the oldest frame held: the log has every frame from it on (the seam with the
  // files on disk). Empty while no frame is held.
  std::optional<std::int64_t> first_frame_ms() const;
  // The messages from `seq` (begin_seq() <= seq < end_seq()) to the end of its segment.
  LogPiece piece_from(std::uint64_t seq);

  const std::string& host() const { return host_; }
  std::size_t memory_bytes() const { return memory_bytes_; }
  std::size_t segment_count() const { return segments_.size(); }

 private:
  struct Segment {
    std::uint64_t first_seq = 0;
    std::uint32_t count = 0;         // sequence numbers covered (frames, or 1 for an event)
    std::int64_t first_key_ms = 0;   // nondecreasing along the log
    std::int64_t last_key_ms = 0;
    bool is_event = false;
    std::vector<std::uint8_t> message;  // complete encoded message(s); empty for a single
                                        // frame no client has asked for yet
    std::optional<Frame> frame;         // single, not yet merged frame
  };
  void push(Segment segment);
  void seal_old_frames();
  void merge_run(std::size_t from, std::size_t to);
  void evict_old();
  Segment* find(std::uint64_t seq);
  // The segment's encoded message(s), encoding a single frame on first use.
  const std::vector<std::uint8_t>& message_of(Segment& segment);

  std::string host_;
  LogLimits limits_;
  std::deque<Segment> segments_;
  std::size_t unsealed_begin_ = 0;  // index of the first segment not yet merged
  std::uint64_t next_seq_ = 0;
  std::int64_t last_key_ms_ = INT64_MIN;
  std::size_t memory_bytes_ = 0;
  std::vector<std::uint8_t> slice_;  // storage of a piece cut from the middle of a block
};

}  // namespace zzping::stream
