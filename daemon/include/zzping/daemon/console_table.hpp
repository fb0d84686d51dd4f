// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The live console table: per host, the achieved probe rate, RTT quantiles and loss over
// the last 10 s, probes in flight, the age of the last reply, loss bursts and the cause of
// the last one attributed. Redrawn on every flush.
#include <cstdio>
#include <deque>
#include <map>
#include <string>

#include "zzping/daemon/frame_sink.hpp"

namespace zzping::daemon {

class ConsoleTable final : public FrameSink {
 public:
  explicit ConsoleTable(std::FILE* out) : out_(out) {}
  void on_frame(const HostInfo& host, const Frame& frame) override;
  void on_event(const HostInfo& host, const LossEvent& event) override;
  void on_burst_attributed(const HostInfo& host, const attribution::AttributedBurst& burst) override;
  void on_status(const HostInfo& host, const HostStatus& status) override;
  void on_host_removed(const HostInfo& host) override;
  void flush() override;

  // The table as text (without the screen-clearing escape).
  std::string render() const;

 private:
  struct Row {
    HostInfo info;
    HostStatus status;
    std::deque<Frame> recent;  // final frames of the last window
    std::uint32_t loss_bursts = 0;
    std::string_view last_cause = "-";  // attribution::to_string's literal
  };
  std::FILE* out_;
  std::map<std::string, Row> rows_;
};

}  // namespace zzping::daemon
