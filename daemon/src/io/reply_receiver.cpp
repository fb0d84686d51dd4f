// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/reply_receiver.hpp"

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

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

struct ReplyReceiver::Batch {
  std::array<std::array<std::uint8_t, kPacketBytes>, kBatch> packets;
  alignas(cmsghdr) std::array<std::array<std::uint8_t, kControlBytes>, kBatch> controls;
  std::array<sockaddr_storage, kBatch> sources;
  std::array<iovec, kBatch> iovs;
  std::array<mmsghdr, kBatch> messages;

  Batch() {
    for (std::size_t i = 0; i < kBatch; ++i) {
      iovs[i] = iovec{packets[i].data(), packets[i].size()};
      messages[i] = mmsghdr{};
      messages[i].msg_hdr.msg_name = &sources[i];
      messages[i].msg_hdr.msg_iov = &iovs[i];
      messages[i].msg_hdr.msg_iovlen = 1;
      messages[i].msg_hdr.msg_control = controls[i].data();
    }
  }
  // The kernel shrinks these to what it wrote: reset them before every recvmmsg.
  void reset_lengths() {
    for (std::size_t i = 0; i < kBatch; ++i) {
      messages[i].msg_hdr.msg_namelen = sizeof(sources[i]);
      messages[i].msg_hdr.msg_controllen = controls[i].size();
      messages[i].msg_hdr.msg_flags = 0;
    }
  }
};

ReplyReceiver::ReplyReceiver(std::vector<const IcmpSocket*> sockets, SpscRing<ReceivedReply>& ring)
    : sockets_(std::move(sockets)), ring_(ring), batch_(std::make_unique<Batch>()), sends_seen_(sockets_.size(), 0) {}

ReplyReceiver::~ReplyReceiver() = default;

void ReplyReceiver::read_pending(std::int64_t now_mono_ns) {
  const bool period_due = now_mono_ns >= next_periodic_read_ns_;
  if (period_due) next_periodic_read_ns_ = now_mono_ns + kReadPeriodNs;
  for (std::size_t i = 0; i < sockets_.size(); ++i) {
    const IcmpSocket* socket = sockets_[i];
    // A socket that sent nothing since its last read (the IPv6 one of an IPv4-only
    // configuration, say) is read once a period: one recvmmsg less per wake-up.
    if (socket->sends() == sends_seen_[i] && !period_due) continue;
    sends_seen_[i] = socket->sends();
    bool error = false;
    for (;;) {
      if (ring_.capacity() - ring_.size_approx() < kBatch) return;  // the rest waits in the kernel
      const int count = read_socket(*socket);
      if (count < 0) {
        if (error) break;
        error = true;  // reported once and cleared by the kernel: read on
        continue;
      }
      if (static_cast<std::size_t>(count) < kBatch) break;
    }
    if (socket->kind() == SocketKind::dgram && (error || period_due)) read_error_queue(*socket);
  }
}

int ReplyReceiver::read_socket(const IcmpSocket& socket) {
  Batch& batch = *batch_;
  batch.reset_lengths();
  const int count = recvmmsg(socket.fd(), batch.messages.data(), kBatch, MSG_DONTWAIT, nullptr);
  if (count < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
  const ClockPair now = read_clocks();
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) {
    msghdr& header = batch.messages[i].msg_hdr;
    const auto source = IpAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&batch.sources[i]));
    const std::span<const std::uint8_t> bytes(batch.packets[i].data(), batch.messages[i].msg_len);
    const auto icmp = parse_icmp(socket.family(), socket.delivers_ip_header(), bytes);
    if (!source || !icmp) {
      counters_.rejected.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    accept(socket, *icmp, *source, kernel_stamp_to_monotonic(kernel_stamp_of(header), now));
  }
  return count;
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
}

}  // namespace zzping::daemon
