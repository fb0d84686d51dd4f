// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/outage_detector.hpp"

#include <algorithm>

namespace zzping::view {

void OutageDetector::close_run() {
  if (run_ && run_->probes_lost >= min_probes_lost_) finished_.push_back(*run_);
  run_.reset();
}

void OutageDetector::append(const Frame& frame) {
  // A hole in the data (more than one frame missing) ends a run: we cannot claim the
  // host was dark while nobody was watching.
  if (run_ && frame.t_ms - last_end_ms_ > static_cast<std::int64_t>(last_length_ms_)) close_run();
  last_end_ms_ = frame.t_ms + frame.length_ms;
  last_length_ms_ = frame.length_ms;
  if (!is_dark(frame)) {
    close_run();
    return;
  }
  if (!run_) {
    run_ = LossEvent{frame.t_ms, last_end_ms_, 0};
  }
  run_->end_ms = last_end_ms_;
  run_->probes_lost += frame.lost;
}

std::vector<LossEvent> OutageDetector::events() const {
  std::vector<LossEvent> out = finished_;
  if (run_ && run_->probes_lost >= min_probes_lost_) out.push_back(*run_);
  return out;
}

}  // namespace zzping::view

namespace zzping::view {

std::vector<LossEvent> merge_events(std::vector<LossEvent> recorded,
                                    const std::vector<LossEvent>& detected) {
  const auto by_start = [](const LossEvent& a, const LossEvent& b) { return a.start_ms < b.start_ms; };
  std::sort(recorded.begin(), recorded.end(), by_start);
  // latest_end[i]: the latest end among recorded[0..i], so one binary search per
  // detected event finds whether any recorded one reaches it.
  std::vector<std::int64_t> latest_end(recorded.size());
  for (std::size_t i = 0; i < recorded.size(); ++i) {
    latest_end[i] = std::max(recorded[i].end_ms, i > 0 ? latest_end[i - 1] : recorded[i].end_ms);
  }
  std::vector<LossEvent> out = recorded;
  for (const LossEvent& d : detected) {
    const auto after = std::upper_bound(recorded.begin(), recorded.end(), d.end_ms,
                                        [](std::int64_t t, const LossEvent& e) { return t < e.start_ms; });
    const auto starting_before = static_cast<std::size_t>(after - recorded.begin());
    const bool overlaps = starting_before > 0 && latest_end[starting_before - 1] >= d.start_ms;
    if (!overlaps) out.push_back(d);
  }
  std::stable_sort(out.begin(), out.end(), by_start);
  return out;
}

}  // namespace zzping::view
