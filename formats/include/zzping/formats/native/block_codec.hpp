// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The native frame block: 1..65536 frames of one host in one compact bitstream
// (docs/formats.md, "Frame block"). The same bytes are a record of a .zzf file and a
// frame message on the live stream, so the codec is pure: bytes in, values out.
//
// A block decodes on its own given a BlockContext (from the file header or the stream
// session), so a reader can start at any block and a cut file loses at most one block.
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <vector>

#include "zzping/common/frame.hpp"
#include "zzping/common/rtt_histogram.hpp"
#include "zzping/formats/native/errors.hpp"

namespace zzping::native {

inline constexpr std::size_t kMaxFramesPerBlock = 65536;
inline constexpr std::size_t kMaxBlockBytes = std::size_t{64} << 20;

// What every block of one file or stream shares, and is therefore not repeated per block.
struct BlockContext {
  std::uint32_t frame_ms = 100;  // the usual frame length: frames of this length cost nothing
  double precision = RttQuantiser::kDefaultPrecision;  // of every frame's histogram
  std::int64_t base_ms = 0;  // block start times are coded relative to this (file start)
  friend bool operator==(const BlockContext&, const BlockContext&) = default;
};

// Appends one block holding `frames` (1..kMaxFramesPerBlock, best in time order) to `out`.
// Throws std::invalid_argument when a frame's histogram precision is not ctx.precision,
// or for an empty or oversized span.
void encode_block(std::span<const Frame> frames, const BlockContext& ctx,
                  std::vector<std::uint8_t>& out);
std::vector<std::uint8_t> encode_block(std::span<const Frame> frames, const BlockContext& ctx);

// One decoded frame, without owning its histogram bins.
struct FrameView {
  std::int64_t t_ms = 0;
  std::uint32_t length_ms = 0;
  std::uint32_t sent = 0;
  std::uint32_t recv = 0;
  std::uint32_t lost = 0;
  std::uint32_t dup = 0;
  std::uint32_t late = 0;
  std::uint32_t icmp_errors = 0;
  std::uint32_t inflight = 0;
  std::optional<JitterSum> jitter = std::nullopt;  // from the block's jitter record, if any
  std::span<const HistogramBin> bins;  // sorted by key, counts > 0
};

// The frames of one block in reusable buffers: decoding block after block into the same
// DecodedBlock allocates nothing once the buffers have grown to the largest block.
class DecodedBlock {
 public:
  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  FrameView operator[](std::size_t i) const;
  // An owning Frame (allocates its histogram).
  Frame to_frame(std::size_t i, const RttQuantiser& quantiser) const;
  // Jitter of every frame, from the jitter record that accompanies the block (files of
  // format 1.1 and later, docs/formats.md "Jitter"); throws std::invalid_argument unless
  // there is one value per frame. Decoding the next block forgets it.
  void attach_jitter(std::span<const std::optional<JitterSum>> jitter);
  bool has_jitter() const { return !jitter_.empty(); }

  // Storage of one frame (its bins are bins_[bins_begin, bins_begin + bins_count)).
  struct Row {
    std::int64_t t_ms;
    std::uint32_t length_ms, sent, recv, lost, dup, late, icmp_errors, inflight;
    std::uint32_t bins_begin, bins_count;
  };
  // The bins of all frames: an array that grows without re-initialising its content.
  class BinBuffer {
   public:
    std::size_t size() const { return size_; }
    const HistogramBin* data() const { return data_.get(); }
    void clear() { size_ = 0; }
    // Makes room for `extra` more bins and returns where they go.
    HistogramBin* grow_for(std::size_t extra);
    void commit(std::size_t added) { size_ += added; }

   private:
    // Raw storage (HistogramBin is an implicit-lifetime aggregate): growing does not write
    // the default value into every new slot, as new HistogramBin[n] would.
    struct Release {
      void operator()(HistogramBin* p) const { ::operator delete(p); }
    };
    std::unique_ptr<HistogramBin, Release> data_;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
  };

 private:
  friend class BlockDecoder;
  std::vector<Row> rows_;
  BinBuffer bins_;
  std::vector<std::optional<JitterSum>> jitter_;  // empty, or one per row
};

// Decodes blocks of one context; keeps scratch buffers between calls (not thread-safe,
// use one decoder per thread).
class BlockDecoder {
 public:
  explicit BlockDecoder(const BlockContext& ctx);
  ~BlockDecoder();
  BlockDecoder(BlockDecoder&&) noexcept;
  BlockDecoder& operator=(BlockDecoder&&) noexcept;

  const BlockContext& context() const { return ctx_; }
  // Replaces the content of `out` with the frames of `block`. Throws FormatError (offset
  // relative to the block) on corrupt bytes; `out` is then unspecified.
  void decode(std::span<const std::uint8_t> block, DecodedBlock& out);

  struct Scratch;  // buffers reused between blocks (defined in the decoder's source)

 private:
  BlockContext ctx_;
  std::unique_ptr<Scratch> scratch_;
};

std::vector<Frame> decode_block(std::span<const std::uint8_t> block, const BlockContext& ctx);

// The first frame's t_ms, read from the block's preamble alone (a few bytes, no frame
// decoded): lets a reader skip whole blocks before a time. Throws FormatError when the
// preamble is corrupt.
std::int64_t block_start_ms(std::span<const std::uint8_t> block, const BlockContext& ctx);

// Loss events (docs/formats.md, "Events"): a small bitstream of their own.
inline constexpr std::size_t kMaxEventsPerRecord = 65536;
void encode_events(std::span<const LossEvent> events, const BlockContext& ctx,
                   std::vector<std::uint8_t>& out);
std::vector<std::uint8_t> encode_events(std::span<const LossEvent> events,
                                        const BlockContext& ctx);
std::vector<LossEvent> decode_events(std::span<const std::uint8_t> bytes, const BlockContext& ctx);

// Jitter of the frames of one block (docs/formats.md, "Jitter (record kind 3)"): one value
// per frame, absent for frames that did not measure it. Throws FormatError on bad bytes.
bool has_any_jitter(std::span<const Frame> frames);
void encode_jitter(std::span<const Frame> frames, std::vector<std::uint8_t>& out);
std::vector<std::uint8_t> encode_jitter(std::span<const Frame> frames);
std::vector<std::optional<JitterSum>> decode_jitter(std::span<const std::uint8_t> bytes);

// A block that carries its own context (precision, frame length, base time), for channels
// without a header, such as one message of the live stream. Costs about 10 bytes more.
std::vector<std::uint8_t> encode_standalone_block(std::span<const Frame> frames);
std::vector<Frame> decode_standalone_block(std::span<const std::uint8_t> bytes);

}  // namespace zzping::native
