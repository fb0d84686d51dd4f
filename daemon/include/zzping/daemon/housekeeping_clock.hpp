// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// When the loop's housekeeping runs (probes timed out, frames finished, results to the
// sinks: every 20 ms, riding on a send wake-up when one comes within 20 ms more), when the
// per-host status goes out (once per frame interval: the stream promises it that often),
// when the sinks flush (flush_ms), and when a graceful stop ends (nothing in flight, or
// timeout_ms + one housekeeping period after the signal). Pure: the caller passes the time.
#include <cstdint>

namespace zzping::daemon {

class HousekeepingClock {
 public:
  // Replies are drained, probes timed out and frames finalised at least this often.
  static constexpr std::int64_t kPeriodNs = 20'000'000;
  // Housekeeping (frames, sinks, file writes) may wait this long for a send wake-up to ride
  // on, so it runs right after a batch of sends, with the whole gap to the next one ahead.
  static constexpr std::int64_t kSlackNs = 20'000'000;

  HousekeepingClock(std::int64_t status_period_ns, std::int64_t flush_period_ns)
      : status_period_ns_(status_period_ns), flush_period_ns_(flush_period_ns) {}

  // The first housekeeping is due at once; status and flush one period later.
  void start(std::int64_t now_ns);
  // A reload's flush_ms: from the next flush on.
  void set_flush_period(std::int64_t flush_period_ns) { flush_period_ns_ = flush_period_ns; }

  bool due(std::int64_t now_ns) const { return now_ns >= next_ns_; }
  // The latest the loop may wake up for housekeeping (no slack while stopping).
  std::int64_t wake_ns(bool stopping) const { return next_ns_ + (stopping ? 0 : kSlackNs); }

  // Housekeeping runs now: which of the slower tasks are due with it (each then rescheduled).
  struct Tasks {
    bool status = false;
    bool flush = false;
  };
  Tasks run(std::int64_t now_ns);

  // A graceful stop: housekeeping at once, the end at the latest after the probes' timeout.
  void begin_stop(std::int64_t now_ns, std::int64_t timeout_ns);
  // A second signal, or nothing left in flight: the stop ends now.
  void end_stop(std::int64_t now_ns) { stop_deadline_ns_ = now_ns; }
  bool stop_due(std::int64_t now_ns) const { return now_ns >= stop_deadline_ns_; }

 private:
  std::int64_t status_period_ns_;
  std::int64_t flush_period_ns_;
  std::int64_t next_ns_ = 0;
  std::int64_t next_status_ns_ = 0;
  std::int64_t next_flush_ns_ = 0;
  std::int64_t stop_deadline_ns_ = 0;
};

}  // namespace zzping::daemon
