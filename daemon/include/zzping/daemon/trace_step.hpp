// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One host's path-trace step, once per housekeeping: a loss run that just began starts a
// trace at once, a due TTL probe goes out if the budget shared by all hosts allows (at most
// one per call, from the host's family's socket with its own hop limit, never inside a batch
// of the schedule), and a finished snapshot is returned for the sinks. Loopback and gateway
// targets have no path to show. The sockets are behind TraceTransport, so the step is tested
// against a fake one (no root).
#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "zzping/common/path.hpp"
#include "zzping/daemon/monitored_host.hpp"
#include "zzping/daemon/path_tracer.hpp"

namespace zzping::daemon {

class IcmpSockets;

// The ICMP sockets as a path trace sees them.
class TraceTransport {
 public:
  virtual ~TraceTransport() = default;
  // The echo identifier of the socket for `family`; nullopt when no such socket is open.
  virtual std::optional<std::uint16_t> ident(Family family) const = 0;
  // Sends one request with this TTL / hop limit without blocking; returns 0 or the errno.
  virtual int send_with_hop_limit(const IpAddress& destination, std::span<const std::uint8_t> packet,
                                  std::uint8_t hop_limit) = 0;
};

// The daemon's sockets behind TraceTransport.
class SocketTraceTransport final : public TraceTransport {
 public:
  explicit SocketTraceTransport(const IcmpSockets& sockets) : sockets_(sockets) {}
  std::optional<std::uint16_t> ident(Family family) const override;
  int send_with_hop_limit(const IpAddress& destination, std::span<const std::uint8_t> packet,
                          std::uint8_t hop_limit) override;

 private:
  const IcmpSockets& sockets_;
};

class TraceStep {
 public:
  explicit TraceStep(TraceTransport& transport) : transport_(transport) {}

  // The host's step at `now_mono_ns` / `now_wall_ns`; the snapshot that finished, if any
  // (its hops' send times: host.tracer->hop_sent_ms()).
  std::optional<PathSnapshot> step(MonitoredHost& host, std::int64_t now_mono_ns, std::int64_t now_wall_ns);

 private:
  static bool traced(const MonitoredHost& host);
  void send(MonitoredHost& host, std::uint16_t ident, const TraceProbe& probe, std::int64_t now_wall_ns);

  TraceTransport& transport_;
  TraceProbeBudget budget_;  // all hosts' trace probes together
  std::array<std::uint8_t, 64> packet_{};  // the probe being built
};

}  // namespace zzping::daemon
