// SPDX-License-Identifier: GPL-3.0-or-later
#include "mpk.hpp"
#include "zzping/formats/zzping02/fdq.hpp"
#include "zzping02/rust_numeric.hpp"

namespace zzping::zzping02 {
namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void write_frame(const FdqFrame& frame, const FdqRecord& record, std::vector<std::uint8_t>& out) {
  mpk::Writer w(out);
  if (record.full) {
    w.uint(static_cast<std::uint64_t>(record.timestamp_s));  // `as u64`, as written
  } else {
    w.nil();
  }
  w.uint(record.subsec_ms);
  if (frame.inflight != 0 || frame.lost_packets != 0) {
    w.uint(frame.inflight);
    w.uint(frame.lost_packets);
  } else {
    out.push_back(0xff);  // fixint -1: "inflight and lost are both 0"
  }
  w.uint(frame.recv_us_len);
  if (!record.has_recv) return;
  w.array_header(static_cast<std::uint32_t>(kPercentileCount));
  std::int64_t previous = 0;
  for (const std::int64_t value : record.recv) {
    const std::int64_t delta = rust::wrapping_sub(value, previous);
    previous = value;
    if (delta < 0) {
      w.sint(delta);
    } else {
      w.uint(static_cast<std::uint64_t>(delta));
    }
  }
}

}  // namespace

FdqEncoder::FdqEncoder(const FdqConfig& config) : config_(config) {
  if (config.recv_llq) llq_.emplace(*config.recv_llq);
}

FdqRecord FdqEncoder::encode(const FdqFrame& frame, std::vector<std::uint8_t>& out) {
  const std::int64_t seconds = floor_div(frame.timestamp_ms, 1000);
  const auto ms = static_cast<std::uint32_t>(frame.timestamp_ms - seconds * 1000);
  return encode(frame, FdqTime{seconds, ms}, out);
}

FdqRecord FdqEncoder::encode(const FdqFrame& frame, FdqTime time, std::vector<std::uint8_t>& out) {
  const FdqRecord record = plan(frame, time);
  write_frame(frame, record, out);
  remember(frame, time);
  return record;
}

// FDCodecState::peek_encode: full or delta, and the stored percentile values.
FdqRecord FdqEncoder::plan(const FdqFrame& frame, FdqTime time) const {
  FdqRecord record;
  const std::uint32_t ms_in_second = time.subsec_ms % 1000;
  const std::int64_t seconds =
      rust::wrapping_add(time.seconds, (time.subsec_ms - ms_in_second) / 1000);
  bool full = true;
  std::uint32_t whole_seconds_ms = 0;
  if (last_seconds_) {
    const std::int64_t gap = rust::wrapping_sub(seconds, *last_seconds_);
    full = gap >= config_.full_encode_secs || seconds < *last_seconds_;
    // ((gap * 1000) as u32): wraps for gaps beyond 49 days when full_encode_secs allows them.
    whole_seconds_ms = static_cast<std::uint32_t>(static_cast<std::uint64_t>(gap) * 1000u);
  }
  record.full = full;
  if (full) {
    record.timestamp_s = seconds;
    record.subsec_ms = ms_in_second;
  } else {
    record.subsec_ms = whole_seconds_ms + ms_in_second - last_subsec_ms_;  // u32, wraps backwards
  }
  record.has_recv = frame.recv_us_len > 0;
  record.recv = frame.recv_us;
  if (llq_ && record.has_recv) {
    for (std::int64_t& value : record.recv) {
      value = rust::wrapping_sub(llq_->encode(value), last_code_p0_);
    }
  }
  return record;
}

// FDCodecState::push: the reference keeps the time as given (un-normalised).
void FdqEncoder::remember(const FdqFrame& frame, FdqTime time) {
  last_seconds_ = time.seconds;
  last_subsec_ms_ = time.subsec_ms;
  if (config_.delta_enc) last_code_p0_ = llq_ ? llq_->encode(frame.recv_us[0]) : frame.recv_us[0];
}

FdqFrame fdq_frame_from_legacy(const LegacyFrame& frame) {
  const FdqTime time = fdq_time_of(frame);
  FdqFrame out;
  out.timestamp_ms = time.seconds * 1000 + time.subsec_ms;
  out.inflight = frame.inflight;
  out.lost_packets = frame.lost_packets;
  out.recv_us_len = static_cast<std::uint32_t>(frame.recv_us.size());
  out.recv_us = compute_percentiles(frame.recv_us);
  return out;
}

FdqTime fdq_time_of(const LegacyFrame& frame) {
  return FdqTime{frame.chrono_time.seconds, frame.chrono_time.nanos / 1'000'000};
}

FdqConversion convert_framedata_to_fdq(std::span<const std::uint8_t> framedata,
                                       const FdqConfig& config) {
  FdqConversion result;
  FdqEncoder encoder(config);
  encoder.append_header(result.bytes);
  FrameDataDecoder decoder(framedata);
  LegacyFrame frame;
  while (decoder.next(frame)) {
    encoder.encode(fdq_frame_from_legacy(frame), fdq_time_of(frame), result.bytes);
    ++result.frames;
  }
  result.input_end = decoder.end();
  return result;
}

}  // namespace zzping::zzping02
