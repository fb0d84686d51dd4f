// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// zzpingd's archive: the native .zzf files under the data directory (docs/daemon.md,
// "Files"). Per host, one raw file per UTC hour plus the 1 s / 1 min / 1 h tier files
// (per UTC day / month / year), laid out as zzping::native::layout says.
//
// Flushing policy: frames and events are buffered per host and written as one record per
// file and per flush() (the Pinger calls it every flush_ms), each record with one write(2);
// every fsync_s seconds the files written since are fdatasync'ed (0: never, the OS decides).
// Disk errors never stop pinging: see FileSeries for the backlog and retry rules.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "zzping/daemon/file_sink_ops.hpp"
#include "zzping/daemon/file_sink_series.hpp"
#include "zzping/daemon/frame_sink.hpp"

namespace zzping::daemon {

struct FileSinkOptions {
  std::filesystem::path data_dir = "./zzping-data";
  std::uint32_t fsync_s = 10;  // 0: never fdatasync
  std::size_t max_backlog_bytes = std::size_t{1} << 20;  // per file series while writes fail
  std::int64_t retry_ms = 5000;  // after a failed write or create
  std::string software = std::string("zzpingd ") + ZZPING_VERSION;
  // CLOCK_MONOTONIC in ms (fsync period, retries); tests substitute their own.
  std::function<std::int64_t()> monotonic_ms;
  FileOps* ops = nullptr;  // nullptr: posix_file_ops()
};

class FileSink final : public FrameSink {
 public:
  explicit FileSink(FileSinkOptions options);
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;
  // Finishes the hosts still open, as on_host_removed does.
  ~FileSink() override;

  void on_frame(const HostInfo& host, const Frame& frame) override;
  // Not written: every burst comes again in on_burst_attributed, with its cause, and is
  // stored then (a kind 4 record; docs/daemon.md, "Files").
  void on_event(const HostInfo&, const LossEvent&) override {}
  // A kind 4 record in the host's current raw file.
  void on_burst_attributed(const HostInfo& host, const attribution::AttributedBurst& burst) override;
  // A kind 5 record in the current raw file of every target hit that this sink has files
  // for, so each host's folder alone holds the incidents it took part in.
  void on_incident(const attribution::Incident& incident) override;
  // A kind 6 record in the host's current raw file.
  void on_path(const HostInfo& host, const PathSnapshot& path) override;
  void on_status(const HostInfo&, const HostStatus&) override {}
  // Emits the host's open tier buckets, writes everything, syncs (fsync_s > 0) and closes
  // its files. The Pinger calls this for every host at shutdown, then flush().
  void on_host_removed(const HostInfo& host) override;
  void flush() override;

  // Frames that could not be written (disk errors beyond the backlog), over all files.
  std::uint64_t frames_dropped() const;

 private:
  class HostFiles;
  HostFiles* host_files(const HostInfo& host);
  std::int64_t now_ms() const;

  FileSinkOptions options_;
  FileOps& ops_;
  std::map<std::string, std::unique_ptr<HostFiles>> hosts_;
  std::uint64_t frames_dropped_by_removed_hosts_ = 0;
  std::int64_t next_sync_ms_ = 0;
};

}  // namespace zzping::daemon
