// SPDX-License-Identifier: GPL-3.0-or-later
// Record-by-record reading of a .zzf image, with the end states of docs/formats.md.
#include "zzping/formats/native/stream_reader.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <optional>

namespace zzping::native {
namespace {

std::string at_byte(std::size_t offset) { return " at byte " + std::to_string(offset); }

struct RecordFrame {
  std::size_t header_bytes = 0;  // ext marker, length, type
  std::size_t payload = 0;       // body + CRC
  std::uint8_t kind = 0;
};

// Parses the record header (ext marker, length, kind) at the start of `rest`; false if it
// is not an ext8/16/32 marker, `cut` if the file ends inside it.
bool parse_record_frame(std::span<const std::uint8_t> rest, RecordFrame& f, bool& cut) {
  cut = false;
  const std::uint8_t m = rest[0];
  std::size_t width = 0;
  if (m == 0xc7) width = 1;
  else if (m == 0xc8) width = 2;
  else if (m == 0xc9) width = 4;
  else return false;
  if (rest.size() < 2 + width) {
    cut = true;
    return true;
  }
  std::size_t len = 0;
  for (std::size_t i = 0; i < width; ++i) len = (len << 8) | rest[1 + i];
  f.header_bytes = 2 + width;
  f.payload = len;
  f.kind = rest[1 + width];
  return true;
}

// The framing of the complete record at the start of `rest`; nullopt when it is not one.
std::optional<RecordFrame> complete_record(std::span<const std::uint8_t> rest) {
  RecordFrame f;
  bool cut = false;
  if (rest.empty() || !parse_record_frame(rest, f, cut) || cut) return std::nullopt;
  if (f.payload < 2 || f.payload > kMaxRecordBytes || rest.size() < f.header_bytes + f.payload) return std::nullopt;
  return f;
}

bool crc_holds(std::span<const std::uint8_t> rest, const RecordFrame& f) {
  const auto body = rest.subspan(f.header_bytes, f.payload - 2);
  const std::size_t crc_at = f.header_bytes + f.payload - 2;
  const auto stored = static_cast<std::uint16_t>((rest[crc_at] << 8) | rest[crc_at + 1]);
  const std::uint8_t kind_byte[1] = {f.kind};
  return crc16(body, crc16(kind_byte)) == stored;
}

// A record header at the start of `rest` whose record does not end inside `rest`.
bool runs_past(std::span<const std::uint8_t> rest) {
  RecordFrame f;
  bool cut = false;
  return !rest.empty() && parse_record_frame(rest, f, cut) && (cut || rest.size() < f.header_bytes + f.payload);
}

bool all_zero(std::span<const std::uint8_t> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

}  // namespace

const char* to_string(EndKind kind) {
  switch (kind) {
    case EndKind::kEof: return "eof";
    case EndKind::kTruncated: return "truncated";
    case EndKind::kError: return "error";
  }
  return "?";
}

StreamReader::StreamReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {
  if (bytes.empty()) {
    finish(EndKind::kTruncated, 0, "empty file: no header at byte 0");
    return;
  }
  try {
    std::size_t consumed = 0;
    header_ = decode_header(bytes, consumed);
    decoder_.emplace(header_->block_context());
    pos_ = consumed;
    records_start_ = consumed;
  } catch (const FormatError& e) {
    finish(e.truncated() ? EndKind::kTruncated : EndKind::kError, e.offset(), e.what());
  }
}

void StreamReader::finish(EndKind kind, std::size_t offset, std::string message) {
  ended_ = true;
  end_ = ReadEnd{kind, offset, std::move(message)};
}

void BlockIndex::extend(std::span<const std::uint8_t> bytes, const BlockContext& ctx, std::size_t records_start) {
  std::size_t pos = std::max(indexed_to_, records_start);
  std::optional<std::size_t> jitter_before;  // the record just before this one, if jitter
  while (pos < bytes.size()) {
    const auto f = complete_record(bytes.subspan(pos));
    if (!f) break;
    if (f->kind == static_cast<std::uint8_t>(RecordKind::kFrameBlock)) {
      std::int64_t start = 0;
      try {
        start = block_start_ms(bytes.subspan(pos + f->header_bytes, f->payload - 2), ctx);
      } catch (const FormatError&) {
        break;
      }
      if (!marks_.empty() && start < marks_.back().start_ms) in_order_ = false;
      marks_.push_back(Mark{start, jitter_before.value_or(pos), pos});
    }
    jitter_before = f->kind == static_cast<std::uint8_t>(RecordKind::kJitter) ? std::optional(pos) : std::nullopt;
    pos += f->header_bytes + f->payload;
  }
  // A trailing jitter record belongs to a block not yet complete: index both next time.
  indexed_to_ = jitter_before.value_or(pos);
}

void BlockIndex::start_from(std::size_t offset) {
  if (marks_.empty()) indexed_to_ = std::max(indexed_to_, offset);
}

std::optional<BlockIndex::Mark> BlockIndex::first_block_in(std::span<const std::uint8_t> window, std::size_t window_at,
                                                           const BlockContext& ctx) {
  constexpr auto kBlock = static_cast<std::uint8_t>(RecordKind::kFrameBlock);
  constexpr auto kJitter = static_cast<std::uint8_t>(RecordKind::kJitter);
  // Bytes a CRC may still be computed over: intact records need about the window once, while
  // garbage such as c8 c8 c8... claims a 51 kB record at every byte.
  std::size_t crc_budget = 4 * window.size() + 4096;
  const auto verified = [&](std::span<const std::uint8_t> rest) -> std::optional<RecordFrame> {
    const auto f = complete_record(rest);
    if (!f || f->payload > crc_budget) {
      crc_budget = f ? 0 : crc_budget;
      return std::nullopt;
    }
    crc_budget -= f->payload;
    if (crc_holds(rest, *f)) return f;
    return std::nullopt;
  };
  for (std::size_t first = 0; first < window.size() && crc_budget > 0; ++first) {
    const auto head = verified(window.subspan(first));
    if (!head) continue;
    // A run of verified records from `first` on: the first block with a record before it.
    std::size_t before_at = first;
    std::uint8_t before_kind = head->kind;
    std::size_t at = first + head->header_bytes + head->payload;
    while (at < window.size()) {
      const auto rest = window.subspan(at);
      const auto f = verified(rest);
      if (!f) {
        if (runs_past(rest)) return std::nullopt;  // the window ends inside it
        break;  // not a run after all: `first` was no record start
      }
      if (f->kind == kBlock) {
        try {
          const std::int64_t start = block_start_ms(rest.subspan(f->header_bytes, f->payload - 2), ctx);
          return Mark{start, window_at + (before_kind == kJitter ? before_at : at), window_at + at};
        } catch (const FormatError&) {
          break;
        }
      }
      before_at = at;
      before_kind = f->kind;
      at += f->header_bytes + f->payload;
    }
    if (at >= window.size()) return std::nullopt;  // the run reached the window's end
  }
  return std::nullopt;
}

std::optional<BlockIndex::Mark> BlockIndex::last_block_at_or_before(std::int64_t since_ms) const {
  if (!in_order_) return std::nullopt;
  const auto after = std::upper_bound(marks_.begin(), marks_.end(), since_ms,
                                      [](std::int64_t t, const Mark& m) { return t < m.start_ms; });
  if (after == marks_.begin()) return std::nullopt;
  return *std::prev(after);
}

void StreamReader::skip_frame_blocks_before(std::int64_t since_ms) {
  if (ended_ || !header_) return;
  // Only record lengths and block preambles are read (no CRC: that would touch every byte),
  // then the chosen block's CRC is checked, so a damaged start time cannot make the reader
  // skip frames at or after since_ms. Loss event records before it are still returned.
  BlockIndex index;
  index.extend(bytes_, header_->block_context(), pos_);
  const auto mark = index.last_block_at_or_before(since_ms);
  if (!mark) return;
  const auto f = complete_record(bytes_.subspan(mark->block_at));
  if (f && crc_holds(bytes_.subspan(mark->block_at), *f)) decode_from_ = mark->decode_from;
}

bool StreamReader::start_at(const BlockIndex::Mark& mark) {
  if (ended_ || !header_ || pos_ != records_start_ || mark.decode_from < pos_ || mark.block_at < mark.decode_from ||
      mark.block_at >= bytes_.size()) {
    return false;
  }
  const auto block = complete_record(bytes_.subspan(mark.block_at));
  if (!block || block->kind != static_cast<std::uint8_t>(RecordKind::kFrameBlock) ||
      !crc_holds(bytes_.subspan(mark.block_at), *block)) {
    return false;
  }
  try {
    const auto body = bytes_.subspan(mark.block_at + block->header_bytes, block->payload - 2);
    if (block_start_ms(body, header_->block_context()) != mark.start_ms) return false;
  } catch (const FormatError&) {
    return false;
  }
  if (mark.decode_from != mark.block_at) {
    const auto jitter = complete_record(bytes_.subspan(mark.decode_from));
    if (!jitter || jitter->kind != static_cast<std::uint8_t>(RecordKind::kJitter) ||
        mark.decode_from + jitter->header_bytes + jitter->payload != mark.block_at) {
      return false;
    }
  }
  pos_ = mark.decode_from;
  return true;
}

bool StreamReader::next(Record& out) {
  while (!ended_) {
    const std::span<const std::uint8_t> rest = bytes_.subspan(pos_);
    if (rest.empty()) {
      if (pending_jitter_) {  // written together with its block: the block was cut off
        finish(EndKind::kTruncated, pending_jitter_at_,
               "jitter record without its frame block (file cut)" + at_byte(pending_jitter_at_));
        break;
      }
      finish(EndKind::kEof, pos_, "");
      break;
    }
    RecordFrame f;
    bool cut = false;
    if (!parse_record_frame(rest, f, cut)) {
      if (all_zero(rest)) {
        finish(EndKind::kTruncated, pos_,
               "zero-filled tail (a write lost at power loss)" + at_byte(pos_));
        break;
      }
      char found[8];
      std::snprintf(found, sizeof found, "0x%02x", rest[0]);
      finish(EndKind::kError, pos_, std::string("expected a record (MessagePack ext), found ") +
                                        found + at_byte(pos_));
      break;
    }
    if (!cut && (f.payload < 2 || f.payload > kMaxRecordBytes)) {
      finish(EndKind::kError, pos_, "record length " + std::to_string(f.payload) +
                                        " out of range" + at_byte(pos_));
      break;
    }
    // A jitter record and its frame block are written together: when the block is cut,
    // the file is readable up to the jitter record.
    const std::size_t cut_at = pending_jitter_ ? pending_jitter_at_ : pos_;
    if (cut || rest.size() < f.header_bytes + f.payload) {
      finish(EndKind::kTruncated, cut_at, "incomplete last record (file cut)" + at_byte(cut_at));
      break;
    }
    const bool frames_or_jitter = f.kind == static_cast<std::uint8_t>(RecordKind::kFrameBlock) ||
                                  f.kind == static_cast<std::uint8_t>(RecordKind::kJitter);
    if (pos_ < decode_from_ && frames_or_jitter) {
      // Wholly before since_ms (skip_frame_blocks_before): not read at all.
      pos_ += f.header_bytes + f.payload;
      if (f.kind == static_cast<std::uint8_t>(RecordKind::kFrameBlock)) ++blocks_skipped_by_time_;
      continue;
    }
    if (!crc_holds(rest, f)) {
      // Damage confined to the very last record is what a torn write at power loss leaves.
      const bool last = rest.size() == f.header_bytes + f.payload;
      finish(last ? EndKind::kTruncated : EndKind::kError, last ? cut_at : pos_,
             std::string(last ? "last record damaged (torn write?): " : "") +
                 "record checksum mismatch" + at_byte(last ? cut_at : pos_));
      break;
    }
    const std::size_t record_at = pos_;
    pos_ += f.header_bytes + f.payload;
    out.offset = record_at;
    if (decode_record(f.kind, rest.subspan(f.header_bytes, f.payload - 2), out)) return true;
  }
  return false;
}

// The minor version that introduced each record kind (0 for unknown kinds).
static std::uint32_t minor_of_kind(std::uint8_t kind) {
  switch (static_cast<RecordKind>(kind)) {
    case RecordKind::kFrameBlock:
    case RecordKind::kLossEvents: return 0;
    case RecordKind::kJitter: return 1;
    case RecordKind::kAttributedEvent:
    case RecordKind::kIncident:
    case RecordKind::kPath: return 2;
  }
  return std::numeric_limits<std::uint32_t>::max();
}

bool StreamReader::decode_record(std::uint8_t kind, std::span<const std::uint8_t> body,
                                 Record& out) {
  const std::size_t base = static_cast<std::size_t>(body.data() - bytes_.data());
  if (minor_of_kind(kind) > known_minor_) {
    ++skipped_;  // a kind from a newer writer: readable files stay readable
    return false;
  }
  const bool frame_kind = kind == static_cast<std::uint8_t>(RecordKind::kJitter) ||
                          kind == static_cast<std::uint8_t>(RecordKind::kFrameBlock);
  if (frame_kind && !frames_wanted_) return false;
  try {
    if (kind == static_cast<std::uint8_t>(RecordKind::kJitter)) {
      if (pending_jitter_) throw FormatError("two jitter records without a frame block between", 0, false);
      pending_jitter_ = decode_jitter(body);
      pending_jitter_at_ = out.offset;
      return false;  // held for the next frame block
    }
    if (kind == static_cast<std::uint8_t>(RecordKind::kFrameBlock)) {
      out.kind = RecordKind::kFrameBlock;
      decoder_->decode(body, out.frames);
      attach_pending_jitter(out.frames);
      return true;
    }
    if (kind == static_cast<std::uint8_t>(RecordKind::kLossEvents)) {
      out.kind = RecordKind::kLossEvents;
      out.events = decode_events(body, header_->block_context());
      return true;
    }
    if (kind == static_cast<std::uint8_t>(RecordKind::kAttributedEvent)) {
      out.kind = RecordKind::kAttributedEvent;
      out.attributed = decode_attributed_event(body);
      return true;
    }
    if (kind == static_cast<std::uint8_t>(RecordKind::kIncident)) {
      out.kind = RecordKind::kIncident;
      out.incident = decode_incident(body);
      return true;
    }
    if (kind == static_cast<std::uint8_t>(RecordKind::kPath)) {
      out.kind = RecordKind::kPath;
      out.path = decode_path(body);
      return true;
    }
  } catch (const FormatError& e) {
    finish(EndKind::kError, base + e.offset(),
           "corrupt record at byte " + std::to_string(out.offset) + ": " + e.problem() +
               at_byte(base + e.offset()));
    return false;
  }
  ++skipped_;
  return false;
}

void StreamReader::attach_pending_jitter(DecodedBlock& frames) {
  if (!pending_jitter_) return;
  if (pending_jitter_->size() != frames.size()) {
    throw FormatError("jitter record of " + std::to_string(pending_jitter_->size()) +
                          " frames before a block of " + std::to_string(frames.size()),
                      0, false);
  }
  frames.attach_jitter(*pending_jitter_);
  pending_jitter_.reset();
}

NativeFile read_native(std::span<const std::uint8_t> bytes) {
  NativeFile file;
  StreamReader reader(bytes);
  file.header = reader.header();
  Record record;
  const RttQuantiser quantiser(file.header ? file.header->precision : RttQuantiser::kDefaultPrecision);
  while (reader.next(record)) {
    if (record.kind == RecordKind::kFrameBlock) {
      for (std::size_t i = 0; i < record.frames.size(); ++i) {
        file.frames.push_back(record.frames.to_frame(i, quantiser));
      }
    } else if (record.kind == RecordKind::kLossEvents) {
      file.events.insert(file.events.end(), record.events.begin(), record.events.end());
    } else if (record.kind == RecordKind::kAttributedEvent) {
      file.events.push_back(record.attributed.event);
      file.attributed.push_back(record.attributed);
    } else if (record.kind == RecordKind::kIncident) {
      file.incidents.push_back(record.incident);
    } else if (record.kind == RecordKind::kPath) {
      file.paths.push_back(record.path);
    }
  }
  file.end = reader.end();
  file.skipped_records = reader.skipped_records();
  return file;
}

}  // namespace zzping::native
