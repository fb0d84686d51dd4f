// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/probe_token.hpp"

namespace zzping::daemon {
namespace {
constexpr std::array<std::uint8_t, 4> kMagic = {'z', 'z', 'P', '1'};

void put_u64(std::uint8_t* out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<std::uint8_t>(v & 0xff);
    v >>= 8;
  }
}
std::uint64_t get_u64(const std::uint8_t* in) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | in[i];
  return v;
}
}  // namespace

std::array<std::uint8_t, kProbeTokenSize> encode_probe_token(const ProbeToken& token) {
  std::array<std::uint8_t, kProbeTokenSize> out{};
  for (std::size_t i = 0; i < kMagic.size(); ++i) out[i] = kMagic[i];
  put_u64(out.data() + 4, token.cookie);
  put_u64(out.data() + 12, token.counter);
  put_u64(out.data() + 20, static_cast<std::uint64_t>(token.send_wall_ns));
  return out;
}

std::optional<ProbeToken> decode_probe_token(std::span<const std::uint8_t> payload) {
  if (payload.size() < kProbeTokenSize) return std::nullopt;
  for (std::size_t i = 0; i < kMagic.size(); ++i) {
    if (payload[i] != kMagic[i]) return std::nullopt;
  }
  ProbeToken token;
  token.cookie = get_u64(payload.data() + 4);
  token.counter = get_u64(payload.data() + 12);
  token.send_wall_ns = static_cast<std::int64_t>(get_u64(payload.data() + 20));
  return token;
}

}  // namespace zzping::daemon
