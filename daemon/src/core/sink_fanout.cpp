// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/sink_fanout.hpp"

namespace zzping::daemon {

void SinkFanout::host_added(const HostInfo& host, std::int64_t now_wall_ms) { attribution_.add_host(host, now_wall_ms); }

void SinkFanout::host_removed(const HostInfo& host, std::int64_t now_wall_ms) {
  attribution_.remove_host(host.name, now_wall_ms);
  for (auto& sink : sinks_) sink->on_host_removed(host);
}

void SinkFanout::publish(const HostInfo& host, AggregatorOutput& output) {
  for (const Frame& frame : output.frames) {
    for (auto& sink : sinks_) sink->on_frame(host, frame);
    attribution_.on_frame(host, frame);
  }
  for (const LossEvent& event : output.events) {
    for (auto& sink : sinks_) sink->on_event(host, event);
    attribution_.on_event(host, event);
  }
  output.clear();
}

void SinkFanout::attribute(std::int64_t now_wall_ms) {
  attribution_.advance(now_wall_ms, attributed_);
  publish_attributed();
}

void SinkFanout::path(const HostInfo& host, const PathSnapshot& path, const std::vector<std::int64_t>& hop_sent_ms) {
  incident_paths_.on_path(host.name, path, hop_sent_ms);
  for (auto& sink : sinks_) sink->on_path(host, path);
}

void SinkFanout::status(const HostInfo& host, const HostStatus& status) {
  for (auto& sink : sinks_) sink->on_status(host, status);
}

void SinkFanout::flush() {
  for (auto& sink : sinks_) sink->flush();
}

void SinkFanout::config_reloaded(const DaemonConfig& effective) {
  for (auto& sink : sinks_) sink->on_config_reloaded(effective);
}

void SinkFanout::finish(const std::vector<const HostInfo*>& hosts) {
  attribution_.finish(attributed_);
  publish_attributed();
  for (auto& sink : sinks_) {
    for (const HostInfo* host : hosts) sink->on_host_removed(*host);
    sink->flush();
  }
}

void SinkFanout::publish_attributed() {
  for (const auto& [host, burst] : attributed_.bursts) {
    for (auto& sink : sinks_) sink->on_burst_attributed(host, burst);
  }
  for (auto& incident : attributed_.incidents) {
    incident_paths_.fill(incident);
    for (auto& sink : sinks_) sink->on_incident(incident);
  }
  attributed_.clear();
}

}  // namespace zzping::daemon
