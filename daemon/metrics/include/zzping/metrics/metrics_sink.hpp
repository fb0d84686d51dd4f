// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Plugs the metrics endpoint into zzpingd's FrameSink seam: final frames and per-host
// status update the target table; a scrape copies the table plus the daemon's own figures
// (send-schedule errors, stream clients, /proc) and renders the copy on the loop thread a
// few hundred lines per turn, so probes due meanwhile go out between the steps.
#include <asio/io_context.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "zzping/daemon/config.hpp"
#include "zzping/daemon/frame_sink.hpp"
#include "zzping/daemon/send_timing.hpp"
#include "zzping/metrics/metrics_page.hpp"
#include "zzping/metrics/metrics_server.hpp"
#include "zzping/metrics/process_stats.hpp"
#include "zzping/metrics/target_table.hpp"

namespace zzping::metrics {

// Where the daemon-wide figures come from; each is read at scrape time, on the loop.
struct DaemonSources {
  const daemon::SendTiming* send_timing = nullptr;
  std::function<std::size_t()> stream_clients;  // empty: no stream server
};

class MetricsSink final : public daemon::FrameSink {
 public:
  // Validates the address and starts serving (throws std::invalid_argument /
  // std::system_error). `precision` is the frames' RTT precision (bucket alignment).
  MetricsSink(asio::io_context& io, MetricsServerConfig config, double precision, DaemonSources sources);
  void on_frame(const daemon::HostInfo& host, const Frame& frame) override;
  void on_event(const daemon::HostInfo& host, const LossEvent& event) override { targets_.on_event(host, event); }
  void on_burst_attributed(const daemon::HostInfo& host, const attribution::AttributedBurst& burst) override {
    targets_.on_burst_attributed(host, burst);
  }
  void on_incident(const attribution::Incident& incident) override { targets_.on_incident(incident); }
  void on_status(const daemon::HostInfo& host, const daemon::HostStatus& status) override;
  void on_host_removed(const daemon::HostInfo& host) override;
  void flush() override {}
  MetricsServer& server() { return server_; }

 private:
  void render(TextFormat format, MetricsServer::PageReady ready);
  DaemonFigures daemon_figures() const;

  asio::io_context& io_;
  TargetTable targets_;
  DaemonSources sources_;
  MetricsPage page_;
  ProcessStats process_;
  // The last page's size: the next one is reserved at once (growing a string of 400 kB
  // while rendering cost 6x the rendering itself: copies and page faults). Shared with
  // renders in flight, which may finish after the sink is gone.
  std::shared_ptr<std::size_t> last_page_bytes_ = std::make_shared<std::size_t>(0);
  MetricsServer server_;  // last: destroyed first, while what it renders still exists
};

// The daemon's one-line hook: [metrics] listen / allow_remote and precision from its
// configuration.
std::unique_ptr<daemon::FrameSink> make_metrics_sink(asio::io_context& io, const daemon::DaemonConfig& config,
                                                     DaemonSources sources);

}  // namespace zzping::metrics
