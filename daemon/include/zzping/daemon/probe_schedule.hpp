// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The send schedule of one host: absolute deadlines on the monotonic clock,
// deadline(k) = start + k * 1 s / rate, computed from k each time (no accumulated rounding,
// so the rate never drifts). When the process was starved past several deadlines it
// catches up with a bounded burst: the most recent `max_burst` missed probes are sent at
// once, older ones are skipped (counted) and the grid is kept.
#include <cstdint>

namespace zzping::daemon {

struct DueProbes {
  std::uint32_t to_send = 0;      // probes to send now
  std::uint32_t skipped = 0;      // missed deadlines given up (beyond the burst bound)
  std::uint64_t first_index = 0;  // schedule index of the first probe to send
};

class ProbeSchedule {
 public:
  // rate in probes per second (>= 1); max_burst >= 1.
  ProbeSchedule(std::int64_t start_ns, std::uint32_t rate_per_s, std::uint32_t max_burst);

  std::int64_t next_deadline_ns() const { return deadline_of(next_index_); }
  std::uint32_t rate_per_s() const { return rate_; }
  // The deadline of the i-th probe of a burst returned by take_due (for send-error stats).
  std::int64_t deadline_of(std::uint64_t index) const;
  std::uint64_t next_index() const { return next_index_; }

  // All deadlines <= now are consumed: at most max_burst are returned to send.
  DueProbes take_due(std::int64_t now_ns);

 private:
  std::int64_t start_ns_;
  std::uint32_t rate_;
  std::uint32_t max_burst_;
  std::uint64_t next_index_ = 0;
};

}  // namespace zzping::daemon
