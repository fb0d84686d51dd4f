// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/stream/client_session.hpp"

#include <algorithm>
#include <stdexcept>

#include "zzping/formats/stream/frame_payload.hpp"

namespace zzping::stream {

namespace {
// Thrown inside handle() for a message that is valid bytes but wrong in this state.
class OutOfOrder : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
}  // namespace

ClientSession::ClientSession(ClientConfig config, std::int64_t now_ms)
    : link_(config.max_message_bytes, config.timing, now_ms) {
  link_.send(Hello{.major = kProtocolMajor,
                   .minor = kProtocolMinor,
                   .software = std::move(config.software),
                   .token = std::move(config.token),
                   .heartbeat_ms = config.timing.heartbeat_ms},
             now_ms);
}

void ClientSession::subscribe(const Subscribe& subscription, std::int64_t now_ms) {
  if (subscribed_) throw std::logic_error("ClientSession::subscribe called twice");
  subscribed_ = true;
  link_.send(subscription, now_ms);
}

void ClientSession::feed(std::span<const std::uint8_t> bytes, std::int64_t now_ms) {
  if (link_.closed()) return;
  link_.receive(bytes, now_ms);
  try {
    while (!link_.closed()) {
      auto message = link_.next();
      if (!message) break;
      handle(std::move(*message), now_ms);
    }
  } catch (const ProtocolError& e) {
    fail(std::string("protocol error from server: ") + e.what(), now_ms, true, false);
  } catch (const OutOfOrder& e) {
    fail(e.what(), now_ms, true, false);
  }
}

void ClientSession::tick(std::int64_t now_ms) {
  if (auto silent = link_.tick(now_ms)) fail("server " + *silent, now_ms, true, false);
}

void ClientSession::close(const std::string& reason, std::int64_t now_ms) {
  fail(reason, now_ms, true, false);
}

void ClientSession::connection_lost(const std::string& reason, std::int64_t now_ms) {
  fail("connection lost: " + reason, now_ms, false, false);
}

std::optional<ClientEvent> ClientSession::poll() {
  if (events_.empty()) return std::nullopt;
  ClientEvent ev = std::move(events_.front());
  events_.pop_front();
  return ev;
}

void ClientSession::handle(Message&& message, std::int64_t now_ms) {
  const MessageType type = type_of(message);
  if (state_ == State::AwaitHello && type != MessageType::Hello && type != MessageType::Close) {
    throw OutOfOrder(std::string("server sent '") + name_of(type) + "' before its hello");
  }
  switch (type) {
    case MessageType::Hello:
      return handle_hello(std::get<Hello>(std::move(message)));
    case MessageType::HostList:  // again whenever the daemon's hosts change
      hosts_ = std::get<HostList>(message).hosts;
      state_ = State::Ready;
      events_.emplace_back(std::get<HostList>(std::move(message)));
      return;
    case MessageType::FrameBlock:
      require_ready(type);
      return handle_frames(std::get<FrameBlock>(std::move(message)));
    case MessageType::Event:
      require_ready(type);
      events_.emplace_back(std::get<EventMessage>(std::move(message)));
      return;
    case MessageType::Status:
      require_ready(type);
      events_.emplace_back(std::get<HostStatus>(std::move(message)));
      return;
    case MessageType::Incident:
      require_ready(type);
      events_.emplace_back(std::get<IncidentMessage>(std::move(message)));
      return;
    case MessageType::Path:
      require_ready(type);
      events_.emplace_back(std::get<PathMessage>(std::move(message)));
      return;
    case MessageType::CaughtUp:
      require_ready(type);
      caught_up_.insert(std::get<CaughtUp>(message).host);
      events_.emplace_back(std::get<CaughtUp>(std::move(message)));
      return;
    case MessageType::Heartbeat:
      return;
    case MessageType::Close:
      return fail("server closed the stream: " + std::get<Close>(message).reason, now_ms, false,
                  true);
    case MessageType::Subscribe:
      throw OutOfOrder("server sent a client-only message 'subscribe'");
  }
}

void ClientSession::handle_hello(Hello&& hello) {
  if (state_ != State::AwaitHello) throw OutOfOrder("server sent a second hello");
  if (hello.major != kProtocolMajor) {
    throw OutOfOrder("server speaks protocol version " + std::to_string(hello.major) + "." +
                     std::to_string(hello.minor) + ", this client speaks " +
                     std::to_string(kProtocolMajor) + ".x");
  }
  link_.peer_heartbeat_is(hello.heartbeat_ms);
  state_ = State::AwaitHosts;
  events_.emplace_back(ServerHello{std::move(hello)});
}

void ClientSession::handle_frames(FrameBlock&& block) {
  const bool known = std::any_of(hosts_.begin(), hosts_.end(),
                                 [&](const HostInfo& h) { return h.name == block.host; });
  if (!known) throw OutOfOrder("server sent frames of unlisted host '" + block.host + "'");
  try {
    auto frames = decode_frames(block);
    const bool backfill = !caught_up_.contains(block.host);
    events_.emplace_back(ReceivedFrames{std::move(block.host), backfill, std::move(frames)});
  } catch (const ProtocolError& e) {
    throw OutOfOrder(std::string("bad frame block from server: ") + e.what());
  }
}

void ClientSession::require_ready(MessageType type) const {
  if (state_ != State::Ready) {
    throw OutOfOrder(std::string("server sent '") + name_of(type) + "' before its host list");
  }
}

void ClientSession::fail(const std::string& reason, std::int64_t now_ms, bool tell_peer,
                         bool by_peer) {
  if (link_.closed()) return;
  link_.close(reason, now_ms, tell_peer);
  events_.emplace_back(Disconnected{reason, by_peer});
}

}  // namespace zzping::stream
