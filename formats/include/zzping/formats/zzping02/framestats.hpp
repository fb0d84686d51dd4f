// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// zzping 0.2's FrameStats: the daemon's UDP status message to the GUI (framestats.rs, and
// udp_comm.rs on the GUI side). A fixarray of 5: the address as a string, inflight_count
// as `cd` u16, avg_time_us as `ce` u32, last_pckt_ms as `ce` u32, packet_loss_x100_000 as
// `ce` u32.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace zzping::zzping02 {

struct FrameStats {
  std::string addr;
  std::uint16_t inflight_count = 0;
  std::uint32_t avg_time_us = 0;
  std::uint32_t last_pckt_ms = 0;
  std::uint32_t packet_loss_x100_000 = 0;  // despite the name: loss percent * 1000

  friend bool operator==(const FrameStats&, const FrameStats&) = default;
};

// FrameStats::encode_stats's conversions: inflight `as u16`, avg µs `as u32`, the last
// reply age floored to ms then `as u32`, and (loss_percent * 1000.0 in f32) `as u32`, which
// saturates (a negative loss becomes 0, NaN becomes 0).
FrameStats make_frame_stats(std::string addr, std::uint64_t inflight_count,
                            std::uint64_t avg_time_us, std::uint64_t last_pckt_received_us,
                            float packet_loss_percent);

std::vector<std::uint8_t> encode_frame_stats(const FrameStats& stats);

// UdpStats::from_buf: an array of exactly 5 (any array encoding), any string encoding of
// valid UTF-8 up to 65536 bytes, then exactly cd, ce, ce, ce. Bytes after it are ignored,
// as they were. Throws FormatError naming the offset.
FrameStats decode_frame_stats(std::span<const std::uint8_t> bytes);

}  // namespace zzping::zzping02
