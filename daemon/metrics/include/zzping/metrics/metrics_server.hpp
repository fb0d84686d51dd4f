// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The /metrics HTTP server, on the daemon's Asio loop (one thread: no locks). Each
// connection gets one answer and is closed. Bounded everywhere, so a scraper (or anyone
// else who can connect) can never hold the loop or grow the daemon: request heads up to
// max_request_bytes, a deadline for the whole exchange, at most max_connections at once
// (more are closed at accept). Rendering happens on the loop, in steps (the renderer
// decides; docs/metrics.md has its measured cost).
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "zzping/metrics/exposition_writer.hpp"

namespace zzping::metrics {

struct MetricsServerConfig {
  std::string listen = "127.0.0.1:9108";  // HOST:PORT or [V6]:PORT (port 0: any free one)
  bool allow_remote = false;              // must be true for a non-loopback address
  std::size_t max_connections = 16;
  std::size_t max_request_bytes = 8 * 1024;
  std::uint32_t request_timeout_ms = 5'000;  // to receive the whole request head
  std::uint32_t response_timeout_ms = 10'000;  // to hand the whole answer to the kernel
};

// Throws std::invalid_argument naming the problem: a malformed address, or a non-loopback
// one without allow_remote.
void validate(const MetricsServerConfig& config);

struct MetricsServerStats {
  std::uint64_t scrapes = 0;       // 200 answers
  std::uint64_t errors = 0;        // 4xx/5xx answers
  std::uint64_t refused = 0;       // closed at accept (too many connections)
  std::uint64_t timed_out = 0;
  std::size_t connections = 0;
};

class MetricsServer {
 public:
  // Renders the page in the given format and hands it to the callback, at once or on a
  // later turn of the loop (never from another thread).
  using PageReady = std::function<void(std::string page)>;
  using PageRenderer = std::function<void(TextFormat, PageReady)>;

  MetricsServer(asio::io_context& io, MetricsServerConfig config, PageRenderer render);
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;
  ~MetricsServer();

  // Binds and listens; throws std::system_error naming the address.
  void start();
  // Closes the listener and every connection.
  void stop();
  asio::ip::tcp::endpoint local_endpoint() const;
  MetricsServerStats stats() const;

  struct Core;  // defined in metrics_server.cpp

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace zzping::metrics
