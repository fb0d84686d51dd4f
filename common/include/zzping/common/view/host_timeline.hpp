#pragma once
// HostTimeline: everything the GUI knows about one host. It is the sink that file loading
// and (later) live streaming both append frames to.
#include <string>
#include <vector>

#include "zzping/common/frame.hpp"
#include "zzping/common/view/outage_detector.hpp"
#include "zzping/common/view/pyramid.hpp"

namespace zzping::view {

class HostTimeline {
 public:
  explicit HostTimeline(std::string name,
                        std::vector<std::uint32_t> bucket_ms = Pyramid::default_bucket_ms())
      : name_(std::move(name)), pyramid_(std::move(bucket_ms)) {}

  const std::string& name() const { return name_; }
  const Pyramid& pyramid() const { return pyramid_; }

  // Raw frames in time order.
  void append(const Frame& frame);
  // Pre-aggregated tier frames (see Pyramid::append_tier).
  void append_tier(const Frame& frame) { pyramid_.append_tier(frame); }
  // Events recorded by the source (native files); when a source provides any, they
  // replace the ones detected from frames.
  void add_recorded_event(const LossEvent& event) { recorded_events_.push_back(event); }

  std::vector<LossEvent> events() const;

 private:
  std::string name_;
  Pyramid pyramid_;
  OutageDetector detector_;
  std::vector<LossEvent> recorded_events_;
};

}  // namespace zzping::view
