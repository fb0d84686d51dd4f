// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One ICMP socket per address family: unprivileged datagram ("ping") socket first, raw
// socket (CAP_NET_RAW) as fallback. Raw sockets get kernel filters (ICMP type filter and a
// BPF program on our identifier) so foreign ICMP traffic never reaches user space.
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "zzping/daemon/config.hpp"
#include "zzping/daemon/icmp_packet.hpp"
#include "zzping/daemon/ip_address.hpp"
#include "zzping/daemon/probe_sender.hpp"

namespace zzping::daemon {

enum class SocketKind : std::uint8_t { dgram, raw };

// One path-trace request ready to go: destination and bytes in fixed storage.
struct OutgoingPacket {
  static constexpr std::size_t kMaxBytes = 64;
  sockaddr_storage destination{};
  socklen_t destination_length = 0;
  std::array<std::uint8_t, kMaxBytes> bytes{};
  std::size_t size = 0;
  int error = 0;  // set by send_with_hop_limit: 0 or the errno
};

class IcmpSocket {
 public:
  // Opens a socket for `family` following `mode`; `why` receives a human sentence saying
  // which kind was chosen and why (for the log). Throws std::system_error if none opens.
  static IcmpSocket open(Family family, SocketMode mode, std::string& why);

  IcmpSocket(IcmpSocket&& other) noexcept;
  IcmpSocket& operator=(IcmpSocket&& other) noexcept;
  IcmpSocket(const IcmpSocket&) = delete;
  IcmpSocket& operator=(const IcmpSocket&) = delete;
  ~IcmpSocket();

  int fd() const { return fd_; }
  Family family() const { return family_; }
  SocketKind kind() const { return kind_; }
  // The echo identifier: chosen by us for raw sockets, by the kernel (the socket's local
  // "port") for datagram sockets, which rewrite it on send and filter on it on receive.
  std::uint16_t ident() const { return ident_; }
  bool delivers_ip_header() const { return kind_ == SocketKind::raw && family_ == Family::v4; }

  // Sends without blocking; returns 0 or the errno.
  int send_to(const IpAddress& destination, std::span<const std::uint8_t> packet) const;
  // Sends one packet with this IP TTL / IPv6 hop limit (ancillary data: the socket's own
  // setting, used by every other probe, is untouched). Path traces; sets packet.error.
  void send_with_hop_limit(OutgoingPacket& packet, std::uint8_t hop_limit) const;

 private:
  IcmpSocket(int fd, Family family, SocketKind kind, std::uint16_t ident)
      : fd_(fd), family_(family), kind_(kind), ident_(ident) {}
  int fd_ = -1;
  Family family_ = Family::v4;
  SocketKind kind_ = SocketKind::dgram;
  std::uint16_t ident_ = 0;
};

const char* to_string(SocketKind kind);

// The daemon's sockets, at most one per family, as the probe sender's transport.
class IcmpSockets final : public ProbeTransport {
 public:
  // Opens what `mode` allows for each family and logs the choice; throws std::system_error
  // if no family can be used.
  void open(SocketMode mode);
  const IcmpSocket* for_family(Family family) const;
  std::vector<const IcmpSocket*> all() const;

  std::optional<std::uint16_t> ident(Family family) const override;
  int send(const IpAddress& destination, std::span<const std::uint8_t> packet) override;

 private:
  static std::size_t slot_of(Family family) { return family == Family::v4 ? 0 : 1; }
  std::optional<IcmpSocket> sockets_[2];
};

}  // namespace zzping::daemon
