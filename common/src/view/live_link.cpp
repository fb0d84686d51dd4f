// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/live_link.hpp"

#include <algorithm>

namespace zzping::view {

const char* link_state_name(LinkState state) {
  switch (state) {
    case LinkState::Connecting: return "connecting";
    case LinkState::Connected: return "connected";
    case LinkState::Reconnecting: return "reconnecting";
    case LinkState::TokenRefused: return "token refused";
    case LinkState::VersionRefused: return "version refused";
    case LinkState::Refused: return "refused";
  }
  return "unknown";
}

// The reasons are the server's close texts (docs/protocol.md "Errors").
LinkState state_after_disconnect(std::string_view reason) {
  const auto has = [reason](std::string_view what) { return reason.find(what) != std::string_view::npos; };
  if (has("authentication failed")) return LinkState::TokenRefused;
  if (has("protocol version")) return LinkState::VersionRefused;
  if (has("unknown host")) return LinkState::Refused;
  return LinkState::Reconnecting;
}

int ReconnectBackoff::next_delay_ms() {
  const int delay = next_ms_;
  next_ms_ = std::min(max_ms_, next_ms_ * 2);
  return delay;
}

bool ResumeCursor::take(const std::string& host, const Frame& frame) {
  const auto [it, inserted] = next_t_ms_.try_emplace(host, frame.t_ms + frame.length_ms);
  if (inserted) return true;
  if (frame.t_ms < it->second) return false;
  it->second = frame.t_ms + frame.length_ms;
  return true;
}

std::optional<std::int64_t> ResumeCursor::resume_since_ms() const {
  std::optional<std::int64_t> since;
  for (const auto& [host, t] : next_t_ms_) since = std::min(since.value_or(t), t);
  return since;
}

std::string live_host_label(const std::string& host, const std::string& daemon,
                            std::size_t daemon_count) {
  if (daemon_count <= 1) return host;
  return host + " @ " + daemon;
}

}  // namespace zzping::view

namespace zzping::view {

std::optional<DaemonAddress> parse_daemon_address(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return std::nullopt;  // a bare IPv6 address is ambiguous: it needs brackets
  }
  if (port_text.empty() || port_text.size() > 5) return std::nullopt;
  std::uint32_t port = 0;
  for (const char c : port_text) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (port == 0 || port > 65535) return std::nullopt;
  return DaemonAddress{std::string(host), static_cast<std::uint16_t>(port)};
}

}  // namespace zzping::view
