// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/zzping02/framestats.hpp"

#include <limits>
#include <string_view>
#include <utility>

#include "mpk.hpp"
#include "zzping/formats/zzping02/decode_end.hpp"
#include "zzping02/rust_numeric.hpp"
#include "zzping02/wire.hpp"

namespace zzping::zzping02 {
namespace {

constexpr std::size_t kMaxAddrLength = 65536;  // the GUI's read buffer

// Rust's str::from_utf8 acceptance: shortest forms only, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t extra = 0;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      extra = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;
    } else {
      return false;
    }
    if (s.size() - i <= extra) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      const unsigned char min = k == 1 ? lo : 0x80;
      const unsigned char max = k == 1 ? hi : 0xbf;
      if (cc < min || cc > max) return false;
    }
    i += extra + 1;
  }
  return true;
}

}  // namespace

FrameStats make_frame_stats(std::string addr, std::uint64_t inflight_count,
                            std::uint64_t avg_time_us, std::uint64_t last_pckt_received_us,
                            float packet_loss_percent) {
  FrameStats stats;
  stats.addr = std::move(addr);
  stats.inflight_count = static_cast<std::uint16_t>(inflight_count);
  stats.avg_time_us = static_cast<std::uint32_t>(avg_time_us);
  stats.last_pckt_ms = static_cast<std::uint32_t>(last_pckt_received_us / 1000);
  stats.packet_loss_x100_000 =
      rust::saturating_cast<std::uint32_t>(packet_loss_percent * 1000.0f);
  return stats;
}

std::vector<std::uint8_t> encode_frame_stats(const FrameStats& stats) {
  std::vector<std::uint8_t> out;
  mpk::Writer w(out);
  w.array_header(5);
  w.str(stats.addr);
  w.u16_fixed(stats.inflight_count);
  w.u32_fixed(stats.avg_time_us);
  w.u32_fixed(stats.last_pckt_ms);
  w.u32_fixed(stats.packet_loss_x100_000);
  return out;
}

FrameStats decode_frame_stats(std::span<const std::uint8_t> bytes) {
  mpk::Reader in(bytes);
  FrameStats stats;
  try {
    const std::uint8_t m = in.peek();
    if ((m & 0xf0) != 0x90 && m != 0xdc && m != 0xdd) in.fail_at(0, "expected an array");
    const std::uint32_t count = in.read_array_header(std::numeric_limits<std::uint32_t>::max());
    if (count != 5) in.fail_at(0, "array must be length 5, not " + std::to_string(count));
    const std::size_t addr_at = in.position();
    if (!wire::is_str_marker(in.peek())) in.fail_at(addr_at, "expected the address string");
    const std::string_view addr = in.read_str(kMaxAddrLength);
    if (!is_valid_utf8(addr)) in.fail_at(addr_at, "the address is not valid UTF-8");
    stats.addr.assign(addr);
    stats.inflight_count = static_cast<std::uint16_t>(wire::read_exact(in, 0xcd, "u16 (cd) inflight_count"));
    stats.avg_time_us = static_cast<std::uint32_t>(wire::read_exact(in, 0xce, "u32 (ce) avg_time_us"));
    stats.last_pckt_ms = static_cast<std::uint32_t>(wire::read_exact(in, 0xce, "u32 (ce) last_pckt_ms"));
    stats.packet_loss_x100_000 =
        static_cast<std::uint32_t>(wire::read_exact(in, 0xce, "u32 (ce) packet_loss_x100_000"));
  } catch (const mpk::DecodeError& e) {
    throw FormatError(std::string("FrameStats: ") + e.what(), e.offset(), e.truncated());
  }
  return stats;
}

}  // namespace zzping::zzping02
