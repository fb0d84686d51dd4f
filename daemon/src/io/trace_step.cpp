// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/trace_step.hpp"

#include <spdlog/spdlog.h>

#include <cstring>

#include "zzping/daemon/icmp_packet.hpp"
#include "zzping/daemon/icmp_socket.hpp"
#include "zzping/daemon/probe_token.hpp"

namespace zzping::daemon {

std::optional<std::uint16_t> SocketTraceTransport::ident(Family family) const {
  const IcmpSocket* socket = sockets_.for_family(family);
  return socket == nullptr ? std::nullopt : std::optional<std::uint16_t>(socket->ident());
}

int SocketTraceTransport::send_with_hop_limit(const IpAddress& destination, std::span<const std::uint8_t> packet,
                                              std::uint8_t hop_limit) {
  const IcmpSocket* socket = sockets_.for_family(destination.family);
  if (socket == nullptr) return EAFNOSUPPORT;
  OutgoingPacket outgoing;
  if (packet.size() > outgoing.bytes.size()) return EMSGSIZE;
  std::memcpy(outgoing.bytes.data(), packet.data(), packet.size());
  outgoing.size = packet.size();
  outgoing.destination_length = destination.to_sockaddr(outgoing.destination);
  socket->send_with_hop_limit(outgoing, hop_limit);
  return outgoing.error;
}

bool TraceStep::traced(const MonitoredHost& host) {
  return host.tracer && host.address() && !host.address()->is_loopback() &&
         host.info.role != attribution::Role::gateway;
}

std::optional<PathSnapshot> TraceStep::step(MonitoredHost& host, std::int64_t now_mono_ns, std::int64_t now_wall_ns) {
  if (!traced(host)) return std::nullopt;
  const auto ident = transport_.ident(host.address()->family);
  if (!ident) return std::nullopt;
  host.tracer->on_loss_run(host.aggregator.loss_run_length(), now_mono_ns, now_wall_ns);
  const auto probe = budget_.available(now_mono_ns) ? host.tracer->take_due_probe(now_mono_ns, now_wall_ns)
                                                    : std::nullopt;
  if (probe) {
    budget_.take();
    send(host, *ident, *probe, now_wall_ns);
  }
  return host.tracer->advance(now_mono_ns);
}

void TraceStep::send(MonitoredHost& host, std::uint16_t ident, const TraceProbe& probe, std::int64_t now_wall_ns) {
  const auto token = encode_probe_token(ProbeToken{host.trace_cookie, probe.counter, now_wall_ns});
  const std::size_t size =
      build_echo_request(host.address()->family, ident, sequence_of(probe.counter), token, packet_);
  const int error = transport_.send_with_hop_limit(*host.address(), std::span(packet_.data(), size), probe.ttl);
  if (error != 0) {
    spdlog::debug("host {}: trace probe (TTL {}) not sent: {}", host.info.name, probe.ttl, std::strerror(error));
  }
}

}  // namespace zzping::daemon
