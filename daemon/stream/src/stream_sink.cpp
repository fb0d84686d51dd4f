// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/stream_server/stream_sink.hpp"

#include <spdlog/spdlog.h>

#include <csignal>
#include <chrono>

namespace zzping::stream {

namespace {

std::int64_t now_ms(auto clock_now) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_now.time_since_epoch()).count();
}

HostInfo to_stream(const daemon::HostInfo& h) {
  return HostInfo{h.name, h.address, static_cast<double>(h.rate), h.frame_ms, h.precision, h.role};
}

}  // namespace

// How long the achieved rate is measured over: a frame interval holds too few probes
// for a steady figure (at 10/s and 100 ms frames, one).
constexpr std::int64_t kRateWindowMs = 1000;

StreamSink::StreamSink(asio::io_context& io, StreamServerConfig config,
                       const std::vector<daemon::HostInfo>& configured)
    : server_(io, std::move(config)), stop_signals_(io, SIGINT, SIGTERM) {
  for (const auto& host : configured) announce(host);
  server_.start();
  wait_for_stop_signal();
}

StreamSink::~StreamSink() {
  std::error_code ignored;
  stop_signals_.cancel(ignored);
}

// The pinger has its own signal_set for the same signals (Asio notifies every set): it
// goes on finishing its frames for up to the probe timeout while our goodbyes are sent.
void StreamSink::wait_for_stop_signal() {
  stop_signals_.async_wait([this](const std::error_code& error, int) {
    if (!error) server_.shutdown("server shutting down");
  });
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

void StreamSink::on_event(const daemon::HostInfo& host, const LossEvent&) { announce(host); }

void StreamSink::on_burst_attributed(const daemon::HostInfo& host, const attribution::AttributedBurst& burst) {
  announce(host);
  const attribution::Burst& b = burst.burst;
  const attribution::Attribution& a = burst.attribution;
  server_.publish_event(host.name, EventMessage{host.name, LossEvent{b.start_ms, b.end_ms, b.probes_lost}, a.cause,
                                                a.reason, a.lost_too, a.answered});
}

void StreamSink::on_incident(const attribution::Incident& incident) { server_.publish_incident(incident); }

void StreamSink::on_path(const daemon::HostInfo& host, const PathSnapshot& path) {
  announce(host);
  server_.publish_path(host.name, path);
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

// Probes sent per second, measured over about the last second.
double StreamSink::achieved_rate(const daemon::HostInfo& host, const daemon::HostStatus& status) {
  const std::int64_t mono = now_ms(std::chrono::steady_clock::now());
  // The first status has no previous sample: report the configured rate.
  auto [it, fresh] = rates_.try_emplace(host.name, RateSample{status.probes_sent, mono,
                                                              static_cast<double>(host.rate)});
  RateSample& r = it->second;
  if (fresh || mono - r.mono_ms < kRateWindowMs) return r.rate_hz;
  if (status.probes_sent >= r.probes_sent) {
    r.rate_hz = static_cast<double>(status.probes_sent - r.probes_sent) * 1000.0 /
                static_cast<double>(mono - r.mono_ms);
  }
  r.probes_sent = status.probes_sent;
  r.mono_ms = mono;
  return r.rate_hz;
}

void StreamSink::on_config_reloaded(const daemon::DaemonConfig& effective) {
  std::optional<std::string> token;
  if (!effective.stream_token.empty()) token = effective.stream_token;
  try {
    server_.set_token(std::move(token));
  } catch (const std::invalid_argument& error) {
    spdlog::error("reload: stream_token not applied, the previous token stays: {}", error.what());
  }
}

void StreamSink::on_host_removed(const daemon::HostInfo& host) {
  announced_.erase(host.name);
  rates_.erase(host.name);
  server_.remove_host(host.name);
}

std::unique_ptr<StreamSink> make_stream_sink(asio::io_context& io,
                                             const daemon::DaemonConfig& daemon_config) {
  StreamServerConfig config;
  config.listen = {daemon_config.listen};
  if (!daemon_config.stream_token.empty()) config.token = daemon_config.stream_token;
  config.data_dir = daemon_config.data_dir;
  config.log_limits.retention_ms = std::int64_t{daemon_config.stream_memory_s} * 1000;
  config.software = std::string("zzpingd ") + ZZPING_VERSION;
  std::vector<daemon::HostInfo> configured;
  for (const auto& target : daemon_config.targets) {
    // Address unknown until resolved: the pinger's first report fills it in.
    configured.push_back(daemon::HostInfo{target.host, "", target.rate, daemon_config.frame_ms,
                                          daemon_config.precision});
  }
  return std::make_unique<StreamSink>(io, std::move(config), configured);
}

}  // namespace zzping::stream
