#include "zzping/metrics/metrics_sink.hpp"

namespace zzping::metrics {
namespace {

// RTT buckets: 100 µs .. 10 s, 4 per decade (plus +Inf).
constexpr double kLowestRttS = 100e-6;
constexpr double kHighestRttS = 10.0;
constexpr unsigned kBucketsPerDecade = 4;

RttQuantiser send_error_quantiser(const DaemonSources& sources) {
  return sources.send_timing != nullptr ? sources.send_timing->errors().quantiser() : RttQuantiser{};
}

}  // namespace

MetricsSink::MetricsSink(asio::io_context& io, MetricsServerConfig config, double precision, DaemonSources sources)
    : targets_(LogBuckets(RttQuantiser(precision), kLowestRttS, kHighestRttS, kBucketsPerDecade)),
      sources_(std::move(sources)),
      page_(send_error_quantiser(sources_)),
      server_(io, std::move(config), [this](TextFormat format, std::string& out) { render(format, out); }) {
  server_.start();
}

void MetricsSink::on_frame(const daemon::HostInfo& host, const Frame& frame) { targets_.on_frame(host, frame); }

void MetricsSink::on_status(const daemon::HostInfo& host, const daemon::HostStatus& status) {
  targets_.on_status(host, status);
}

void MetricsSink::on_host_removed(const daemon::HostInfo& host) { targets_.remove(host.name); }

void MetricsSink::render(TextFormat format, std::string& out) {
  DaemonFigures figures;
  figures.version = ZZPING_VERSION;
  if (sources_.send_timing != nullptr) figures.send_errors_ns = &sources_.send_timing->errors();
  if (sources_.stream_clients) figures.stream_clients = sources_.stream_clients();
  figures.process = process_.sample();
  out.reserve(out.size() + last_page_bytes_ + last_page_bytes_ / 8);
  const std::size_t before = out.size();
  page_.render(targets_, figures, format, out);
  last_page_bytes_ = out.size() - before;
}

std::unique_ptr<daemon::FrameSink> make_metrics_sink(asio::io_context& io, const daemon::DaemonConfig& config,
                                                     DaemonSources sources) {
  MetricsServerConfig server;
  server.listen = config.metrics_listen;
  server.allow_remote = config.metrics_allow_remote;
  return std::make_unique<MetricsSink>(io, std::move(server), config.precision, std::move(sources));
}

}  // namespace zzping::metrics
