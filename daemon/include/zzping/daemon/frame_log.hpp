// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A JSON-lines export of final frames and loss events (config key frames_jsonl /
// --frames-jsonl): one object per line, the field names of `zzping-dump --format jsonl`
// plus "host". For scripts and the integration tests; the native files are the archive.
//   {"host":"h","t_ms":..,"length_ms":100,"sent":..,"recv":..,"lost":..,"dup":..,"late":..,
//    "icmp_errors":..,"inflight":..,"rtt_us":[p0,p12.5,p25,p50,p75,p87.5,p100] | null}
//   {"host":"h","event":"loss_burst","start_ms":..,"end_ms":..,"probes_lost":..,"cause":"..",
//    "reason":"..","lost_too":[..],"answered":[..]}          (once attributed)
//   {"event":"incident","start_ms":..,"end_ms":..,"cause":"..","targets":[..],"probes_lost":..,
//    "last_hop":"addr" | null}                               (once no later burst can join)
#include <cstdio>
#include <string>

#include "zzping/daemon/frame_sink.hpp"

namespace zzping::daemon {

std::string frame_to_json(const std::string& host, const Frame& frame);
std::string event_to_json(const std::string& host, const LossEvent& event);
std::string attributed_burst_to_json(const std::string& host, const attribution::AttributedBurst& burst);
std::string incident_to_json(const attribution::Incident& incident);

class FrameLog final : public FrameSink {
 public:
  // Appends to `path` (never truncates). Throws std::system_error if it cannot be opened.
  explicit FrameLog(const std::string& path);
  FrameLog(const FrameLog&) = delete;
  FrameLog& operator=(const FrameLog&) = delete;
  ~FrameLog() override;

  void on_frame(const HostInfo& host, const Frame& frame) override;
  // Loss bursts are written once attributed (with their cause), not when they end.
  void on_event(const HostInfo&, const LossEvent&) override {}
  void on_burst_attributed(const HostInfo& host, const attribution::AttributedBurst& burst) override;
  void on_incident(const attribution::Incident& incident) override;
  void on_status(const HostInfo&, const HostStatus&) override {}
  void on_host_removed(const HostInfo&) override {}
  void flush() override;

 private:
  std::FILE* file_;
};

}  // namespace zzping::daemon
