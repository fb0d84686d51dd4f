#include "zzping/common/view/host_timeline.hpp"

namespace zzping::view {

void HostTimeline::append(const Frame& frame) {
  pyramid_.append(frame);
  detector_.append(frame);
}

std::vector<LossEvent> HostTimeline::events() const {
  if (!recorded_events_.empty()) return recorded_events_;
  return detector_.events();
}

}  // namespace zzping::view
