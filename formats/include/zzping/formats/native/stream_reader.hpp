// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reads a .zzf file image record by record (docs/formats.md, "Reading"): the header, then
// every complete record, then an end state. A file cut anywhere (kill -9, power loss)
// ends in kTruncated with the offset of the incomplete record, and everything before it
// is returned; damaged bytes in the middle end in kError naming their offset, again with
// everything before them. No I/O here: see file_reader.hpp for paths.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "zzping/common/frame.hpp"
#include "zzping/formats/native/block_codec.hpp"
#include "zzping/formats/native/file_format.hpp"

namespace zzping::native {

enum class EndKind {
  kEof,        // the data ended exactly after a record
  kTruncated,  // the last record (or the header) is incomplete: a warning, not an error
  kError,      // damaged or foreign bytes: nothing after `offset` is read
};
const char* to_string(EndKind kind);

struct ReadEnd {
  EndKind kind = EndKind::kEof;
  std::size_t offset = 0;  // where reading stopped (the cut or bad record; the size at kEof)
  std::string message;     // one line naming the problem and its byte offset; empty at kEof
};

// One record's content, in buffers reused from record to record.
struct Record {
  RecordKind kind = RecordKind::kFrameBlock;
  std::size_t offset = 0;  // of the record in the file
  DecodedBlock frames;     // kind == kFrameBlock
  std::vector<LossEvent> events;  // kind == kLossEvents
  AttributedLossEvent attributed;  // kind == kAttributedEvent
  attribution::Incident incident;  // kind == kIncident
  PathSnapshot path;               // kind == kPath
};

// Where each frame block of a file image starts, in time and in the file, for a reader that
// comes back to the same growing file (the stream server's disk backfill): reaching a time
// is then a binary search, not a walk over every record before it. Kept in memory only (the
// file format is unchanged). Building it reads only record lengths and block preambles.
class BlockIndex {
 public:
  struct Mark {
    std::int64_t start_ms = 0;    // the block's first frame
    std::size_t decode_from = 0;  // its jitter record if one comes just before it, else the block
    std::size_t block_at = 0;     // the frame block record
    friend bool operator==(const Mark&, const Mark&) = default;
  };
  // Indexes the complete records of `bytes` (the whole file image, grown by whole records
  // since the last call, as zzpingd's files grow) from where the last call stopped, or from
  // `records_start` (the end of the header) on the first call. Stops at the first record that
  // is incomplete, does not frame or has a corrupt preamble: a later call goes on from there.
  // Only bytes from the returned position on are read.
  void extend(std::span<const std::uint8_t> bytes, const BlockContext& ctx, std::size_t records_start);
  // Makes an empty index start at `offset` (a record start found without reading the file
  // from its start: seek_block_at_or_before) instead of the header's end: only the blocks
  // from there on are indexed, so a time before the first of them finds nothing.
  void start_from(std::size_t offset);
  // The first frame block of `window`, the bytes of a file image from offset `window_at` on
  // (which need not be a record start): the block and the record before it must both be
  // complete in the window and pass their CRC, and that record must begin a run of such
  // records, so a false record start (a CRC matching by chance, twice) is not a practical
  // risk. decode_from is that record when it is the block's jitter. nullopt when there is
  // none, or when the run reaches the window's end first (a larger window may find one).
  static std::optional<Mark> first_block_in(std::span<const std::uint8_t> window, std::size_t window_at,
                                            const BlockContext& ctx);
  // The last block starting at or before since_ms: every frame at or after since_ms is in it
  // or after it. nullopt when there is none, or when the blocks are not in time order (then
  // nothing can be skipped).
  std::optional<Mark> last_block_at_or_before(std::int64_t since_ms) const;
  // Where the next extend() goes on (the end of the last complete record indexed).
  std::size_t indexed_to() const { return indexed_to_; }
  std::size_t block_count() const { return marks_.size(); }
  // False once two indexed blocks were found out of time order (a wall clock stepped back).
  bool in_time_order() const { return in_order_; }

 private:
  std::vector<Mark> marks_;
  std::size_t indexed_to_ = 0;
  bool in_order_ = true;
};

class StreamReader {
 public:
  // `bytes` must outlive the reader. Parses the header at once (see header()).
  explicit StreamReader(std::span<const std::uint8_t> bytes);

  // The header; empty when it could not be read (end() then says why).
  const std::optional<FileHeader>& header() const { return header_; }
  // Decodes the next known record into `out`; false once reading has ended (see end()).
  // Records of unknown kinds (from newer writers) are skipped and counted. A jitter record
  // is not returned: its values come with the frames of the block after it.
  bool next(Record& out);
  // Why reading ended; meaningful once next() returned false.
  const ReadEnd& end() const { return end_; }
  std::size_t skipped_records() const { return skipped_; }
  // Events only: frame blocks and their jitter are checked (CRC) but not decoded nor
  // returned, so a reader after loss events skips the bulk of the work.
  void skip_frame_blocks() { frames_wanted_ = false; }
  // Read as a reader of an older minor version would: record kinds that version did not
  // know (4-6 for minor <= 1, 3 for minor 0) are skipped and counted. For tests of the
  // version policy and for tools that want only what an older reader saw.
  void read_as_minor(std::uint32_t minor) { known_minor_ = minor; }

  // Call before the first next() (after start_at, if used: the walk starts where reading
  // will): frame blocks that end before `since_ms` are stepped over
  // unread (neither decoded nor CRC-checked: damage inside them goes unnoticed); loss event
  // records are all returned. A block ends before since_ms when a LATER block starts at or
  // before it, so this needs blocks in time order (as zzpingd writes them): if the block
  // starts are not in order, nothing is skipped. Finding the blocks reads only record
  // lengths and block preambles, so reaching minute 55 of an hour file costs about what
  // reaching minute 5 does.
  void skip_frame_blocks_before(std::int64_t since_ms);
  std::size_t blocks_skipped_by_time() const { return blocks_skipped_by_time_; }
  // Call before the first next(): reading starts at `mark` (from a BlockIndex of this file),
  // and nothing before it is read at all, so the bytes before it need not even be loaded
  // (FileReader's partial read). Unlike skip_frame_blocks_before this also passes over the
  // loss event records before the block: zzpingd writes a burst's record after the frames it
  // ends in, so none of them ends at or after the block's start. Returns false and changes
  // nothing unless the mark is a complete frame block starting at mark.start_ms whose CRC
  // holds (a stale index of a replaced file is caught here), with its jitter record right
  // before it when decode_from says so.
  bool start_at(const BlockIndex::Mark& mark);
  // The offset of the first record (the header's size); 0 without a header.
  std::size_t records_start() const { return records_start_; }

 private:
  void finish(EndKind kind, std::size_t offset, std::string message);
  bool decode_record(std::uint8_t kind, std::span<const std::uint8_t> body, Record& out);
  void attach_pending_jitter(DecodedBlock& frames);

  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  std::size_t records_start_ = 0;
  std::optional<FileHeader> header_;
  std::optional<BlockDecoder> decoder_;
  std::size_t skipped_ = 0;
  std::size_t decode_from_ = 0;  // frame blocks starting before this offset are not decoded
  std::size_t blocks_skipped_by_time_ = 0;
  std::optional<std::vector<std::optional<JitterSum>>> pending_jitter_;  // for the next block
  std::size_t pending_jitter_at_ = 0;
  bool ended_ = false;
  bool frames_wanted_ = true;
  std::uint32_t known_minor_ = kVersionMinor;
  ReadEnd end_;
};

// Everything in a file image, as owning values. This materialises every frame (about 100
// bytes each, while a regular empty frame takes one bit on disk): for large or untrusted
// files, walk the records with StreamReader instead.
struct NativeFile {
  std::optional<FileHeader> header;
  std::vector<Frame> frames;
  // Every loss burst in file order: those of kind 2 records and (without their cause) those
  // of kind 4, so readers that want only the bursts need not care which kind holds them.
  std::vector<LossEvent> events;
  std::vector<AttributedLossEvent> attributed;  // kind 4, with their cause
  std::vector<attribution::Incident> incidents;
  std::vector<PathSnapshot> paths;
  ReadEnd end;
  std::size_t skipped_records = 0;
};
NativeFile read_native(std::span<const std::uint8_t> bytes);

}  // namespace zzping::native
