// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A JSON-lines export of final frames and loss events (config key frames_jsonl /
// --frames-jsonl): one object per line, the field names of `zzping-dump --format jsonl`
// plus "host". For scripts and the integration tests; the native files are the archive.
//   {"host":"h","t_ms":..,"length_ms":100,"sent":..,"recv":..,"lost":..,"dup":..,"late":..,
//    "icmp_errors":..,"inflight":..,"rtt_us":[p0,p12.5,p25,p50,p75,p87.5,p100] | null}
//   {"host":"h","event":"loss_burst","start_ms":..,"end_ms":..,"probes_lost":..}
// and path snapshots (path_json.hpp).
#include <cstdio>
#include <string>

#include "zzping/daemon/frame_sink.hpp"

namespace zzping::daemon {

std::string frame_to_json(const std::string& host, const Frame& frame);
std::string event_to_json(const std::string& host, const LossEvent& event);

class FrameLog final : public FrameSink {
 public:
  // Appends to `path` (never truncates). Throws std::system_error if it cannot be opened.
  explicit FrameLog(const std::string& path);
  FrameLog(const FrameLog&) = delete;
  FrameLog& operator=(const FrameLog&) = delete;
  ~FrameLog() override;

  void on_frame(const HostInfo& host, const Frame& frame) override;
  void on_event(const HostInfo& host, const LossEvent& event) override;
  void on_path(const HostInfo& host, const PathSnapshot& path) override;
  void on_status(const HostInfo&, const HostStatus&) override {}
  void on_host_removed(const HostInfo&) override {}
  void flush() override;

 private:
  std::FILE* file_;
};

}  // namespace zzping::daemon
