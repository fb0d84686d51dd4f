// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The process_* figures of the Prometheus conventions, read from /proc (Linux).
#include "zzping/metrics/metrics_page.hpp"

namespace zzping::metrics {

class ProcessStats {
 public:
  // Reads the start time once (it never changes).
  ProcessStats();
  // CPU time and resident memory now; a figure that cannot be read stays NaN.
  ProcessFigures sample() const;

 private:
  double start_time_seconds_;
};

}  // namespace zzping::metrics
