// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/file_sink_series.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>

#include "zzping/formats/native/block_codec.hpp"

namespace zzping::daemon {
namespace {

// A name race (another writer created the same file between exists() and open()) only
// moves on to the next number; this many in a row means something else is wrong.
constexpr unsigned kMaxNameAttempts = 1000;

}  // namespace

FileSeries::FileSeries(SeriesNaming naming, native::FileHeader header, SeriesPolicy policy, FileOps& ops)
    : naming_(std::move(naming)), header_template_(std::move(header)), policy_(policy), ops_(ops) {}

FileSeries::~FileSeries() {
  if (fd_ >= 0) ops_.close(fd_);
}

void FileSeries::add_frame(const Frame& frame) {
  // Refused here, alone, rather than when sealing, where it would take its batch with it.
  if (!(frame.rtt.quantiser().precision() == header_template_.precision)) {
    throw std::invalid_argument("frame precision " + std::to_string(frame.rtt.quantiser().precision()) +
                                " differs from the files' " + std::to_string(header_template_.precision));
  }
  if (!has_period_) {
    start_period(frame.t_ms);
  } else if (frame.t_ms >= period_.end_ms) {
    finish_period(last_now_ms_);
    start_period(frame.t_ms);
  }
  // A frame older than the period (the wall clock stepped back) stays in the current file:
  // block times may precede the file start, and dropping it would lose counts.
  frames_.push_back(frame);
  if (frames_.size() == native::kMaxFramesPerBlock) seal();
}

void FileSeries::add_event(const LossEvent& event) {
  if (!has_period_) start_period(event.start_ms);
  events_.push_back(event);
  if (events_.size() == native::kMaxEventsPerRecord) seal();
}

void FileSeries::add_record(std::span<const std::uint8_t> record, std::int64_t t_ms) {
  if (!has_period_) start_period(t_ms);
  records_.insert(records_.end(), record.begin(), record.end());
}

void FileSeries::flush(std::int64_t now_ms) {
  last_now_ms_ = now_ms;
  seal();
  write_backlog(now_ms, false);
}

void FileSeries::sync() {
  if (fd_ < 0 || !dirty_) return;
  const int error = ops_.sync(fd_);
  if (error == 0) {
    dirty_ = false;
    sync_error_logged_ = false;
    return;
  }
  if (!sync_error_logged_) {
    spdlog::error("files: fdatasync {}: {} (the data is written but may not be on disk)", path_.string(),
                  std::strerror(error));
    sync_error_logged_ = true;
  }
}

void FileSeries::close(std::int64_t now_ms) {
  last_now_ms_ = now_ms;
  if (has_period_) finish_period(now_ms);
}

void FileSeries::start_period(std::int64_t t_ms) {
  period_ = naming_.period(t_ms);
  header_ = header_template_;
  header_.start_ms = t_ms;
  has_period_ = true;
}

void FileSeries::finish_period(std::int64_t now_ms) {
  seal();
  write_backlog(now_ms, true);
  if (!backlog_.empty()) drop_backlog("could not be written before their file was closed");
  close_file();
  has_period_ = false;
}

void FileSeries::seal() {
  try {
    if (!frames_.empty()) {
      Sealed sealed;
      sealed.frames = frames_.size();
      native::append_frame_record(frames_, header_, sealed.bytes);
      enqueue(std::move(sealed));
    }
    if (!events_.empty()) {
      Sealed sealed;
      native::append_events_record(events_, header_, sealed.bytes);
      enqueue(std::move(sealed));
    }
    if (!records_.empty()) {
      Sealed sealed;
      sealed.bytes = std::move(records_);
      enqueue(std::move(sealed));
    }
  } catch (const std::exception& error) {
    // Only a frame the format cannot hold gets here (e.g. a foreign precision): a bug, not
    // a disk problem. Drop this batch rather than every later one.
    if (!encode_error_logged_) {
      spdlog::error("files: {} frames for {} not encodable, dropped: {}", frames_.size(), header_.host,
                    error.what());
      encode_error_logged_ = true;
    }
    frames_dropped_ += frames_.size();
  }
  frames_.clear();
  events_.clear();
  records_.clear();
}

void FileSeries::enqueue(Sealed sealed) {
  backlog_bytes_ += sealed.bytes.size();
  backlog_.push_back(std::move(sealed));
  // Keep the newest record even if it alone is over the bound: it is at most one flush
  // interval of frames.
  while (backlog_bytes_ > policy_.max_backlog_bytes && backlog_.size() > 1) {
    if (!drop_logged_) {
      spdlog::warn("files: backlog of {} over {} KiB, dropping its oldest frames until writing works",
                   path_.empty() ? header_.host : path_.string(), policy_.max_backlog_bytes / 1024);
      drop_logged_ = true;
    }
    frames_dropped_ += backlog_.front().frames;
    backlog_bytes_ -= backlog_.front().bytes.size();
    backlog_.pop_front();
  }
}

void FileSeries::write_backlog(std::int64_t now_ms, bool even_if_waiting) {
  if (backlog_.empty()) return;
  if (failing_ && !even_if_waiting && now_ms < next_retry_ms_) return;
  try {
    if (fd_ < 0) {
      const int error = open_file();
      if (error != 0) return on_failure(now_ms, error, "create");
    }
    if (!header_written_) {
      const int error = write_whole(native::encode_header(header_));
      if (error != 0) return on_failure(now_ms, error, "write");
      header_written_ = true;
    }
  } catch (const std::exception& error) {
    // A time or name the layout or header cannot express: no retry will help.
    spdlog::error("files: {}: {}", header_.host, error.what());
    return drop_backlog("no file can hold them");
  }
  while (!backlog_.empty()) {
    const int error = write_whole(backlog_.front().bytes);
    if (error != 0) return on_failure(now_ms, error, "write");
    backlog_bytes_ -= backlog_.front().bytes.size();
    backlog_.pop_front();
  }
  on_success();
}

int FileSeries::open_file() {
  const std::filesystem::path first = naming_.file(header_.start_ms, 0);
  path_ = first;
  if (const int error = ops_.make_directories(first.parent_path()); error != 0) return error;
  for (unsigned attempt = 0; attempt < kMaxNameAttempts; ++attempt) {
    path_ = native::layout::first_free([this](unsigned n) { return naming_.file(header_.start_ms, n); },
                                       [this](const std::filesystem::path& p) { return ops_.exists(p); });
    const int fd = ops_.create_exclusive(path_);
    if (fd >= 0) {
      fd_ = fd;
      size_ = 0;
      header_written_ = false;
      spdlog::debug("files: writing {}", path_.string());
      return 0;
    }
    if (fd != -EEXIST) return -fd;
  }
  return EEXIST;
}

int FileSeries::write_whole(const std::vector<std::uint8_t>& bytes) {
  const std::int64_t written = ops_.write(fd_, bytes.data(), bytes.size());
  if (written == static_cast<std::int64_t>(bytes.size())) {
    size_ += written;
    dirty_ = true;
    return 0;
  }
  // A short write is the disk filling up; the next write would say ENOSPC.
  const int error = written < 0 ? static_cast<int>(-written) : ENOSPC;
  if (written > 0 && ops_.truncate(fd_, static_cast<off_t>(size_)) != 0) {
    // The cut failed too: this file may end in a partial record (readers warn about it).
    // Leave it; the next attempt starts the next numbered file.
    close_file();
  }
  return error;
}

void FileSeries::close_file() {
  if (fd_ < 0) return;
  if (policy_.sync_on_close) sync();
  ops_.close(fd_);
  fd_ = -1;
  size_ = 0;
  header_written_ = false;
  dirty_ = false;
}

void FileSeries::on_failure(std::int64_t now_ms, int error, const char* action) {
  next_retry_ms_ = now_ms + policy_.retry_ms;
  if (failing_) return;
  failing_ = true;
  dropped_at_failure_ = frames_dropped_;
  spdlog::error("files: cannot {} {}: {}; pinging goes on, frames wait in memory (up to {} KiB per file), "
                "retrying every {} ms",
                action, path_.string(), std::strerror(error), policy_.max_backlog_bytes / 1024, policy_.retry_ms);
}

void FileSeries::on_success() {
  if (!failing_) return;
  failing_ = false;
  drop_logged_ = false;
  spdlog::info("files: writing {} again ({} frames lost meanwhile)", path_.string(),
               frames_dropped_ - dropped_at_failure_);
}

void FileSeries::drop_backlog(const char* why) {
  std::size_t frames = 0;
  for (const Sealed& sealed : backlog_) frames += sealed.frames;
  frames_dropped_ += frames;
  if (frames > 0) spdlog::warn("files: {} frames of {} dropped: {}", frames, header_.host, why);
  backlog_.clear();
  backlog_bytes_ = 0;
}

}  // namespace zzping::daemon
