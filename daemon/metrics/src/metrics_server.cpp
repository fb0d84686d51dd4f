// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/metrics/metrics_server.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <asio/ip/v6_only.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <charconv>
#include <chrono>
#include <map>
#include <stdexcept>
#include <system_error>

#include "zzping/daemon/listen_address.hpp"
#include "zzping/metrics/http_request.hpp"
#include "zzping/metrics/http_response.hpp"

namespace zzping::metrics {

using asio::ip::tcp;

namespace {

// "HOST:PORT" / "[V6]:PORT" -> endpoint; throws std::invalid_argument naming the address.
tcp::endpoint parse_listen(const std::string& text) {
  daemon::HostPort address;
  try {
    address = daemon::parse_listen_address(text);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(std::string("metrics listen address ") + error.what());
  }
  return tcp::endpoint(asio::ip::make_address(address.host), address.port);
}

}  // namespace

void validate(const MetricsServerConfig& config) {
  const tcp::endpoint endpoint = parse_listen(config.listen);
  if (!endpoint.address().is_loopback() && !config.allow_remote) {
    throw std::invalid_argument("metrics listen address '" + config.listen +
                                "' is not loopback: set [metrics] allow_remote = true to expose it");
  }
  if (config.max_connections == 0 || config.max_request_bytes == 0) {
    throw std::invalid_argument("metrics: max_connections and max_request_bytes must be > 0");
  }
}

class MetricsConnection;

struct MetricsServer::Core {
  Core(asio::io_context& io_context, MetricsServerConfig cfg, PageRenderer renderer)
      : io(io_context), config(std::move(cfg)), render(std::move(renderer)), acceptor(io_context) {}
  asio::io_context& io;
  MetricsServerConfig config;
  PageRenderer render;
  tcp::acceptor acceptor;
  std::map<std::uint64_t, std::shared_ptr<MetricsConnection>> connections;
  std::uint64_t next_id = 1;
  bool running = false;
  MetricsServerStats stats;
};

// One request, one answer, closed. The deadline covers receiving the head, then (reset)
// sending the answer.
class MetricsConnection : public std::enable_shared_from_this<MetricsConnection> {
 public:
  MetricsConnection(std::shared_ptr<MetricsServer::Core> core, tcp::socket socket, std::uint64_t id)
      : core_(std::move(core)), socket_(std::move(socket)), deadline_(core_->io), id_(id),
        parser_(core_->config.max_request_bytes) {}

  void start() {
    arm_deadline(core_->config.request_timeout_ms, "receiving the request");
    read();
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    std::error_code ignored;
    deadline_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    core_->connections.erase(id_);  // *this lives on while a handler holds it
  }

 private:
  void arm_deadline(std::uint32_t ms, const char* phase) {
    deadline_.expires_after(std::chrono::milliseconds(ms));
    deadline_.async_wait([self = shared_from_this(), phase](std::error_code ec) {
      if (ec || self->closed_) return;
      if (!self->lingering_) ++self->core_->stats.timed_out;
      spdlog::debug("metrics: connection timed out while {}", phase);
      self->close();
    });
  }

  void read() {
    socket_.async_read_some(asio::buffer(read_buffer_), [self = shared_from_this()](std::error_code ec, std::size_t n) {
      self->on_read(ec, n);
    });
  }

  void on_read(std::error_code ec, std::size_t n) {
    if (closed_) return;
    if (ec) {
      close();  // the client went away before finishing its request
      return;
    }
    switch (parser_.feed(std::string_view(read_buffer_.data(), n))) {
      case HttpRequestParser::State::incomplete: read(); return;
      case HttpRequestParser::State::failed: answer_error(); return;
      case HttpRequestParser::State::complete: answer(); return;
    }
  }

  void answer_error() {
    ++core_->stats.errors;
    spdlog::debug("metrics: bad request: {}", parser_.error().message);
    send(error_response(parser_.error().status, parser_.error().message), {});
  }

  void answer() {
    const HttpRequest& request = parser_.request();
    const Route which = route(request);
    if (which != Route::metrics) {
      ++core_->stats.errors;
      send(route_error_response(which), {});
      return;
    }
    ++core_->stats.scrapes;
    const TextFormat format = negotiate_format(request.accept);
    core_->render(format, [self = shared_from_this(), format](std::string body) {
      if (self->closed_) return;  // timed out or stopped while the page was rendered
      std::string head = metrics_response_head(format, body.size());
      self->send(std::move(head), std::move(body));
    });
  }

  // Writes head and body, then closes. Pipelined requests after the first are never read.
  void send(std::string head, std::string body) {
    head_ = std::move(head);
    body_ = std::move(body);
    arm_deadline(core_->config.response_timeout_ms, "sending the answer");
    const std::array<asio::const_buffer, 2> buffers = {asio::buffer(head_), asio::buffer(body_)};
    asio::async_write(socket_, buffers, [self = shared_from_this()](std::error_code ec, std::size_t) {
      if (ec) {
        self->close();
        return;
      }
      self->linger();
    });
  }

  // Closing a socket with unread input (a request body, a pipelined request) makes the
  // kernel send RST, and the client may lose the answer still in flight. So: end our
  // side, discard whatever comes until the client closes (or the deadline).
  void linger() {
    head_.clear();
    head_.shrink_to_fit();
    body_.clear();
    body_.shrink_to_fit();
    lingering_ = true;
    std::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    arm_deadline(kLingerMs, "waiting for the client to close");
    discard_input();
  }

  void discard_input() {
    socket_.async_read_some(asio::buffer(read_buffer_), [self = shared_from_this()](std::error_code ec, std::size_t) {
      if (self->closed_) return;
      if (ec) {
        self->close();
        return;
      }
      self->discard_input();
    });
  }

  static constexpr std::uint32_t kLingerMs = 1'000;

  std::shared_ptr<MetricsServer::Core> core_;
  tcp::socket socket_;
  asio::steady_timer deadline_;
  std::uint64_t id_;
  HttpRequestParser parser_;
  std::array<char, 2048> read_buffer_{};
  std::string head_;
  std::string body_;
  bool closed_ = false;
  bool lingering_ = false;  // answered; only waiting for the client's close
};

namespace {

void accept_next(const std::shared_ptr<MetricsServer::Core>& core) {
  core->acceptor.async_accept([core](std::error_code ec, tcp::socket socket) {
    if (!core->running) return;
    if (ec) {
      spdlog::warn("metrics: accept failed: {}", ec.message());
    } else if (core->connections.size() >= core->config.max_connections) {
      ++core->stats.refused;
      spdlog::debug("metrics: connection refused: {} already open", core->connections.size());
      std::error_code ignored;
      socket.close(ignored);
    } else {
      const std::uint64_t id = core->next_id++;
      auto connection = std::make_shared<MetricsConnection>(core, std::move(socket), id);
      core->connections.emplace(id, connection);
      connection->start();
    }
    accept_next(core);
  });
}

}  // namespace

MetricsServer::MetricsServer(asio::io_context& io, MetricsServerConfig config, PageRenderer render) {
  validate(config);
  core_ = std::make_shared<Core>(io, std::move(config), std::move(render));
}

MetricsServer::~MetricsServer() { stop(); }

void MetricsServer::start() {
  const tcp::endpoint endpoint = parse_listen(core_->config.listen);
  std::error_code ec;
  core_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) core_->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec && endpoint.address().is_v6()) core_->acceptor.set_option(asio::ip::v6_only(true), ec);
  if (!ec) core_->acceptor.bind(endpoint, ec);
  if (!ec) core_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::system_error(ec, "metrics: cannot listen on " + core_->config.listen);
  const tcp::endpoint bound = core_->acceptor.local_endpoint(ec);
  const std::string address = bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
  spdlog::info("metrics: serving http://{}:{}{}", address, bound.port(), kMetricsPath);
  core_->running = true;
  accept_next(core_);
}

void MetricsServer::stop() {
  if (!core_) return;
  core_->running = false;
  std::error_code ignored;
  core_->acceptor.close(ignored);
  const auto connections = core_->connections;  // close() erases from the map
  for (const auto& [id, connection] : connections) connection->close();
}

tcp::endpoint MetricsServer::local_endpoint() const { return core_->acceptor.local_endpoint(); }

MetricsServerStats MetricsServer::stats() const {
  MetricsServerStats s = core_->stats;
  s.connections = core_->connections.size();
  return s;
}

}  // namespace zzping::metrics
