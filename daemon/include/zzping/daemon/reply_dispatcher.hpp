// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Hands each reply the reply receiver passed on to the host whose cookie its token
// carries, and counts the replies that belong to no host (a removed host or an earlier
// run, a valid token from the wrong address, a token never sent). Loop thread only.
#include <cstdint>
#include <optional>
#include <unordered_map>

#include "zzping/daemon/frame_aggregator.hpp"
#include "zzping/daemon/ip_address.hpp"
#include "zzping/daemon/path_tracer.hpp"
#include "zzping/daemon/received_reply.hpp"

namespace zzping::daemon {

class ReplyDispatcher {
 public:
  // Where a host's replies go: its aggregator, and its current address (replies from any
  // other address are not its). Both must outlive the registration.
  struct Destination {
    FrameAggregator* aggregator = nullptr;
    const std::optional<IpAddress>* address = nullptr;
  };
  // Where a host's trace probes' answers go (its PathTracer; a cookie of its own, so they
  // never reach its frames), and the host's address (the only source of a "reached").
  struct TraceDestination {
    PathTracer* tracer = nullptr;
    const std::optional<IpAddress>* address = nullptr;
  };
  enum class Outcome : std::uint8_t { reply, icmp_error, unknown_cookie, wrong_source, unknown_token, trace };
  struct Counts {
    std::uint64_t replies = 0;         // echo replies given to their host's aggregator
    std::uint64_t icmp_errors = 0;     // errors quoting a probe of a known host
    std::uint64_t unknown_cookie = 0;  // a stale reply from an earlier run or a removed host
    std::uint64_t wrong_source = 0;    // a valid token from the wrong address: replayed or spoofed
    std::uint64_t unknown_token = 0;   // a counter never sent (corrupted) or long forgotten
    std::uint64_t trace = 0;           // answers to trace probes, given to their PathTracer
    std::uint64_t foreign() const { return unknown_cookie + wrong_source + unknown_token; }
  };

  void add(std::uint64_t cookie, Destination destination) { hosts_[cookie] = destination; }
  void remove(std::uint64_t cookie) { hosts_.erase(cookie); }
  void add_trace(std::uint64_t cookie, TraceDestination destination) { traces_[cookie] = destination; }
  void remove_trace(std::uint64_t cookie) { traces_.erase(cookie); }
  Outcome dispatch(const ReceivedReply& reply);
  const Counts& counts() const { return counts_; }

 private:
  Outcome dispatch_trace(const TraceDestination& trace, const ReceivedReply& reply);

  std::unordered_map<std::uint64_t, Destination> hosts_;
  std::unordered_map<std::uint64_t, TraceDestination> traces_;
  Counts counts_;
};

}  // namespace zzping::daemon
