// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Finding a time in a file image without reading it from its start: a bisection over its
// bytes that reads a few small windows (BlockIndex::first_block_in recognises a frame block
// from an arbitrary offset by its CRC and its neighbour's). For the first backfill of an hour
// file (the stream server's DiskBackfill): its cost must not grow with the minute of the hour.
// No I/O here: the caller reads the windows (file_reader.hpp: seek_file).
#include <cstdint>
#include <functional>
#include <optional>
#include <span>

#include "zzping/formats/native/stream_reader.hpp"

namespace zzping::native {

// Up to `length` bytes of the file image from `offset` on (fewer at its end); the span stays
// valid until the next call.
using ReadWindow = std::function<std::span<const std::uint8_t>(std::size_t offset, std::size_t length)>;

struct SeekLimits {
  std::size_t window = 4 * 1024;         // the first read at each probe; bisection stops within it
  std::size_t max_window = 1024 * 1024;  // a probe's window doubles up to this to hold a whole block
  int max_probes = 64;
};

// A frame block starting at or before target_ms, found by bisection over the records between
// `records_start` and `size`, at most about one window before the last such block, so reading
// from it on costs about what reading from the block holding target_ms does. Needs the blocks
// in time order, as zzpingd writes them: when two probed blocks are not, nullopt (nothing can
// be trusted). nullopt also when no block at or before target_ms was found (target_ms precedes
// the file's blocks, or none could be recognised): read from records_start then.
// `bytes_read` (optional) adds what the probes read.
std::optional<BlockIndex::Mark> seek_block_at_or_before(const ReadWindow& read, std::size_t records_start,
                                                        std::size_t size, const BlockContext& ctx,
                                                        std::int64_t target_ms, const SeekLimits& limits = {},
                                                        std::size_t* bytes_read = nullptr);

}  // namespace zzping::native
