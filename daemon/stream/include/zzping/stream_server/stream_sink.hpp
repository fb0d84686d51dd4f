// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Plugs the stream server into zzpingd's FrameSink seam: every final frame, event and
// per-host status the pinger produces goes to the stream clients. On SIGINT/SIGTERM it
// says goodbye to every client (close "server shutting down") while the pinger finishes.
#include <asio/signal_set.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "zzping/daemon/config.hpp"
#include "zzping/daemon/frame_sink.hpp"
#include "zzping/stream_server/stream_server.hpp"

namespace zzping::stream {

class StreamSink final : public daemon::FrameSink {
 public:
  // Validates and starts the server (throws std::invalid_argument / std::system_error).
  // `configured` hosts are listed before the first client is accepted, so a client may
  // subscribe to them by name before the pinger has reported anything about them.
  StreamSink(asio::io_context& io, StreamServerConfig config,
             const std::vector<daemon::HostInfo>& configured = {});
  ~StreamSink() override;
  void on_frame(const daemon::HostInfo& host, const Frame& frame) override;
  // A burst is sent once, with its cause, at on_burst_attributed (docs/protocol.md): the
  // frames already show the loss live; on_event only keeps the host list current.
  void on_event(const daemon::HostInfo& host, const LossEvent& event) override;
  void on_burst_attributed(const daemon::HostInfo& host, const attribution::AttributedBurst& burst) override;
  void on_incident(const attribution::Incident& incident) override;
  void on_path(const daemon::HostInfo& host, const PathSnapshot& path) override;
  void on_status(const daemon::HostInfo& host, const daemon::HostStatus& status) override;
  void on_host_removed(const daemon::HostInfo& host) override;
  void flush() override {}
  // stream_token is applied live: new connections need the new token; connected clients
  // keep the session they authenticated.
  void on_config_reloaded(const daemon::DaemonConfig& effective) override;
  StreamServer& server() { return server_; }

 private:
  // Publishes the host's description when it is new or changed (e.g. re-resolved).
  void announce(const daemon::HostInfo& host);
  double achieved_rate(const daemon::HostInfo& host, const daemon::HostStatus& status);
  void wait_for_stop_signal();

  struct RateSample {
    std::uint64_t probes_sent = 0;
    std::int64_t mono_ms = 0;
    double rate_hz = 0;
  };
  StreamServer server_;
  asio::signal_set stop_signals_;
  std::map<std::string, HostInfo, std::less<>> announced_;
  std::map<std::string, RateSample, std::less<>> rates_;
};

// The daemon's one-line hook: listen address, token ("" = none), data directory (disk
// backfill) and the configured hosts come from its configuration.
std::unique_ptr<StreamSink> make_stream_sink(asio::io_context& io,
                                             const daemon::DaemonConfig& config);

}  // namespace zzping::stream
