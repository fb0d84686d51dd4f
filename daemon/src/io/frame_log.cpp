// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/frame_log.hpp"

#include <cerrno>
#include <cmath>
#include <string_view>
#include <system_error>
#include <vector>

#include "zzping/common/json_text.hpp"
#include "zzping/daemon/path_json.hpp"

namespace zzping::daemon {
namespace {

std::string json_strings(const std::vector<std::string>& texts) {
  std::string out = "[";
  for (const auto& text : texts) out += (out.size() > 1 ? "," : "") + json_string(text);
  return out + "]";
}

}  // namespace

std::string frame_to_json(const std::string& host, const Frame& frame) {
  char head[320];
  std::snprintf(head, sizeof(head),
                "{\"host\":%s,\"t_ms\":%lld,\"length_ms\":%u,\"sent\":%u,\"recv\":%u,\"lost\":%u,\"dup\":%u,"
                "\"late\":%u,\"icmp_errors\":%u,\"inflight\":%u,\"rtt_us\":",
                json_string(host).c_str(), static_cast<long long>(frame.t_ms), frame.length_ms, frame.sent,
                frame.recv, frame.lost, frame.dup, frame.late, frame.icmp_errors, frame.inflight);
  std::string line = head;
  if (frame.rtt.empty()) {
    line += "null";
  } else {
    line += "[";
    const auto quantiles = frame.rtt.seven_quantiles_us();
    for (std::size_t i = 0; i < quantiles.size(); ++i) {
      char value[32];
      std::snprintf(value, sizeof(value), "%s%.3f", i == 0 ? "" : ",", quantiles[i]);
      line += value;
    }
    line += "]";
  }
  if (frame.jitter) {  // the exact mergeable pair: sum of |delta RTT| (ns) and pairs
    char jitter[96];
    std::snprintf(jitter, sizeof(jitter), ",\"jitter_sum_ns\":%llu,\"jitter_pairs\":%u",
                  static_cast<unsigned long long>(frame.jitter->sum_ns), frame.jitter->pairs);
    line += jitter;
  }
  return line + "}";
}

std::string event_to_json(const std::string& host, const LossEvent& event) {
  char line[256];
  std::snprintf(line, sizeof(line), "{\"host\":%s,\"event\":\"loss_burst\",\"start_ms\":%lld,\"end_ms\":%lld,\"probes_lost\":%u}",
                json_string(host).c_str(), static_cast<long long>(event.start_ms), static_cast<long long>(event.end_ms),
                event.probes_lost);
  return line;
}

std::string attributed_burst_to_json(const std::string& host, const attribution::AttributedBurst& burst) {
  const LossEvent event{burst.burst.start_ms, burst.burst.end_ms, burst.burst.probes_lost};
  std::string line = event_to_json(host, event);
  line.pop_back();  // the closing brace
  const attribution::Attribution& a = burst.attribution;
  return line + ",\"cause\":" + json_string(attribution::to_string(a.cause)) + ",\"reason\":" + json_string(a.reason) +
         ",\"lost_too\":" + json_strings(a.lost_too) + ",\"answered\":" + json_strings(a.answered) + "}";
}

std::string incident_to_json(const attribution::Incident& incident) {
  char head[128];
  std::snprintf(head, sizeof(head), "{\"event\":\"incident\",\"start_ms\":%lld,\"end_ms\":%lld,\"cause\":",
                static_cast<long long>(incident.start_ms), static_cast<long long>(incident.end_ms));
  return head + json_string(attribution::to_string(incident.cause)) + ",\"targets\":" + json_strings(incident.targets) +
         ",\"probes_lost\":" + std::to_string(incident.probes_lost) +
         ",\"last_hop\":" + (incident.last_hop.empty() ? std::string("null") : json_string(incident.last_hop)) + "}";
}

FrameLog::FrameLog(const std::string& path) : file_(std::fopen(path.c_str(), "a")) {
  if (file_ == nullptr) throw std::system_error(errno, std::generic_category(), "frames_jsonl " + path);
}

FrameLog::~FrameLog() { std::fclose(file_); }

void FrameLog::on_frame(const HostInfo& host, const Frame& frame) {
  std::fprintf(file_, "%s\n", frame_to_json(host.name, frame).c_str());
}

void FrameLog::on_burst_attributed(const HostInfo& host, const attribution::AttributedBurst& burst) {
  std::fprintf(file_, "%s\n", attributed_burst_to_json(host.name, burst).c_str());
}

void FrameLog::on_incident(const attribution::Incident& incident) {
  std::fprintf(file_, "%s\n", incident_to_json(incident).c_str());
}

void FrameLog::on_path(const HostInfo& host, const PathSnapshot& path) {
  std::fprintf(file_, "%s\n", path_to_json(host.name, path).c_str());
  if (path.route_changed) std::fprintf(file_, "%s\n", route_change_to_json(host.name, path).c_str());
}

void FrameLog::flush() { std::fflush(file_); }

}  // namespace zzping::daemon
