// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/housekeeping.hpp"

#include "zzping/daemon/clock.hpp"

namespace zzping::daemon {

void Housekeeping::run(std::int64_t now_ns, std::int64_t now_wall_ns, bool stopping) {
  const auto tasks = parts_.clock.run(now_ns);
  for (const auto& host : parts_.hosts.hosts()) {
    host->aggregator.advance(now_ns - reply_lag_ns_, now_wall_ns - reply_lag_ns_, output_);
    parts_.fanout.publish(host->info, output_);
    resolve_(*host, now_ns);
    if (stopping) continue;
    if (const auto path = parts_.tracing.step(*host, now_ns, wall_ns())) {
      parts_.fanout.path(host->info, *path, host->tracer->hop_sent_ms());
    }
  }
  parts_.fanout.attribute(now_wall_ns / kNsPerMs);
  if (tasks.status) {
    for (const auto& host : parts_.hosts.hosts()) parts_.fanout.status(host->info, host->status(now_ns));
  }
  if (tasks.flush) {
    parts_.fanout.flush();
    parts_.sender.flush_error_log();
  }
  if (stopping && parts_.hosts.idle()) parts_.clock.end_stop(now_ns);
}

void Housekeeping::finish(std::int64_t now_ns, std::int64_t now_wall_ns) {
  std::vector<const HostInfo*> stopped;
  for (const auto& host : parts_.hosts.hosts()) {
    host->aggregator.advance(now_ns, now_wall_ns, output_);
    host->aggregator.finish(output_);
    parts_.fanout.publish(host->info, output_);
    stopped.push_back(&host->info);
  }
  parts_.fanout.finish(stopped);
}

}  // namespace zzping::daemon
