// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A FrameSink that writes down every call as one line ("frame a 1000", "removed a", ...),
// so a test compares what each sink saw, in order.
#include <string>
#include <vector>

#include "zzping/daemon/frame_sink.hpp"

namespace zzping::daemon {

class RecordingSink final : public FrameSink {
 public:
  explicit RecordingSink(std::vector<std::string>& calls) : calls_(calls) {}
  void on_frame(const HostInfo& host, const Frame& frame) override {
    calls_.push_back("frame " + host.name + " " + std::to_string(frame.t_ms));
  }
  void on_event(const HostInfo& host, const LossEvent& event) override {
    calls_.push_back("event " + host.name + " " + std::to_string(event.start_ms));
  }
  void on_burst_attributed(const HostInfo& host, const attribution::AttributedBurst& burst) override {
    calls_.push_back("burst " + host.name + " " + std::to_string(burst.burst.start_ms));
  }
  void on_incident(const attribution::Incident& incident) override {
    calls_.push_back("incident " + std::to_string(incident.start_ms) + " last_hop=" + incident.last_hop);
  }
  void on_path(const HostInfo& host, const PathSnapshot& path) override {
    calls_.push_back("path " + host.name + " " + std::to_string(path.t_ms));
  }
  void on_status(const HostInfo& host, const HostStatus& status) override {
    calls_.push_back("status " + host.name + " " + std::to_string(status.probes_sent));
  }
  void on_host_removed(const HostInfo& host) override { calls_.push_back("removed " + host.name); }
  void flush() override { calls_.push_back("flush"); }
  void on_config_reloaded(const DaemonConfig& effective) override {
    calls_.push_back("reloaded " + std::to_string(effective.flush_ms));
  }

 private:
  std::vector<std::string>& calls_;
};

}  // namespace zzping::daemon
