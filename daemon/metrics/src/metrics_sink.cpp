// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/metrics/metrics_sink.hpp"

#include <asio/post.hpp>

namespace zzping::metrics {
namespace {

// RTT buckets: 100 µs .. 10 s, 4 per decade (plus +Inf).
constexpr double kLowestRttS = 100e-6;
constexpr double kHighestRttS = 10.0;
constexpr unsigned kBucketsPerDecade = 4;

// Lines rendered per loop turn: ~40 kB of text, ~50 µs (bench/metrics).
constexpr std::size_t kLinesPerStep = 400;

// One step now; the rest on later turns of the loop. Owns everything it needs.
void continue_render(asio::io_context& io, std::shared_ptr<PageRender> render,
                     std::shared_ptr<std::size_t> last_page_bytes, MetricsServer::PageReady ready) {
  if (render->step(kLinesPerStep)) {
    *last_page_bytes = render->text().size();
    ready(std::move(render->text()));
    return;
  }
  asio::post(io, [&io, render = std::move(render), last_page_bytes = std::move(last_page_bytes),
                  ready = std::move(ready)]() mutable {
    continue_render(io, std::move(render), std::move(last_page_bytes), std::move(ready));
  });
}

RttQuantiser send_error_quantiser(const DaemonSources& sources) {
  return sources.send_timing != nullptr ? sources.send_timing->errors().quantiser() : RttQuantiser{};
}

}  // namespace

MetricsSink::MetricsSink(asio::io_context& io, MetricsServerConfig config, double precision, DaemonSources sources)
    : io_(io),
      targets_(LogBuckets(RttQuantiser(precision), kLowestRttS, kHighestRttS, kBucketsPerDecade)),
      sources_(std::move(sources)),
      page_(send_error_quantiser(sources_)),
      server_(io, std::move(config),
              [this](TextFormat format, MetricsServer::PageReady ready) { render(format, std::move(ready)); }) {
  server_.start();
}

void MetricsSink::on_frame(const daemon::HostInfo& host, const Frame& frame) { targets_.on_frame(host, frame); }

void MetricsSink::on_status(const daemon::HostInfo& host, const daemon::HostStatus& status) {
  targets_.on_status(host, status);
}

void MetricsSink::on_host_removed(const daemon::HostInfo& host) { targets_.remove(host.name); }

DaemonFigures MetricsSink::daemon_figures() const {
  DaemonFigures figures;
  figures.version = ZZPING_VERSION;
  if (sources_.send_timing != nullptr) figures.send_errors_ns = sources_.send_timing->errors();
  if (sources_.stream_clients) figures.stream_clients = sources_.stream_clients();
  figures.process = process_.sample();
  return figures;
}

void MetricsSink::render(TextFormat format, MetricsServer::PageReady ready) {
  const std::size_t reserve = *last_page_bytes_ + *last_page_bytes_ / 8;
  std::shared_ptr<PageRender> render = page_.start(targets_, daemon_figures(), format, reserve);
  continue_render(io_, std::move(render), last_page_bytes_, std::move(ready));
}

std::unique_ptr<daemon::FrameSink> make_metrics_sink(asio::io_context& io, const daemon::DaemonConfig& config,
                                                     DaemonSources sources) {
  MetricsServerConfig server;
  server.listen = config.metrics_listen;
  server.allow_remote = config.metrics_allow_remote;
  return std::make_unique<MetricsSink>(io, std::move(server), config.precision, std::move(sources));
}

}  // namespace zzping::metrics
