// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/pinger.hpp"

#include <sched.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <asio.hpp>
#include <optional>
#include <random>

#include "zzping/daemon/attribution_tracker.hpp"
#include "zzping/daemon/auto_gateways.hpp"
#include "zzping/daemon/clock.hpp"
#include "zzping/daemon/event_loop.hpp"
#include "zzping/daemon/frame_aggregator.hpp"
#include "zzping/daemon/host_resolver.hpp"
#include "zzping/daemon/icmp_socket.hpp"
#include "zzping/daemon/incident_paths.hpp"
#include "zzping/daemon/path_tracer.hpp"
#include "zzping/daemon/probe_schedule.hpp"
#include "zzping/daemon/probe_sender.hpp"
#include "zzping/daemon/probe_token.hpp"
#include "zzping/daemon/reload_plan.hpp"
#include "zzping/daemon/reply_dispatcher.hpp"
#include "zzping/daemon/resolve_state.hpp"
#include "zzping/daemon/reply_receiver.hpp"

namespace zzping::daemon {
namespace {

// Replies are drained, probes timed out and frames finalised at least this often.
constexpr std::int64_t kHousekeepingNs = 20 * kNsPerMs;
// Housekeeping (frames, sinks, file writes) may wait this long for a send wake-up to ride
// on, so it runs right after a batch of sends, with the whole gap to the next one ahead.
constexpr std::int64_t kHousekeepingSlackNs = 20 * kNsPerMs;
constexpr std::size_t kRingCapacity = 1u << 16;

std::uint32_t burst_bound(std::uint32_t rate, std::uint32_t catch_up_ms) {
  return std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::uint64_t{rate} * catch_up_ms / 1000));
}

AggregatorSettings aggregator_settings(const DaemonConfig& config) {
  AggregatorSettings settings;
  settings.frame_ms = config.frame_ms;
  settings.timeout_ns = static_cast<std::int64_t>(config.timeout_ms) * kNsPerMs;
  settings.quantiser = RttQuantiser(config.precision);
  return settings;
}

TraceSettings trace_settings(const DaemonConfig& config) {
  TraceSettings settings;
  settings.interval_ns = static_cast<std::int64_t>(config.trace_interval_s) * kNsPerS;
  settings.max_ttl = static_cast<std::uint8_t>(config.trace_max_ttl);
  settings.timeout_ns = static_cast<std::int64_t>(config.timeout_ms) * kNsPerMs;
  return settings;
}

}  // namespace

// One monitored host: where it is, when to ping it, what its probes became.
struct MonitoredHost {
  MonitoredHost(const TargetConfig& target_config, const DaemonConfig& config, std::int64_t start_ns,
       std::uint64_t host_cookie)
      : target(target_config),
        cookie(host_cookie),
        resolver(target_config.host, target_config.family),
        schedule(start_ns, target_config.rate, burst_bound(target_config.rate, config.catch_up_ms)),
        aggregator(aggregator_settings(config)) {
    info.name = target.host;
    info.rate = target.rate;
    info.frame_ms = config.frame_ms;
    info.precision = config.precision;
    info.role = target.role;
    info.timeout_ms = config.timeout_ms;
  }

  // The address probes go to; unset until the name first resolves.
  const std::optional<IpAddress>& address() const { return resolve_state.address(); }
  ProbeTarget probe_target() {
    return ProbeTarget{info.name, cookie, address(), schedule, aggregator, send_failures};
  }

  TargetConfig target;
  HostInfo info;
  std::uint64_t cookie;
  HostResolver resolver;
  ResolveState resolve_state;
  ProbeSchedule schedule;
  FrameAggregator aggregator;
  std::uint64_t send_failures = 0;
  std::optional<PathTracer> tracer;  // path snapshots (target.trace), under a cookie of its own
  std::uint64_t trace_cookie = 0;
  bool automatic = false;  // a gateway added by gateway = "auto" (not one of config.targets)
};

struct Pinger::State {
  State(DaemonConfig initial, ConfigLoader loader)
      : config(std::move(initial)), reload(std::move(loader)), ring(kRingCapacity), sender(sockets),
        random(std::random_device{}()), attribution(AttributionSettings{config.frame_ms, config.timeout_ms}) {}

  DaemonConfig config;
  ConfigLoader reload;
  EventLoop loop;
  SpscRing<ReceivedReply> ring;
  IcmpSockets sockets;
  ProbeSender sender;
  OutgoingPacket trace_packet;  // a path-trace probe being sent
  std::mt19937_64 random;
  std::vector<std::unique_ptr<FrameSink>> sinks;
  std::unique_ptr<ReplyReceiver> receiver;
  std::unique_ptr<AutoGateways> gateways;  // gateway = "auto"
  std::vector<std::unique_ptr<MonitoredHost>> hosts;
  ReplyDispatcher dispatcher;
  TraceProbeBudget trace_budget;  // all hosts' trace probes together
  IncidentPaths incident_paths;   // snapshots an incident's last_hop comes from
  std::int64_t grid_start_ns = 0;  // every host's schedule starts on a whole second after it
  std::int64_t next_housekeeping_ns = 0;
  std::int64_t next_status_ns = 0;
  // Per-host status goes out once per frame interval (the stream promises it that often).
  std::int64_t status_period_ns() const { return static_cast<std::int64_t>(config.frame_ms) * kNsPerMs; }
  std::int64_t next_flush_ns = 0;
  bool stopping() const { return loop.stop_requested(); }
  std::int64_t stop_deadline_ns = 0;
  AggregatorOutput output;
  AttributionTracker attribution;  // whose fault each loss burst was (docs/attribution.md)
  AttributionOutput attributed;

  void open_sockets();
  void add_host(const TargetConfig& target, std::int64_t start_ns);
  void remove_host(std::size_t index);
  void sync_gateways();
  void apply_gateway_changes(const GatewayChanges& changes);
  std::int64_t next_grid_second(std::int64_t not_before_ns) const {
    const std::int64_t seconds = (std::max<std::int64_t>(0, not_before_ns - grid_start_ns) + kNsPerS - 1) / kNsPerS;
    return grid_start_ns + seconds * kNsPerS;
  }
  void arm_timer();
  void on_timer();
  void trace(MonitoredHost& host, std::int64_t now_ns);
  void enter_realtime();
  void drain_replies();
  void housekeeping(std::int64_t now_ns);
  void resolve(MonitoredHost& host, std::int64_t now_ns);
  static void log_resolve(const MonitoredHost& host, const ResolveLog& line);
  void publish(MonitoredHost& host);
  void publish_status(std::int64_t now_ns);
  void publish_attributed();
  void apply_role_changes(const ReloadPlan& plan);
  void begin_stop();
  void stop_now();
  void finish();
  void apply_reload();
};

void Pinger::State::open_sockets() {
  sockets.open(config.socket_mode);
  receiver = std::make_unique<ReplyReceiver>(sockets.all(), ring);
}

void Pinger::State::add_host(const TargetConfig& target, std::int64_t start_ns) {
  auto host = std::make_unique<MonitoredHost>(target, config, start_ns, random());
  dispatcher.add(host->cookie, ReplyDispatcher::Destination{&host->aggregator, &host->address()});
  attribution.add_host(host->info, wall_ns() / kNsPerMs);
  if (target.trace) {
    host->tracer.emplace(trace_settings(config));
    host->trace_cookie = random();
    dispatcher.add_trace(host->trace_cookie, ReplyDispatcher::TraceDestination{&*host->tracer, &host->address()});
  }
  spdlog::info("host {}: {} probes/s", target.host, target.rate);
  hosts.push_back(std::move(host));
}

void Pinger::State::remove_host(std::size_t index) {
  MonitoredHost& host = *hosts[index];
  host.aggregator.finish(output);
  publish(host);
  attribution.remove_host(host.info.name, wall_ns() / kNsPerMs);
  for (auto& sink : sinks) sink->on_host_removed(host.info);
  dispatcher.remove(host.cookie);
  if (host.tracer) dispatcher.remove_trace(host.trace_cookie);
  spdlog::info("host {}: removed", host.info.name);
  hosts.erase(hosts.begin() + static_cast<std::ptrdiff_t>(index));
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
    gateways = std::make_unique<AutoGateways>(loop.context(), [this](const GatewayChanges& changes) { apply_gateway_changes(changes); });
  }
  std::vector<IpAddress> taken;
  for (const auto& target : config.targets) {
    if (auto literal = parse_address_literal(target.host)) taken.push_back(*literal);
  }
  for (const auto& host : hosts) {
    if (!host->automatic && host->address()) taken.push_back(*host->address());
  }
  gateways->set_constraints(std::move(taken), config.gateway_rate);
}

// The automatic gateways come and go through the same add/remove path as a reload's hosts.
void Pinger::State::apply_gateway_changes(const GatewayChanges& changes) {
  for (const auto& gone : changes.removed) {
    for (std::size_t i = hosts.size(); i-- > 0;) {
      if (hosts[i]->automatic && hosts[i]->target.host == gone.host()) remove_host(i);
    }
  }
  const std::int64_t start_ns = next_grid_second(monotonic_ns() + kNsPerMs);
  for (const auto& gateway : changes.added) {
    const auto family = gateway.address.family == Family::v4 ? AddressFamily::v4 : AddressFamily::v6;
    add_host(TargetConfig{gateway.host(), gateway.rate, family, attribution::Role::gateway}, start_ns);
    hosts.back()->automatic = true;
  }
}

void Pinger::State::arm_timer() {
  std::int64_t wake = next_housekeeping_ns + (stopping() ? 0 : kHousekeepingSlackNs);
  if (!stopping()) {
    for (const auto& host : hosts) {
      if (host->address()) wake = std::min(wake, ProbeSender::wake_ns(host->schedule));
    }
  }
  loop.wake_at(wake);
}

void Pinger::State::on_timer() {
  const std::int64_t now = monotonic_ns();
  if (!stopping()) {
    for (const auto& host : hosts) sender.send_due(host->probe_target(), now);
  }
  receiver->read_pending(now);
  drain_replies();
  if (now >= next_housekeeping_ns) housekeeping(now);
  if (stopping() && now >= stop_deadline_ns) {
    finish();
    return;
  }
  arm_timer();
}

// The host's path tracer, once per housekeeping: a loss run that just began starts a trace at
// once, a due TTL probe goes out if the shared budget allows (at most one per call, from the
// same socket with its own hop limit, never inside a batch of the schedule), a finished
// snapshot goes to the sinks.
// Loopback and gateway targets have no path to show.
void Pinger::State::trace(MonitoredHost& host, std::int64_t now_ns) {
  if (!host.tracer || stopping() || !host.address() || host.address()->is_loopback() ||
      host.info.role == attribution::Role::gateway) {
    return;
  }
  const IcmpSocket* socket = sockets.for_family(host.address()->family);
  if (socket == nullptr) return;
  const std::int64_t wall = wall_ns();
  host.tracer->on_loss_run(host.aggregator.loss_run_length(), now_ns, wall);
  const auto probe = trace_budget.available(now_ns) ? host.tracer->take_due_probe(now_ns, wall) : std::nullopt;
  if (probe) {
    trace_budget.take();
    const auto token = encode_probe_token(ProbeToken{host.trace_cookie, probe->counter, wall});
    OutgoingPacket& packet = trace_packet;
    packet.size = build_echo_request(host.address()->family, socket->ident(), sequence_of(probe->counter), token,
                                     packet.bytes);
    packet.destination_length = host.address()->to_sockaddr(packet.destination);
    socket->send_with_hop_limit(packet, probe->ttl);
    if (packet.error != 0) spdlog::debug("host {}: trace probe (TTL {}) not sent: {}", host.info.name, probe->ttl,
                                         std::strerror(packet.error));
  }
  if (const auto path = host.tracer->advance(now_ns)) {
    incident_paths.on_path(host.info.name, *path, host.tracer->hop_sent_ms());
    for (auto& sink : sinks) sink->on_path(host.info, *path);
  }
}

// Real-time scheduling for the loop thread only (the receive thread and sinks' threads
// keep the normal class): under CPU contention a normal thread's wake-ups come
// milliseconds late, a SCHED_FIFO one's stay within the timer latency.
void Pinger::State::enter_realtime() {
  if (config.realtime_priority == 0) return;
  sched_param parameter{};
  parameter.sched_priority = static_cast<int>(config.realtime_priority);
  if (sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &parameter) != 0) {
    spdlog::warn("realtime_priority = {}: SCHED_FIFO refused ({}; needs CAP_SYS_NICE); going on with normal scheduling",
                 config.realtime_priority, std::strerror(errno));
    return;
  }
  spdlog::info("loop thread: SCHED_FIFO priority {}", config.realtime_priority);
}

void Pinger::State::drain_replies() {
  while (auto reply = ring.try_pop()) dispatcher.dispatch(*reply);
}

void Pinger::State::housekeeping(std::int64_t now_ns) {
  next_housekeeping_ns = now_ns + kHousekeepingNs;
  const std::int64_t wall = wall_ns();
  // Replies reach the ring up to the receive thread's burst wait after their kernel stamp:
  // probes time out (and frames close) that much later, so a reply in time is never late.
  const std::int64_t lag = ReplyReceiver::kReadLagNs;
  for (const auto& host : hosts) {
    host->aggregator.advance(now_ns - lag, wall - lag, output);
    publish(*host);
    resolve(*host, now_ns);
    trace(*host, now_ns);
  }
  attribution.advance(wall / kNsPerMs, attributed);
  publish_attributed();
  if (now_ns >= next_status_ns) {
    next_status_ns = now_ns + status_period_ns();
    publish_status(now_ns);
  }
  if (now_ns >= next_flush_ns) {
    next_flush_ns = now_ns + static_cast<std::int64_t>(config.flush_ms) * kNsPerMs;
    for (auto& sink : sinks) sink->flush();
    sender.flush_error_log();
  }
  if (stopping()) {
    const bool idle = std::all_of(hosts.begin(), hosts.end(), [](const auto& h) { return h->aggregator.in_flight() == 0; });
    if (idle) stop_deadline_ns = now_ns;
  }
}

void Pinger::State::resolve(MonitoredHost& host, std::int64_t now_ns) {
  const ResolveTiming resolve_timing{static_cast<std::int64_t>(config.resolve_retry_s) * kNsPerS,
                             static_cast<std::int64_t>(config.resolve_interval_s) * kNsPerS};
  if (!host.resolver.running()) {
    if (!host.resolve_state.due(now_ns)) return;
    host.resolver.start();
    if (!host.resolver.running() && !host.resolver.is_literal()) {
      log_resolve(host, host.resolve_state.on_start_failed(now_ns, resolve_timing));
      return;
    }
  }
  const auto result = host.resolver.poll();
  if (!result) return;
  const auto outcome =
      host.resolve_state.on_result(result->address, result->error, host.resolver.is_literal(), now_ns, resolve_timing);
  if (outcome.new_address && sockets.for_family(outcome.new_address->family) == nullptr) {
    spdlog::error("host {}: resolved to {}, but no socket of that family is open", host.info.name,
                  outcome.new_address->to_string());
  }
  for (const auto& line : outcome.logs) log_resolve(host, line);
  if (outcome.new_address) host.info.address = outcome.new_address->to_string();
  // Posted: resolve() runs inside loops over `hosts`, which sync_gateways may change.
  if (outcome.new_address && !host.automatic && gateways) asio::post(loop.context(), [this] { sync_gateways(); });
}

void Pinger::State::log_resolve(const MonitoredHost& host, const ResolveLog& line) {
  switch (line.level) {
    case ResolveLog::Level::info: spdlog::info("host {}: {}", host.info.name, line.text); break;
    case ResolveLog::Level::warn: spdlog::warn("host {}: {}", host.info.name, line.text); break;
    case ResolveLog::Level::error: spdlog::error("host {}: {}", host.info.name, line.text); break;
  }
}

void Pinger::State::publish(MonitoredHost& host) {
  for (const Frame& frame : output.frames) {
    for (auto& sink : sinks) sink->on_frame(host.info, frame);
    attribution.on_frame(host.info, frame);
  }
  for (const LossEvent& event : output.events) {
    for (auto& sink : sinks) sink->on_event(host.info, event);
    attribution.on_event(host.info, event);
  }
  output.clear();
}

void Pinger::State::publish_attributed() {
  for (const auto& [host, burst] : attributed.bursts) {
    for (auto& sink : sinks) sink->on_burst_attributed(host, burst);
  }
  for (auto& incident : attributed.incidents) {
    incident_paths.fill(incident);
    for (auto& sink : sinks) sink->on_incident(incident);
  }
  attributed.clear();
}

void Pinger::State::publish_status(std::int64_t now_ns) {
  for (const auto& host : hosts) {
    HostStatus status;
    status.in_flight = host->aggregator.in_flight();
    status.probes_sent = host->aggregator.probes_sent();
    const std::int64_t last = host->aggregator.last_reply_mono_ns();
    status.last_reply_age_ms = last == 0 ? -1 : (now_ns - last) / kNsPerMs;
    for (auto& sink : sinks) sink->on_status(host->info, status);
  }
}

void Pinger::State::begin_stop() {
  stop_deadline_ns = monotonic_ns() + static_cast<std::int64_t>(config.timeout_ms) * kNsPerMs + kHousekeepingNs;
  spdlog::info("stopping: waiting up to {} ms for the probes in flight", config.timeout_ms);
  next_housekeeping_ns = monotonic_ns();
  arm_timer();
}

void Pinger::State::stop_now() {
  spdlog::info("second stop signal: stopping now");
  stop_deadline_ns = monotonic_ns();
}

void Pinger::State::finish() {
  receiver->read_pending(monotonic_ns());
  drain_replies();
  const std::int64_t now = monotonic_ns();
  const std::int64_t wall = wall_ns();
  for (const auto& host : hosts) {
    host->aggregator.advance(now, wall, output);
    host->aggregator.finish(output);
    publish(*host);
  }
  attribution.finish(attributed);
  publish_attributed();
  for (auto& sink : sinks) {
    for (const auto& host : hosts) sink->on_host_removed(host->info);
    sink->flush();
  }
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
  for (std::size_t i = hosts.size(); i-- > 0;) {
    const auto& removed = plan.remove;
    if (!hosts[i]->automatic && std::find(removed.begin(), removed.end(), hosts[i]->target) != removed.end()) {
      remove_host(i);
    }
  }
  apply_role_changes(plan);
  const std::int64_t now = monotonic_ns();
  config = plan.effective;
  sync_gateways();  // before adding: a new target may take an automatic gateway's address (and name)
  for (const auto& target : plan.add) add_host(target, next_grid_second(now + kNsPerMs));
  for (const auto& host : hosts) {
    if (host->tracer) host->tracer->set_settings(trace_settings(config));
  }
  for (const auto& sink : sinks) sink->on_config_reloaded(config);
  spdlog::info("{}", describe(plan));
}

// A kept host whose role changed goes on probing; only its results are labelled anew.
void Pinger::State::apply_role_changes(const ReloadPlan& plan) {
  for (const auto& target : plan.role_changed) {
    for (const auto& host : hosts) {
      if (host->automatic || host->target.host != target.host) continue;
      host->target.role = target.role;
      host->info.role = target.role;
      attribution.set_role(target.host, target.role);
    }
  }
}

Pinger::Pinger(DaemonConfig config, ConfigLoader reload)
    : state_(std::make_unique<State>(std::move(config), std::move(reload))) {}

Pinger::~Pinger() = default;

void Pinger::add_sink(std::unique_ptr<FrameSink> sink) { state_->sinks.push_back(std::move(sink)); }

const SendTiming& Pinger::send_timing() const { return state_->sender.timing(); }
asio::io_context& Pinger::io_context() { return state_->loop.context(); }

int Pinger::run() {
  State& s = *state_;
  s.open_sockets();
  if (!s.config.send_error_log.empty()) s.sender.open_error_log(s.config.send_error_log);
  // All hosts share one start, so the deadlines of hosts with the same (or a multiple)
  // rate coincide and go out on one wake-up.
  s.grid_start_ns = monotonic_ns() + 10 * kNsPerMs;
  for (const auto& target : s.config.targets) s.add_host(target, s.grid_start_ns);
  for (const auto& host : s.hosts) s.resolve(*host, monotonic_ns());
  s.sync_gateways();  // the gateways are added once the first route dump is answered
  s.enter_realtime();  // after starting the receive thread, which keeps normal scheduling
  s.next_housekeeping_ns = monotonic_ns();
  s.next_status_ns = s.next_housekeeping_ns + s.status_period_ns();
  s.next_flush_ns = s.next_housekeeping_ns + static_cast<std::int64_t>(s.config.flush_ms) * kNsPerMs;
  s.arm_timer();
  s.loop.run(EventLoop::Handlers{
      .on_wake = [&s] { s.on_timer(); },
      .on_reload = [&s] { s.apply_reload(); },
      .on_stop = [&s] { s.begin_stop(); },
      .on_stop_now = [&s] { s.stop_now(); },
  });
  return 0;
}

}  // namespace zzping::daemon
