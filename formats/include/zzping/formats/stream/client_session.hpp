// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The client side of the stream protocol, sans-I/O: give it the bytes you read from the
// socket, send the bytes it queues, and poll the events. Any transport works (POSIX poll
// in zzping-tail, QTcpSocket in the GUI). Times are a monotonic clock in ms, any origin.
//
//   ClientSession s(config, now_ms);          // queues our hello
//   s.subscribe({.hosts = {}, .backfill_ms = 3'600'000}, now_ms);
//   loop: write(s.take_outgoing()); s.feed(read_bytes, now_ms); s.tick(now_ms);
//         while (auto ev = s.poll()) handle(*ev);   // until Disconnected
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>
#include <variant>
#include <vector>

#include "zzping/common/frame.hpp"
#include "zzping/formats/stream/link.hpp"
#include "zzping/formats/stream/messages.hpp"

namespace zzping::stream {

struct ClientConfig {
  std::string software = "zzping-client";
  std::optional<std::string> token;  // required by servers bound to non-loopback addresses
  LinkTiming timing;
  std::size_t max_message_bytes = kMaxServerMessageBytes;
};

// Events a client sees, in arrival order.
struct ServerHello { Hello hello; };
struct ReceivedFrames {
  std::string host;
  bool backfill = false;     // frames before this host's CaughtUp are backfill
  std::vector<Frame> frames; // in time order, continuing the previous ones of this host
};
struct Disconnected {
  std::string reason;
  bool by_peer = false;  // the server sent Close (e.g. wrong token) rather than us failing
};
using ClientEvent =
    std::variant<ServerHello, HostList, ReceivedFrames, EventMessage, HostStatus, CaughtUp,
                 Disconnected, IncidentMessage, PathMessage>;

class ClientSession {
 public:
  ClientSession(ClientConfig config, std::int64_t now_ms);

  // Queues the subscription (once; it may be sent before the server's hello arrives).
  void subscribe(const Subscribe& subscription, std::int64_t now_ms);
  void feed(std::span<const std::uint8_t> bytes, std::int64_t now_ms);
  // Call at least every second: heartbeats and dead-server detection.
  void tick(std::int64_t now_ms);
  // Ends the session politely (queues Close); a Disconnected event follows.
  void close(const std::string& reason, std::int64_t now_ms);
  // The transport's connection dropped.
  void connection_lost(const std::string& reason, std::int64_t now_ms);

  std::vector<std::uint8_t> take_outgoing() { return link_.take_outgoing(); }
  std::optional<ClientEvent> poll();
  bool closed() const { return link_.closed(); }
  // The latest HostList (the server sends a new one when its hosts change).
  const std::vector<HostInfo>& hosts() const { return hosts_; }

 private:
  enum class State { AwaitHello, AwaitHosts, Ready };
  void handle(Message&& message, std::int64_t now_ms);
  void handle_hello(Hello&& hello);
  void handle_frames(FrameBlock&& block);
  void require_ready(MessageType type) const;
  void fail(const std::string& reason, std::int64_t now_ms, bool tell_peer, bool by_peer);

  Link link_;
  State state_ = State::AwaitHello;
  bool subscribed_ = false;
  std::vector<HostInfo> hosts_;
  std::unordered_set<std::string> caught_up_;  // hosts whose backfill is complete
  std::deque<ClientEvent> events_;
};

}  // namespace zzping::stream
