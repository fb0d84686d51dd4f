// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// When one host's name is looked up (again) and what is worth logging about it: the DNS
// retry state machine, fed with the results of the lookups HostResolver runs. A failed
// lookup is retried every resolve_retry_s and logged once per distinct error (a name that
// stays unresolvable for a week must not fill the log); a resolved name is looked up again
// every resolve_interval_s; a literal address never again. Pure: no clock, no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zzping/daemon/ip_address.hpp"

namespace zzping::daemon {

struct ResolveTiming {
  std::int64_t retry_ns = 5'000'000'000;       // after a failure
  std::int64_t interval_ns = 300'000'000'000;  // after a success (names only)
};

// A line for the host's log; the caller adds "host NAME: ".
struct ResolveLog {
  enum class Level : std::uint8_t { info, warn, error };
  Level level = Level::info;
  std::string text;
};

class ResolveState {
 public:
  // Whether a lookup should start now (none is running).
  bool due(std::int64_t now_ns) const { return now_ns >= next_ns_; }
  // The lookup could not even be started (e.g. glibc refused the request).
  ResolveLog on_start_failed(std::int64_t now_ns, const ResolveTiming& timing);

  struct Outcome {
    std::optional<IpAddress> new_address;  // set when the address changed (or is the first)
    std::vector<ResolveLog> logs;
  };
  // A finished lookup: `address` or `error`; `literal` names never need resolving again.
  Outcome on_result(const std::optional<IpAddress>& address, const std::string& error, bool literal,
                    std::int64_t now_ns, const ResolveTiming& timing);

  const std::optional<IpAddress>& address() const { return address_; }
  std::uint64_t failures() const { return failures_; }
  std::int64_t next_ns() const { return next_ns_; }

 private:
  std::optional<IpAddress> address_;
  std::int64_t next_ns_ = 0;
  std::string last_error_;  // the error logged last ("" after a success)
  std::uint64_t failures_ = 0;  // since the last success
};

}  // namespace zzping::daemon
