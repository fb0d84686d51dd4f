// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/path_tracer.hpp"

#include <algorithm>

namespace zzping::daemon {
namespace {

// The route known after `path`: its answering hops, and where a hop stayed silent (an
// outage, a rate-limited router) what an earlier snapshot knew there. A path that ended
// (target or unreachable hop answered) ends the known route too; one that did not keeps
// the known hops beyond its last answer.
std::vector<std::string> known_route_after(const std::vector<std::string>& known, const PathSnapshot& path,
                                           bool ended) {
  std::vector<std::string> route(ended ? path.hops.size() : std::max(known.size(), path.hops.size()));
  for (std::size_t i = 0; i < route.size(); ++i) {
    const bool answered = i < path.hops.size() && !path.hops[i].address.empty();
    route[i] = answered ? path.hops[i].address : (i < known.size() ? known[i] : std::string());
  }
  return route;
}

// Some TTL answered from a different address than the known route's.
bool differs_from(const std::vector<std::string>& known, const PathSnapshot& path) {
  for (std::size_t i = 0; i < std::min(known.size(), path.hops.size()); ++i) {
    if (!known[i].empty() && !path.hops[i].address.empty() && known[i] != path.hops[i].address) return true;
  }
  return false;
}

}  // namespace

void PathTracer::set_settings(const TraceSettings& settings) { settings_ = settings; }

void PathTracer::on_loss_run(std::uint32_t run_length, std::int64_t now_mono_ns, std::int64_t now_wall_ns) {
  const bool began = run_length > 0 && last_run_length_ == 0;
  last_run_length_ = run_length;
  if (!began || directly_connected_) return;
  if (trace_ && trace_->trigger == PathTrigger::loss_burst) return;
  if (last_burst_ns_ && now_mono_ns - *last_burst_ns_ < settings_.burst_holdoff_ns) return;
  begin(PathTrigger::loss_burst, now_mono_ns, now_wall_ns);
}

void PathTracer::begin(PathTrigger trigger, std::int64_t now_mono_ns, std::int64_t now_wall_ns) {
  Trace trace;
  trace.serial = ++serial_;
  trace.trigger = trigger;
  trace.t_ms = now_wall_ns / 1'000'000;
  trace.begin_mono_ns = now_mono_ns;
  trace.next_send_ns = now_mono_ns;
  trace.last_ttl = settings_.max_ttl;
  trace.hops.resize(settings_.max_ttl);
  trace_ = std::move(trace);
  started_ = true;
  last_begin_ns_ = now_mono_ns;
  if (trigger == PathTrigger::loss_burst) last_burst_ns_ = now_mono_ns;
}

std::optional<TraceProbe> PathTracer::take_due_probe(std::int64_t now_mono_ns, std::int64_t now_wall_ns) {
  if (!trace_) {
    if (directly_connected_) return std::nullopt;
    if (!started_) {
      begin(PathTrigger::start, now_mono_ns, now_wall_ns);
    } else if (settings_.interval_ns > 0 && now_mono_ns - last_begin_ns_ >= settings_.interval_ns) {
      begin(PathTrigger::interval, now_mono_ns, now_wall_ns);
    } else {
      return std::nullopt;
    }
  }
  Trace& trace = *trace_;
  if (trace.next_ttl > trace.last_ttl || now_mono_ns < trace.next_send_ns) return std::nullopt;
  const std::uint8_t ttl = trace.next_ttl++;
  trace.hops[ttl - 1].sent_mono_ns = now_mono_ns;
  trace.next_send_ns = now_mono_ns + settings_.probe_gap_ns;
  ++probes_sent_;
  return TraceProbe{ttl, trace_counter(trace.serial, ttl)};
}

void PathTracer::on_answer(Answer answer, std::uint64_t counter, const std::string& from,
                           std::int64_t receive_mono_ns) {
  if (!trace_ || (counter & kTraceCounterBit) == 0) return;
  Trace& trace = *trace_;
  const std::uint64_t serial = (counter & ~kTraceCounterBit) >> 8;
  const auto ttl = static_cast<std::uint8_t>(counter & 0xffu);
  if (serial != trace.serial || ttl == 0 || ttl > trace.hops.size()) return;
  Hop& hop = trace.hops[ttl - 1];
  if (hop.sent_mono_ns < 0 || !hop.address.empty()) return;
  hop.address = from;
  hop.rtt_us = static_cast<std::uint32_t>(std::max<std::int64_t>(0, receive_mono_ns - hop.sent_mono_ns) / 1000);
  // The path ends at the target (echo reply) or at a hop that cannot forward (unreachable):
  // higher TTLs would only repeat that answer.
  if (answer != Answer::time_exceeded && ttl <= trace.last_ttl) {
    trace.last_ttl = ttl;
    trace.ended = true;
    trace.reached = answer == Answer::echo_reply;
  }
}

bool PathTracer::finished(std::int64_t now_mono_ns) const {
  const Trace& trace = *trace_;
  if (trace.next_ttl <= trace.last_ttl) return false;  // TTLs left to send
  const std::size_t sent = std::min<std::size_t>(trace.last_ttl, trace.next_ttl - 1u);
  for (std::size_t i = 0; i < sent; ++i) {
    const Hop& hop = trace.hops[i];
    if (hop.address.empty() && now_mono_ns - hop.sent_mono_ns < settings_.timeout_ns) return false;
  }
  return true;
}

PathSnapshot PathTracer::snapshot() const {
  const Trace& trace = *trace_;
  PathSnapshot path;
  path.t_ms = trace.t_ms;
  path.trigger = trace.trigger;
  path.reached = trace.reached;
  // Up to where the path ended, or (no end seen) the farthest hop that answered: the silent
  // TTLs beyond it say nothing but "not reached", which `reached` says already.
  std::size_t count = trace.last_ttl;
  if (!trace.ended) {
    while (count > 0 && trace.hops[count - 1].address.empty()) --count;
  }
  for (std::size_t i = 0; i < count; ++i) {
    const Hop& hop = trace.hops[i];
    path.hops.push_back(PathHop{static_cast<std::uint8_t>(i + 1), hop.address, hop.rtt_us});
  }
  return path;
}

std::optional<PathSnapshot> PathTracer::advance(std::int64_t now_mono_ns) {
  if (!trace_ || !finished(now_mono_ns)) return std::nullopt;
  PathSnapshot path = snapshot();
  // Against the known route, not only the previous snapshot: after a trace taken during an
  // outage (one hop) a re-route is still seen by the first trace that gets through.
  path.route_changed = differs_from(known_route_, path);
  known_route_ = known_route_after(known_route_, path, trace_->ended);
  hop_sent_ms_.clear();
  for (std::size_t i = 0; i < path.hops.size(); ++i) {
    hop_sent_ms_.push_back(trace_->t_ms + (trace_->hops[i].sent_mono_ns - trace_->begin_mono_ns) / 1'000'000);
  }
  // The target answered the first TTL: it is on a directly connected network, there is no
  // path to watch (its own probes say all there is).
  directly_connected_ = path.reached && path.hops.size() == 1;
  trace_.reset();
  return path;
}

bool TraceProbeBudget::available(std::int64_t now_mono_ns) {
  if (last_ns_ && now_mono_ns > *last_ns_) {
    tokens_ = std::min(kTraceProbeBurst, tokens_ + static_cast<double>(now_mono_ns - *last_ns_) * 1e-9 * kTraceProbesPerSecond);
  }
  if (!last_ns_ || now_mono_ns > *last_ns_) last_ns_ = now_mono_ns;
  return tokens_ >= 1.0;
}

}  // namespace zzping::daemon
