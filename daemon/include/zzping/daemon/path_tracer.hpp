// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The path snapshots of one traced host (issue 13, docs/daemon.md "Path snapshots"): when to
// trace, which TTL-limited echo probe to send next, what the answers mean, and the finished
// PathSnapshot. Pure: the caller passes the times, sends the probes and hands over the
// answers (TraceStep and ReplyDispatcher), so every rule is unit-tested without sockets.
//
// When: at start (once the host has an address), every `interval`, and at once when the
// host's probes start timing out (the first lost probe of a run: the burst is still going
// on) — at most one such loss-burst trace per `burst_holdoff`. Never again once a trace
// reached the target at TTL 1 (a directly connected network: no path to watch). A loss-burst trace replaces
// a start/interval trace still running (that one is dropped: it began before the trouble).
// Budget: one probe per TTL, TTL 1 upwards, at least `probe_gap` apart; no TTL above the
// one where the target answered (or a hop said unreachable) is sent once that is known,
// none above `max_ttl`. A trace ends when every probe it sent is answered or has waited
// `timeout`.
// Trace probes carry the trace's own cookie (never the host's) and counters with the top
// bit set, so they never reach the host's frames.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zzping/common/path.hpp"

namespace zzping::daemon {

// The fixed parts of the budget (docs/daemon.md): at most 20 trace probes/s per host, and
// at most one loss-burst trace per minute per host.
inline constexpr std::int64_t kTraceProbeGapNs = 50'000'000;
inline constexpr std::int64_t kTraceBurstHoldoffNs = 60'000'000'000;

struct TraceSettings {
  std::int64_t interval_ns = 600'000'000'000;  // 0: only at start and at loss bursts
  std::uint8_t max_ttl = 30;
  std::int64_t probe_gap_ns = kTraceProbeGapNs;
  std::int64_t timeout_ns = 1'000'000'000;  // a TTL unanswered this long stays empty
  std::int64_t burst_holdoff_ns = kTraceBurstHoldoffNs;
};

struct TraceProbe {
  std::uint8_t ttl = 0;
  std::uint64_t counter = 0;  // goes into the probe token
};

// Trace probe counters: top bit set (a host's own counters never get there), then the
// trace's serial number, then the TTL in the low byte.
inline constexpr std::uint64_t kTraceCounterBit = std::uint64_t{1} << 63;
constexpr std::uint64_t trace_counter(std::uint64_t serial, std::uint8_t ttl) {
  return kTraceCounterBit | (serial << 8) | ttl;
}

class PathTracer {
 public:
  explicit PathTracer(TraceSettings settings) : settings_(settings) {}

  // A reload: the next decisions use the new interval and TTL limit.
  void set_settings(const TraceSettings& settings);
  // The host's current run of lost probes (FrameAggregator::loss_run_length()); a run that
  // just began triggers a loss-burst trace unless one ran within the hold-off.
  void on_loss_run(std::uint32_t run_length, std::int64_t now_mono_ns, std::int64_t now_wall_ns);
  // The next probe to send now, if one is due (starting a trace if one is due). At most
  // one per call; the caller records nothing else (the send time is `now_mono_ns`).
  std::optional<TraceProbe> take_due_probe(std::int64_t now_mono_ns, std::int64_t now_wall_ns);
  // An answer to a trace probe from `from`: ICMP time exceeded from a hop, destination
  // unreachable from a hop (the path ends there), or the target's echo reply (reached).
  // Stale answers (an earlier trace, a TTL not sent, a second answer) are ignored.
  enum class Answer : std::uint8_t { time_exceeded, unreachable, echo_reply };
  void on_answer(Answer answer, std::uint64_t counter, const std::string& from, std::int64_t receive_mono_ns);
  // The snapshot of the trace that finished by now, with route_changed set against the
  // route known from the earlier snapshots (silent hops keep what was known there);
  // nullopt while it runs or when none runs.
  std::optional<PathSnapshot> advance(std::int64_t now_mono_ns);
  // For the snapshot advance() returned last: when each of its hops' probe was sent (wall
  // ms, one per hop): an incident cites only hops probed while it went on (IncidentPaths).
  const std::vector<std::int64_t>& hop_sent_ms() const { return hop_sent_ms_; }

  bool tracing() const { return trace_.has_value(); }
  std::uint64_t probes_sent() const { return probes_sent_; }

 private:
  struct Hop {
    std::int64_t sent_mono_ns = -1;  // -1: not sent
    std::string address;
    std::optional<std::uint32_t> rtt_us;
  };
  struct Trace {
    std::uint64_t serial = 0;
    PathTrigger trigger = PathTrigger::start;
    std::int64_t t_ms = 0;
    std::int64_t begin_mono_ns = 0;  // the monotonic time of t_ms
    std::int64_t next_send_ns = 0;
    std::uint8_t next_ttl = 1;
    std::uint8_t last_ttl = 0;   // the highest TTL worth sending (max_ttl until an end is known)
    bool ended = false;          // the target or an unreachable hop answered at last_ttl
    bool reached = false;
    std::vector<Hop> hops;       // index ttl - 1
  };

  void begin(PathTrigger trigger, std::int64_t now_mono_ns, std::int64_t now_wall_ns);
  bool finished(std::int64_t now_mono_ns) const;
  PathSnapshot snapshot() const;

  TraceSettings settings_;
  std::optional<Trace> trace_;
  bool started_ = false;                        // the start trace has begun
  bool directly_connected_ = false;             // a trace reached the target at TTL 1: no more
  std::int64_t last_begin_ns_ = 0;              // for the interval
  std::optional<std::int64_t> last_burst_ns_;   // for the hold-off
  std::uint32_t last_run_length_ = 0;
  std::uint64_t serial_ = 0;
  std::uint64_t probes_sent_ = 0;
  // Each TTL's last answering address over the snapshots so far (silent hops keep the
  // older answer); a snapshot answering differently at some TTL is a route change.
  std::vector<std::string> known_route_;
  std::vector<std::int64_t> hop_sent_ms_;
};

// The cap on all hosts' trace probes together (a token bucket): on average at most
// kTraceProbesPerSecond, at most kTraceProbeBurst at once, so tracing many hosts at the same
// moment (all at start, all at one outage) is spread out instead of sent as a flood.
inline constexpr double kTraceProbesPerSecond = 50.0;
inline constexpr double kTraceProbeBurst = 10.0;

class TraceProbeBudget {
 public:
  // Whether a probe may go out now (refills first; does not take one).
  bool available(std::int64_t now_mono_ns);
  void take() { tokens_ -= 1.0; }

 private:
  double tokens_ = kTraceProbeBurst;
  std::optional<std::int64_t> last_ns_;
};

}  // namespace zzping::daemon
