// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One host's chain of native files of one kind: the hourly raw files, or the day / month /
// year files of one tier. It buffers the frames and events of a flush interval, seals them
// into whole records, and appends each record with one write(2) to the file of the period
// the frames belong to (docs/daemon.md, "Files").
//
// Files are opened lazily (at the first write of a period) under the first free sequence
// number with O_EXCL, so a file an earlier process wrote is never appended to or
// overwritten. A failed or short write is cut off again with ftruncate, so a file only
// ever holds whole records (a crash can still cut the last one: readers warn, not fail).
// While writes fail, sealed records wait in a bounded backlog (the oldest are dropped
// beyond it) and are retried every retry_ms; the problem and the recovery are logged once.
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "zzping/common/frame.hpp"
#include "zzping/daemon/file_sink_ops.hpp"
#include "zzping/formats/native/file_format.hpp"
#include "zzping/formats/native/layout.hpp"

namespace zzping::daemon {

// How a series names its files and cuts time into periods.
struct SeriesNaming {
  // The file of the period holding t_ms, with sequence number n (0 = the plain name).
  std::function<std::filesystem::path(std::int64_t t_ms, unsigned n)> file;
  // The UTC period [start_ms, end_ms) holding t_ms.
  std::function<native::layout::FilePeriod(std::int64_t t_ms)> period;
};

struct SeriesPolicy {
  std::size_t max_backlog_bytes = std::size_t{1} << 20;  // sealed, unwritten records per series
  std::int64_t retry_ms = 5000;  // after a failure, the next attempt waits this long
  bool sync_on_close = true;     // fdatasync a file before closing it (fsync_s > 0)
};

class FileSeries {
 public:
  // `header` is the template of every file's header (its start_ms is set per file).
  FileSeries(SeriesNaming naming, native::FileHeader header, SeriesPolicy policy, FileOps& ops);
  FileSeries(const FileSeries&) = delete;
  FileSeries& operator=(const FileSeries&) = delete;
  ~FileSeries();  // closes the descriptor; call close() first to write what is buffered

  // Buffers a frame; a frame of a later period first finishes the current one. Throws
  // std::invalid_argument (buffering nothing) for a frame of another precision.
  void add_frame(const Frame& frame);
  // Buffers an event for the current period's file (a new period starts at its time if
  // none is open).
  void add_event(const LossEvent& event);
  // Buffers one whole record that needs no block context (the evidence kinds 4-6, already
  // framed by native::append_*_record) for the current period's file, like add_event;
  // written after the frames and events of the same flush.
  void add_record(std::span<const std::uint8_t> record, std::int64_t t_ms);
  // The address written into the headers of files opened from now on.
  void set_address(const std::string& address) { header_template_.address = address; }

  // Seals the buffered frames (one record) and events (one record) and writes the backlog,
  // unless a failure happened less than retry_ms before `now_ms`.
  void flush(std::int64_t now_ms);
  // fdatasync(2) of the open file if it was written since its last sync.
  void sync();
  // Writes everything (one last attempt), syncs per policy and closes the file. Records
  // that still cannot be written are dropped and counted.
  void close(std::int64_t now_ms);

  bool failing() const { return failing_; }
  std::uint64_t frames_dropped() const { return frames_dropped_; }
  // The file currently open ("" if none).
  const std::filesystem::path& path() const { return path_; }

 private:
  struct Sealed {
    std::vector<std::uint8_t> bytes;  // one whole record
    std::size_t frames = 0;
  };

  void start_period(std::int64_t t_ms);
  void finish_period(std::int64_t now_ms);
  void seal();
  void enqueue(Sealed sealed);
  void write_backlog(std::int64_t now_ms, bool even_if_waiting);
  int open_file();
  int write_whole(const std::vector<std::uint8_t>& bytes);
  void close_file();
  void on_failure(std::int64_t now_ms, int error, const char* action);
  void on_success();
  void drop_backlog(const char* why);

  SeriesNaming naming_;
  native::FileHeader header_template_;
  SeriesPolicy policy_;
  FileOps& ops_;

  bool has_period_ = false;
  native::layout::FilePeriod period_;
  native::FileHeader header_;  // of the current period's file
  std::vector<Frame> frames_;
  std::vector<LossEvent> events_;
  std::vector<std::uint8_t> records_;  // whole records of add_record, back to back
  std::deque<Sealed> backlog_;
  std::size_t backlog_bytes_ = 0;

  std::filesystem::path path_;
  int fd_ = -1;
  std::int64_t size_ = 0;  // bytes of whole records (and header) in the open file
  bool header_written_ = false;
  bool dirty_ = false;     // written since the last sync

  bool failing_ = false;
  bool drop_logged_ = false;
  bool sync_error_logged_ = false;
  bool encode_error_logged_ = false;
  std::int64_t next_retry_ms_ = 0;
  std::uint64_t frames_dropped_ = 0;
  std::uint64_t dropped_at_failure_ = 0;
  std::int64_t last_now_ms_ = 0;
};

}  // namespace zzping::daemon
