// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// OutageDetector: finds outages (runs of frames in which probes were lost and none came
// back) in a time-ordered stream of raw frames, for files that do not record events.
#include <cstdint>
#include <optional>
#include <vector>

#include "zzping/common/frame.hpp"

namespace zzping::view {

class OutageDetector {
 public:
  // A run is reported once it lost at least `min_probes_lost` probes (2: a loss burst).
  explicit OutageDetector(std::uint32_t min_probes_lost = 2) : min_probes_lost_(min_probes_lost) {}

  void append(const Frame& frame);
  // Finished events, oldest first, then the run still going on (if it qualifies).
  std::vector<LossEvent> events() const;

 private:
  static bool is_dark(const Frame& frame) { return frame.recv == 0 && frame.lost > 0; }
  void close_run();

  std::uint32_t min_probes_lost_;
  std::vector<LossEvent> finished_;
  std::optional<LossEvent> run_;
  std::int64_t last_end_ms_ = 0;      // end of the last frame seen
  std::uint32_t last_length_ms_ = 0;  // its length: a longer silence breaks a run
};

}  // namespace zzping::view

namespace zzping::view {

// `recorded` events plus the `detected` ones that overlap none of them, by start time:
// where a source recorded events they are the truth, elsewhere detection still shows.
std::vector<LossEvent> merge_events(std::vector<LossEvent> recorded,
                                    const std::vector<LossEvent>& detected);

}  // namespace zzping::view
