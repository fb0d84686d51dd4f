// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// zzping 0.2's aggregation of FDQ frames (FrameDataQ::fold_vec, FDCodecIterFold / iter_fold),
// as its fdqread tool and GUI used it. It exists here for compatibility only.
//
// What it computes, and why it is statistically wrong: each output frame takes the integer
// mean of the ms timestamps, the root mean square of inflight (in f32), the mean of
// lost_packets (f32), the floor of the mean recv_us_len, and for the RTTs the 7 percentiles
// of the POOLED PERCENTILES of the input frames (their -1 values excluded), not of the RTT
// samples themselves. A frame with 2 samples weighs as much as one with 50, and the pooled
// values are quantiles, not samples, so e.g. the folded p50 is not the p50 of the span.
// zzping's native format stores mergeable histograms instead, whose merge is exact.
//
// Windowing (iter_fold(window, step), window >= step): every output consumes up to `step`
// new frames; the buffer keeps the newest `window` frames; while the window fills, the first
// outputs cover step, 2*step, ... frames. After the input ends, the oldest `step` frames are
// dropped per output until the buffer is empty, which gives window/step - 1 extra outputs
// (750 + 3 for 6000 frames at window 32, step 8). window == step gives ceil(N/step) outputs,
// and window == step == 1 passes frames through untouched.
#include <cstddef>
#include <deque>
#include <span>
#include <vector>

#include "zzping/formats/zzping02/fdq.hpp"

namespace zzping::zzping02 {

// fold_vec over frames in the order the original held them: NEWEST FIRST. The order matters
// because the f32 sums round differently in another order. Empty input: a default frame.
FdqFrame fold_vec(std::span<const FdqFrame> newest_first);

// iter_fold as a push/pull stream: push() input frames in file order and take outputs as
// they come; after the last input, call finish() until it returns false.
class FdqFolder {
 public:
  // Throws std::invalid_argument unless window >= step >= 1.
  FdqFolder(std::size_t window, std::size_t step);

  // Adds one frame; true when it completed a step and `out` holds a new folded frame.
  bool push(const FdqFrame& frame, FdqFrame& out);
  // The outputs after the end of the input (a partial last step, then the draining window).
  bool finish(FdqFrame& out);

 private:
  bool emit(FdqFrame& out);

  std::size_t window_;
  std::size_t step_;
  std::deque<FdqFrame> buffer_;  // newest first, like the original's ring buffer
  std::vector<FdqFrame> pending_;
  std::vector<FdqFrame> scratch_;
  bool input_done_ = false;
};

// All outputs of iter_fold(window, step) over `frames` (file order).
std::vector<FdqFrame> iter_fold(std::span<const FdqFrame> frames, std::size_t window,
                                std::size_t step);

}  // namespace zzping::zzping02
