// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/icmp_socket.hpp"

#include <linux/filter.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <random>
#include <system_error>

#include <spdlog/spdlog.h>

namespace zzping::daemon {
namespace {

constexpr int kReceiveBufferBytes = 4 * 1024 * 1024;
constexpr std::uint32_t kAcceptPacket = 0xffff;

int domain_of(Family family) { return family == Family::v4 ? AF_INET : AF_INET6; }
int protocol_of(Family family) { return family == Family::v4 ? IPPROTO_ICMP : IPPROTO_ICMPV6; }
const char* name_of(Family family) { return family == Family::v4 ? "IPv4" : "IPv6"; }

void set_int_option(int fd, int level, int name, int value, const char* what) {
  if (setsockopt(fd, level, name, &value, sizeof(value)) != 0) {
    throw std::system_error(errno, std::generic_category(), what);
  }
}

void set_common_options(int fd, Family family) {
  set_int_option(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
  // Larger buffer: the replies wait here until the loop's next wake-up reads them.
  int size = kReceiveBufferBytes;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
  if (family == Family::v4) {
    // DF set and IP ID 0 (RFC 6864) on our small requests: in the default mode the kernel
    // picks a hashed, randomised IP ID for every unconnected datagram (__ip_select_ident).
    // PROBE, not DO: a send is never refused for a path MTU (a 64-byte probe fits any).
    int mode = IP_PMTUDISC_PROBE;
    if (setsockopt(fd, SOL_IP, IP_MTU_DISCOVER, &mode, sizeof(mode)) != 0) {
      spdlog::debug("socket: IP_MTU_DISCOVER refused: {}", std::strerror(errno));
    }
  }
}

// Drops every ICMP type but echo reply and the two errors we count.
void install_type_filter(int fd, Family family) {
  if (family == Family::v4) {
    icmp_filter filter{};
    filter.data = ~((1u << ICMP_ECHOREPLY) | (1u << ICMP_DEST_UNREACH) | (1u << ICMP_TIME_EXCEEDED));
    if (setsockopt(fd, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter)) != 0) {
      throw std::system_error(errno, std::generic_category(), "ICMP_FILTER");
    }
    return;
  }
  icmp6_filter filter{};
  ICMP6_FILTER_SETBLOCKALL(&filter);
  ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
  ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &filter);
  ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &filter);
  if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter)) != 0) {
    throw std::system_error(errno, std::generic_category(), "ICMP6_FILTER");
  }
}

// Echo replies must carry our identifier; errors pass (their quote is checked later).
void install_ident_filter(int fd, Family family, std::uint16_t ident) {
  const std::uint8_t reply_type = family == Family::v4 ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY;
  // IPv4 raw sockets see the IP header first: X = its length. IPv6 ones start at ICMPv6.
  const std::uint16_t x_load = family == Family::v4 ? BPF_LDX | BPF_B | BPF_MSH : BPF_LDX | BPF_IMM;
  sock_filter code[] = {
      BPF_STMT(x_load, 0),
      BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0),                  // A = ICMP type
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, reply_type, 0, 3),  // not a reply: accept
      BPF_STMT(BPF_LD | BPF_H | BPF_IND, 4),                  // A = identifier
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ident, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, 0),                           // foreign reply: drop
      BPF_STMT(BPF_RET | BPF_K, kAcceptPacket),
  };
  sock_fprog program{static_cast<unsigned short>(sizeof(code) / sizeof(code[0])), code};
  if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof(program)) != 0) {
    throw std::system_error(errno, std::generic_category(), "SO_ATTACH_FILTER");
  }
}

std::uint16_t random_ident() {
  std::random_device device;
  return static_cast<std::uint16_t>(device() & 0xffff);
}

std::uint16_t bound_port(int fd, Family family) {
  sockaddr_storage local{};
  socklen_t length = sizeof(local);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) {
    throw std::system_error(errno, std::generic_category(), "getsockname");
  }
  if (family == Family::v4) return ntohs(reinterpret_cast<sockaddr_in*>(&local)->sin_port);
  return ntohs(reinterpret_cast<sockaddr_in6*>(&local)->sin6_port);
}

int open_dgram(Family family, std::uint16_t& ident) {
  const int fd = socket(domain_of(family), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol_of(family));
  if (fd < 0) return -errno;
  try {
    set_common_options(fd, family);
    if (family == Family::v4) {
      set_int_option(fd, SOL_IP, IP_RECVERR, 1, "IP_RECVERR");
    } else {
      set_int_option(fd, SOL_IPV6, IPV6_RECVERR, 1, "IPV6_RECVERR");
    }
    // Binding to port 0 makes the kernel pick the identifier now, so we know it.
    sockaddr_storage any{};
    any.ss_family = static_cast<sa_family_t>(domain_of(family));
    const socklen_t size = family == Family::v4 ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
    if (bind(fd, reinterpret_cast<sockaddr*>(&any), size) != 0) {
      throw std::system_error(errno, std::generic_category(), "bind");
    }
    ident = bound_port(fd, family);
  } catch (...) {
    close(fd);
    throw;
  }
  return fd;
}

int open_raw(Family family, std::uint16_t& ident) {
  const int fd = socket(domain_of(family), SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol_of(family));
  if (fd < 0) return -errno;
  try {
    set_common_options(fd, family);
    ident = random_ident();
    install_type_filter(fd, family);
    install_ident_filter(fd, family, ident);
  } catch (...) {
    close(fd);
    throw;
  }
  return fd;
}

}  // namespace

const char* to_string(SocketKind kind) { return kind == SocketKind::dgram ? "datagram" : "raw"; }

IcmpSocket IcmpSocket::open(Family family, SocketMode mode, std::string& why) {
  std::uint16_t ident = 0;
  int dgram_error = 0;
  if (mode != SocketMode::raw) {
    const int fd = open_dgram(family, ident);
    if (fd >= 0) {
      why = std::string(name_of(family)) + ": unprivileged ICMP datagram socket";
      return IcmpSocket(fd, family, SocketKind::dgram, ident);
    }
    dgram_error = -fd;
    if (mode == SocketMode::dgram) {
      throw std::system_error(dgram_error, std::generic_category(),
                              std::string(name_of(family)) + " ICMP datagram socket (socket = \"dgram\")");
    }
  }
  const int fd = open_raw(family, ident);
  if (fd < 0) {
    throw std::system_error(-fd, std::generic_category(),
                            std::string(name_of(family)) +
                                " ICMP socket: datagram socket refused (" + std::strerror(dgram_error) +
                                "; see net.ipv4.ping_group_range) and raw socket refused (needs CAP_NET_RAW)");
  }
  why = std::string(name_of(family)) + ": raw ICMP socket with kernel filters";
  if (mode == SocketMode::automatic) {
    why += std::string(" (datagram socket refused: ") + std::strerror(dgram_error) +
           "; net.ipv4.ping_group_range does not include our group)";
  } else {
    why += " (socket = \"raw\")";
  }
  return IcmpSocket(fd, family, SocketKind::raw, ident);
}

IcmpSocket::IcmpSocket(IcmpSocket&& other) noexcept
    : fd_(other.fd_), family_(other.family_), kind_(other.kind_), ident_(other.ident_) {
  other.fd_ = -1;
}

IcmpSocket& IcmpSocket::operator=(IcmpSocket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    family_ = other.family_;
    kind_ = other.kind_;
    ident_ = other.ident_;
    other.fd_ = -1;
  }
  return *this;
}

IcmpSocket::~IcmpSocket() {
  if (fd_ >= 0) close(fd_);
}

// On a socket with IP_RECVERR (our datagram sockets) an ICMP error quoting an earlier probe
// (unreachable, time exceeded from a path trace) also leaves its errno pending (sk_err)
// until the receive thread drains the error queue. The next send returns that stale error
// instead of sending, and consumes it: under load a probe went missing that way. So a
// failed send is tried once more; a real failure (no route, link down) fails again.
int IcmpSocket::send_to(const IpAddress& destination, std::span<const std::uint8_t> packet) const {
  sockaddr_storage address{};
  const socklen_t length = destination.to_sockaddr(address);
  const auto send_once = [&] {
    return sendto(fd_, packet.data(), packet.size(), MSG_DONTWAIT, reinterpret_cast<const sockaddr*>(&address),
                  length) < 0
               ? errno
               : 0;
  };
  return send_once() == 0 ? 0 : send_once();
}

void IcmpSocket::send_with_hop_limit(OutgoingPacket& packet, std::uint8_t hop_limit) const {
  alignas(cmsghdr) std::array<std::uint8_t, CMSG_SPACE(sizeof(int))> control{};
  iovec iov{packet.bytes.data(), packet.size};
  msghdr message{};
  message.msg_name = &packet.destination;
  message.msg_namelen = packet.destination_length;
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  cmsghdr* header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = family_ == Family::v4 ? SOL_IP : SOL_IPV6;
  header->cmsg_type = family_ == Family::v4 ? IP_TTL : IPV6_HOPLIMIT;
  header->cmsg_len = CMSG_LEN(sizeof(int));
  const int value = hop_limit;
  std::memcpy(CMSG_DATA(header), &value, sizeof(value));
  packet.error = sendmsg(fd_, &message, MSG_DONTWAIT) < 0 ? errno : 0;
  // Tried once more, like send_to: the failure may be an earlier ICMP error's pending errno.
  if (packet.error != 0) packet.error = sendmsg(fd_, &message, MSG_DONTWAIT) < 0 ? errno : 0;
}

void IcmpSockets::open(SocketMode mode) {
  std::string first_error;
  for (const Family family : {Family::v4, Family::v6}) {
    try {
      std::string why;
      sockets_[slot_of(family)].emplace(IcmpSocket::open(family, mode, why));
      spdlog::info("socket: {}", why);
    } catch (const std::system_error& error) {
      spdlog::warn("socket: {}", error.what());
      if (first_error.empty()) first_error = error.what();
    }
  }
  if (all().empty()) {
    throw std::system_error(EPERM, std::generic_category(), "no ICMP socket could be opened: " + first_error);
  }
}

const IcmpSocket* IcmpSockets::for_family(Family family) const {
  const auto& socket = sockets_[slot_of(family)];
  return socket ? &*socket : nullptr;
}

std::vector<const IcmpSocket*> IcmpSockets::all() const {
  std::vector<const IcmpSocket*> open;
  for (const auto& socket : sockets_) {
    if (socket) open.push_back(&*socket);
  }
  return open;
}

std::optional<std::uint16_t> IcmpSockets::ident(Family family) const {
  const IcmpSocket* socket = for_family(family);
  return socket ? std::optional<std::uint16_t>(socket->ident()) : std::nullopt;
}

int IcmpSockets::send(const IpAddress& destination, std::span<const std::uint8_t> packet) {
  const IcmpSocket* socket = for_family(destination.family);
  return socket ? socket->send_to(destination, packet) : EAFNOSUPPORT;
}

}  // namespace zzping::daemon
