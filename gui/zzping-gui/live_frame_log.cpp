// SPDX-License-Identifier: GPL-3.0-or-later
#include "live_frame_log.hpp"

#include <algorithm>

namespace zzping::gui {

void LiveFrameLog::append(const Frame& frame) {
  open_.push_back(frame);
  if (open_.size() >= kBlockFrames) {
    sealed_.push_back(std::make_shared<const std::vector<Frame>>(std::move(open_)));
    open_ = {};
    open_.reserve(kBlockFrames);
    trim(frame.t_ms + frame.length_ms);
  }
}

void LiveFrameLog::add_event(const LossEvent& event) { events_.push_back(event); }

// Whole blocks go once their newest frame is older than the window; events likewise.
void LiveFrameLog::trim(std::int64_t newest_end_ms) {
  const std::int64_t keep_from = newest_end_ms - window_ms_;
  while (!sealed_.empty() && sealed_.front()->back().t_ms < keep_from) sealed_.pop_front();
  std::erase_if(events_, [&](const LossEvent& e) { return e.end_ms < keep_from; });
}

LiveFrameLog::Snapshot LiveFrameLog::snapshot() const {
  Snapshot s;
  s.blocks.assign(sealed_.begin(), sealed_.end());
  if (!open_.empty()) s.blocks.push_back(std::make_shared<const std::vector<Frame>>(open_));
  s.events = events_;
  if (!s.blocks.empty()) s.first_ms = s.blocks.front()->front().t_ms;
  return s;
}

std::size_t LiveFrameLog::frame_count() const {
  std::size_t n = open_.size();
  for (const auto& b : sealed_) n += b->size();
  return n;
}

}  // namespace zzping::gui
