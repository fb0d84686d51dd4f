// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/stream_server/disk_backfill.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <system_error>

#include "zzping/formats/native/file_reader.hpp"
#include "zzping/formats/native/layout.hpp"

namespace zzping::stream {

namespace fs = std::filesystem;
namespace layout = native::layout;

namespace {

struct Candidate {
  layout::FilePeriod period;
  fs::path path;
};

// Day folders are named YYYY-MM-DD, which sorts like time; others (tiers/) are not ours.
bool is_day_folder(const fs::directory_entry& entry) {
  return entry.is_directory() && native::layout::is_day_dir_name(entry.path().filename().string());
}

// The host's raw files holding anything at or after since_ms, in time order.
std::vector<fs::path> list_raw_files(const fs::path& data_dir, const std::string& host,
                                     std::int64_t since_ms) {
  std::vector<Candidate> found;
  std::error_code ec;
  const fs::path dir = layout::host_dir(data_dir, host);
  // Days before the one holding since_ms are not even listed: a years-long archive costs
  // nothing but its directory names.
  std::string first_day;
  try {
    first_day = layout::raw_file(data_dir, host, std::max<std::int64_t>(since_ms, 0)).parent_path().filename().string();
  } catch (const std::out_of_range&) {
    return {};  // since_ms beyond year 9999: nothing on disk can be that late
  }
  for (const auto& day : fs::directory_iterator(dir, ec)) {
    if (!is_day_folder(day) || day.path().filename().string() < first_day) continue;
    std::error_code day_ec;
    for (const auto& file : fs::directory_iterator(day.path(), day_ec)) {
      const auto period = layout::parse_raw_file_name(file.path().filename().string());
      if (period && period->end_ms > since_ms) found.push_back({*period, file.path()});
    }
  }
  std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
    return a.period.start_ms != b.period.start_ms ? a.period.start_ms < b.period.start_ms
                                                  : a.period.sequence < b.period.sequence;
  });
  std::vector<fs::path> out;
  for (auto& c : found) out.push_back(std::move(c.path));
  return out;
}

}  // namespace

BlockIndexCache::Entry* BlockIndexCache::find(const fs::path& path, const native::FileReader::Identity& file) {
  const auto it = entries_.find(path);
  if (it == entries_.end()) return nullptr;
  Entry& entry = it->second.first;
  if (entry.device != file.device || entry.inode != file.inode || file.size < entry.index.indexed_to()) {
    forget(path);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second.second);
  return &entry;
}

BlockIndexCache::Entry& BlockIndexCache::replace(const fs::path& path, const native::FileReader::Identity& file,
                                                 std::size_t records_start) {
  forget(path);
  while (entries_.size() >= kMaxFiles) forget(lru_.back());
  lru_.push_front(path);
  auto& slot = entries_[path];
  slot = {Entry{file.device, file.inode, records_start, {}}, lru_.begin()};
  return slot.first;
}

void BlockIndexCache::forget(const fs::path& path) {
  const auto it = entries_.find(path);
  if (it == entries_.end()) return;
  lru_.erase(it->second.second);
  entries_.erase(it);
}

DiskBackfill::DiskBackfill(const fs::path& data_dir, const std::string& host, std::int64_t since_ms,
                           std::shared_ptr<BlockIndexCache> index_cache)
    : host_(host), since_ms_(since_ms), files_(list_raw_files(data_dir, host, since_ms)),
      index_cache_(index_cache ? std::move(index_cache) : std::make_shared<BlockIndexCache>()) {}

bool DiskBackfill::next(DiskRecord& out) {
  out.frames.clear();
  out.events.clear();
  out.incidents.clear();
  out.paths.clear();
  while (true) {
    if (!reader_ && !open_next_file()) return false;
    if (!reader_->next(record_)) {
      const native::ReadEnd& end = reader_->end();
      if (end.kind == native::EndKind::kError) {
        spdlog::warn("stream: backfill of {}: {}: {}", host_, file_->path().string(), end.message);
      }
      close_file();
      continue;
    }
    if (take(record_, out)) return true;
  }
}

bool DiskBackfill::open_next_file() {
  while (next_file_ < files_.size()) {
    if (open_file(files_[next_file_++])) return true;
  }
  return false;
}

bool DiskBackfill::open_file(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec || size > kMaxFileBytes) {
    spdlog::warn("stream: backfill of {}: skipping {}: {}", host_, path.string(),
                 ec ? ec.message() : "larger than " + std::to_string(kMaxFileBytes) + " bytes");
    return false;
  }
  try {
    open_at_since(path);
  } catch (const std::exception& e) {
    spdlog::warn("stream: backfill of {}: {}", host_, e.what());
    close_file();
    return false;
  }
  if (reader_->header() && reader_->header()->host != host_) {
    spdlog::warn("stream: backfill of {}: skipping {}: it holds host '{}'", host_, path.string(),
                 reader_->header()->host);
    close_file();
    return false;
  }
  return true;
}

// Reads the header and the file from the block that starts kRecordLagMs before since_ms
// on. Where that block is: the cached index of the file (first extended over what the file
// grew since), else a bisection over the file reading a few small windows (seek_file), whose
// block starts a partial index of the file in the cache; only when neither can be trusted (a
// header that does not decode, blocks out of time order, a block not where it was found) is
// the whole file read and indexed. Why that block: evidence records (kinds 4-6) are written
// when the burst was attributed, the incident emitted, the trace done, so one dated at or
// after since_ms is written after since_ms, while that block was written before since_ms (a
// block is written at most its span + timeout_ms + flush_ms after its start). The frame
// blocks between it and since_ms are stepped over unread (skip_frame_blocks_before); only
// the records between are read.
void DiskBackfill::open_at_since(const fs::path& path) {
  const std::int64_t start_before = since_ms_ - kRecordLagMs;
  const native::FileReader::Identity probe = native::FileReader::identify(path);
  if (BlockIndexCache::Entry* entry = index_cache_->find(path, probe)) {
    if (!entry->index.in_time_order()) return open_whole(path, start_before);  // bisection would be blind
    const auto known = entry->index.last_block_at_or_before(start_before);
    if (known && open_tail(path, *entry, known->decode_from, start_before)) return;
  }
  if (const auto seek = native::seek_file(path, start_before); seek && seek->mark) {
    bytes_read_ += seek->bytes_read;
    BlockIndexCache::Entry& entry = index_cache_->replace(path, seek->identity, seek->records_start);
    entry.index.start_from(seek->mark->decode_from);
    if (open_tail(path, entry, seek->mark->decode_from, start_before)) return;
    index_cache_->forget(path);
  }
  open_whole(path, start_before);
}

// Reads the header and the file from tail_from on, extends the entry's index over the bytes
// read and starts at its last block at or before start_before. False (nothing left open)
// when the file is not the one indexed or the block is not where the index says.
bool DiskBackfill::open_tail(const fs::path& path, BlockIndexCache::Entry& entry, std::size_t tail_from,
                             std::int64_t start_before) {
  tail_from = std::min(tail_from, entry.index.indexed_to());
  file_ = std::make_unique<native::FileReader>(path, entry.records_start, tail_from);
  bytes_read_ += file_->loaded_bytes();
  reader_.emplace(file_->stream());
  const bool same_file = file_->identity().device == entry.device && file_->identity().inode == entry.inode;
  if (same_file && reader_->header() && reader_->records_start() == entry.records_start) {
    entry.index.extend(file_->bytes(), reader_->header()->block_context(), reader_->records_start());
    const auto mark = entry.index.last_block_at_or_before(start_before);
    if (mark && mark->decode_from >= tail_from && reader_->start_at(*mark)) {
      reader_->skip_frame_blocks_before(since_ms_);
      return true;
    }
  }
  close_file();
  return false;
}

// The whole file read and indexed anew (its entry replaced).
void DiskBackfill::open_whole(const fs::path& path, std::int64_t start_before) {
  file_ = std::make_unique<native::FileReader>(path);
  bytes_read_ += file_->loaded_bytes();
  reader_.emplace(file_->stream());
  if (!reader_->header()) return;  // next() reports why
  BlockIndexCache::Entry& entry = index_cache_->replace(path, file_->identity(), reader_->records_start());
  entry.index.extend(file_->bytes(), reader_->header()->block_context(), reader_->records_start());
  if (const auto mark = entry.index.last_block_at_or_before(start_before)) reader_->start_at(*mark);
  reader_->skip_frame_blocks_before(since_ms_);
}

void DiskBackfill::close_file() {
  reader_.reset();
  file_.reset();
}

bool DiskBackfill::take(const native::Record& record, DiskRecord& out) {
  if (record.kind == native::RecordKind::kLossEvents) {
    for (const auto& e : record.events) {
      if (e.end_ms >= since_ms_) out.events.push_back(EventMessage{host_, e});
    }
    return !out.events.empty();
  }
  if (record.kind == native::RecordKind::kAttributedEvent) {
    const native::AttributedLossEvent& a = record.attributed;
    if (a.event.end_ms >= since_ms_) {
      out.events.push_back(EventMessage{host_, a.event, a.cause, a.reason, a.lost_too, a.answered});
    }
    return !out.events.empty();
  }
  if (record.kind == native::RecordKind::kIncident) {
    if (record.incident.end_ms >= since_ms_) out.incidents.push_back(record.incident);
    return !out.incidents.empty();
  }
  if (record.kind == native::RecordKind::kPath) {
    if (record.path.t_ms >= since_ms_) out.paths.push_back(record.path);
    return !out.paths.empty();
  }
  if (record.kind != native::RecordKind::kFrameBlock) return false;
  const RttQuantiser quantiser(reader_->header()->precision);
  for (std::size_t i = 0; i < record.frames.size(); ++i) {
    const std::int64_t t_ms = record.frames[i].t_ms;
    if (t_ms < since_ms_ || t_ms <= last_frame_ms_) continue;
    out.frames.push_back(record.frames.to_frame(i, quantiser));
    last_frame_ms_ = t_ms;
  }
  return !out.frames.empty();
}

}  // namespace zzping::stream
