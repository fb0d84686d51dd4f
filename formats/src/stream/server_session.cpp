// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/stream/server_session.hpp"

#include <stdexcept>

namespace zzping::stream {

namespace {
class Refused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
}  // namespace

bool tokens_equal(const std::string& a, const std::string& b) {
  unsigned diff = a.size() == b.size() ? 0u : 1u;
  const std::string& longer = a.size() >= b.size() ? a : b;
  for (std::size_t i = 0; i < longer.size(); ++i) {
    const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
    const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
    diff |= static_cast<unsigned>(x ^ y);
  }
  return diff == 0;
}

ServerSession::ServerSession(ServerSessionConfig config, std::int64_t now_ms)
    : link_(config.max_message_bytes, config.timing, now_ms), token_(std::move(config.token)) {
  link_.send(Hello{.major = kProtocolMajor,
                   .minor = kProtocolMinor,
                   .software = std::move(config.software),
                   .token = std::nullopt,
                   .heartbeat_ms = config.timing.heartbeat_ms},
             now_ms);
}

void ServerSession::feed(std::span<const std::uint8_t> bytes, std::int64_t now_ms) {
  if (link_.closed()) return;
  link_.receive(bytes, now_ms);
  try {
    while (!link_.closed()) {
      auto message = link_.next();
      if (!message) break;
      handle(std::move(*message), now_ms);
    }
  } catch (const ProtocolError& e) {
    fail(std::string("protocol error: ") + e.what(), now_ms, true, false);
  } catch (const Refused& e) {
    fail(e.what(), now_ms, true, false);
  }
}

void ServerSession::tick(std::int64_t now_ms) {
  if (auto silent = link_.tick(now_ms)) fail("client " + *silent, now_ms, true, false);
}

std::optional<ServerEvent> ServerSession::poll() {
  if (events_.empty()) return std::nullopt;
  ServerEvent ev = std::move(events_.front());
  events_.pop_front();
  return ev;
}

void ServerSession::handle(Message&& message, std::int64_t now_ms) {
  const MessageType type = type_of(message);
  switch (type) {
    case MessageType::Hello:
      if (state_ != State::AwaitHello) throw Refused("client sent a second hello");
      return accept_hello(std::get<Hello>(std::move(message)));
    case MessageType::Subscribe:
      if (state_ == State::AwaitHello) throw Refused("client sent 'subscribe' before its hello");
      if (state_ == State::Streaming) throw Refused("client subscribed twice");
      state_ = State::Streaming;
      events_.emplace_back(SubscribeRequest{std::get<Subscribe>(std::move(message))});
      return;
    case MessageType::Heartbeat:
      if (state_ == State::AwaitHello) throw Refused("client sent 'heartbeat' before its hello");
      return;
    case MessageType::Close:
      return fail("client closed the stream: " + std::get<Close>(message).reason, now_ms, false,
                  true);
    default:
      throw Refused(std::string("client sent server-only message '") + name_of(type) + "'");
  }
}

void ServerSession::accept_hello(Hello&& hello) {
  if (hello.major != kProtocolMajor) {
    throw Refused("client speaks protocol version " + std::to_string(hello.major) + "." +
                  std::to_string(hello.minor) + ", this server speaks " +
                  std::to_string(kProtocolMajor) + ".x");
  }
  if (token_ && !(hello.token && tokens_equal(*hello.token, *token_))) {
    throw Refused(hello.token ? "authentication failed: wrong token"
                              : "authentication failed: this server requires a token");
  }
  link_.peer_heartbeat_is(hello.heartbeat_ms);
  peer_minor_ = hello.minor;
  state_ = State::AwaitSubscribe;
  events_.emplace_back(ClientAccepted{std::move(hello)});
}

void ServerSession::send_hosts(std::vector<HostInfo> hosts, std::int64_t now_ms) {
  link_.send(HostList{std::move(hosts)}, now_ms);
}

void ServerSession::send_frames(std::string host, std::vector<std::uint8_t> payload,
                                std::int64_t now_ms, std::vector<std::uint8_t> jitter) {
  link_.send(FrameBlock{std::move(host), std::move(payload), std::move(jitter)}, now_ms);
}

void ServerSession::send_event(std::string host, const LossEvent& event, std::int64_t now_ms) {
  link_.send(EventMessage{std::move(host), event}, now_ms);
}

void ServerSession::send_event(EventMessage event, std::int64_t now_ms) {
  link_.send(std::move(event), now_ms);
}

void ServerSession::send_incident(const attribution::Incident& incident, std::int64_t now_ms) {
  if (peer_minor_ < minor_of(MessageType::Incident)) return;
  link_.send(to_message(incident), now_ms);
}

void ServerSession::send_path(std::string host, const PathSnapshot& path, std::int64_t now_ms) {
  if (peer_minor_ < minor_of(MessageType::Path)) return;
  link_.send(PathMessage{std::move(host), path}, now_ms);
}

void ServerSession::send_status(HostStatus status, std::int64_t now_ms) {
  link_.send(std::move(status), now_ms);
}

void ServerSession::send_caught_up(std::string host, std::int64_t now_ms) {
  link_.send(CaughtUp{std::move(host)}, now_ms);
}

void ServerSession::close(const std::string& reason, std::int64_t now_ms) {
  fail(reason, now_ms, true, false);
}

void ServerSession::connection_lost(const std::string& reason, std::int64_t now_ms) {
  fail("connection lost: " + reason, now_ms, false, false);
}

void ServerSession::fail(const std::string& reason, std::int64_t now_ms, bool tell_peer,
                         bool by_peer) {
  if (link_.closed()) return;
  link_.close(reason, now_ms, tell_peer);
  events_.emplace_back(ClientGone{reason, by_peer});
}

}  // namespace zzping::stream
