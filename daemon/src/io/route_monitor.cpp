// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/route_monitor.hpp"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/steady_timer.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>

namespace zzping::daemon {
namespace {

// One read: the kernel sends dump answers in datagrams of at most about a page (or 32 KiB
// with large pages); a datagram cut by a too-small buffer would be lost.
constexpr std::size_t kReceiveBytes = 64 * 1024;
// Routes kept from one dump: a home router's table has a handful; a full BGP table here
// would only cost memory, so the default routes are bounded (they come first-come).
constexpr std::size_t kMaxDefaultRoutes = 256;
// After a failed request or an error answer: ask again this much later.
constexpr std::chrono::seconds kRetry{1};

std::system_error system_error(const char* what) { return {errno, std::generic_category(), what}; }

int open_socket() {
  const int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
  if (fd < 0) throw system_error("netlink socket");
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0) {
    const auto error = system_error("netlink bind");
    close(fd);
    throw error;
  }
  // Route changes of both families, and link and address changes (after which the kernel
  // may have removed IPv4 routes without a notification of their own).
  for (const unsigned group : {RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
                               RTNLGRP_IPV6_IFADDR}) {
    if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) != 0) {
      const auto error = system_error("netlink subscription");
      close(fd);
      throw error;
    }
  }
  // A burst of notifications (a link going down) must not overflow the queue; if it still
  // does, recv says ENOBUFS and the routes are dumped again.
  const int bytes = 256 * 1024;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
  return fd;
}

std::uint32_t port_id_of(int fd) {
  sockaddr_nl local{};
  socklen_t size = sizeof(local);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &size) != 0) throw system_error("netlink getsockname");
  return local.nl_pid;
}

}  // namespace

struct RouteMonitor::State {
  State(asio::io_context& io, int fd, std::uint32_t port, OnRoutes callback)
      : socket(io, fd), retry(io), on_routes(std::move(callback)), port_id(port), buffer(kReceiveBytes) {}

  asio::posix::stream_descriptor socket;
  asio::steady_timer retry;
  OnRoutes on_routes;
  std::uint32_t port_id;
  std::vector<std::uint8_t> buffer;
  std::uint32_t sequence = 0;  // of the last dump asked for
  bool dumping = false;        // a dump is under way: its answers are being collected
  bool inconsistent = false;   // this dump raced a change (NLM_F_DUMP_INTR) or lost messages
  bool stale = false;          // something changed since the last dump began: dump again
  std::vector<DefaultRoute> routes;

  void request_dump();
  void wait_readable();
  void read_all();
  void handle(const NetlinkMessage& message);
  void retry_later();
};

void RouteMonitor::State::request_dump() {
  const auto request = build_route_dump_request(++sequence);
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(socket.native_handle(), request.data(), request.size(), MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&kernel),
             sizeof(kernel)) < 0) {
    spdlog::warn("gateway auto: route dump request failed: {}; retrying in {} s", std::strerror(errno), kRetry.count());
    retry_later();
    return;
  }
  dumping = true;
  inconsistent = false;
  stale = false;
  routes.clear();
}

void RouteMonitor::State::retry_later() {
  retry.expires_after(kRetry);
  retry.async_wait([this](const std::error_code& error) {
    if (error) return;  // cancelled: the monitor is gone
    if (!dumping) request_dump();
  });
}

void RouteMonitor::State::wait_readable() {
  socket.async_wait(asio::posix::stream_descriptor::wait_read, [this](const std::error_code& error) {
    if (error) return;  // cancelled: the monitor is gone
    read_all();
    wait_readable();
  });
}

void RouteMonitor::State::read_all() {
  while (true) {
    sockaddr_nl from{};
    iovec io_vector{buffer.data(), buffer.size()};
    msghdr header{};
    header.msg_name = &from;
    header.msg_namelen = sizeof(from);
    header.msg_iov = &io_vector;
    header.msg_iovlen = 1;
    const ssize_t got = recvmsg(socket.native_handle(), &header, MSG_DONTWAIT);
    if (got < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      if (errno == EINTR) continue;
      if (errno != ENOBUFS) {
        spdlog::warn("gateway auto: reading the routing socket failed: {}", std::strerror(errno));
        break;
      }
      // Notifications were dropped (the queue overflowed). Whatever they said, a new dump sees it.
      inconsistent = inconsistent || dumping;
      stale = true;
      continue;
    }
    if (from.nl_pid != 0) continue;  // only the kernel speaks here
    if ((header.msg_flags & MSG_TRUNC) != 0) {
      inconsistent = inconsistent || dumping;
      stale = true;
      continue;
    }
    const ParsedNetlink parsed = parse_netlink(std::span(buffer.data(), static_cast<std::size_t>(got)));
    for (const NetlinkMessage& message : parsed.messages) handle(message);
    if (!parsed.error.empty()) {
      spdlog::warn("gateway auto: malformed netlink message ({}); dumping the routes again", parsed.error);
      inconsistent = inconsistent || dumping;
      stale = true;
    }
  }
  if (!dumping && stale) request_dump();
}

void RouteMonitor::State::handle(const NetlinkMessage& message) {
  const bool ours = message.port_id == port_id && message.sequence == sequence;
  if (!ours) {
    stale = true;  // a notification (or a late answer to an abandoned dump)
    return;
  }
  if (!dumping) return;
  if ((message.flags & NLM_F_DUMP_INTR) != 0) inconsistent = true;
  if (message.default_route && routes.size() < kMaxDefaultRoutes) routes.push_back(*message.default_route);
  if (message.type == NLMSG_ERROR && message.error != 0) {
    dumping = false;
    spdlog::warn("gateway auto: route dump refused: {}; retrying in {} s", std::strerror(message.error), kRetry.count());
    retry_later();
    return;
  }
  if (message.type != NLMSG_DONE) return;
  dumping = false;
  if (inconsistent || message.error != 0) {
    stale = true;  // dumped again at the end of read_all
    return;
  }
  on_routes(routes);
}

RouteMonitor::RouteMonitor(asio::io_context& io, OnRoutes on_routes) {
  const int fd = open_socket();
  std::uint32_t port = 0;
  try {
    port = port_id_of(fd);
  } catch (...) {
    close(fd);
    throw;
  }
  state_ = std::make_unique<State>(io, fd, port, std::move(on_routes));  // owns fd from here
  state_->request_dump();
  state_->wait_readable();
}

RouteMonitor::~RouteMonitor() = default;

}  // namespace zzping::daemon
