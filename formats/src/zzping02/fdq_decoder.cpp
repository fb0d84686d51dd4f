// SPDX-License-Identifier: GPL-3.0-or-later
#include <limits>
#include <utility>

#include "mpk.hpp"
#include "zzping/formats/zzping02/fdq.hpp"
#include "zzping02/rust_numeric.hpp"
#include "zzping02/wire.hpp"

namespace zzping::zzping02 {
namespace {

// Codes in [-kCachedCodes, kCachedCodes] are decoded once per file: exp() per value would
// cost more than the rest of a frame. p = 0.01 codes every u32 RTT below 1900.
constexpr std::int64_t kCachedCodes = 2048;
// decode() returns this only for nonsensical precisions (e.g. -0.0); such codes are simply
// decoded again each time.
constexpr std::int64_t kNotCached = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMaxSeconds = std::numeric_limits<std::int64_t>::max() / 1000 - 1;
constexpr std::int64_t kMinSeconds = std::numeric_limits<std::int64_t>::min() / 1000 + 1;
// nil-or-integer, 4 integers, a fixarray header and 7 integers, each integer up to 9 bytes.
constexpr std::size_t kLongestFrame = 9 * 5 + 1 + 9 * 7;

std::uint32_t checked_u32(mpk::Reader& in, std::size_t at, std::uint64_t value, const char* what) {
  if (value > std::numeric_limits<std::uint32_t>::max()) {
    in.fail_at(at, std::string(what) + " " + std::to_string(value) + " does not fit u32");
  }
  return static_cast<std::uint32_t>(value);
}

// The frame's fields in the encodings the original wrote; 0 when anything is unusual (the
// checked parser then decides). Needs kLongestFrame readable bytes.
std::size_t parse_fast(const std::uint8_t* start, FdqFrame& frame, FdqRecord& record) {
  const std::uint8_t* p = start;
  std::uint64_t v = 0;
  record.full = *p != 0xc0;
  if (!record.full) {
    ++p;
    record.timestamp_s = 0;
  } else {
    if (!wire::fast_unsigned(p, v)) return 0;
    record.timestamp_s = static_cast<std::int64_t>(v);
  }
  if (!wire::fast_unsigned(p, v)) return 0;
  record.subsec_ms = static_cast<std::uint32_t>(v);
  if (*p == 0xff) {
    ++p;
    frame.inflight = 0;
    frame.lost_packets = 0;
  } else {
    std::uint64_t lost = 0;
    if (!wire::fast_unsigned(p, v) || v > UINT32_MAX || !wire::fast_unsigned(p, lost) || lost > UINT32_MAX) return 0;
    frame.inflight = static_cast<std::uint32_t>(v);
    frame.lost_packets = static_cast<std::uint32_t>(lost);
  }
  if (!wire::fast_unsigned(p, v) || v > UINT32_MAX) return 0;
  frame.recv_us_len = static_cast<std::uint32_t>(v);
  record.has_recv = v > 0;
  if (!record.has_recv) {
    record.recv = kNoPercentiles;
    return static_cast<std::size_t>(p - start);
  }
  if (*p++ != 0x97) return 0;
  std::uint64_t sum = 0;
  for (std::int64_t& value : record.recv) {
    if (!wire::fast_integer_bits(p, v)) return 0;
    sum += v;
    value = static_cast<std::int64_t>(sum);
  }
  return static_cast<std::size_t>(p - start);
}

}  // namespace

FdqDecoder::FdqDecoder(std::span<const std::uint8_t> file) : bytes_(file) {
  try {
    header_ = decode_fdq_header(file);
  } catch (const FormatError& e) {
    finish(EndKind::kError, e.offset(), e.what());
    return;
  }
  header_ok_ = true;
  if (header_.config.recv_llq) llq_.emplace(*header_.config.recv_llq);
  pos_ = header_.length;
}

bool FdqDecoder::next(FdqFrame& frame, FdqRecord* record) {
  if (ended_) return false;
  if (pos_ == bytes_.size()) {
    finish(EndKind::kEof, pos_, {});
    return false;
  }
  FdqRecord local;
  try {
    decode_frame(frame, record != nullptr ? *record : local);
  } catch (const mpk::DecodeError& e) {
    auto failure = wire::describe_frame_failure("FDQ", frames_, pos_, bytes_.size(), e);
    finish(failure.truncated ? EndKind::kTruncated : EndKind::kError, failure.problem_offset,
           std::move(failure.message));
    return false;
  }
  ++frames_;
  return true;
}

// RMPCodec::try_from_rmp then FDCodecState::decode.
void FdqDecoder::decode_frame(FdqFrame& frame, FdqRecord& record) {
  std::size_t size = 0;
  if (bytes_.size() - pos_ >= kLongestFrame) size = parse_fast(bytes_.data() + pos_, frame, record);
  if (size == 0) size = parse_checked(frame, record);
  resolve(frame, record);
  record.offset = pos_;
  record.len = size;
  pos_ += size;
}

std::size_t FdqDecoder::parse_checked(FdqFrame& frame, FdqRecord& record) {
  mpk::Reader in(bytes_.subspan(pos_), pos_);
  const std::uint8_t marker = in.peek();
  if (marker == 0xc0) {
    in.read_nil();
    record.full = false;
    record.timestamp_s = 0;
  } else if (wire::is_int_marker(marker)) {
    record.full = true;
    record.timestamp_s = static_cast<std::int64_t>(wire::read_integer_bits(in));  // `as i64`
  } else {
    in.fail_at(0, "timestamp must be nil (delta frame) or an integer (full frame)");
  }
  record.subsec_ms = static_cast<std::uint32_t>(wire::read_unsigned(in, "subsec_ms"));  // `as u32`
  const std::size_t inflight_at = in.position();
  const std::int64_t inflight = wire::read_signed(in, "inflight");
  if (inflight == -1) {  // ff (or a longer form of -1): inflight and lost_packets are both 0
    frame.inflight = 0;
    frame.lost_packets = 0;
  } else {
    if (inflight < 0) in.fail_at(inflight_at, "inflight is negative (" + std::to_string(inflight) + ")");
    frame.inflight = checked_u32(in, inflight_at, static_cast<std::uint64_t>(inflight), "inflight");
    const std::size_t lost_at = in.position();
    frame.lost_packets = checked_u32(in, lost_at, wire::read_unsigned(in, "lost_packets"), "lost_packets");
  }
  const std::size_t len_at = in.position();
  frame.recv_us_len = checked_u32(in, len_at, wire::read_unsigned(in, "recv_us_len"), "recv_us_len");
  record.has_recv = frame.recv_us_len > 0;
  record.recv = kNoPercentiles;
  if (record.has_recv) {
    if ((in.peek() & 0xf0) != 0x90 && in.peek() != 0xdc && in.peek() != 0xdd) {
      in.fail_at(in.position(), "expected the array of percentiles");
    }
    const std::uint32_t count = in.read_array_header(static_cast<std::uint32_t>(kPercentileCount));
    std::uint64_t value = 0;  // the running sum wraps like the original's i128 -> i64
    for (std::uint32_t i = 0; i < count; ++i) {
      if (!wire::is_int_marker(in.peek())) in.fail_at(in.position(), "a percentile is not an integer");
      value += wire::read_integer_bits(in);
      record.recv[i] = static_cast<std::int64_t>(value);
    }
  }
  return in.position();
}

// FDCodecState::decode: the absolute time from the reference, and the quantizer.
void FdqDecoder::resolve(FdqFrame& frame, const FdqRecord& record) {
  std::int64_t seconds = record.timestamp_s;
  std::uint32_t subsec_ms = record.subsec_ms;
  if (!record.full) {
    if (!last_seconds_) throw mpk::DecodeError("delta frame before any full frame (no reference time)", pos_, false);
    seconds = *last_seconds_;
    subsec_ms += last_subsec_ms_;  // u32: a backwards delta wraps back here
  }
  const std::uint32_t ms_in_second = subsec_ms % 1000;
  seconds = rust::wrapping_add(seconds, (subsec_ms - ms_in_second) / 1000);
  if (seconds > kMaxSeconds || seconds < kMinSeconds) {
    throw mpk::DecodeError("timestamp " + std::to_string(seconds) + " s is out of range", pos_, false);
  }
  last_seconds_ = seconds;
  last_subsec_ms_ = ms_in_second;
  frame.timestamp_ms = seconds * 1000 + ms_in_second;
  if (!record.has_recv) {
    frame.recv_us = kNoPercentiles;
  } else if (llq_) {
    for (std::size_t i = 0; i < kPercentileCount; ++i) frame.recv_us[i] = decode_code(record.recv[i]);
  } else {
    frame.recv_us = record.recv;
  }
}

std::int64_t FdqDecoder::decode_code(std::int64_t code) {
  if (code < -kCachedCodes || code > kCachedCodes) return llq_->decode(code);
  if (code_cache_.empty()) code_cache_.assign(2 * kCachedCodes + 1, kNotCached);
  std::int64_t& slot = code_cache_[static_cast<std::size_t>(code + kCachedCodes)];
  if (slot == kNotCached) slot = llq_->decode(code);
  return slot;
}

void FdqDecoder::finish(EndKind kind, std::size_t problem_offset, std::string message) {
  ended_ = true;
  end_.kind = kind;
  end_.bytes_consumed = pos_;
  end_.problem_offset = problem_offset;
  end_.message = std::move(message);
}

FdqFile decode_fdq(std::span<const std::uint8_t> file, bool keep_records) {
  FdqFile out;
  FdqDecoder decoder(file);
  out.header_ok = decoder.header_ok();
  out.header = decoder.header();
  FdqFrame frame;
  FdqRecord record;
  while (decoder.next(frame, &record)) {
    out.frames.push_back(frame);
    if (keep_records) out.records.push_back(record);
  }
  out.end = decoder.end();
  return out;
}

}  // namespace zzping::zzping02
