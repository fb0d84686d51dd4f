// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the responder does with each echo request: a deterministic (seeded) plan.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace zzping::responder {

enum class Action : std::uint8_t { reply, drop, dup, corrupt, foreign, unreach };

const char* to_string(Action action);

struct Outage {
  std::int64_t start_ms = 0;  // after the first request
  std::int64_t length_ms = 0;
};

struct PlanSettings {
  double delay_ms = 0.0;
  double jitter_ms = 0.0;   // uniform extra delay in [0, jitter)
  double alternate_ms = 0.0;  // extra delay on every odd request (holds alternate: a known jitter)
  double loss = 0.0;        // probability of a random drop
  std::uint32_t burst_every = 0;   // with burst_length: requests i with i % every >= every - length are dropped
  std::uint32_t burst_length = 0;
  std::vector<Outage> outages;
  double dup = 0.0;
  double reorder = 0.0;     // probability of an extra reorder_ms delay (later replies overtake)
  double reorder_ms = 0.0;
  double corrupt = 0.0;     // reply with a damaged token (valid checksum) instead of the real one
  double foreign = 0.0;     // reply with another identifier instead of the real one
  double unreach = 0.0;     // ICMP destination unreachable instead of a reply
  double late = 0.0;        // hold late_ms (beyond the pinger's timeout)
  double late_ms = 0.0;
  std::uint64_t seed = 1;
};

struct Decision {
  Action action = Action::reply;
  std::int64_t hold_ns = 0;
};

class ResponsePlan {
 public:
  explicit ResponsePlan(PlanSettings settings);
  // `index`: the request's number from this source (0-based); `since_first_ns`: receive
  // time relative to the first request seen.
  Decision decide(std::uint64_t index, std::int64_t since_first_ns);

 private:
  bool chance(double probability);
  PlanSettings settings_;
  std::mt19937_64 random_;
};

}  // namespace zzping::responder
