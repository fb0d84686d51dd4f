// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/reply_receiver.hpp"

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "zzping/daemon/clock.hpp"
#include "zzping/daemon/probe_token.hpp"

namespace zzping::daemon {
namespace {

constexpr std::size_t kBatch = 32;
constexpr std::size_t kPacketBytes = 1500;
constexpr std::size_t kControlBytes = 256;

std::int64_t kernel_stamp_of(msghdr& header) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&header); c != nullptr; c = CMSG_NXTHDR(&header, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      timespec ts{};
      std::memcpy(&ts, CMSG_DATA(c), sizeof(ts));
      return static_cast<std::int64_t>(ts.tv_sec) * kNsPerS + ts.tv_nsec;
    }
  }
  return 0;
}

// The ICMP error behind a datagram-socket error queue entry, if it came from the network,
// and the router that sent it (SO_EE_OFFENDER; msg_name holds the probe's destination).
struct QueuedError {
  IcmpKind kind = IcmpKind::dest_unreachable;
  std::optional<IpAddress> offender;
};

std::optional<QueuedError> queued_error(msghdr& header, Family family) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&header); c != nullptr; c = CMSG_NXTHDR(&header, c)) {
    const bool v4 = c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR;
    const bool v6 = c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR;
    if (!v4 && !v6) continue;
    const auto* raw = reinterpret_cast<const sock_extended_err*>(CMSG_DATA(c));
    sock_extended_err error{};
    std::memcpy(&error, raw, sizeof(error));
    std::optional<IcmpKind> kind;
    if (family == Family::v4 && error.ee_origin == SO_EE_ORIGIN_ICMP) {
      if (error.ee_type == 3) kind = IcmpKind::dest_unreachable;
      if (error.ee_type == 11) kind = IcmpKind::time_exceeded;
    }
    if (family == Family::v6 && error.ee_origin == SO_EE_ORIGIN_ICMP6) {
      if (error.ee_type == 1) kind = IcmpKind::dest_unreachable;
      if (error.ee_type == 3) kind = IcmpKind::time_exceeded;
    }
    if (!kind) return std::nullopt;
    return QueuedError{*kind, IpAddress::from_sockaddr(SO_EE_OFFENDER(raw))};
  }
  return std::nullopt;
}

}  // namespace

ReplyReceiver::ReplyReceiver(std::vector<const IcmpSocket*> sockets, SpscRing<ReceivedReply>& ring,
                             std::function<void()> request_drain)
    : sockets_(std::move(sockets)), ring_(ring), request_drain_(std::move(request_drain)) {
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
}

ReplyReceiver::~ReplyReceiver() {
  stop();
  close(wake_fd_);
}

void ReplyReceiver::start() { thread_ = std::thread([this] { run(); }); }

void ReplyReceiver::stop() {
  if (!thread_.joinable()) return;
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = write(wake_fd_, &one, sizeof(one));
  thread_.join();
}

void ReplyReceiver::run() {
  std::vector<pollfd> fds;
  for (const IcmpSocket* socket : sockets_) fds.push_back(pollfd{socket->fd(), POLLIN, 0});
  fds.push_back(pollfd{wake_fd_, POLLIN, 0});
  for (;;) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds.back().revents != 0) return;
    if (!sleep_unless_stopped(kBurstWaitNs)) return;
    for (std::size_t i = 0; i < sockets_.size(); ++i) {
      if ((fds[i].revents & POLLERR) != 0) read_error_queue(*sockets_[i]);
      if ((fds[i].revents & POLLIN) != 0) {
        while (read_socket(*sockets_[i]) == kBatch) {
        }
      }
    }
  }
}

bool ReplyReceiver::sleep_unless_stopped(std::int64_t ns) const {
  pollfd wake{wake_fd_, POLLIN, 0};
  const timespec wait{static_cast<time_t>(ns / kNsPerS), static_cast<long>(ns % kNsPerS)};
  return ppoll(&wake, 1, &wait, nullptr) == 0 || wake.revents == 0;
}

std::size_t ReplyReceiver::read_socket(const IcmpSocket& socket) {
  std::array<std::array<std::uint8_t, kPacketBytes>, kBatch> packets;
  std::array<std::array<std::uint8_t, kControlBytes>, kBatch> controls;
  std::array<sockaddr_storage, kBatch> sources;
  std::array<iovec, kBatch> iovs;
  std::array<mmsghdr, kBatch> messages{};
  for (std::size_t i = 0; i < kBatch; ++i) {
    iovs[i] = iovec{packets[i].data(), packets[i].size()};
    messages[i].msg_hdr.msg_name = &sources[i];
    messages[i].msg_hdr.msg_namelen = sizeof(sources[i]);
    messages[i].msg_hdr.msg_iov = &iovs[i];
    messages[i].msg_hdr.msg_iovlen = 1;
    messages[i].msg_hdr.msg_control = controls[i].data();
    messages[i].msg_hdr.msg_controllen = controls[i].size();
  }
  const int count = recvmmsg(socket.fd(), messages.data(), kBatch, MSG_DONTWAIT, nullptr);
  if (count <= 0) return 0;
  const ClockPair now = read_clocks();
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) {
    msghdr& header = messages[i].msg_hdr;
    const auto source = IpAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&sources[i]));
    const std::span<const std::uint8_t> bytes(packets[i].data(), messages[i].msg_len);
    const auto icmp = parse_icmp(socket.family(), socket.delivers_ip_header(), bytes);
    if (!source || !icmp) {
      counters_.rejected.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    accept(socket, *icmp, *source, kernel_stamp_to_monotonic(kernel_stamp_of(header), now));
  }
  return static_cast<std::size_t>(count);
}

void ReplyReceiver::read_error_queue(const IcmpSocket& socket) {
  for (;;) {
    std::array<std::uint8_t, kPacketBytes> packet;
    std::array<std::uint8_t, kControlBytes> control;
    sockaddr_storage destination{};  // the probe's (the router is in SO_EE_OFFENDER)
    iovec iov{packet.data(), packet.size()};
    msghdr header{};
    header.msg_name = &destination;
    header.msg_namelen = sizeof(destination);
    header.msg_iov = &iov;
    header.msg_iovlen = 1;
    header.msg_control = control.data();
    header.msg_controllen = control.size();
    const ssize_t size = recvmsg(socket.fd(), &header, MSG_ERRQUEUE | MSG_DONTWAIT);
    if (size < 0) return;
    const ClockPair now = read_clocks();
    const auto error = queued_error(header, socket.family());
    // The queue returns our own request (identifier as the kernel rewrote it).
    auto request = parse_echo_request(socket.family(), {packet.data(), static_cast<std::size_t>(size)});
    if (!error || !error->offender || !request) {
      counters_.rejected.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    request->kind = error->kind;
    accept(socket, *request, *error->offender, kernel_stamp_to_monotonic(kernel_stamp_of(header), now));
  }
}

void ReplyReceiver::accept(const IcmpSocket& socket, const ParsedIcmp& icmp, const IpAddress& source,
                           std::int64_t receive_mono_ns) {
  const auto token = decode_probe_token(icmp.payload);
  const bool ours = token && icmp.ident == socket.ident() && icmp.seq == sequence_of(token->counter);
  if (!ours) {
    counters_.rejected.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  ReceivedReply reply;
  reply.source = source;
  reply.cookie = token->cookie;
  reply.counter = token->counter;
  reply.receive_mono_ns = receive_mono_ns;
  reply.kind = icmp.kind;
  if (!ring_.try_push(reply)) {
    counters_.ring_full.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  counters_.accepted.fetch_add(1, std::memory_order_relaxed);
  if (ring_.size_approx() == ring_.capacity() / 2 && request_drain_) request_drain_();
}

}  // namespace zzping::daemon
