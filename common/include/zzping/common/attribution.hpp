// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Whose fault a loss burst was (docs/attribution.md): the burst of one target is compared,
// frame by frame, with what the other targets did at the same time, given their roles
// (gateway = the home router, isp = a hop inside the provider, internet = beyond). Bursts
// of several targets that overlap form one incident. Pure functions over final frames.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zzping/common/frame.hpp"

namespace zzping::attribution {

enum class Role : std::uint8_t { gateway, isp, internet };
std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

enum class Cause : std::uint8_t {
  local,         // the gateway lost too: this machine, its link, Wi-Fi or the LAN
  upstream,      // the gateway answered, every internet/isp target lost (>= 2 of them)
  destination,   // other internet/isp targets answered while this one lost
  gateway_only,  // only the gateway lost while internet targets answered (ICMP deprioritised)
  unknown,       // not enough targets or data to decide (the reason says which)
};
std::string_view to_string(Cause cause);

// A target's final frames (in time order) and its role.
struct TargetFrames {
  std::string name;
  Role role = Role::internet;
  std::span<const Frame> frames;
};

// A loss burst of one target: the send times of its first and last lost probes.
struct Burst {
  std::string target;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::uint32_t probes_lost = 0;
};

// What another target did while the burst went on, at frame resolution:
//  - lost: a probe lost in a frame holding the burst's probes, or in the frame just
//    before or after (one frame of tolerance at each edge: bursts of two targets caused by
//    one event start and end a few ms apart);
//  - answered: no probe lost in that window, and a reply in a frame holding the burst;
//  - no_data: neither (no frames there, or no probe sent while the burst went on).
enum class Behaviour : std::uint8_t { lost, answered, no_data };
Behaviour behaviour_during(std::span<const Frame> frames, std::int64_t start_ms, std::int64_t end_ms,
                           std::uint32_t frame_ms);

struct Attribution {
  Cause cause = Cause::unknown;
  std::string reason;  // one line: the evidence, or what was missing to decide
  std::vector<std::string> lost_too;  // other targets that lost during the burst
  std::vector<std::string> answered;  // other targets that answered during it
};

// The cause of `burst` given every target's frames (the burst's own target included or
// not). `frame_ms`: the frame length (the edge tolerance).
Attribution attribute(const Burst& burst, std::span<const TargetFrames> targets, std::uint32_t frame_ms);

struct AttributedBurst {
  Burst burst;
  Attribution attribution;
};

// Overlapping bursts of all targets merged into incidents, like an outage log.
struct Incident {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  Cause cause = Cause::unknown;
  std::vector<std::string> targets;  // sorted, unique
  std::uint32_t probes_lost = 0;
  // The farthest hop that still answered in a path snapshot taken during the incident
  // (path.hpp; "" when no trace ran during it). Filled by the daemon, not by merge_incidents.
  std::string last_hop;
};

// Bursts whose spans overlap or lie within `frame_ms` of each other form one incident. Its
// cause is the most user-affecting of its bursts' causes: local, upstream, destination,
// unknown, gateway_only (in that order). Incidents come out in time order.
std::vector<Incident> merge_incidents(std::span<const AttributedBurst> bursts, std::uint32_t frame_ms);

}  // namespace zzping::attribution
