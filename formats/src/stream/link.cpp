// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/stream/link.hpp"

#include <algorithm>

namespace zzping::stream {

Link::Link(std::size_t max_message_bytes, LinkTiming timing, std::int64_t now_ms)
    : reader_(max_message_bytes), timing_(timing), last_sent_ms_(now_ms),
      last_received_ms_(now_ms) {}

void Link::send(const Message& message, std::int64_t now_ms) {
  if (closed()) return;
  append_message(outgoing_, message);
  last_sent_ms_ = now_ms;
}

void Link::send_encoded(std::span<const std::uint8_t> messages, std::int64_t now_ms) {
  if (closed()) return;
  outgoing_.insert(outgoing_.end(), messages.begin(), messages.end());
  last_sent_ms_ = now_ms;
}

void Link::receive(std::span<const std::uint8_t> bytes, std::int64_t now_ms) {
  if (closed() || bytes.empty()) return;
  reader_.feed(bytes);
  last_received_ms_ = now_ms;
}

void Link::peer_heartbeat_is(std::uint32_t peer_heartbeat_ms) {
  const std::uint64_t three_beats = std::uint64_t{peer_heartbeat_ms} * 3;
  timing_.peer_timeout_ms = static_cast<std::uint32_t>(
      std::min<std::uint64_t>(std::max<std::uint64_t>(timing_.peer_timeout_ms, three_beats),
                              UINT32_MAX));
}

std::optional<std::string> Link::tick(std::int64_t now_ms) {
  if (closed()) return std::nullopt;
  if (now_ms - last_received_ms_ > timing_.peer_timeout_ms) {
    return "peer silent for " + std::to_string(now_ms - last_received_ms_) + " ms (limit " +
           std::to_string(timing_.peer_timeout_ms) + " ms)";
  }
  if (now_ms - last_sent_ms_ >= timing_.heartbeat_ms) send(Heartbeat{now_ms}, now_ms);
  return std::nullopt;
}

void Link::close(const std::string& reason, std::int64_t now_ms, bool tell_peer) {
  if (closed()) return;
  if (tell_peer) send(Close{reason.substr(0, kMaxTextBytes)}, now_ms);
  close_reason_ = reason;
}

std::vector<std::uint8_t> Link::take_outgoing() {
  std::vector<std::uint8_t> out;
  out.swap(outgoing_);
  return out;
}

}  // namespace zzping::stream
