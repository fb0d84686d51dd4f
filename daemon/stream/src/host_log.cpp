// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/stream_server/host_log.hpp"

#include <algorithm>
#include <stdexcept>

#include "zzping/formats/stream/frame_payload.hpp"
#include "zzping/formats/stream/messages.hpp"

namespace zzping::stream {

HostLog::HostLog(std::string host, LogLimits limits) : host_(std::move(host)), limits_(limits) {
  if (limits_.frames_per_block == 0) throw std::invalid_argument("frames_per_block must be > 0");
}

std::uint64_t HostLog::begin_seq() const {
  return segments_.empty() ? next_seq_ : segments_.front().first_seq;
}

void HostLog::append_frame(const Frame& frame) {
  Segment s;
  s.count = 1;
  s.first_key_ms = s.last_key_ms = std::max(last_key_ms_, frame.t_ms);
  s.frame = frame;  // encoded when a client first asks for it (message_of)
  push(std::move(s));
  seal_old_frames();
  evict_old();
}

void HostLog::append_event(const LossEvent& event) { append_event(EventMessage{host_, event}); }

void HostLog::append_event(EventMessage message) {
  Segment s;
  s.count = 1;
  s.is_event = true;
  // Keyed by arrival (after the frames before it), so keys stay sorted for the search.
  s.first_key_ms = s.last_key_ms = last_key_ms_ == INT64_MIN ? message.event.start_ms : last_key_ms_;
  message.host = host_;
  append_message(s.message, message);
  push(std::move(s));
}

void HostLog::push(Segment segment) {
  segment.first_seq = next_seq_;
  next_seq_ += segment.count;
  last_key_ms_ = segment.last_key_ms;
  memory_bytes_ += segment.message.capacity() + sizeof(Segment);
  segments_.push_back(std::move(segment));
}

void HostLog::seal_old_frames() {
  while (segments_.size() - unsealed_begin_ >= limits_.live_frames + limits_.frames_per_block) {
    // The run: up to frames_per_block single frames, ended early by an event.
    std::size_t end = unsealed_begin_;
    while (end < segments_.size() && !segments_[end].is_event &&
           end - unsealed_begin_ < limits_.frames_per_block) {
      ++end;
    }
    if (end > unsealed_begin_ + 1) merge_run(unsealed_begin_, end);
    unsealed_begin_ = end == unsealed_begin_ ? end + 1 : unsealed_begin_ + 1;
  }
}

void HostLog::merge_run(std::size_t from, std::size_t to) {
  std::vector<Frame> frames;
  frames.reserve(to - from);
  for (std::size_t i = from; i < to; ++i) frames.push_back(std::move(*segments_[i].frame));
  Segment merged;
  merged.first_seq = segments_[from].first_seq;
  merged.count = static_cast<std::uint32_t>(to - from);
  merged.first_key_ms = segments_[from].first_key_ms;
  merged.last_key_ms = segments_[to - 1].last_key_ms;
  append_frames_message(merged.message, host_, frames);
  merged.message.shrink_to_fit();
  for (std::size_t i = from; i < to; ++i) {
    memory_bytes_ -= segments_[i].message.capacity() + sizeof(Segment);
  }
  memory_bytes_ += merged.message.capacity() + sizeof(Segment);
  const auto first = segments_.begin() + static_cast<std::ptrdiff_t>(from);
  segments_.erase(first + 1, segments_.begin() + static_cast<std::ptrdiff_t>(to));
  segments_[from] = std::move(merged);
}

void HostLog::evict_old() {
  while (!segments_.empty() && segments_.front().last_key_ms < last_key_ms_ - limits_.retention_ms) {
    memory_bytes_ -= segments_.front().message.capacity() + sizeof(Segment);
    segments_.pop_front();
    if (unsealed_begin_ > 0) --unsealed_begin_;
  }
}

HostLog::Segment* HostLog::find(std::uint64_t seq) {
  auto it = std::upper_bound(segments_.begin(), segments_.end(), seq,
                             [](std::uint64_t s, const Segment& seg) { return s < seg.first_seq; });
  if (it == segments_.begin()) return nullptr;
  --it;
  return seq < it->first_seq + it->count ? &*it : nullptr;
}

std::uint64_t HostLog::seq_at_or_after(std::int64_t t_ms) const {
  auto it = std::partition_point(segments_.begin(), segments_.end(),
                                 [&](const Segment& s) { return s.last_key_ms < t_ms; });
  if (it == segments_.end()) return next_seq_;
  if (it->is_event || it->count == 1 || it->first_key_ms >= t_ms) return it->first_seq;
  // A block straddles t_ms: count its frames before t_ms.
  const auto body = decode_body(std::span(it->message).subspan(kLengthPrefixBytes));
  const auto frames = decode_frames(std::get<FrameBlock>(body));
  const auto before = std::count_if(frames.begin(), frames.end(),
                                    [&](const Frame& f) { return f.t_ms < t_ms; });
  return it->first_seq + static_cast<std::uint64_t>(before);
}

std::optional<std::int64_t> HostLog::first_frame_ms() const {
  for (const Segment& s : segments_) {
    if (!s.is_event) return s.first_key_ms;
  }
  return std::nullopt;
}

const std::vector<std::uint8_t>& HostLog::message_of(Segment& segment) {
  if (segment.message.empty() && segment.frame) {
    append_frames_message(segment.message, host_, std::span(&*segment.frame, 1));
    memory_bytes_ += segment.message.capacity();
  }
  return segment.message;
}

LogPiece HostLog::piece_from(std::uint64_t seq) {
  Segment* s = find(seq);
  if (s == nullptr) {
    throw std::out_of_range("HostLog::piece_from: sequence " + std::to_string(seq) +
                            " not held (held: " + std::to_string(begin_seq()) + ".." +
                            std::to_string(end_seq()) + ")");
  }
  const std::uint64_t next = s->first_seq + s->count;
  if (seq == s->first_seq) return LogPiece{message_of(*s), next};
  // Only a new subscriber's first piece starts inside a block: cut its tail.
  const auto body = decode_body(std::span(s->message).subspan(kLengthPrefixBytes));
  const auto frames = decode_frames(std::get<FrameBlock>(body));
  const auto tail = std::span(frames).subspan(static_cast<std::size_t>(seq - s->first_seq));
  slice_.clear();
  append_frames_message(slice_, host_, tail);
  return LogPiece{slice_, next};
}

}  // namespace zzping::stream
