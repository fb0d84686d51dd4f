// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/zzping02/framedata.hpp"

#include <algorithm>
#include <limits>
#include <string_view>
#include <utility>

#include "mpk.hpp"
#include "zzping02/wire.hpp"

namespace zzping::zzping02 {
namespace {

constexpr std::uint32_t kNanosPerSecond = 1'000'000'000u;
constexpr std::size_t kRttBytes = 5;  // `ce` + u32
// Keeps unix_micros() (seconds*1e6 + up to 1.999999e6) inside int64.
constexpr std::int64_t kMaxSeconds = std::numeric_limits<std::int64_t>::max() / 1'000'000 - 2;

// Offending text for an error message: at most 64 bytes, non-printable bytes as '?'.
std::string printable(std::string_view text) {
  std::string out(text.substr(0, 64));
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  if (text.size() > 64) out += "...";
  return out;
}

// chrono's `DateTime + Duration` for a non-negative duration, leap seconds included: while
// the sum stays inside a leap second it stays there, once it leaves, the leap second has
// absorbed one second (e.g. 59.1.3 + 0.8 s = next minute :00.1). False on overflow.
bool add_elapsed(const ChronoTime& key, std::uint64_t elapsed_us, ChronoTime& out) {
  std::int64_t seconds = key.seconds;
  std::uint64_t nanos = key.nanos;
  std::uint64_t whole_seconds = elapsed_us / 1'000'000;
  std::uint64_t extra_nanos = elapsed_us % 1'000'000 * 1000;
  if (key.in_leap_second()) {
    const std::uint64_t left_in_leap = 2ULL * kNanosPerSecond - nanos;
    if (whole_seconds == 0 && extra_nanos < left_in_leap) {
      out = ChronoTime{seconds, static_cast<std::uint32_t>(nanos + extra_nanos)};
      return true;
    }
    // Leave the leap second: land on the next whole second, then add what remains.
    if (extra_nanos < left_in_leap) {
      --whole_seconds;
      extra_nanos += kNanosPerSecond;
    }
    extra_nanos -= left_in_leap;
    seconds += 1;
    nanos = 0;
  }
  nanos += extra_nanos;
  whole_seconds += nanos / kNanosPerSecond;
  nanos %= kNanosPerSecond;
  if (whole_seconds > static_cast<std::uint64_t>(kMaxSeconds) ||
      seconds > kMaxSeconds - static_cast<std::int64_t>(whole_seconds)) {
    return false;
  }
  out = ChronoTime{seconds + static_cast<std::int64_t>(whole_seconds),
                   static_cast<std::uint32_t>(nanos)};
  return true;
}

// A delta frame as the daemon wrote it, without per-byte bounds checks (one check for the
// whole frame); 0 when the frame is anything else (a keyframe, another encoding, a cut), and
// the checked parser then decides.
std::size_t parse_fast_delta(std::span<const std::uint8_t> rest, LegacyFrame& frame) {
  constexpr std::size_t kLongestHead = 9 + 3 + 3 + 3;  // elapsed, 2 counters, array16 header
  if (rest.size() < kLongestHead) return 0;
  const std::uint8_t* p = rest.data();
  std::uint64_t elapsed = 0;
  if (!wire::fast_integer_bits(p, elapsed) || p[0] != 0xcd || p[3] != 0xcd) return 0;
  const auto inflight = static_cast<std::uint32_t>(wire::load_be16(p + 1));
  const auto lost = static_cast<std::uint32_t>(wire::load_be16(p + 4));
  p += 6;
  std::size_t count = 0;
  if ((*p & 0xf0) == 0x90) {
    count = *p & 0x0f;
    p += 1;
  } else if (*p == 0xdc) {
    count = static_cast<std::size_t>(wire::load_be16(p + 1));
    p += 3;
  } else {
    return 0;
  }
  const auto head = static_cast<std::size_t>(p - rest.data());
  if ((rest.size() - head) / kRttBytes < count) return 0;
  frame.recv_us.resize(count);
  for (std::uint32_t& rtt : frame.recv_us) {
    if (*p != 0xce) return 0;
    rtt = static_cast<std::uint32_t>(wire::load_be32(p + 1));
    p += kRttBytes;
  }
  frame.keyframe = false;
  frame.elapsed_us = elapsed;
  frame.ts_str.clear();
  frame.inflight = inflight;
  frame.lost_packets = lost;
  return static_cast<std::size_t>(p - rest.data());
}

}  // namespace

bool FrameDataDecoder::next(LegacyFrame& frame) {
  if (ended_) return false;
  if (pos_ == bytes_.size()) {
    finish(EndKind::kEof, pos_, {});
    return false;
  }
  try {
    decode_frame(frame);
  } catch (const mpk::DecodeError& e) {
    auto failure = wire::describe_frame_failure("FrameData", frames_, pos_, bytes_.size(), e);
    finish(failure.truncated ? EndKind::kTruncated : EndKind::kError, failure.problem_offset,
           std::move(failure.message));
    return false;
  }
  ++frames_;
  return true;
}

void FrameDataDecoder::decode_frame(LegacyFrame& frame) {
  std::size_t size = parse_fast_delta(bytes_.subspan(pos_), frame);
  if (size == 0) size = parse_checked(frame);
  resolve_time(frame);
  frame.offset = pos_;
  frame.len = size;
  pos_ += size;
}

std::size_t FrameDataDecoder::parse_checked(LegacyFrame& frame) {
  mpk::Reader in(bytes_.subspan(pos_), pos_);
  const std::uint8_t marker = in.peek();
  if (wire::is_str_marker(marker)) {
    frame.keyframe = true;
    const std::string_view text = in.read_str(kMaxRfc3339Length);
    const std::size_t zero_at = in.position();
    if (wire::read_exact(in, 0xce, "u32 (ce) 0 after the keyframe time") != 0) {
      in.fail_at(zero_at, "keyframe: the u32 after the time must be 0");
    }
    const Rfc3339Parse parsed = parse_rfc3339(text);
    if (!parsed.ok) {
      in.fail_at(0, std::string("keyframe: invalid RFC 3339 time \"") + printable(text) +
                        "\": " + parsed.error);
    }
    frame.chrono_time = parsed.time;
    frame.ts_str.assign(text);
    frame.elapsed_us = 0;
  } else if (wire::is_int_marker(marker)) {
    frame.keyframe = false;
    frame.elapsed_us = wire::read_integer_bits(in);
    frame.ts_str.clear();
  } else {
    in.fail_at(0, "a frame must start with a string (keyframe) or an integer (delta frame)");
  }
  frame.inflight = static_cast<std::uint32_t>(wire::read_exact(in, 0xcd, "u16 (cd) inflight"));
  frame.lost_packets = static_cast<std::uint32_t>(wire::read_exact(in, 0xcd, "u16 (cd) lost_packets"));
  const std::uint32_t count = in.read_array_header(std::numeric_limits<std::uint32_t>::max());
  frame.recv_us.clear();
  // Reserve only what the remaining bytes can hold: a hostile count allocates nothing extra.
  frame.recv_us.reserve(std::min<std::size_t>(count, in.remaining() / kRttBytes));
  for (std::uint32_t i = 0; i < count; ++i) {
    frame.recv_us.push_back(static_cast<std::uint32_t>(wire::read_exact(in, 0xce, "u32 (ce) RTT")));
  }
  return in.position();
}

// FrameDataVec::read: keyframes become the reference, delta frames count from it.
void FrameDataDecoder::resolve_time(LegacyFrame& frame) {
  if (frame.keyframe) {
    have_keyframe_ = true;
    keyframe_time_ = frame.chrono_time;
  } else {
    if (!have_keyframe_) throw mpk::DecodeError("delta frame before any keyframe (no reference time)", pos_, false);
    if (!add_elapsed(keyframe_time_, frame.elapsed_us, frame.chrono_time)) {
      throw mpk::DecodeError("elapsed time of " + std::to_string(frame.elapsed_us) +
                                 " µs overflows the time range", pos_, false);
    }
  }
  frame.ts_us = frame.chrono_time.unix_micros();
}

void FrameDataDecoder::finish(EndKind kind, std::size_t problem_offset, std::string message) {
  ended_ = true;
  end_.kind = kind;
  end_.bytes_consumed = pos_;
  end_.problem_offset = problem_offset;
  end_.message = std::move(message);
}

FrameDataFile decode_framedata(std::span<const std::uint8_t> bytes) {
  FrameDataFile file;
  FrameDataDecoder decoder(bytes);
  LegacyFrame frame;
  while (decoder.next(frame)) file.frames.push_back(frame);
  file.end = decoder.end();
  return file;
}

void encode_framedata_frame(const LegacyFrame& frame, std::vector<std::uint8_t>& out) {
  mpk::Writer w(out);
  if (frame.keyframe) {
    w.str(format_rfc3339_micros(frame.chrono_time));
    w.u32_fixed(0);
  } else {
    w.u32_fixed(static_cast<std::uint32_t>(frame.elapsed_us));
  }
  w.u16_fixed(static_cast<std::uint16_t>(frame.inflight));
  w.u16_fixed(static_cast<std::uint16_t>(frame.lost_packets));
  w.array_header(static_cast<std::uint32_t>(frame.recv_us.size()));
  for (const std::uint32_t rtt : frame.recv_us) w.u32_fixed(rtt);
}

}  // namespace zzping::zzping02
