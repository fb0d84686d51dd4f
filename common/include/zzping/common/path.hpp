// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A snapshot of the path to a target, taken with TTL-limited echo probes (issue 13): the
// hop that answered each TTL (ICMP time exceeded), or none. Taken at start, periodically
// and when a loss burst starts; the one taken during an outage shows the last hop that
// still answered — what a provider's support asks for.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zzping {

struct PathHop {
  std::uint8_t ttl = 0;
  std::string address;                 // "" when no hop answered this TTL
  std::optional<std::uint32_t> rtt_us;  // absent when no answer
  friend bool operator==(const PathHop&, const PathHop&) = default;
};

// Why a trace was taken.
enum class PathTrigger : std::uint8_t { start, interval, loss_burst };
std::string_view to_string(PathTrigger trigger);

struct PathSnapshot {
  std::int64_t t_ms = 0;  // when the trace started, ms since the epoch (UTC)
  PathTrigger trigger = PathTrigger::interval;
  bool reached = false;   // the target itself answered within the TTLs tried
  std::vector<PathHop> hops;  // ttl 1, 2, ... in order
  // Set by the daemon when this snapshot's route differs from the host's previous one
  // (route_changed() below); jsonl readers then also print a route_change event.
  bool route_changed = false;
  friend bool operator==(const PathSnapshot&, const PathSnapshot&) = default;
};

// The address of the farthest hop that answered (the target itself when reached); "" if none.
std::string last_answering_hop(const PathSnapshot& path);
// Whether two snapshots show a different route: the sequence of answering hop addresses
// differs (hops that did not answer in either snapshot are wildcards, so one lost
// time-exceeded reply is not a route change).
bool route_changed(const PathSnapshot& before, const PathSnapshot& after);

}  // namespace zzping
