// SPDX-License-Identifier: GPL-3.0-or-later
// The /metrics server over loopback TCP: answers, errors, limits and timeouts. The server
// runs on its own io_context thread; the test is a blocking client.
#include <gtest/gtest.h>

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "zzping/metrics/metrics_server.hpp"

namespace {

using asio::ip::tcp;
using namespace std::chrono_literals;
using zzping::metrics::MetricsServer;
using zzping::metrics::MetricsServerConfig;
using zzping::metrics::TextFormat;

class ServerFixture {
 public:
  explicit ServerFixture(MetricsServerConfig config = default_config())
      : server_(io_, std::move(config), [this](TextFormat format, MetricsServer::PageReady ready) {
          ++renders_;
          ready(format == TextFormat::openmetrics_1_0_0 ? "om page\n# EOF\n" : "prometheus page\n");
        }) {
    server_.start();
    port_ = server_.local_endpoint().port();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~ServerFixture() { stop(); }

  void stop() {
    if (!thread_.joinable()) return;
    io_.stop();
    thread_.join();
  }

  static MetricsServerConfig default_config() {
    MetricsServerConfig config;
    config.listen = "127.0.0.1:0";
    return config;
  }

  tcp::socket connect() {
    tcp::socket socket(client_io_);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    return socket;
  }

  // Sends `request` and returns everything received until the server closes.
  std::string exchange(std::string_view request) {
    tcp::socket socket = connect();
    asio::write(socket, asio::buffer(request));
    return read_to_end(socket);
  }

  static std::string read_to_end(tcp::socket& socket) {
    std::string received;
    std::error_code ec;
    char buffer[4096];
    for (;;) {
      const std::size_t n = socket.read_some(asio::buffer(buffer), ec);
      received.append(buffer, n);
      if (ec) break;
    }
    return received;
  }

  // Read after stop().
  zzping::metrics::MetricsServerStats stats() const { return server_.stats(); }
  int renders() const { return renders_; }

 private:
  asio::io_context io_;
  asio::io_context client_io_;
  int renders_ = 0;
  MetricsServer server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

std::string body_of(const std::string& response) {
  const auto end = response.find("\r\n\r\n");
  return end == std::string::npos ? "" : response.substr(end + 4);
}

TEST(MetricsServer, ServesBothFormats) {
  ServerFixture server;
  const std::string plain = server.exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(plain.starts_with("HTTP/1.1 200 OK\r\n")) << plain;
  EXPECT_NE(plain.find("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(plain.find("Content-Length: 16\r\n"), std::string::npos);
  EXPECT_NE(plain.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(body_of(plain), "prometheus page\n");
  const std::string om = server.exchange(
      "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: application/openmetrics-text; version=1.0.0\r\n\r\n");
  EXPECT_NE(om.find("Content-Type: application/openmetrics-text; version=1.0.0; charset=utf-8\r\n"), std::string::npos);
  EXPECT_EQ(body_of(om), "om page\n# EOF\n");
  server.stop();
  EXPECT_EQ(server.stats().scrapes, 2u);
  EXPECT_EQ(server.renders(), 2);
}

TEST(MetricsServer, ErrorsForOtherPathsMethodsAndBadRequests) {
  ServerFixture server;
  EXPECT_TRUE(server.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").starts_with("HTTP/1.1 404 Not Found\r\n"));
  // A body the server never reads must not cost the client its answer (no RST).
  const std::string post = server.exchange("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" +
                                           std::string(5000, 'b'));
  EXPECT_TRUE(post.starts_with("HTTP/1.1 405 Method Not Allowed\r\n")) << post;
  EXPECT_NE(post.find("Allow: GET\r\n"), std::string::npos);
  const std::string bad = server.exchange("GET /metrics HTTP/1.1\r\nHost x\r\n\r\n");
  EXPECT_TRUE(bad.starts_with("HTTP/1.1 400 Bad Request\r\n")) << bad;
  EXPECT_NE(bad.find("header line is not 'Name: value' at byte 23"), std::string::npos) << bad;
  EXPECT_TRUE(server.exchange("GET /metrics HTTP/3.0\r\nHost: x\r\n\r\n").starts_with("HTTP/1.1 505 "));
  server.stop();
  EXPECT_EQ(server.stats().errors, 4u);
  EXPECT_EQ(server.renders(), 0);
}

TEST(MetricsServer, OversizedRequestIsRefused) {
  ServerFixture server;
  const std::string huge = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20'000, 'a') + "\r\n\r\n";
  const std::string response = server.exchange(huge);
  EXPECT_TRUE(response.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n")) << response.substr(0, 100);
  EXPECT_NE(response.find("request head larger than 8192 bytes"), std::string::npos);
}

TEST(MetricsServer, PipelinedRequestsGetOneAnswer) {
  ServerFixture server;
  const std::string response = server.exchange(
      "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(response.find("HTTP/1.1", 1), std::string::npos) << response;
  EXPECT_EQ(body_of(response), "prometheus page\n");
}

TEST(MetricsServer, SlowRequestsTimeOut) {
  MetricsServerConfig config = ServerFixture::default_config();
  config.request_timeout_ms = 200;
  ServerFixture server(config);
  tcp::socket socket = server.connect();
  asio::write(socket, asio::buffer(std::string_view("GET /metrics HTTP/1.1\r\nHo")));
  const auto start = std::chrono::steady_clock::now();
  const std::string received = ServerFixture::read_to_end(socket);
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(received, "");
  EXPECT_GE(waited, 150ms);
  EXPECT_LT(waited, 3s);
  server.stop();
  EXPECT_EQ(server.stats().timed_out, 1u);
}

TEST(MetricsServer, ConnectionsBeyondTheLimitAreClosed) {
  MetricsServerConfig config = ServerFixture::default_config();
  config.max_connections = 2;
  ServerFixture server(config);
  tcp::socket first = server.connect();
  tcp::socket second = server.connect();
  asio::write(first, asio::buffer(std::string_view("GET /metrics HTTP/1.1\r\n")));
  asio::write(second, asio::buffer(std::string_view("GET /metrics HTTP/1.1\r\n")));
  std::this_thread::sleep_for(100ms);  // both accepted
  EXPECT_EQ(server.exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"), "");
  asio::write(first, asio::buffer(std::string_view("Host: x\r\n\r\n")));
  asio::write(second, asio::buffer(std::string_view("Host: x\r\n\r\n")));
  EXPECT_EQ(body_of(ServerFixture::read_to_end(first)), "prometheus page\n");
  EXPECT_EQ(body_of(ServerFixture::read_to_end(second)), "prometheus page\n");
  // Room again once they are closed.
  first.close();
  second.close();
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(body_of(server.exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")), "prometheus page\n");
  server.stop();
  EXPECT_EQ(server.stats().refused, 1u);
  EXPECT_EQ(server.stats().scrapes, 3u);
}

TEST(MetricsServer, AddressInUseIsNamed) {
  ServerFixture first;
  asio::io_context io;
  MetricsServerConfig config;
  config.listen = "127.0.0.1:" + std::to_string(first.connect().remote_endpoint().port());
  MetricsServer second(io, config, [](TextFormat, MetricsServer::PageReady) {});
  try {
    second.start();
    FAIL() << "bound twice";
  } catch (const std::system_error& error) {
    EXPECT_NE(std::string(error.what()).find("metrics: cannot listen on " + config.listen), std::string::npos);
  }
}

}  // namespace
