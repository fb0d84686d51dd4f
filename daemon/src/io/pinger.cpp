// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/pinger.hpp"

#include <spdlog/spdlog.h>

#include <asio.hpp>
#include <random>

#include "zzping/daemon/auto_gateways.hpp"
#include "zzping/daemon/clock.hpp"
#include "zzping/daemon/event_loop.hpp"
#include "zzping/daemon/host_table.hpp"
#include "zzping/daemon/housekeeping_clock.hpp"
#include "zzping/daemon/icmp_socket.hpp"
#include "zzping/daemon/probe_sender.hpp"
#include "zzping/daemon/realtime_priority.hpp"
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
        ring(kRingCapacity),
        sender(sockets),
        trace_transport(sockets),
        tracing(trace_transport),
        fanout(AttributionSettings{config.frame_ms, config.timeout_ms}),
        hosts(config, dispatcher, fanout, [this] { return random(); }),
        clock(ms_to_ns(config.frame_ms), ms_to_ns(config.flush_ms)) {}

  DaemonConfig config;
  ConfigLoader reload;
  EventLoop loop;
  SpscRing<ReceivedReply> ring;
  IcmpSockets sockets;
  ProbeSender sender;
  SocketTraceTransport trace_transport;
  TraceStep tracing;
  std::mt19937_64 random{std::random_device{}()};
  SinkFanout fanout;
  ReplyDispatcher dispatcher;
  HostTable hosts;
  HousekeepingClock clock;
  std::unique_ptr<ReplyReceiver> receiver;
  std::unique_ptr<AutoGateways> gateways;  // gateway = "auto"
  ScheduleGrid grid;
  AggregatorOutput output;

  bool stopping() const { return loop.stop_requested(); }
  void open_sockets();
  void sync_gateways();
  void arm_timer();
  void on_timer();
  void drain_replies();
  void housekeeping(std::int64_t now_ns);
  void resolve(MonitoredHost& host, std::int64_t now_ns);
  void begin_stop();
  void finish();
  void apply_reload();
};

void Pinger::State::open_sockets() {
  sockets.open(config.socket_mode);
  receiver = std::make_unique<ReplyReceiver>(sockets.all(), ring,
                                             [this] { asio::post(loop.context(), [this] { drain_replies(); }); });
}

// gateway = "auto": started or stopped as the configuration says, and told which
// addresses the configured targets ping (an automatic gateway never duplicates one).
void Pinger::State::sync_gateways() {
  if (config.gateway == GatewayMode::off) {
    if (gateways) gateways->stop();
    gateways.reset();
    return;
  }
  if (!gateways) {
    gateways = std::make_unique<AutoGateways>(loop.context(), [this](const GatewayChanges& changes) {
      hosts.apply_gateway_changes(changes, grid.next(monotonic_ns() + kNsPerMs));
    });
  }
  gateways->set_constraints(hosts.configured_addresses(), config.gateway_rate);
}

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
  if (clock.due(now)) housekeeping(now);
  if (stopping() && clock.stop_due(now)) {
    finish();
    return;
  }
  arm_timer();
}

void Pinger::State::drain_replies() {
  while (auto reply = ring.try_pop()) dispatcher.dispatch(*reply);
}

void Pinger::State::housekeeping(std::int64_t now_ns) {
  const auto tasks = clock.run(now_ns);
  const std::int64_t wall = wall_ns();
  // Replies reach the ring up to the receive thread's burst wait after their kernel stamp:
  // probes time out (and frames close) that much later, so a reply in time is never late.
  const std::int64_t lag = ReplyReceiver::kBurstWaitNs;
  for (const auto& host : hosts.hosts()) {
    host->aggregator.advance(now_ns - lag, wall - lag, output);
    fanout.publish(host->info, output);
    resolve(*host, now_ns);
    if (stopping()) continue;
    if (const auto path = tracing.step(*host, now_ns, wall_ns())) fanout.path(host->info, *path, host->tracer->hop_sent_ms());
  }
  fanout.attribute(wall / kNsPerMs);
  if (tasks.status) {
    for (const auto& host : hosts.hosts()) fanout.status(host->info, host->status(now_ns));
  }
  if (tasks.flush) {
    fanout.flush();
    sender.flush_error_log();
  }
  if (stopping() && hosts.idle()) clock.end_stop(now_ns);
}

void Pinger::State::resolve(MonitoredHost& host, std::int64_t now_ns) {
  const auto address = host.poll_resolution(now_ns, resolve_timing(config));
  if (!address) return;
  if (sockets.for_family(address->family) == nullptr) {
    spdlog::error("host {}: resolved to {}, but no socket of that family is open", host.info.name, address->to_string());
  }
  // Posted: resolve() runs inside loops over the hosts, which sync_gateways may change.
  if (!host.automatic && gateways) asio::post(loop.context(), [this] { sync_gateways(); });
}

void Pinger::State::begin_stop() {
  spdlog::info("stopping: waiting up to {} ms for the probes in flight", config.timeout_ms);
  clock.begin_stop(monotonic_ns(), ms_to_ns(config.timeout_ms));
  arm_timer();
}

void Pinger::State::finish() {
  receiver->stop();
  drain_replies();
  const std::int64_t now = monotonic_ns();
  const std::int64_t wall = wall_ns();
  std::vector<const HostInfo*> stopped;
  for (const auto& host : hosts.hosts()) {
    host->aggregator.advance(now, wall, output);
    host->aggregator.finish(output);
    fanout.publish(host->info, output);
    stopped.push_back(&host->info);
  }
  fanout.finish(stopped);
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
  const ReloadPlan plan = plan_reload(config, fresh);
  for (const auto key : plan.need_restart) {
    spdlog::warn("reload: {} changed but needs a restart; the running value is kept", key);
  }
  spdlog::set_level(spdlog::level::from_str(plan.effective.log_level));
  hosts.remove_configured(plan.remove);
  hosts.change_roles(plan.role_changed);
  const std::int64_t now = monotonic_ns();
  config = plan.effective;
  clock.set_flush_period(ms_to_ns(config.flush_ms));
  sync_gateways();  // before adding: a new target may take an automatic gateway's address (and name)
  for (const auto& target : plan.add) hosts.add(target, grid.next(now + kNsPerMs));
  hosts.update_trace_settings();
  fanout.config_reloaded(config);
  spdlog::info("{}", describe(plan));
}

Pinger::Pinger(DaemonConfig config, ConfigLoader reload)
    : state_(std::make_unique<State>(std::move(config), std::move(reload))) {}

Pinger::~Pinger() = default;

void Pinger::add_sink(std::unique_ptr<FrameSink> sink) { state_->fanout.add_sink(std::move(sink)); }

const SendTiming& Pinger::send_timing() const { return state_->sender.timing(); }
asio::io_context& Pinger::io_context() { return state_->loop.context(); }

int Pinger::run() {
  State& s = *state_;
  s.open_sockets();
  if (!s.config.send_error_log.empty()) s.sender.open_error_log(s.config.send_error_log);
  const std::int64_t start_ns = s.grid.start(monotonic_ns() + 10 * kNsPerMs);
  for (const auto& target : s.config.targets) s.hosts.add(target, start_ns);
  for (const auto& host : s.hosts.hosts()) s.resolve(*host, monotonic_ns());
  s.sync_gateways();  // the gateways are added once the first route dump is answered
  s.receiver->start();
  enter_realtime(s.config.realtime_priority);  // after starting the receive thread, which keeps normal scheduling
  s.clock.start(monotonic_ns());
  s.arm_timer();
  s.loop.run(EventLoop::Handlers{
      .on_wake = [&s] { s.on_timer(); },
      .on_reload = [&s] { s.apply_reload(); },
      .on_stop = [&s] { s.begin_stop(); },
      .on_stop_now =
          [&s] {
            spdlog::info("second stop signal: stopping now");
            s.clock.end_stop(monotonic_ns());
          },
  });
  return 0;
}

}  // namespace zzping::daemon
