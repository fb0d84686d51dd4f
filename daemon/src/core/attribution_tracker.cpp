// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/attribution_tracker.hpp"

#include <algorithm>
#include <stdexcept>

#include "zzping/daemon/ip_address.hpp"

namespace zzping::daemon {
namespace {

// Beyond timeout + 4 frames, frames are kept only for a pending burst or an open loss run;
// this much more covers the housekeeping period and wall-clock jitter between hosts.
constexpr std::int64_t kSteadySlackMs = 1000;

Frame witness(std::int64_t t_ms, std::uint32_t length_ms, bool lost) {
  Frame frame;
  frame.t_ms = t_ms;
  frame.length_ms = length_ms;
  frame.sent = 1;
  frame.lost = lost ? 1 : 0;
  frame.recv = lost ? 0 : 1;
  return frame;
}

// A loopback target (127.0.0.0/8, ::1) never leaves this machine: it answers while the
// link, the Wi-Fi or the router is down, so it is no evidence about the network; and when
// it loses, the machine itself (overload, a stalled daemon) is the cause.
bool is_loopback(const std::string& address) {
  const auto ip = IpAddress::parse(address);
  return ip && ip->is_loopback();
}

}  // namespace

AttributionTracker::AttributionTracker(AttributionSettings settings) : settings_(settings) {
  if (settings_.frame_ms == 0) throw std::invalid_argument("frame length must be > 0");
}

std::size_t AttributionTracker::runs_held() const {
  std::size_t runs = 0;
  for (const auto& [name, track] : hosts_) runs += track.runs.size();
  return runs;
}

std::int64_t AttributionTracker::frame_of(std::int64_t t_ms) const {
  const std::int64_t f = settings_.frame_ms;
  const std::int64_t q = t_ms / f;
  return (t_ms % f < 0 ? q - 1 : q) * f;
}

std::int64_t AttributionTracker::window_first(const attribution::Burst& burst) const {
  return frame_of(burst.start_ms) - settings_.frame_ms;
}

std::int64_t AttributionTracker::final_point(const attribution::Burst& burst) const {
  return frame_of(burst.end_ms) + 2 * std::int64_t{settings_.frame_ms};
}

std::int64_t AttributionTracker::deadline(std::int64_t point_ms) const {
  return point_ms + settings_.timeout_ms + 2 * std::int64_t{settings_.frame_ms};
}

void AttributionTracker::add_host(const HostInfo& host, std::int64_t now_ms) {
  Track& track = hosts_[host.name];
  track.info = host;
  track.added_ms = now_ms;
  track.removed_ms.reset();  // re-added by a reload: the same series of frames goes on
}

void AttributionTracker::set_role(const std::string& name, attribution::Role role) {
  const auto it = hosts_.find(name);
  if (it != hosts_.end()) it->second.info.role = role;
}

void AttributionTracker::on_frame(const HostInfo& host, const Frame& frame) {
  auto [it, fresh] = hosts_.try_emplace(host.name);
  Track& track = it->second;
  if (fresh) {
    track.info = host;
    track.added_ms = frame.t_ms;
  }
  // Added before its name resolved, or re-resolved since: the address decides is_loopback.
  if (track.info.address != host.address) track.info.address = host.address;
  track.final_through_ms = std::max(track.final_through_ms, frame.t_ms + std::int64_t{frame.length_ms});
  if (frame.lost > 0) {
    // With a reply in the frame too, any earlier run has ended; a new one may have begun here.
    if (frame.recv > 0 || !track.loss_open_since_ms) track.loss_open_since_ms = frame.t_ms;
  } else if (frame.recv > 0) {
    track.loss_open_since_ms.reset();
  }
  if (frame.lost == 0 && frame.recv == 0) return;  // nothing sent in it: no evidence either way
  const Kind kind = frame.lost > 0 ? Kind::lost : Kind::answered;
  if (!track.runs.empty() && track.runs.back().kind == kind &&
      track.runs.back().last_ms + std::int64_t{settings_.frame_ms} == frame.t_ms) {
    track.runs.back().last_ms = frame.t_ms;
  } else {
    track.runs.push_back(Run{frame.t_ms, frame.t_ms, kind});
    if (track.runs.size() > kMaxRunsPerHost) track.runs.pop_front();
  }
}

void AttributionTracker::on_event(const HostInfo& host, const LossEvent& event) {
  auto [it, fresh] = hosts_.try_emplace(host.name);
  if (fresh) it->second.added_ms = event.start_ms;
  const attribution::Role role = fresh ? host.role : it->second.info.role;
  it->second.info = host;  // the address may have changed since it was added
  it->second.info.role = role;
  pending_.push_back(Pending{host, attribution::Burst{host.name, event.start_ms, event.end_ms, event.probes_lost}});
}

void AttributionTracker::remove_host(const std::string& name, std::int64_t now_ms) {
  const auto it = hosts_.find(name);
  if (it != hosts_.end()) it->second.removed_ms = now_ms;
}

bool AttributionTracker::final_everywhere(std::int64_t point_ms, std::int64_t now_ms) const {
  if (now_ms >= deadline(point_ms)) return true;
  return std::all_of(hosts_.begin(), hosts_.end(), [point_ms](const auto& entry) {
    const Track& t = entry.second;
    return t.removed_ms.has_value() || t.final_through_ms >= point_ms || t.added_ms > point_ms;
  });
}

bool AttributionTracker::loss_began_during(std::int64_t from_ms, std::int64_t to_ms, std::int64_t point_ms,
                                           std::int64_t now_ms) const {
  if (now_ms >= point_ms + kIncidentHoldMs) return false;
  return std::any_of(hosts_.begin(), hosts_.end(), [from_ms, to_ms](const auto& entry) {
    const Track& t = entry.second;
    return !t.removed_ms && t.loss_open_since_ms && *t.loss_open_since_ms >= from_ms && *t.loss_open_since_ms <= to_ms;
  });
}

// The frames of `track` between two frame starts, reduced to witnesses: for each run, its
// first frame in the window and, for an answered run, its first frame inside the burst.
// attribution::behaviour_during() asks only "a loss in the window?" and "a reply inside
// the burst?", which these frames answer exactly as the full series would.
std::vector<Frame> AttributionTracker::witnesses(const Track& track, std::int64_t first_ms,
                                                 std::int64_t last_ms) const {
  const std::int64_t f = settings_.frame_ms;
  const std::int64_t inner_first = first_ms + f;  // the burst's own frames
  const std::int64_t inner_last = last_ms - f;
  std::vector<Frame> frames;
  for (const Run& run : track.runs) {
    const std::int64_t from = std::max(run.first_ms, first_ms);
    const std::int64_t to = std::min(run.last_ms, last_ms);
    if (from > to) continue;
    frames.push_back(witness(from, settings_.frame_ms, run.kind == Kind::lost));
    const std::int64_t inside = std::max(run.first_ms, inner_first);
    if (run.kind == Kind::answered && inside > from && inside <= std::min(run.last_ms, inner_last)) {
      frames.push_back(witness(inside, settings_.frame_ms, false));
    }
  }
  return frames;
}

AttributionOutput::Burst AttributionTracker::attribute(const Pending& pending) const {
  const std::int64_t first = window_first(pending.burst);
  const std::int64_t point = final_point(pending.burst);
  std::vector<std::vector<Frame>> frames;
  std::vector<attribution::TargetFrames> targets;
  frames.reserve(hosts_.size());
  targets.reserve(hosts_.size());
  HostInfo host = pending.host;
  if (is_loopback(host.address)) {
    attribution::Attribution local{attribution::Cause::local,
                                   "loopback target: the loss is on this machine itself", {}, {}};
    return AttributionOutput::Burst{std::move(host), {pending.burst, std::move(local)}};
  }
  for (const auto& [name, track] : hosts_) {
    if (name == pending.burst.target) host.role = track.info.role;  // a reload may have changed it
    if (name != pending.burst.target && is_loopback(track.info.address)) continue;
    const bool there = track.added_ms <= point && !(track.removed_ms && *track.removed_ms < first);
    if (!there && name != pending.burst.target) continue;
    frames.push_back(witnesses(track, first, point - settings_.frame_ms));
    targets.push_back(attribution::TargetFrames{name, track.info.role, frames.back()});
  }
  attribution::AttributedBurst result{pending.burst, attribution::attribute(pending.burst, targets, settings_.frame_ms)};
  return AttributionOutput::Burst{std::move(host), std::move(result)};
}

void AttributionTracker::attribute_ready(std::int64_t now_ms, AttributionOutput& out) {
  // In the order the bursts were reported (which is the order they ended, per host).
  std::vector<Pending> waiting;
  for (auto& pending : pending_) {
    if (!final_everywhere(final_point(pending.burst), now_ms)) {
      waiting.push_back(std::move(pending));
      continue;
    }
    out.bursts.push_back(attribute(pending));
    attributed_.push_back(out.bursts.back().burst);
  }
  pending_ = std::move(waiting);
}

void AttributionTracker::emit_closed_incidents(std::int64_t now_ms, AttributionOutput& out) {
  if (attributed_.empty()) return;
  const std::int64_t f = settings_.frame_ms;
  std::vector<attribution::Incident> incidents = attribution::merge_incidents(attributed_, settings_.frame_ms);
  std::int64_t closed_until = INT64_MIN;  // bursts starting at or before this are emitted
  for (auto& incident : incidents) {
    const std::int64_t join_limit = incident.end_ms + f;  // a burst starting by then would join
    const std::int64_t point = frame_of(join_limit) + f;
    const bool pending_joins = std::any_of(pending_.begin(), pending_.end(),
                                           [&](const Pending& p) { return p.burst.start_ms <= join_limit; });
    // A target that started losing during the incident (not one that was down before it:
    // that one would hold every incident) will report a burst that joins it.
    const bool loss_going_on = loss_began_during(frame_of(incident.start_ms) - f, join_limit, point, now_ms);
    if (pending_joins || !final_everywhere(point, now_ms) || loss_going_on) break;
    closed_until = incident.end_ms;
    out.incidents.push_back(std::move(incident));
  }
  if (closed_until == INT64_MIN) return;
  std::erase_if(attributed_,
                [closed_until](const attribution::AttributedBurst& b) { return b.burst.start_ms <= closed_until; });
}

void AttributionTracker::forget(std::int64_t now_ms) {
  const std::int64_t f = settings_.frame_ms;
  std::int64_t horizon = now_ms - settings_.timeout_ms - 4 * f - kSteadySlackMs;
  for (const auto& pending : pending_) horizon = std::min(horizon, window_first(pending.burst));
  for (const auto& [name, track] : hosts_) {
    if (!track.removed_ms && track.loss_open_since_ms) horizon = std::min(horizon, *track.loss_open_since_ms - f);
  }
  horizon = std::max(horizon, now_ms - kRetentionMs);
  for (auto it = hosts_.begin(); it != hosts_.end();) {
    Track& track = it->second;
    while (!track.runs.empty() && track.runs.front().last_ms < horizon) track.runs.pop_front();
    if (track.removed_ms && *track.removed_ms < horizon) {
      it = hosts_.erase(it);
    } else {
      ++it;
    }
  }
}

void AttributionTracker::advance(std::int64_t now_ms, AttributionOutput& out) {
  attribute_ready(now_ms, out);
  emit_closed_incidents(now_ms, out);
  forget(now_ms);
}

void AttributionTracker::finish(AttributionOutput& out) {
  for (const auto& pending : pending_) {
    out.bursts.push_back(attribute(pending));
    attributed_.push_back(out.bursts.back().burst);
  }
  pending_.clear();
  for (auto& incident : attribution::merge_incidents(attributed_, settings_.frame_ms)) {
    out.incidents.push_back(std::move(incident));
  }
  attributed_.clear();
}

}  // namespace zzping::daemon
