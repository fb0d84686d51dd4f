// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// LiveFrameLog: the raw frames (with their histograms) and loss events a live host received
// in its newest `window_ms`, so the Summary dock can give exact quantiles of a live span.
// Frames are kept in sealed blocks shared read-only with the summary worker thread: a
// snapshot copies pointers and the open block only.
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "zzping/common/frame.hpp"

namespace zzping::gui {

class LiveFrameLog {
 public:
  // An hour of 100 ms frames is ~7 MB per host.
  static constexpr std::int64_t kDefaultWindowMs = 3'600'000;
  static constexpr std::size_t kBlockFrames = 600;

  explicit LiveFrameLog(std::int64_t window_ms = kDefaultWindowMs) : window_ms_(window_ms) {}

  void append(const Frame& frame);
  void add_event(const LossEvent& event);

  struct Snapshot {
    std::vector<std::shared_ptr<const std::vector<Frame>>> blocks;  // in time order
    std::vector<LossEvent> events;
    // The start of the oldest frame kept (earlier times were dropped or never received).
    std::optional<std::int64_t> first_ms;
  };
  Snapshot snapshot() const;
  std::size_t frame_count() const;

 private:
  void trim(std::int64_t newest_end_ms);

  std::int64_t window_ms_;
  std::deque<std::shared_ptr<const std::vector<Frame>>> sealed_;
  std::vector<Frame> open_;
  std::vector<LossEvent> events_;
};

}  // namespace zzping::gui
