// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// How well the schedule is held: probes asked (deadlines passed) versus sent, and the
// distribution of send-time errors |actual send time - deadline| (early sends count too).
#include <cstdint>
#include <string>

#include "zzping/common/rtt_histogram.hpp"

namespace zzping::daemon {

class SendTiming {
 public:
  void record_send(std::int64_t error_ns) {
    errors_.add_ns(static_cast<double>(error_ns < 0 ? -error_ns : error_ns));
  }
  void record_skipped(std::uint64_t count) { skipped_ += count; }

  std::uint64_t sent() const { return errors_.count(); }
  std::uint64_t skipped() const { return skipped_; }
  // Quantile q of the send error in µs (NaN when nothing was sent).
  double error_quantile_us(double q) const { return errors_.quantile_ns(q) / 1000.0; }
  // The whole distribution of |send - deadline| in ns (the metrics endpoint exports it).
  const RttHistogram& errors() const { return errors_; }
  // One line for the log: "sent N of M asked (x%), send error p50 .. p99 .. max .. µs".
  std::string summary() const;

 private:
  RttHistogram errors_{RttQuantiser{0.01}};
  std::uint64_t skipped_ = 0;
};

}  // namespace zzping::daemon
