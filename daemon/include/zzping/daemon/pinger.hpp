// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The daemon, as wiring only: opens the sockets, creates the pieces (EventLoop, ProbeSender,
// ReplyReceiver, ReplyDispatcher, HostTable, SinkFanout, Housekeeping, TraceStep,
// ReloadApplier, GatewayFollower; docs/daemon.md), connects them and runs the loop.
// Sinks (files, console, stream, metrics, alerts) are added before run().
// Signals: SIGINT/SIGTERM stop sending, wait for the probes in flight (at most the
// timeout), finish the frames, flush and return 0 (a second signal stops at once); SIGHUP
// reloads the configuration (plan_reload), unchanged hosts go on without a gap.
#include <functional>
#include <memory>
#include <vector>

#include "zzping/daemon/config.hpp"
#include "zzping/daemon/frame_sink.hpp"
#include "zzping/daemon/send_timing.hpp"

namespace asio { class io_context; }

namespace zzping::daemon {

class Pinger {
 public:
  // `reload` returns the new configuration on SIGHUP (it may throw ConfigError: the
  // error is logged and the daemon keeps its current configuration).
  using ConfigLoader = std::function<DaemonConfig()>;
  Pinger(DaemonConfig config, ConfigLoader reload);
  Pinger(const Pinger&) = delete;
  Pinger& operator=(const Pinger&) = delete;
  ~Pinger();

  void add_sink(std::unique_ptr<FrameSink> sink);
  // Opens the sockets (throws std::system_error if no family can be used), runs until
  // stopped by a signal, and returns the process exit code.
  int run();
  const SendTiming& send_timing() const;
  // The loop's io_context, for sinks that do their own I/O on it (the stream server).
  asio::io_context& io_context();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace zzping::daemon
