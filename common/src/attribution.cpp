// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/attribution.hpp"

#include <algorithm>
#include <array>

namespace zzping::attribution {
namespace {

std::int64_t frame_start(std::int64_t t_ms, std::uint32_t frame_ms) {
  const std::int64_t f = std::max<std::int64_t>(frame_ms, 1);
  const std::int64_t q = t_ms / f;
  return (t_ms % f < 0 ? q - 1 : q) * f;
}

bool is_internet_side(Role role) { return role != Role::gateway; }

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// The other targets sorted by what they did during the burst, per side of the gateway.
struct Evidence {
  std::vector<std::string> gateway_lost, gateway_answered, gateway_silent;
  std::vector<std::string> internet_lost, internet_answered, internet_silent;

  void add(const TargetFrames& target, Behaviour behaviour) {
    const bool internet = is_internet_side(target.role);
    auto& lost = internet ? internet_lost : gateway_lost;
    auto& answered = internet ? internet_answered : gateway_answered;
    auto& silent = internet ? internet_silent : gateway_silent;
    (behaviour == Behaviour::lost ? lost : behaviour == Behaviour::answered ? answered : silent).push_back(target.name);
  }
  bool has_gateway() const { return !gateway_lost.empty() || !gateway_answered.empty() || !gateway_silent.empty(); }
};

Attribution burst_of_gateway(const Evidence& e) {
  if (!e.internet_answered.empty()) {
    return {Cause::gateway_only, "internet targets answered: " + join(e.internet_answered), {}, {}};
  }
  if (!e.internet_lost.empty()) {
    return {Cause::local, "the gateway and the internet targets lost: " + join(e.internet_lost), {}, {}};
  }
  return {Cause::unknown, "no internet or isp target with data during the burst", {}, {}};
}

Attribution burst_of_internet_target(const Evidence& e) {
  if (!e.internet_answered.empty()) {
    return {Cause::destination, "other targets answered: " + join(e.internet_answered), {}, {}};
  }
  if (!e.gateway_lost.empty()) {
    return {Cause::local, "the gateway lost too: " + join(e.gateway_lost), {}, {}};
  }
  if (!e.has_gateway()) return {Cause::unknown, "no gateway target: local and upstream look alike", {}, {}};
  if (e.gateway_answered.empty()) {
    return {Cause::unknown, "the gateway target has no data during the burst: " + join(e.gateway_silent), {}, {}};
  }
  if (e.internet_lost.empty()) {
    return {Cause::unknown,
            "only this internet/isp target lost while the gateway answered; upstream needs two "
            "(other internet/isp targets without data: " +
                (e.internet_silent.empty() ? std::string("none") : join(e.internet_silent)) + ")",
            {}, {}};
  }
  return {Cause::upstream,
          "the gateway answered (" + join(e.gateway_answered) + ") and internet targets lost: " + join(e.internet_lost),
          {}, {}};
}

constexpr std::array kSeverity = {Cause::local, Cause::upstream, Cause::destination, Cause::unknown,
                                  Cause::gateway_only};

std::size_t severity(Cause cause) {
  return static_cast<std::size_t>(std::find(kSeverity.begin(), kSeverity.end(), cause) - kSeverity.begin());
}

}  // namespace

std::string_view to_string(Role role) {
  switch (role) {
    case Role::gateway: return "gateway";
    case Role::isp: return "isp";
    case Role::internet: return "internet";
  }
  return "internet";
}

std::optional<Role> parse_role(std::string_view text) {
  for (const Role role : {Role::gateway, Role::isp, Role::internet}) {
    if (text == to_string(role)) return role;
  }
  return std::nullopt;
}

std::string_view to_string(Cause cause) {
  switch (cause) {
    case Cause::local: return "local";
    case Cause::upstream: return "upstream";
    case Cause::destination: return "destination";
    case Cause::gateway_only: return "gateway_only";
    case Cause::unknown: return "unknown";
  }
  return "unknown";
}

Behaviour behaviour_during(std::span<const Frame> frames, std::int64_t start_ms, std::int64_t end_ms,
                           std::uint32_t frame_ms) {
  const std::int64_t first = frame_start(start_ms, frame_ms);
  const std::int64_t last = frame_start(end_ms, frame_ms);
  const std::int64_t f = std::max<std::int64_t>(frame_ms, 1);
  const auto from = std::lower_bound(frames.begin(), frames.end(), first - f,
                                     [](const Frame& frame, std::int64_t t) { return frame.t_ms < t; });
  bool replied = false;
  for (auto it = from; it != frames.end() && it->t_ms <= last + f; ++it) {
    if (it->lost > 0) return Behaviour::lost;
    if (it->t_ms >= first && it->t_ms <= last && it->recv > 0) replied = true;
  }
  return replied ? Behaviour::answered : Behaviour::no_data;
}

Attribution attribute(const Burst& burst, std::span<const TargetFrames> targets, std::uint32_t frame_ms) {
  Evidence evidence;
  Role own_role = Role::internet;
  Attribution result;
  for (const auto& target : targets) {
    if (target.name == burst.target) {
      own_role = target.role;
      continue;
    }
    const Behaviour behaviour = behaviour_during(target.frames, burst.start_ms, burst.end_ms, frame_ms);
    evidence.add(target, behaviour);
    if (behaviour == Behaviour::lost) result.lost_too.push_back(target.name);
    if (behaviour == Behaviour::answered) result.answered.push_back(target.name);
  }
  Attribution decided = own_role == Role::gateway ? burst_of_gateway(evidence) : burst_of_internet_target(evidence);
  result.cause = decided.cause;
  result.reason = std::move(decided.reason);
  return result;
}

std::vector<Incident> merge_incidents(std::span<const AttributedBurst> bursts, std::uint32_t frame_ms) {
  std::vector<const AttributedBurst*> ordered;
  for (const auto& b : bursts) ordered.push_back(&b);
  std::sort(ordered.begin(), ordered.end(),
            [](const AttributedBurst* a, const AttributedBurst* b) { return a->burst.start_ms < b->burst.start_ms; });
  std::vector<Incident> incidents;
  for (const AttributedBurst* b : ordered) {
    const bool joins = !incidents.empty() && b->burst.start_ms <= incidents.back().end_ms + std::int64_t{frame_ms};
    if (!joins) incidents.push_back(Incident{b->burst.start_ms, b->burst.end_ms, b->attribution.cause, {}, 0, {}});
    Incident& incident = incidents.back();
    incident.end_ms = std::max(incident.end_ms, b->burst.end_ms);
    incident.probes_lost += b->burst.probes_lost;
    if (severity(b->attribution.cause) < severity(incident.cause)) incident.cause = b->attribution.cause;
    auto& names = incident.targets;
    const auto at = std::lower_bound(names.begin(), names.end(), b->burst.target);
    if (at == names.end() || *at != b->burst.target) names.insert(at, b->burst.target);
  }
  return incidents;
}

}  // namespace zzping::attribution
