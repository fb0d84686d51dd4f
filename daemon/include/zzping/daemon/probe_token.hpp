// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The payload of every probe: it names the target (a random per-target cookie) and the
// probe (the target's send counter), so a reply can only be counted if it carries a token
// we sent. Spoofed or corrupted replies fail the check; stale replies from an earlier run
// carry an unknown cookie. The send wall time is carried only so that an observer (the test
// responder) can tell which frame a probe belongs to; RTTs never use it.
//
// Layout (28 bytes, big-endian): "zzP1" | cookie u64 | counter u64 | send wall ns i64.
#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace zzping::daemon {

inline constexpr std::size_t kProbeTokenSize = 28;

struct ProbeToken {
  std::uint64_t cookie = 0;
  std::uint64_t counter = 0;
  std::int64_t send_wall_ns = 0;
  friend bool operator==(const ProbeToken&, const ProbeToken&) = default;
};

std::array<std::uint8_t, kProbeTokenSize> encode_probe_token(const ProbeToken& token);
// nullopt unless `payload` starts with a well-formed token (extra bytes are ignored).
std::optional<ProbeToken> decode_probe_token(std::span<const std::uint8_t> payload);

// The 16-bit ICMP sequence number of a probe: the low bits of its counter.
constexpr std::uint16_t sequence_of(std::uint64_t counter) {
  return static_cast<std::uint16_t>(counter & 0xffffu);
}

}  // namespace zzping::daemon
