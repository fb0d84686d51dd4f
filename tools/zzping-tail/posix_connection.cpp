// SPDX-License-Identifier: GPL-3.0-or-later
#include "posix_connection.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace zzping::tail {

std::int64_t monotonic_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

namespace {

struct AddrInfoList {
  addrinfo* head = nullptr;
  ~AddrInfoList() {
    if (head) freeaddrinfo(head);
  }
};

// Nonblocking connect with a deadline; returns the fd or -1 with errno-like reason.
int connect_one(const addrinfo& ai, int timeout_ms, std::string& reason) {
  const int fd = ::socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai.ai_protocol);
  if (fd < 0) {
    reason = std::strerror(errno);
    return -1;
  }
  if (::connect(fd, ai.ai_addr, ai.ai_addrlen) == 0) return fd;
  if (errno != EINPROGRESS) {
    reason = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  pollfd p{fd, POLLOUT, 0};
  const int ready = ::poll(&p, 1, timeout_ms);
  int error = 0;
  socklen_t len = sizeof error;
  if (ready == 1) ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
  if (ready == 1 && error == 0) return fd;
  reason = ready == 0 ? "timed out after " + std::to_string(timeout_ms) + " ms"
                      : std::string(std::strerror(ready < 0 ? errno : error));
  ::close(fd);
  return -1;
}

}  // namespace

PosixConnection PosixConnection::connect(const std::string& host, std::uint16_t port,
                                         int timeout_ms) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  AddrInfoList list;
  const std::string service = std::to_string(port);
  if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &list.head); rc != 0) {
    throw std::runtime_error("cannot resolve '" + host + "': " + gai_strerror(rc));
  }
  std::string reason = "no address";
  for (const addrinfo* ai = list.head; ai != nullptr; ai = ai->ai_next) {
    const int fd = connect_one(*ai, timeout_ms, reason);
    if (fd < 0) continue;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return PosixConnection(fd);
  }
  throw std::runtime_error("cannot connect to " + host + ":" + service + ": " + reason);
}

PosixConnection::PosixConnection(PosixConnection&& other) noexcept
    : fd_(other.fd_), pending_(std::move(other.pending_)), broken_(other.broken_) {
  other.fd_ = -1;
}

PosixConnection& PosixConnection::operator=(PosixConnection&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    pending_ = std::move(other.pending_);
    broken_ = other.broken_;
    other.fd_ = -1;
  }
  return *this;
}

PosixConnection::~PosixConnection() {
  if (fd_ >= 0) ::close(fd_);
}

void PosixConnection::write_pending(stream::ClientSession& session) {
  const auto fresh = session.take_outgoing();
  pending_.insert(pending_.end(), fresh.begin(), fresh.end());
  while (!pending_.empty() && !broken_) {
    const ssize_t n = ::send(fd_, pending_.data(), pending_.size(), MSG_NOSIGNAL);
    if (n > 0) {
      pending_.erase(pending_.begin(), pending_.begin() + n);
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      return;
    } else {
      broken_ = true;
      session.connection_lost(std::strerror(errno), monotonic_ms());
    }
  }
}

void PosixConnection::exchange(stream::ClientSession& session, int wait_ms) {
  if (broken_) return;
  write_pending(session);
  if (broken_) return;
  pollfd p{fd_, static_cast<short>(POLLIN | (pending_.empty() ? 0 : POLLOUT)), 0};
  const int ready = ::poll(&p, 1, wait_ms);
  if (ready > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
    std::uint8_t buffer[64 * 1024];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n > 0) {
      session.feed(std::span(buffer, static_cast<std::size_t>(n)), monotonic_ms());
    } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      broken_ = true;
      session.connection_lost(n == 0 ? "closed by server" : std::strerror(errno), monotonic_ms());
      return;
    }
  }
  write_pending(session);
  session.tick(monotonic_ms());
}

void PosixConnection::drain(stream::ClientSession& session, int timeout_ms) {
  const std::int64_t deadline = monotonic_ms() + timeout_ms;
  write_pending(session);
  while (!pending_.empty() && !broken_ && monotonic_ms() < deadline) {
    pollfd p{fd_, POLLOUT, 0};
    ::poll(&p, 1, static_cast<int>(deadline - monotonic_ms()));
    write_pending(session);
  }
}

}  // namespace zzping::tail
