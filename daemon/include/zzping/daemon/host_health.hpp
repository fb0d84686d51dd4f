// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Turns one host's final frames into the few log lines an operator needs: when the host
// stops answering (every probe lost for `silence_ms`, with whether the network reports it
// unreachable through ICMP errors), when it answers again, and ICMP errors quoting our
// probes while it still answers (at most one line per `icmp_report_ms`). One line per
// change, never one per frame: a host down for a week logs two lines.
#include <cstdint>
#include <optional>
#include <string>

#include "zzping/common/frame.hpp"

namespace zzping::daemon {

struct HealthSettings {
  std::int64_t silence_ms = 2000;       // all probes lost this long -> "no replies"
  std::int64_t icmp_report_ms = 60'000;  // ICMP errors of an answering host: one line per period
};

struct HealthMessage {
  enum class Level : std::uint8_t { info, warn };
  Level level = Level::warn;
  std::string text;  // without the host name
};

class HostHealth {
 public:
  explicit HostHealth(HealthSettings settings = {});
  // Feeds the host's next final frame; returns a message when something worth a line changed.
  std::optional<HealthMessage> on_frame(const Frame& frame);

 private:
  std::optional<HealthMessage> on_silent_frame(const Frame& frame);
  std::optional<HealthMessage> on_answered_frame(const Frame& frame);

  HealthSettings settings_;
  bool silent_ = false;               // "no replies" was logged and not yet lifted
  std::int64_t silence_start_ms_ = -1;  // start of the current run of unanswered frames
  std::uint64_t silence_lost_ = 0;
  std::uint64_t silence_icmp_errors_ = 0;
  std::int64_t icmp_window_start_ms_ = -1;  // first unreported ICMP error of an answering host
  std::uint64_t icmp_unreported_ = 0;
  std::int64_t icmp_last_report_ms_ = INT64_MIN / 2;
};

}  // namespace zzping::daemon
