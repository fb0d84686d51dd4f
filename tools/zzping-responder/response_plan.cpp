// SPDX-License-Identifier: GPL-3.0-or-later
#include "response_plan.hpp"

namespace zzping::responder {
namespace {
constexpr double kNsPerMs = 1e6;
}

const char* to_string(Action action) {
  switch (action) {
    case Action::reply: return "reply";
    case Action::drop: return "drop";
    case Action::dup: return "dup";
    case Action::corrupt: return "corrupt";
    case Action::foreign: return "foreign";
    case Action::unreach: return "unreach";
  }
  return "?";
}

ResponsePlan::ResponsePlan(PlanSettings settings) : settings_(std::move(settings)), random_(settings_.seed) {}

bool ResponsePlan::chance(double probability) {
  if (probability <= 0.0) return false;
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_) < probability;
}

Decision ResponsePlan::decide(std::uint64_t index, std::int64_t since_first_ns) {
  Decision decision;
  double hold_ms = settings_.delay_ms;
  if (settings_.jitter_ms > 0) hold_ms += std::uniform_real_distribution<double>(0.0, settings_.jitter_ms)(random_);
  if (index % 2 == 1) hold_ms += settings_.alternate_ms;
  // Every random draw happens for every request, so one option does not shift the others.
  const bool lose = chance(settings_.loss);
  const bool unreach = chance(settings_.unreach);
  const bool corrupt = chance(settings_.corrupt);
  const bool foreign = chance(settings_.foreign);
  const bool late = chance(settings_.late);
  const bool dup = chance(settings_.dup);
  const bool reorder = chance(settings_.reorder);

  bool in_outage = false;
  for (const Outage& outage : settings_.outages) {
    const auto start = static_cast<std::int64_t>(static_cast<double>(outage.start_ms) * kNsPerMs);
    const auto end = start + static_cast<std::int64_t>(static_cast<double>(outage.length_ms) * kNsPerMs);
    if (since_first_ns >= start && since_first_ns < end) in_outage = true;
  }
  const bool in_burst = settings_.burst_every > 0 && settings_.burst_length > 0 &&
                        index % settings_.burst_every >= settings_.burst_every - settings_.burst_length;

  if (in_outage || in_burst || lose) {
    decision.action = Action::drop;
  } else if (unreach) {
    decision.action = Action::unreach;
  } else if (corrupt) {
    decision.action = Action::corrupt;
  } else if (foreign) {
    decision.action = Action::foreign;
  } else if (dup) {
    decision.action = Action::dup;
  }
  if (late) hold_ms = settings_.late_ms;
  if (reorder) hold_ms += settings_.reorder_ms;
  decision.hold_ns = static_cast<std::int64_t>(hold_ms * kNsPerMs);
  return decision;
}

}  // namespace zzping::responder
