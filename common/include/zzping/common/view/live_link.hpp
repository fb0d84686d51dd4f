// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Qt-free rules of the GUI's live mode (one link per daemon): what a disconnect means for
// the user and for retrying, how long to wait before reconnecting, and which frames of a
// resumed subscription are new. The Qt side (gui/zzping-gui/daemon_link) only moves bytes.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "zzping/common/frame.hpp"

namespace zzping::view {

enum class LinkState {
  Connecting,      // TCP connect or handshake under way
  Connected,       // the daemon sent its host list
  Reconnecting,    // the connection dropped; a retry is scheduled
  TokenRefused,    // the daemon refused our token: retrying cannot help
  VersionRefused,  // incompatible protocol major: retrying cannot help
  Refused,         // another refusal that will repeat (e.g. an unknown host subscribed)
};

// Short text for the status display ("connected", "token refused", ...).
const char* link_state_name(LinkState state);

// The state after a session ended for `reason` (the Disconnected reason of the stream
// client, or a socket error text).
LinkState state_after_disconnect(std::string_view reason);
inline bool retries(LinkState state) {
  return state == LinkState::Connecting || state == LinkState::Reconnecting;
}

// Reconnect delays: `initial_ms` doubling up to `max_ms`; reset after a session got as
// far as the host list, so a daemon restart is picked up quickly.
class ReconnectBackoff {
 public:
  explicit ReconnectBackoff(int initial_ms = 250, int max_ms = 10'000)
      : initial_ms_(initial_ms), max_ms_(max_ms), next_ms_(initial_ms) {}
  int next_delay_ms();
  void reset() { next_ms_ = initial_ms_; }

 private:
  int initial_ms_;
  int max_ms_;
  int next_ms_;
};

// Remembers, per host, the end of the last frame taken, so a subscription resumed after a
// reconnect (since_ms = resume_since_ms()) adds no frame twice and misses none the daemon
// still holds.
class ResumeCursor {
 public:
  // True when `frame` is newer than everything taken for `host` (and records it).
  bool take(const std::string& host, const Frame& frame);
  // The earliest end over all hosts; nullopt before any frame (then ask for a backfill).
  std::optional<std::int64_t> resume_since_ms() const;

 private:
  std::map<std::string, std::int64_t> next_t_ms_;
};

// The name a live host gets in the host list: its own name with one daemon, and the
// daemon's address appended when hosts of several daemons are side by side.
std::string live_host_label(const std::string& host, const std::string& daemon,
                            std::size_t daemon_count);

}  // namespace zzping::view

namespace zzping::view {

struct DaemonAddress {
  std::string host;  // name, IPv4, or IPv6 without brackets
  std::uint16_t port = 0;
};
// Parses HOST:PORT or [IPV6]:PORT (the --connect argument); nullopt when malformed.
std::optional<DaemonAddress> parse_daemon_address(std::string_view text);

}  // namespace zzping::view
