// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A blocking-with-timeout POSIX TCP transport for a sans-I/O ClientSession: moves the
// session's queued bytes to the socket and the socket's bytes to the session, with poll().
#include <cstdint>
#include <string>
#include <vector>

#include "zzping/formats/stream/client_session.hpp"

namespace zzping::tail {

std::int64_t monotonic_ms();

class PosixConnection {
 public:
  // Connects to HOST:PORT (names resolved, IPv4 or IPv6); throws std::runtime_error with a
  // one-line reason ("connection refused", "timed out after 3000 ms"...).
  static PosixConnection connect(const std::string& host, std::uint16_t port, int timeout_ms);
  PosixConnection(PosixConnection&& other) noexcept;
  PosixConnection& operator=(PosixConnection&& other) noexcept;
  PosixConnection(const PosixConnection&) = delete;
  PosixConnection& operator=(const PosixConnection&) = delete;
  ~PosixConnection();

  // One round: send what the session queued, wait up to wait_ms for input, feed it, tick.
  // A broken connection is reported to the session (connection_lost).
  void exchange(stream::ClientSession& session, int wait_ms);
  // Sends what is still queued (e.g. our Close), waiting at most timeout_ms.
  void drain(stream::ClientSession& session, int timeout_ms);

 private:
  explicit PosixConnection(int fd) : fd_(fd) {}
  void write_pending(stream::ClientSession& session);
  int fd_ = -1;
  std::vector<std::uint8_t> pending_;
  bool broken_ = false;
};

}  // namespace zzping::tail
