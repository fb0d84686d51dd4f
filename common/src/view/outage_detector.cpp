#include "zzping/common/view/outage_detector.hpp"

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
