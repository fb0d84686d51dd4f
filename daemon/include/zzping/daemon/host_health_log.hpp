// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A FrameSink that logs each host's reachability changes (HostHealth): "no replies for
// 2.0 s (...)", "replies again after ...", ICMP errors while answering. It keeps 100% loss
// and unreachable hosts visible in the daemon's log without a line per frame.
#include <map>
#include <string>

#include "zzping/daemon/frame_sink.hpp"
#include "zzping/daemon/host_health.hpp"

namespace zzping::daemon {

class HostHealthLog : public FrameSink {
 public:
  explicit HostHealthLog(HealthSettings settings = {});
  void on_frame(const HostInfo& host, const Frame& frame) override;
  void on_event(const HostInfo&, const LossEvent&) override {}
  void on_status(const HostInfo&, const HostStatus&) override {}
  void on_host_removed(const HostInfo& host) override;
  void flush() override {}

 private:
  HealthSettings settings_;
  std::map<std::string, HostHealth> hosts_;
};

}  // namespace zzping::daemon
