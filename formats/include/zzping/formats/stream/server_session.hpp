// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The server side of one stream connection, sans-I/O. It checks the client's hello
// (protocol version, token), enforces message order and limits, and turns the daemon's
// data into queued bytes. What to send when (backfill, pacing) is the server's business.
//
//   ServerSession s(config, now_ms);                 // queues our hello
//   loop: s.feed(bytes, now_ms); s.tick(now_ms);
//         while (auto ev = s.poll()) ...             // ClientAccepted -> send_hosts(...)
//                                                     // SubscribeRequest -> start feeding
//         write(s.take_outgoing());                   // close the socket once closed()
//                                                     // and everything is written
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "zzping/common/frame.hpp"
#include "zzping/formats/stream/link.hpp"
#include "zzping/formats/stream/messages.hpp"

namespace zzping::stream {

struct ServerSessionConfig {
  std::string software = "zzpingd";
  std::optional<std::string> token;  // when set, the client's hello must carry it
  LinkTiming timing;
  std::size_t max_message_bytes = kMaxClientMessageBytes;
};

struct ClientAccepted { Hello hello; };
struct SubscribeRequest { Subscribe subscription; };
struct ClientGone {
  std::string reason;  // for the log
  bool by_peer = false;
};
using ServerEvent = std::variant<ClientAccepted, SubscribeRequest, ClientGone>;

class ServerSession {
 public:
  ServerSession(ServerSessionConfig config, std::int64_t now_ms);

  void feed(std::span<const std::uint8_t> bytes, std::int64_t now_ms);
  void tick(std::int64_t now_ms);
  std::optional<ServerEvent> poll();

  // Sending; ignored once closed.
  void send_hosts(std::vector<HostInfo> hosts, std::int64_t now_ms);
  void send_frames(std::string host, std::vector<std::uint8_t> payload, std::int64_t now_ms,
                   std::vector<std::uint8_t> jitter = {});
  // Queues complete messages encoded once for all clients (FrameBlock, Event, Status).
  void send_encoded(std::span<const std::uint8_t> messages, std::int64_t now_ms) {
    link_.send_encoded(messages, now_ms);
  }
  void send_event(std::string host, const LossEvent& event, std::int64_t now_ms);
  void send_event(EventMessage event, std::int64_t now_ms);
  // Since 1.2: not sent (dropped here) to a client whose hello announced an older minor,
  // which would take the unknown type for an error.
  void send_incident(const attribution::Incident& incident, std::int64_t now_ms);
  void send_path(std::string host, const PathSnapshot& path, std::int64_t now_ms);
  // The minor version the client's hello announced (0 before it).
  std::uint32_t peer_minor() const { return peer_minor_; }
  void send_status(HostStatus status, std::int64_t now_ms);
  void send_caught_up(std::string host, std::int64_t now_ms);
  // Ends the session with a reason sent to the client; a ClientGone event follows.
  void close(const std::string& reason, std::int64_t now_ms);
  void connection_lost(const std::string& reason, std::int64_t now_ms);

  std::vector<std::uint8_t> take_outgoing() { return link_.take_outgoing(); }
  std::size_t outgoing_bytes() const { return link_.outgoing_bytes(); }
  bool closed() const { return link_.closed(); }
  bool streaming() const { return state_ == State::Streaming; }

 private:
  enum class State { AwaitHello, AwaitSubscribe, Streaming };
  void handle(Message&& message, std::int64_t now_ms);
  void accept_hello(Hello&& hello);
  void fail(const std::string& reason, std::int64_t now_ms, bool tell_peer, bool by_peer);

  Link link_;
  std::optional<std::string> token_;
  State state_ = State::AwaitHello;
  std::uint32_t peer_minor_ = 0;
  std::deque<ServerEvent> events_;
};

// Constant-time comparison, so a wrong token's timing does not reveal its prefix.
bool tokens_equal(const std::string& a, const std::string& b);

}  // namespace zzping::stream
