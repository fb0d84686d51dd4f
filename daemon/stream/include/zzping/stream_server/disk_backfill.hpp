// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The part of a backfill older than the server's memory: one host's raw hour files in the
// daemon's data directory (native/layout.hpp), read record by record in time order, the
// numbered restart files of an hour (.1.zzf, .2.zzf...) after its first file. Only one
// file's bytes are held at a time, and only while it is being read, so a client's disk
// backfill costs at most one hour file of memory. A cut last record (kill -9) ends that
// file quietly; damaged bytes end it with a warning; the next file is read either way.
//
// Reaching `since` inside a file: a BlockIndexCache (one per stream server) keeps each
// file's BlockIndex, extended by what the file grew since the last backfill, so a backfill
// reads the header and the part of the file from a minute before `since` on (frame blocks
// before `since` stepped over unread), not the hour before it: its cost does not grow with
// the minute of the hour. A file not indexed yet (the first backfill of it since the server
// started) is not read from its start either: a bisection over its bytes (native::seek_file,
// a few small pread windows) finds that block and starts the file's index there. Only a file
// whose blocks cannot be trusted that way (out of time order, a header that does not decode)
// is read whole.
#include <cstdint>
#include <filesystem>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "zzping/common/frame.hpp"
#include "zzping/formats/native/file_reader.hpp"
#include "zzping/formats/stream/messages.hpp"

namespace zzping::stream {

// One record of a file: frames (time order), loss events, an incident or a path snapshot;
// the others are empty. Events read from kind 4 records (format 1.2) carry their cause;
// incidents (kind 5) ending and paths (kind 6) taken at or after since_ms come too.
struct DiskRecord {
  std::vector<Frame> frames;
  std::vector<EventMessage> events;
  std::vector<attribution::Incident> incidents;
  std::vector<PathSnapshot> paths;
};

// The BlockIndex of recently read files, with what identifies the file it was built from.
// Bounded: the least recently used entries beyond kMaxFiles are dropped (an hour file's index
// is 24 bytes per block: ~86 kB for an hour of 1 s flushes).
class BlockIndexCache {
 public:
  static constexpr std::size_t kMaxFiles = 64;
  struct Entry {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::size_t records_start = 0;  // the header's size
    native::BlockIndex index;
  };
  // The entry of `path` if it was built from this very file (device, inode) and the file
  // has not shrunk below what is indexed; nullptr otherwise.
  Entry* find(const std::filesystem::path& path, const native::FileReader::Identity& file);
  // A fresh entry for `path` (replacing any), most recently used.
  Entry& replace(const std::filesystem::path& path, const native::FileReader::Identity& file,
                 std::size_t records_start);
  void forget(const std::filesystem::path& path);
  std::size_t size() const { return entries_.size(); }

 private:
  using Lru = std::list<std::filesystem::path>;
  std::map<std::filesystem::path, std::pair<Entry, Lru::iterator>> entries_;
  Lru lru_;  // front: most recently used
};

class DiskBackfill {
 public:
  // Files larger than this are skipped with a warning (an hour file at 1000 probes/s is
  // a few MB): a stray huge file must not cost a client unbounded memory.
  static constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{256} << 20;
  // Reading starts at a block this long before since_ms: every record written after
  // since_ms (the evidence records dated at or after it) comes after that block in the
  // file, as long as a block is written within this time of its start (its span +
  // timeout_ms + flush_ms: 3 s at the defaults).
  static constexpr std::int64_t kRecordLagMs = 60'000;

  // Lists the host's raw files that may hold frames at or after since_ms (no file is read yet).
  // `index_cache` is shared by the backfills of one server (nullptr: one of its own).
  DiskBackfill(const std::filesystem::path& data_dir, const std::string& host, std::int64_t since_ms,
               std::shared_ptr<BlockIndexCache> index_cache = nullptr);

  // The next record with something at or after since_ms: frames strictly later than every
  // frame returned before (restart files may overlap), or events / incidents ending at or
  // after since_ms, or a path taken then. False once every file has been read.
  bool next(DiskRecord& out);

  std::size_t file_count() const { return files_.size(); }
  // Bytes read from the files so far (a file already indexed: its header and its tail).
  std::size_t bytes_read() const { return bytes_read_; }

 private:
  bool open_next_file();
  bool open_file(const std::filesystem::path& path);
  void open_at_since(const std::filesystem::path& path);
  bool open_tail(const std::filesystem::path& path, BlockIndexCache::Entry& entry, std::size_t tail_from,
                 std::int64_t start_before);
  void open_whole(const std::filesystem::path& path, std::int64_t start_before);
  void close_file();
  bool take(const native::Record& record, DiskRecord& out);

  std::string host_;
  std::int64_t since_ms_;
  std::vector<std::filesystem::path> files_;  // time order
  std::shared_ptr<BlockIndexCache> index_cache_;
  std::size_t next_file_ = 0;
  std::unique_ptr<native::FileReader> file_;
  std::optional<native::StreamReader> reader_;
  native::Record record_;
  std::int64_t last_frame_ms_ = INT64_MIN;
  std::size_t bytes_read_ = 0;
};

}  // namespace zzping::stream
