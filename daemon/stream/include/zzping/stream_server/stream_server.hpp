// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The live stream server of zzpingd, on the daemon's Asio loop (docs/protocol.md).
//
// Everything runs on the io_context's thread: publish_* must be called from it. Publishing
// costs a message encoding once per frame plus a copy per client; a client never makes the
// loop wait: its queue is bounded (high-water mark), a client that stops reading is cut
// off after stall_timeout_ms, one that falls behind the backfill memory is cut off too.
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zzping/common/frame.hpp"
#include "zzping/formats/stream/link.hpp"
#include "zzping/formats/stream/messages.hpp"
#include "zzping/stream_server/host_log.hpp"

namespace zzping::stream {

struct StreamServerConfig {
  std::vector<std::string> listen = {"127.0.0.1:7878"};  // HOST:PORT or [V6]:PORT each
  std::optional<std::string> token;  // required when any listen address is not loopback
  std::size_t max_clients = 256;
  std::size_t high_water_bytes = 256 * 1024;  // per-client queue bound (plus one block)
  std::uint32_t stall_timeout_ms = 30'000;    // no write progress for this long: cut off
  int socket_send_buffer_bytes = 0;           // SO_SNDBUF per client; 0: the kernel's default
  std::uint32_t tick_ms = 200;                // heartbeat / timeout resolution
  LinkTiming timing;
  LogLimits log_limits;
  // The daemon's data directory: a backfill older than the memory reads the hosts' raw
  // hour files from here (empty: memory only).
  std::filesystem::path data_dir;
  std::string software = "zzpingd";
};

// Throws std::invalid_argument if a listen address is malformed, or not loopback while no
// token is set.
void validate(const StreamServerConfig& config);

struct StreamServerStats {
  std::size_t clients = 0;
  std::uint64_t accepted = 0;
  std::uint64_t refused = 0;      // over max_clients, bad hello, wrong token
  std::uint64_t cut_slow = 0;     // stalled or lagged
  std::uint64_t protocol_errors = 0;
  std::size_t peak_client_queue_bytes = 0;  // largest queue any client ever had
  std::size_t log_bytes = 0;                // backfill memory of all hosts
};

class StreamServer {
 public:
  StreamServer(asio::io_context& io, StreamServerConfig config);
  StreamServer(const StreamServer&) = delete;
  StreamServer& operator=(const StreamServer&) = delete;
  ~StreamServer();

  // Binds and listens on every address; throws std::system_error naming the address.
  void start();
  // Closes the listeners and every connection (without waiting for queues to drain).
  void stop();
  // The daemon is going away: stops accepting and ends every connection with
  // close{reason} once what is queued for it (and the close) is written.
  void shutdown(const std::string& reason);
  std::vector<asio::ip::tcp::endpoint> local_endpoints() const;
  // The token new connections must present (existing ones keep theirs). Throws
  // std::invalid_argument, keeping the old token, if a listen address is not loopback and
  // the new token is empty.
  void set_token(std::optional<std::string> token);

  // Adds a host or updates its description; clients get the new host list.
  void publish_host(const HostInfo& host);
  void remove_host(std::string_view name);
  void publish_frame(std::string_view host, const Frame& frame);
  void publish_event(std::string_view host, const LossEvent& event);
  // A burst with its cause (1.2): into the host's log like any event.
  void publish_event(std::string_view host, EventMessage event);
  // To clients of minor >= 2: an incident to every client live on one of its targets, a path
  // to clients live on its host; kept (EvidenceLog) for the backfills of later clients.
  void publish_incident(const attribution::Incident& incident);
  void publish_path(std::string_view host, const PathSnapshot& path);
  void publish_status(const HostStatus& status);

  StreamServerStats stats() const;

  // Implementation types (defined in stream_server.cpp only).
  struct Core;
  class Connection;

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace zzping::stream
