// SPDX-License-Identifier: GPL-3.0-or-later
// Loss events and the standalone block (docs/formats.md, "Events" and "Standalone block").
#include <bit>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "native/bit_stream.hpp"
#include "zzping/formats/native/block_codec.hpp"

namespace zzping::native {
namespace {

constexpr std::int64_t kMaxAbsTimeMs = std::int64_t{1} << 58;

std::vector<std::uint8_t> padded_copy(std::span<const std::uint8_t> bytes) {
  std::vector<std::uint8_t> padded(bytes.size() + bits::Reader::kPadding, 0);
  if (!bytes.empty()) std::memcpy(padded.data(), bytes.data(), bytes.size());
  return padded;
}

std::int64_t add_checked(bits::Reader& r, std::int64_t a, std::int64_t b, const char* what) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum) || sum < -kMaxAbsTimeMs || sum > kMaxAbsTimeMs) {
    r.fail(what);
  }
  return sum;
}

}  // namespace

void encode_events(std::span<const LossEvent> events, const BlockContext& ctx,
                   std::vector<std::uint8_t>& out) {
  if (events.size() > kMaxEventsPerRecord) {
    throw std::invalid_argument("an events record holds at most " +
                                std::to_string(kMaxEventsPerRecord) + " events");
  }
  bits::Writer w(out);
  w.exp_golomb(events.size(), 0);
  std::int64_t prev = ctx.base_ms;
  for (const LossEvent& e : events) {
    if (e.start_ms < -kMaxAbsTimeMs || e.start_ms > kMaxAbsTimeMs || e.end_ms < -kMaxAbsTimeMs ||
        e.end_ms > kMaxAbsTimeMs) {
      throw std::invalid_argument("loss event time out of range");
    }
    w.long_value(bits::zigzag(e.start_ms - prev));
    w.long_value(bits::zigzag(e.end_ms - e.start_ms));
    w.exp_golomb(e.probes_lost, 0);
    prev = e.start_ms;
  }
  w.finish();
}

std::vector<std::uint8_t> encode_events(std::span<const LossEvent> events,
                                        const BlockContext& ctx) {
  std::vector<std::uint8_t> out;
  encode_events(events, ctx, out);
  return out;
}

std::vector<LossEvent> decode_events(std::span<const std::uint8_t> bytes, const BlockContext& ctx) {
  if (bytes.size() > kMaxBlockBytes) throw FormatError("events record too large", 0, false);
  const std::vector<std::uint8_t> padded = padded_copy(bytes);
  bits::Reader r(padded.data(), bytes.size());
  const std::uint64_t n = r.exp_golomb(0);
  if (n > kMaxEventsPerRecord) r.fail("more than 65536 loss events in a record");
  std::vector<LossEvent> events;
  std::int64_t prev = ctx.base_ms;
  for (std::uint64_t i = 0; i < n; ++i) {
    LossEvent e;
    e.start_ms = add_checked(r, prev, bits::unzigzag(r.long_value()), "loss event time out of range");
    e.end_ms = add_checked(r, e.start_ms, bits::unzigzag(r.long_value()), "loss event time out of range");
    const std::uint64_t lost = r.exp_golomb(0);
    if (lost > std::numeric_limits<std::uint32_t>::max()) r.fail("loss event count out of range");
    e.probes_lost = static_cast<std::uint32_t>(lost);
    events.push_back(e);
    prev = e.start_ms;
  }
  r.expect_end();
  return events;
}

std::vector<std::uint8_t> encode_standalone_block(std::span<const Frame> frames) {
  if (frames.empty()) throw std::invalid_argument("a frame block needs at least one frame");
  BlockContext ctx;
  ctx.precision = frames[0].rtt.quantiser().precision();
  ctx.frame_ms = frames[0].length_ms;
  ctx.base_ms = frames[0].t_ms;
  std::vector<std::uint8_t> out;
  bits::Writer w(out);
  w.put_wide(std::bit_cast<std::uint64_t>(ctx.precision), 64);
  w.long_value(ctx.frame_ms);
  w.long_value(bits::zigzag(ctx.base_ms));
  w.finish();
  encode_block(frames, ctx, out);
  return out;
}

std::vector<Frame> decode_standalone_block(std::span<const std::uint8_t> bytes) {
  const std::vector<std::uint8_t> padded = padded_copy(bytes);
  bits::Reader r(padded.data(), bytes.size());
  BlockContext ctx;
  ctx.precision = std::bit_cast<double>(r.get_wide(64));
  if (!(ctx.precision >= RttQuantiser::kMinPrecision &&
        ctx.precision <= RttQuantiser::kMaxPrecision)) {
    r.fail("quantiser precision out of range");
  }
  const std::uint64_t frame_ms = r.long_value();
  if (frame_ms > std::numeric_limits<std::uint32_t>::max()) r.fail("frame length out of range");
  ctx.frame_ms = static_cast<std::uint32_t>(frame_ms);
  ctx.base_ms = bits::unzigzag(r.long_value());
  if (ctx.base_ms < -kMaxAbsTimeMs || ctx.base_ms > kMaxAbsTimeMs) r.fail("base time out of range");
  const std::size_t prefix = (r.position() + 7) / 8;
  try {
    return decode_block(bytes.subspan(prefix), ctx);
  } catch (const FormatError& e) {
    throw FormatError(e.problem(), e.offset() + prefix, e.truncated());
  }
}

}  // namespace zzping::native
