// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The half shared by both protocol sessions: message framing in, queued bytes out,
// heartbeat timing and the close state. Sans-I/O: the caller moves bytes and passes time.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "zzping/formats/stream/messages.hpp"

namespace zzping::stream {

struct LinkTiming {
  std::uint32_t heartbeat_ms = 5000;     // send a heartbeat after this long without sending
  std::uint32_t peer_timeout_ms = 20000; // drop the peer after this long without receiving
};

class Link {
 public:
  Link(std::size_t max_message_bytes, LinkTiming timing, std::int64_t now_ms);

  void send(const Message& message, std::int64_t now_ms);
  // Queues bytes that already hold complete encoded messages.
  void send_encoded(std::span<const std::uint8_t> messages, std::int64_t now_ms);
  // Appends received bytes; then call next() until it returns nothing.
  void receive(std::span<const std::uint8_t> bytes, std::int64_t now_ms);
  std::optional<Message> next() { return reader_.next(); }  // throws ProtocolError

  // The peer announced its heartbeat interval: allow at least three missed beats.
  void peer_heartbeat_is(std::uint32_t peer_heartbeat_ms);
  // Sends a heartbeat when due; returns a reason when the peer has been silent too long.
  std::optional<std::string> tick(std::int64_t now_ms);

  // Queues a Close message (once) and stops accepting input.
  void close(const std::string& reason, std::int64_t now_ms, bool tell_peer);
  bool closed() const { return close_reason_.has_value(); }
  const std::string& close_reason() const { return *close_reason_; }

  std::vector<std::uint8_t> take_outgoing();
  std::size_t outgoing_bytes() const { return outgoing_.size(); }

 private:
  MessageReader reader_;
  LinkTiming timing_;
  std::vector<std::uint8_t> outgoing_;
  std::int64_t last_sent_ms_;
  std::int64_t last_received_ms_;
  std::optional<std::string> close_reason_;
};

}  // namespace zzping::stream
