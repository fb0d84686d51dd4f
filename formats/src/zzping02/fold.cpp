// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/zzping02/fold.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "zzping02/rust_numeric.hpp"

namespace zzping::zzping02 {
namespace {

__extension__ using Int128 = __int128;  // the original summed ms timestamps in i128

}  // namespace

FdqFrame fold_vec(std::span<const FdqFrame> newest_first) {
  FdqFrame out;
  if (newest_first.empty()) return out;
  const std::size_t n = newest_first.size();
  Int128 ms_sum = 0;
  float inflight_squares = 0.0f;
  float lost_sum = 0.0f;
  std::uint64_t len_sum = 0;
  std::vector<std::int64_t> pooled;
  pooled.reserve(n * kPercentileCount);
  for (const FdqFrame& f : newest_first) {
    ms_sum += f.timestamp_ms;
    const auto inflight = static_cast<float>(f.inflight);
    inflight_squares += inflight * inflight;
    lost_sum += static_cast<float>(f.lost_packets);
    len_sum += f.recv_us_len;
    for (const std::int64_t v : f.recv_us) {
      if (v >= 0) pooled.push_back(v);
    }
  }
  // Integer mean, truncated toward zero. (Before 1970 the original then split it into a
  // negative second and a wrapped u32 ms; we keep the mean ms, the only sensible reading.)
  out.timestamp_ms = static_cast<std::int64_t>(ms_sum / static_cast<Int128>(n));
  // powf(x, 0.5) in the source; LLVM turns a constant 0.5 exponent into sqrt, and so do we.
  const float rms = std::sqrt(inflight_squares / static_cast<float>(n));
  const float lost_mean = lost_sum / static_cast<float>(n);
  // The original kept these as f32 and rounded when writing (`round() as u64`).
  out.inflight = rust::saturating_cast<std::uint32_t>(std::round(rms));
  out.lost_packets = rust::saturating_cast<std::uint32_t>(std::round(lost_mean));
  out.recv_us_len = static_cast<std::uint32_t>(len_sum / n);
  std::sort(pooled.begin(), pooled.end());
  out.recv_us = compute_percentiles(std::span<const std::int64_t>(pooled));
  return out;
}

FdqFolder::FdqFolder(std::size_t window, std::size_t step) : window_(window), step_(step) {
  if (step == 0 || window < step) {
    throw std::invalid_argument("fold: need window >= step >= 1 (got window " +
                                std::to_string(window) + ", step " + std::to_string(step) + ")");
  }
  pending_.reserve(step);
}

bool FdqFolder::push(const FdqFrame& frame, FdqFrame& out) {
  if (window_ == 1 && step_ == 1) {  // the original passed frames through unchanged
    out = frame;
    return true;
  }
  pending_.push_back(frame);
  if (pending_.size() < step_) return false;
  return emit(out);
}

bool FdqFolder::finish(FdqFrame& out) {
  if (window_ == 1 && step_ == 1) return false;
  if (!input_done_) {
    input_done_ = true;
    if (!pending_.empty()) return emit(out);
  }
  // No new frames: the oldest `step` leave the window.
  for (std::size_t i = 0; i < step_ && !buffer_.empty(); ++i) buffer_.pop_back();
  if (buffer_.empty()) return false;
  scratch_.assign(buffer_.begin(), buffer_.end());
  out = fold_vec(scratch_);
  return true;
}

// One output with the pending frames: as many old frames leave as make room for a full step
// (the original counted `step` even for a partial last step).
bool FdqFolder::emit(FdqFrame& out) {
  const std::size_t kept_room = window_ - step_;
  while (buffer_.size() > kept_room) buffer_.pop_back();
  for (const FdqFrame& f : pending_) buffer_.push_front(f);
  pending_.clear();
  scratch_.assign(buffer_.begin(), buffer_.end());
  out = fold_vec(scratch_);
  return true;
}

std::vector<FdqFrame> iter_fold(std::span<const FdqFrame> frames, std::size_t window,
                                std::size_t step) {
  std::vector<FdqFrame> outputs;
  FdqFolder folder(window, step);
  FdqFrame out;
  for (const FdqFrame& f : frames) {
    if (folder.push(f, out)) outputs.push_back(out);
  }
  while (folder.finish(out)) outputs.push_back(out);
  return outputs;
}

}  // namespace zzping::zzping02
