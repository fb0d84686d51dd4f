#include "zzping/stream_server/stream_sink.hpp"

#include <chrono>

namespace zzping::stream {

namespace {

std::int64_t now_ms(auto clock_now) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_now.time_since_epoch()).count();
}

HostInfo to_stream(const daemon::HostInfo& h) {
  return HostInfo{h.name, h.address, static_cast<double>(h.rate), h.frame_ms, h.precision};
}

}  // namespace

StreamSink::StreamSink(asio::io_context& io, StreamServerConfig config)
    : server_(io, std::move(config)) {
  server_.start();
}

void StreamSink::announce(const daemon::HostInfo& host) {
  HostInfo info = to_stream(host);
  const auto it = announced_.find(host.name);
  if (it != announced_.end() && it->second == info) return;
  announced_.insert_or_assign(host.name, info);
  server_.publish_host(info);
}

void StreamSink::on_frame(const daemon::HostInfo& host, const Frame& frame) {
  announce(host);
  server_.publish_frame(host.name, frame);
}

void StreamSink::on_event(const daemon::HostInfo& host, const LossEvent& event) {
  announce(host);
  server_.publish_event(host.name, event);
}

void StreamSink::on_status(const daemon::HostInfo& host, const daemon::HostStatus& status) {
  announce(host);
  HostStatus s;
  s.host = host.name;
  s.t_ms = now_ms(std::chrono::system_clock::now());
  s.inflight = status.in_flight;
  if (status.last_reply_age_ms >= 0) s.since_reply_ms = status.last_reply_age_ms;
  s.rate_hz = achieved_rate(host, status);
  server_.publish_status(s);
}

// Probes sent per second since the previous status of this host.
double StreamSink::achieved_rate(const daemon::HostInfo& host, const daemon::HostStatus& status) {
  const std::int64_t mono = now_ms(std::chrono::steady_clock::now());
  // The first status has no previous sample: report the configured rate.
  auto [it, fresh] = rates_.try_emplace(host.name, RateSample{status.probes_sent, mono,
                                                              static_cast<double>(host.rate)});
  RateSample& r = it->second;
  if (!fresh && mono > r.mono_ms && status.probes_sent >= r.probes_sent) {
    r.rate_hz = static_cast<double>(status.probes_sent - r.probes_sent) * 1000.0 /
                static_cast<double>(mono - r.mono_ms);
  }
  r.probes_sent = status.probes_sent;
  r.mono_ms = mono;
  return r.rate_hz;
}

void StreamSink::on_host_removed(const daemon::HostInfo& host) {
  announced_.erase(host.name);
  rates_.erase(host.name);
  server_.remove_host(host.name);
}

std::unique_ptr<daemon::FrameSink> make_stream_sink(asio::io_context& io, const std::string& listen,
                                                    const std::string& token) {
  StreamServerConfig config;
  config.listen = {listen};
  if (!token.empty()) config.token = token;
  config.software = std::string("zzpingd ") + ZZPING_VERSION;
  return std::make_unique<StreamSink>(io, std::move(config));
}

}  // namespace zzping::stream
