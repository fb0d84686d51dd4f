#include "zzping/formats/stream/frame_payload.hpp"

#include <algorithm>
#include <stdexcept>

#include "mpk.hpp"
#include "zzping/formats/stream/messages.hpp"

namespace zzping::stream {

// Interim payload layout until the native block codec (formats/.../native/) lands:
// [precision f64, [[t_ms, length_ms, sent, recv, lost, dup, late, icmp_errors, inflight,
//                   [key, count, key, count, ...]], ...]]
namespace {
constexpr std::uint32_t kMaxFramesPerPayload = 1'000'000;
constexpr std::uint32_t kMaxBinItems = 2'000'000;

void write_frame(mpk::Writer& w, const Frame& f) {
  w.array_header(10);
  w.sint(f.t_ms);
  w.uint(f.length_ms);
  w.uint(f.sent);
  w.uint(f.recv);
  w.uint(f.lost);
  w.uint(f.dup);
  w.uint(f.late);
  w.uint(f.icmp_errors);
  w.uint(f.inflight);
  const auto bins = f.rtt.bins();
  w.array_header(static_cast<std::uint32_t>(bins.size() * 2));
  for (const auto& b : bins) {
    w.sint(b.key);
    w.uint(b.count);
  }
}

std::uint32_t read_u32(mpk::Reader& r) {
  const std::size_t at = r.position();
  const std::uint64_t v = r.read_uint();
  if (v > UINT32_MAX) r.fail_at(at, "frame counter out of range");
  return static_cast<std::uint32_t>(v);
}

Frame read_frame(mpk::Reader& r, const RttQuantiser& quantiser) {
  const std::size_t at = r.position();
  if (r.read_array_header(16) != 10) r.fail_at(at, "frame must have 10 fields");
  Frame f{.rtt = RttHistogram(quantiser)};
  f.t_ms = r.read_int();
  f.length_ms = read_u32(r);
  f.sent = read_u32(r);
  f.recv = read_u32(r);
  f.lost = read_u32(r);
  f.dup = read_u32(r);
  f.late = read_u32(r);
  f.icmp_errors = read_u32(r);
  f.inflight = read_u32(r);
  const std::size_t bins_at = r.position();
  const std::uint32_t items = r.read_array_header(kMaxBinItems);
  if (items % 2 != 0) r.fail_at(bins_at, "histogram needs key/count pairs");
  std::vector<HistogramBin> bins;
  bins.reserve(std::min<std::size_t>(items / 2, r.remaining() / 2));
  for (std::uint32_t i = 0; i < items / 2; ++i) {
    const std::size_t key_at = r.position();
    const std::int64_t key = r.read_int();
    if (key < INT32_MIN || key > INT32_MAX) r.fail_at(key_at, "histogram key out of range");
    bins.push_back(HistogramBin{static_cast<std::int32_t>(key), read_u32(r)});
  }
  try {
    f.rtt.assign_bins(std::move(bins));
  } catch (const std::invalid_argument& e) {
    r.fail_at(bins_at, e.what());
  }
  return f;
}
}  // namespace

std::vector<std::uint8_t> encode_frame_payload(std::span<const Frame> frames) {
  if (frames.empty()) throw std::invalid_argument("a frame payload needs at least one frame");
  std::vector<std::uint8_t> out;
  mpk::Writer w(out);
  w.array_header(2);
  w.f64(frames.front().rtt.quantiser().precision());
  w.array_header(static_cast<std::uint32_t>(frames.size()));
  for (const auto& f : frames) write_frame(w, f);
  return out;
}

std::vector<Frame> decode_frame_payload(std::span<const std::uint8_t> payload) {
  mpk::Reader r(payload);
  try {
    if (r.read_array_header(16) != 2) r.fail_at(0, "frame payload must be [precision, frames]");
    const std::size_t precision_at = r.position();
    std::optional<RttQuantiser> quantiser;
    try {
      quantiser.emplace(r.read_float());
    } catch (const std::invalid_argument& e) {
      r.fail_at(precision_at, e.what());
    }
    const std::uint32_t n = r.read_array_header(kMaxFramesPerPayload);
    std::vector<Frame> frames;
    frames.reserve(std::min<std::size_t>(n, r.remaining() / 11));
    for (std::uint32_t i = 0; i < n; ++i) frames.push_back(read_frame(r, *quantiser));
    if (!r.at_end()) r.fail_at(r.position(), "trailing bytes after the frame payload");
    return frames;
  } catch (const mpk::DecodeError& e) {
    const std::string what = e.what();
    throw ProtocolError(what.substr(0, what.rfind(" at byte ")), e.offset());
  }
}

}  // namespace zzping::stream
