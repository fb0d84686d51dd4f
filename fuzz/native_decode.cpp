// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the native format's decoders on arbitrary bytes. The bytes are read as a
// whole .zzf file, as one frame block (in two contexts), as a loss-events record and as a
// standalone block. Each must end in a value or a FormatError, never crash or hang; a
// decoded block must re-encode to a block that decodes to the same frames; a file's end
// state must be consistent. Also read as a jitter record, which must re-encode exactly, and
// as each evidence record of 1.2 (attributed burst, incident, path), which must re-encode
// to a body that decodes to the same value. And sought without reading from the start
// (block_seek.hpp), which must end within its probes.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

#include "zzping/formats/native/block_codec.hpp"
#include "zzping/formats/native/block_seek.hpp"
#include "zzping/formats/native/evidence_records.hpp"
#include "zzping/formats/native/stream_reader.hpp"

namespace {

using namespace zzping::native;

void check(bool condition) {
  if (!condition) std::abort();
}

NativeFile fuzz_file(std::span<const std::uint8_t> bytes) {
  NativeFile file = read_native(bytes);
  check(file.end.offset <= bytes.size());
  check(file.end.kind != EndKind::kEof || file.end.offset == bytes.size());
  check(file.end.kind == EndKind::kEof || !file.end.message.empty());
  check(file.header.has_value() || file.frames.empty());
  return file;
}

// Skipping blocks before a time (the disk backfill) on the same bytes: on an intact file
// it returns a tail of the plain read's frames and ends the same way. (Completeness from
// `since` on needs blocks that do not overlap in time, which only a real writer ensures.)
// The same through a BlockIndex built in two steps (as a file grows) and start_at (the
// server's cached backfill): the mark is checked before it is used, whatever the bytes.
void fuzz_skipping(std::span<const std::uint8_t> bytes, const NativeFile& plain, bool through_index) {
  if (!plain.header || bytes.empty()) return;
  const std::int64_t since = plain.header->start_ms + std::int64_t{bytes.back()} * 14'117;
  StreamReader reader(bytes);
  if (through_index) {
    BlockIndex index;
    index.extend(bytes.first(bytes.size() / 2), plain.header->block_context(), reader.records_start());
    index.extend(bytes, plain.header->block_context(), reader.records_start());
    check(index.indexed_to() <= bytes.size());
    if (const auto mark = index.last_block_at_or_before(since)) reader.start_at(*mark);
  } else {
    reader.skip_frame_blocks_before(since);
  }
  const zzping::RttQuantiser quantiser(plain.header->precision);
  std::vector<zzping::Frame> frames;
  Record record;
  while (reader.next(record)) {
    if (record.kind != RecordKind::kFrameBlock) continue;
    for (std::size_t i = 0; i < record.frames.size(); ++i) frames.push_back(record.frames.to_frame(i, quantiser));
  }
  check(reader.end().offset <= bytes.size());
  if (plain.end.kind != EndKind::kEof) return;
  check(reader.end().kind == EndKind::kEof);
  check(frames.size() <= plain.frames.size());
  check(std::equal(frames.begin(), frames.end(), plain.frames.end() - static_cast<std::ptrdiff_t>(frames.size())));
}

// Seeking a time without reading from the start (the first disk backfill of a file): on any
// bytes a probe ends, within its budget, and a mark found is a block inside the image at or
// before the time. (That it is a real record start is a matter of CRC odds, checked on real
// files by the unit tests, not something arbitrary bytes can be held to.)
void fuzz_seeking(std::span<const std::uint8_t> bytes, const NativeFile& plain) {
  if (!plain.header || bytes.empty()) return;
  const BlockContext ctx = plain.header->block_context();
  const std::int64_t target = plain.header->start_ms + std::int64_t{bytes.front()} * 9'973;
  for (const std::size_t from : {std::size_t{0}, bytes.size() / 3, bytes.size() / 2}) {
    if (const auto mark = BlockIndex::first_block_in(bytes.subspan(from), from, ctx)) {
      check(mark->decode_from >= from && mark->decode_from <= mark->block_at && mark->block_at < bytes.size());
    }
  }
  const ReadWindow read = [bytes](std::size_t offset, std::size_t length) {
    if (offset >= bytes.size()) return std::span<const std::uint8_t>{};
    return bytes.subspan(offset, std::min(length, bytes.size() - offset));
  };
  StreamReader reader(bytes);
  std::size_t bytes_read = 0;
  const SeekLimits small{64, 1024, 64};
  const auto mark = seek_block_at_or_before(read, reader.records_start(), bytes.size(), ctx, target, small, &bytes_read);
  check(bytes_read <= std::size_t{64} * 2048);
  if (mark) check(mark->start_ms <= target && mark->block_at < bytes.size());
}

void fuzz_block(std::span<const std::uint8_t> bytes, const BlockContext& ctx) {
  std::vector<zzping::Frame> frames;
  try {
    frames = decode_block(bytes, ctx);
  } catch (const FormatError&) {
    return;
  }
  check(!frames.empty() && frames.size() <= kMaxFramesPerBlock);
  std::vector<std::uint8_t> again;
  try {
    again = encode_block(frames, ctx);
  } catch (const std::invalid_argument&) {
    return;  // decodable but beyond what the encoder accepts (e.g. times past 2^58 ms)
  }
  check(decode_block(again, ctx) == frames);
}

// The jitter record: decodes to values that re-encode to the same values.
void fuzz_jitter(std::span<const std::uint8_t> bytes) {
  std::vector<std::optional<zzping::JitterSum>> jitter;
  try {
    jitter = decode_jitter(bytes);
  } catch (const FormatError&) {
    return;
  }
  check(!jitter.empty() && jitter.size() <= kMaxFramesPerBlock);
  std::vector<zzping::Frame> frames(jitter.size());
  for (std::size_t i = 0; i < jitter.size(); ++i) frames[i].jitter = jitter[i];
  check(decode_jitter(encode_jitter(frames)) == jitter);
}

// One evidence record kind: decode, re-encode, decode again to the same value.
template <typename Decode, typename Encode, typename Same>
void fuzz_evidence(std::span<const std::uint8_t> bytes, Decode decode, Encode encode, Same same) {
  decltype(decode(bytes)) value;
  try {
    value = decode(bytes);
  } catch (const FormatError&) {
    return;
  }
  std::vector<std::uint8_t> again;
  encode(value, again);  // anything decoded is within what the encoder accepts
  check(same(decode(again), value));
}

void fuzz_evidence_records(std::span<const std::uint8_t> bytes) {
  auto equal = [](const auto& a, const auto& b) { return a == b; };
  fuzz_evidence(bytes, [](auto b) { return decode_attributed_event(b); },
                [](const auto& v, auto& out) { encode_attributed_event(v, out); }, equal);
  fuzz_evidence(bytes, [](auto b) { return decode_incident(b); },
                [](const auto& v, auto& out) { encode_incident(v, out); },
                [](const auto& a, const auto& b) { return same_incident(a, b); });
  fuzz_evidence(bytes, [](auto b) { return decode_path(b); },
                [](const auto& v, auto& out) { encode_path(v, out); }, equal);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  const NativeFile plain = fuzz_file(bytes);
  fuzz_skipping(bytes, plain, false);
  fuzz_skipping(bytes, plain, true);
  fuzz_seeking(bytes, plain);
  fuzz_block(bytes, BlockContext{});
  fuzz_block(bytes, BlockContext{1000, 0.001, 1'609'488'000'000});
  try {
    decode_events(bytes, BlockContext{});
  } catch (const FormatError&) {
  }
  try {
    decode_standalone_block(bytes);
  } catch (const FormatError&) {
  }
  fuzz_jitter(bytes);
  fuzz_evidence_records(bytes);
  return 0;
}
