// SPDX-License-Identifier: GPL-3.0-or-later
// Pinger: wiring only. It opens the sockets, creates the pieces (each with one job and its
// own unit tests: docs/daemon.md "Threads and data flow"), connects their callbacks and runs
// the loop. The loop's work per wake-up: send what is due, drain the replies, housekeeping
// when due, finish when a stop is over, and arm the next wake-up.
#include "zzping/daemon/pinger.hpp"

#include <spdlog/spdlog.h>

#include <asio.hpp>
#include <random>

#include "zzping/daemon/clock.hpp"
#include "zzping/daemon/event_loop.hpp"
#include "zzping/daemon/gateway_follower.hpp"
#include "zzping/daemon/host_table.hpp"
#include "zzping/daemon/housekeeping.hpp"
#include "zzping/daemon/housekeeping_clock.hpp"
#include "zzping/daemon/icmp_socket.hpp"
#include "zzping/daemon/probe_sender.hpp"
#include "zzping/daemon/realtime_priority.hpp"
#include "zzping/daemon/reload_applier.hpp"
#include "zzping/daemon/reload_plan.hpp"
#include "zzping/daemon/reply_dispatcher.hpp"
#include "zzping/daemon/reply_receiver.hpp"
#include "zzping/daemon/schedule_grid.hpp"
#include "zzping/daemon/sink_fanout.hpp"
#include "zzping/daemon/trace_step.hpp"

namespace zzping::daemon {
namespace {

constexpr std::size_t kRingCapacity = 1u << 16;

std::int64_t ms_to_ns(std::uint32_t ms) { return static_cast<std::int64_t>(ms) * kNsPerMs; }

}  // namespace

struct Pinger::State {
  State(DaemonConfig initial, ConfigLoader loader)
      : config(std::move(initial)),
        reload(std::move(loader)),
        fanout(AttributionSettings{config.frame_ms, config.timeout_ms}),
        hosts(config, dispatcher, fanout, [this] { return random(); }),
        clock(ms_to_ns(config.frame_ms), ms_to_ns(config.flush_ms)),
        housekeeping({hosts, fanout, tracing, clock, sender}, [this](MonitoredHost& host, std::int64_t now_ns) {
          resolve(host, now_ns);
        }, ReplyReceiver::kBurstWaitNs),
        reloader({config, hosts, fanout, clock}, [this] { gateways.sync(); }) {}

  DaemonConfig config;
  ConfigLoader reload;
  EventLoop loop;
  SpscRing<ReceivedReply> ring{kRingCapacity};
  IcmpSockets sockets;
  ProbeSender sender{sockets};
  SocketTraceTransport trace_transport{sockets};
  TraceStep tracing{trace_transport};
  std::mt19937_64 random{std::random_device{}()};  // the hosts' cookies
  ReplyDispatcher dispatcher;
  SinkFanout fanout;
  HostTable hosts;
  HousekeepingClock clock;
  Housekeeping housekeeping;
  ReloadApplier reloader;
  ScheduleGrid grid;
  GatewayFollower gateways{loop.context(), config, hosts, grid};
  std::unique_ptr<ReplyReceiver> receiver;

  bool stopping() const { return loop.stop_requested(); }
  void arm_timer();
  void on_timer();
  void drain_replies();
  void resolve(MonitoredHost& host, std::int64_t now_ns);
  void finish();
  void apply_reload();
};

void Pinger::State::arm_timer() {
  std::int64_t wake = clock.wake_ns(stopping());
  if (!stopping()) {
    for (const auto& host : hosts.hosts()) {
      if (host->address()) wake = std::min(wake, ProbeSender::wake_ns(host->schedule));
    }
  }
  loop.wake_at(wake);
}

void Pinger::State::on_timer() {
  const std::int64_t now = monotonic_ns();
  if (!stopping()) {
    for (const auto& host : hosts.hosts()) sender.send_due(host->probe_target(), now);
  }
  drain_replies();
  if (clock.due(now)) housekeeping.run(now, wall_ns(), stopping());
  if (stopping() && clock.stop_due(now)) return finish();
  arm_timer();
}

void Pinger::State::drain_replies() {
  while (auto reply = ring.try_pop()) dispatcher.dispatch(*reply);
}

void Pinger::State::resolve(MonitoredHost& host, std::int64_t now_ns) {
  const auto address = host.poll_resolution(now_ns, resolve_timing(config));
  if (!address) return;
  if (sockets.for_family(address->family) == nullptr) {
    spdlog::error("host {}: resolved to {}, but no socket of that family is open", host.info.name, address->to_string());
  }
  if (!host.automatic) gateways.on_configured_address();
}

void Pinger::State::finish() {
  receiver->stop();
  drain_replies();
  housekeeping.finish(monotonic_ns(), wall_ns());
  const auto& counters = receiver->counters();
  spdlog::info("schedule: {}", sender.timing().summary());
  spdlog::info("replies: {} accepted, {} rejected (not ours or malformed), {} with unknown tokens, {} dropped (ring full)",
               counters.accepted.load(), counters.rejected.load(), dispatcher.counts().foreign(),
               counters.ring_full.load());
  spdlog::info("path traces: {} answers to trace probes", dispatcher.counts().trace);
  loop.stop();
}

void Pinger::State::apply_reload() {
  DaemonConfig fresh;
  try {
    fresh = reload();
  } catch (const ConfigError& error) {
    spdlog::error("reload failed, keeping the current configuration: {}", error.what());
    return;
  }
  // Every key is either applied live or named as needing a restart (reload_plan.cpp).
  reloader.apply(plan_reload(config, fresh), grid.next(monotonic_ns() + kNsPerMs));
}

Pinger::Pinger(DaemonConfig config, ConfigLoader reload)
    : state_(std::make_unique<State>(std::move(config), std::move(reload))) {}

Pinger::~Pinger() = default;

void Pinger::add_sink(std::unique_ptr<FrameSink> sink) { state_->fanout.add_sink(std::move(sink)); }

const SendTiming& Pinger::send_timing() const { return state_->sender.timing(); }
asio::io_context& Pinger::io_context() { return state_->loop.context(); }

int Pinger::run() {
  State& s = *state_;
  s.sockets.open(s.config.socket_mode);
  s.receiver = std::make_unique<ReplyReceiver>(s.sockets.all(), s.ring, [&s] {
    asio::post(s.loop.context(), [&s] { s.drain_replies(); });
  });
  if (!s.config.send_error_log.empty()) s.sender.open_error_log(s.config.send_error_log);
  const std::int64_t start_ns = s.grid.start(monotonic_ns() + 10 * kNsPerMs);
  for (const auto& target : s.config.targets) s.hosts.add(target, start_ns);
  for (const auto& host : s.hosts.hosts()) s.resolve(*host, monotonic_ns());
  s.gateways.sync();  // the gateways are added once the first route dump is answered
  s.receiver->start();
  enter_realtime(s.config.realtime_priority);  // after starting the receive thread, which keeps normal scheduling
  s.clock.start(monotonic_ns());
  s.arm_timer();
  s.loop.run(EventLoop::Handlers{
      .on_wake = [&s] { s.on_timer(); },
      .on_reload = [&s] { s.apply_reload(); },
      .on_stop =
          [&s] {
            spdlog::info("stopping: waiting up to {} ms for the probes in flight", s.config.timeout_ms);
            s.clock.begin_stop(monotonic_ns(), ms_to_ns(s.config.timeout_ms));
            s.arm_timer();
          },
      .on_stop_now =
          [&s] {
            spdlog::info("second stop signal: stopping now");
            s.clock.end_stop(monotonic_ns());
          },
  });
  return 0;
}

}  // namespace zzping::daemon
