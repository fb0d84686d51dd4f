// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/stream_server/stream_server.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>

#include <array>
#include <asio/ip/v6_only.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <chrono>
#include <map>
#include <system_error>

#include "zzping/formats/stream/server_session.hpp"
#include "zzping/stream_server/feed.hpp"
#include "zzping/daemon/listen_address.hpp"

namespace zzping::stream {

using asio::ip::tcp;

namespace {

std::int64_t monotonic_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

tcp::endpoint to_endpoint(const std::string& text) {
  daemon::HostPort address;
  try {
    address = daemon::parse_listen_address(text);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(std::string("stream listen address ") + error.what());
  }
  return tcp::endpoint(asio::ip::make_address(address.host), address.port);
}

std::string describe(const tcp::socket& socket) {
  std::error_code ec;
  const auto ep = socket.remote_endpoint(ec);
  if (ec) return "client ?";
  const auto a = ep.address();
  return "client " + (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" +
         std::to_string(ep.port());
}

}  // namespace

void validate(const StreamServerConfig& config) {
  if (config.listen.empty()) throw std::invalid_argument("stream: no listen address");
  for (const auto& text : config.listen) {
    const tcp::endpoint ep = to_endpoint(text);
    if (!ep.address().is_loopback() && !(config.token && !config.token->empty())) {
      throw std::invalid_argument("stream: listening on non-loopback address '" + text +
                                  "' requires a token");
    }
  }
  if (config.high_water_bytes == 0) throw std::invalid_argument("stream: high_water_bytes is 0");
}

struct StreamServer::Core {
  Core(asio::io_context& io_context, StreamServerConfig cfg)
      : io(io_context), config(std::move(cfg)), timer(io_context), evidence(config.log_limits.retention_ms) {}
  asio::io_context& io;
  StreamServerConfig config;
  std::vector<tcp::acceptor> acceptors;
  asio::steady_timer timer;
  HostLogs logs;
  EvidenceLog evidence;  // recent incidents and paths, for backfills
  std::map<std::string, HostInfo, std::less<>> hosts;
  std::map<std::uint64_t, std::shared_ptr<Connection>> connections;
  std::uint64_t next_connection_id = 1;
  bool running = false;
  StreamServerStats stats;

  std::vector<HostInfo> host_list() const {
    std::vector<HostInfo> out;
    for (const auto& [name, info] : hosts) out.push_back(info);
    return out;
  }
};

class StreamServer::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(std::shared_ptr<Core> core, tcp::socket socket, std::uint64_t id)
      : core_(std::move(core)), socket_(std::move(socket)), id_(id), peer_(describe(socket_)),
        session_(session_config(*core_), monotonic_ms()) {}

  void start() {
    spdlog::info("stream: {} connected", peer_);
    read();
    flush();
  }

  // New data in the logs, or room in the queue: send what fits.
  void pump() {
    if (!feed_ || session_.closed()) return;
    const auto result = feed_->pump(core_->logs, session_, core_->config.high_water_bytes,
                                    monotonic_ms());
    note_queue_size();
    if (result == Feed::PumpResult::Lagged) {
      ++core_->stats.cut_slow;
      cut_off(feed_->lag_description());
      return;
    }
    if (result == Feed::PumpResult::Yielded) pump_again_soon();
    flush();
  }

  void send_status(std::string_view host, std::span<const std::uint8_t> encoded) {
    if (!feed_ || !feed_->is_live_for(host)) return;
    if (queued_bytes() >= core_->config.high_water_bytes) return;  // the next one supersedes it
    session_.send_encoded(encoded, monotonic_ms());
    note_queue_size();
    flush();
  }

  // A rare live-only message (incident, path) for clients live on any of `hosts`; not
  // dropped above the high-water mark (a few hundred bytes, a few per hour).
  // An incident is noted in the feed: a target still in backfill must not send it again.
  template <typename Send>
  void send_live(const std::vector<std::string>& hosts, Send send, const attribution::Incident* incident = nullptr) {
    if (!feed_ || session_.closed()) return;
    const bool live = std::any_of(hosts.begin(), hosts.end(), [&](const std::string& h) { return feed_->is_live_for(h); });
    if (!live) return;
    if (incident != nullptr) feed_->note_live(*incident);
    send(session_, monotonic_ms());
    note_queue_size();
    flush();
  }

  void send_hosts() {
    if (!accepted_) return;
    session_.send_hosts(core_->host_list(), monotonic_ms());
    flush();
  }

  // The server is shutting down: the client learns it is not a network failure.
  void say_goodbye(const std::string& reason) {
    if (finished_) return;
    session_.close(reason, monotonic_ms());
    handle_events();
    flush();
  }

  void host_added(const std::string& name) {
    if (feed_) feed_->add_host_if_all(name, core_->logs);
  }

  void host_removed(std::string_view name) {
    if (feed_) feed_->remove_host(name);
  }

  void tick(std::int64_t now) {
    session_.tick(now);
    handle_events();
    if (writing_ && now - last_write_progress_ms_ > core_->config.stall_timeout_ms) {
      ++core_->stats.cut_slow;
      cut_off("stalled: no bytes taken for " + std::to_string(now - last_write_progress_ms_) +
              " ms with " + std::to_string(queued_bytes()) + " bytes queued");
      return;
    }
    flush();
  }

  // Immediate close, nothing more is sent (the peer is not reading anyway).
  void cut_off(const std::string& reason) {
    spdlog::warn("stream: {} cut off: {}", peer_, reason);
    finish();
  }

  void finish() {
    if (finished_) return;
    finished_ = true;
    std::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    core_->connections.erase(id_);  // may destroy *this once handlers let go
  }

  std::size_t queued_bytes() const {
    return session_.outgoing_bytes() + (write_buffer_.size() - write_offset_);
  }

 private:
  static ServerSessionConfig session_config(const Core& core) {
    ServerSessionConfig c;
    c.software = core.config.software;
    c.token = core.config.token;
    c.timing = core.config.timing;
    return c;
  }

  void note_queue_size() {
    core_->stats.peak_client_queue_bytes =
        std::max(core_->stats.peak_client_queue_bytes, queued_bytes());
  }

  void read() {
    socket_.async_read_some(asio::buffer(read_buffer_),
                            [self = shared_from_this()](std::error_code ec, std::size_t n) {
                              self->on_read(ec, n);
                            });
  }

  void on_read(std::error_code ec, std::size_t n) {
    if (finished_) return;
    const std::int64_t now = monotonic_ms();
    if (ec) {
      session_.connection_lost(ec == asio::error::eof ? "closed by client" : ec.message(), now);
    } else {
      session_.feed(std::span(read_buffer_.data(), n), now);
    }
    handle_events();
    if (finished_) return;
    if (!session_.closed()) read();
    flush();
  }

  void handle_events() {
    while (auto event = session_.poll()) {
      std::visit([this](auto& e) { handle(e); }, *event);
      if (finished_) return;
    }
  }

  void handle(ClientAccepted& e) {
    accepted_ = true;
    spdlog::info("stream: {} accepted ({})", peer_, e.hello.software);
    session_.send_hosts(core_->host_list(), monotonic_ms());
  }

  void handle(SubscribeRequest& e) {
    auto feed = Feed::create(e.subscription, core_->logs, wall_ms(), core_->config.data_dir, &core_->evidence);
    if (auto* refusal = std::get_if<std::string>(&feed)) {
      session_.close(*refusal, monotonic_ms());
      return;
    }
    feed_ = std::get<Feed>(std::move(feed));
    pump();
  }

  void handle(ClientGone& e) {
    if (e.by_peer || e.reason.starts_with("connection lost")) {
      spdlog::info("stream: {} disconnected: {}", peer_, e.reason);
    } else {
      if (!accepted_) ++core_->stats.refused;
      else ++core_->stats.protocol_errors;
      spdlog::warn("stream: {} dropped: {}", peer_, e.reason);
    }
  }

  void flush() {
    if (finished_ || writing_) return;
    if (write_offset_ == write_buffer_.size()) {
      write_buffer_ = session_.take_outgoing();
      write_offset_ = 0;
    }
    if (write_buffer_.empty()) {
      if (session_.closed()) finish();  // everything, including our Close, is written
      return;
    }
    writing_ = true;
    last_write_progress_ms_ = monotonic_ms();
    socket_.async_write_some(
        asio::buffer(write_buffer_.data() + write_offset_, write_buffer_.size() - write_offset_),
        [self = shared_from_this()](std::error_code ec, std::size_t n) { self->on_write(ec, n); });
  }

  void on_write(std::error_code ec, std::size_t n) {
    writing_ = false;
    if (finished_) return;
    if (ec) {
      session_.connection_lost(ec.message(), monotonic_ms());
      handle_events();
      finish();
      return;
    }
    write_offset_ += n;
    last_write_progress_ms_ = monotonic_ms();
    if (write_offset_ < write_buffer_.size()) {
      flush();
      return;
    }
    pump();  // room again: more backfill or live data
    flush();
  }

  // Disk backfill yields after a bounded amount of file reading so probes and other
  // clients get the loop; it continues on a later turn.
  void pump_again_soon() {
    if (pump_posted_) return;
    pump_posted_ = true;
    asio::post(core_->io, [self = shared_from_this()] {
      self->pump_posted_ = false;
      if (!self->finished_) self->pump();
    });
  }

  std::shared_ptr<Core> core_;
  tcp::socket socket_;
  std::uint64_t id_;
  std::string peer_;
  ServerSession session_;
  std::optional<Feed> feed_;
  bool accepted_ = false;
  bool writing_ = false;
  bool finished_ = false;
  bool pump_posted_ = false;
  std::int64_t last_write_progress_ms_ = 0;
  std::array<std::uint8_t, 16 * 1024> read_buffer_{};
  std::vector<std::uint8_t> write_buffer_;
  std::size_t write_offset_ = 0;
};

namespace {

void accept_next(const std::shared_ptr<StreamServer::Core>& core, tcp::acceptor& acceptor);

}  // namespace

StreamServer::StreamServer(asio::io_context& io, StreamServerConfig config) {
  validate(config);
  core_ = std::make_shared<Core>(io, std::move(config));
}

StreamServer::~StreamServer() { stop(); }

std::vector<tcp::endpoint> StreamServer::local_endpoints() const {
  std::vector<tcp::endpoint> out;
  for (const auto& a : core_->acceptors) out.push_back(a.local_endpoint());
  return out;
}

void StreamServer::set_token(std::optional<std::string> token) {
  StreamServerConfig changed = core_->config;
  changed.token = std::move(token);
  validate(changed);
  core_->config.token = std::move(changed.token);
}

StreamServerStats StreamServer::stats() const {
  StreamServerStats s = core_->stats;
  s.clients = core_->connections.size();
  s.log_bytes = 0;
  for (const auto& [name, log] : core_->logs) s.log_bytes += log.memory_bytes();
  return s;
}

void StreamServer::publish_host(const HostInfo& host) {
  auto [it, added] = core_->hosts.insert_or_assign(host.name, host);
  if (added) core_->logs.try_emplace(host.name, host.name, core_->config.log_limits);
  // Copy: a connection may remove itself from the map while being told.
  const auto connections = core_->connections;
  for (const auto& [id, c] : connections) {
    c->send_hosts();
    if (added) c->host_added(host.name);
  }
}

void StreamServer::remove_host(std::string_view name) {
  const auto it = core_->hosts.find(name);
  if (it == core_->hosts.end()) return;
  core_->hosts.erase(it);
  core_->logs.erase(core_->logs.find(name));
  const auto connections = core_->connections;
  for (const auto& [id, c] : connections) {
    c->host_removed(name);
    c->send_hosts();
  }
}

void StreamServer::publish_frame(std::string_view host, const Frame& frame) {
  const auto it = core_->logs.find(host);
  if (it == core_->logs.end()) return;
  it->second.append_frame(frame);
  const auto connections = core_->connections;
  for (const auto& [id, c] : connections) c->pump();
}

void StreamServer::publish_event(std::string_view host, const LossEvent& event) {
  publish_event(host, EventMessage{std::string(host), event});
}

void StreamServer::publish_event(std::string_view host, EventMessage event) {
  const auto it = core_->logs.find(host);
  if (it == core_->logs.end()) return;
  it->second.append_event(std::move(event));
  const auto connections = core_->connections;
  for (const auto& [id, c] : connections) c->pump();
}

void StreamServer::publish_incident(const attribution::Incident& incident) {
  core_->evidence.add(incident, wall_ms());
  const auto connections = core_->connections;
  for (const auto& [id, c] : connections) {
    c->send_live(incident.targets, [&](ServerSession& session, std::int64_t now) { session.send_incident(incident, now); },
                 &incident);
  }
}

void StreamServer::publish_path(std::string_view host, const PathSnapshot& path) {
  const std::vector<std::string> hosts{std::string(host)};
  core_->evidence.add(hosts[0], path, wall_ms());
  const auto connections = core_->connections;
  for (const auto& [id, c] : connections) {
    c->send_live(hosts, [&](ServerSession& session, std::int64_t now) { session.send_path(hosts[0], path, now); });
  }
}

void StreamServer::publish_status(const HostStatus& status) {
  if (core_->connections.empty()) return;
  const auto encoded = encode_message(status);
  const auto connections = core_->connections;
  for (const auto& [id, c] : connections) c->send_status(status.host, encoded);
}

namespace {

void schedule_tick(const std::shared_ptr<StreamServer::Core>& core);

}  // namespace

void StreamServer::start() {
  for (const auto& text : core_->config.listen) {
    const tcp::endpoint ep = to_endpoint(text);
    tcp::acceptor acceptor(core_->io);
    std::error_code ec;
    acceptor.open(ep.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec && ep.address().is_v6()) acceptor.set_option(asio::ip::v6_only(true), ec);
    if (!ec) acceptor.bind(ep, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::system_error(ec, "stream: cannot listen on " + text);
    spdlog::info("stream: listening on {}", text);
    core_->acceptors.push_back(std::move(acceptor));
  }
  core_->running = true;
  for (auto& acceptor : core_->acceptors) accept_next(core_, acceptor);
  schedule_tick(core_);
}

void StreamServer::stop() {
  if (!core_) return;
  core_->running = false;
  std::error_code ignored;
  for (auto& a : core_->acceptors) a.close(ignored);
  core_->timer.cancel();
  const auto connections = core_->connections;
  for (const auto& [id, c] : connections) c->finish();
}

void StreamServer::shutdown(const std::string& reason) {
  if (!core_ || !core_->running) return;
  core_->running = false;
  std::error_code ignored;
  for (auto& a : core_->acceptors) a.close(ignored);
  spdlog::info("stream: shutting down, saying goodbye to {} clients", core_->connections.size());
  const auto connections = core_->connections;
  for (const auto& [id, c] : connections) c->say_goodbye(reason);
}

namespace {

void accept_next(const std::shared_ptr<StreamServer::Core>& core, tcp::acceptor& acceptor) {
  acceptor.async_accept([core, &acceptor](std::error_code ec, tcp::socket socket) {
    if (!core->running) return;
    if (ec) {
      spdlog::warn("stream: accept failed: {}", ec.message());
    } else if (core->connections.size() >= core->config.max_clients) {
      ++core->stats.refused;
      spdlog::warn("stream: {} refused: {} clients already connected", describe(socket),
                   core->connections.size());
    } else {
      ++core->stats.accepted;
      socket.set_option(tcp::no_delay(true), ec);
      if (core->config.socket_send_buffer_bytes > 0) {
        socket.set_option(asio::socket_base::send_buffer_size(core->config.socket_send_buffer_bytes), ec);
      }
      const std::uint64_t id = core->next_connection_id++;
      auto connection = std::make_shared<StreamServer::Connection>(core, std::move(socket), id);
      core->connections.emplace(id, connection);
      connection->start();
    }
    accept_next(core, acceptor);
  });
}

void schedule_tick(const std::shared_ptr<StreamServer::Core>& core) {
  core->timer.expires_after(std::chrono::milliseconds(core->config.tick_ms));
  core->timer.async_wait([core](std::error_code ec) {
    if (ec || !core->running) return;
    const std::int64_t now = monotonic_ms();
    const auto connections = core->connections;
    for (const auto& [id, c] : connections) c->tick(now);
    schedule_tick(core);
  });
}

}  // namespace

}  // namespace zzping::stream
