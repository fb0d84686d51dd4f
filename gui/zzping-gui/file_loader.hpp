// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// FileLoader: reads files and data directories into HostTimelines on a worker thread, so
// the GUI never freezes while a month of frames is merged into its pyramid.
#include <QObject>
#include <QStringList>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "incident_evidence.hpp"
#include "summary_source.hpp"
#include "zzping/common/view/host_timeline.hpp"

namespace zzping::gui {

// The files a host was read from: for a data directory host (view::HostTimeline::chunked())
// the files of each chunk and its folder, else the files read whole (the Summary dock
// reads their histograms again).
struct HostFiles {
  std::map<view::ChunkKey, QStringList> chunks;
  QString host_dir;  // the host's folder in the data directory
  std::vector<SourceFile> whole_files;
  // First frame start to last frame end, from the finest data at each end (the loaded
  // coarse tier alone would say whole hours).
  std::optional<view::TimeRange> data_extent;
};

struct LoadOutcome {
  std::vector<std::shared_ptr<view::HostTimeline>> hosts;
  // Parallel to `hosts`: the files each host was read from.
  std::vector<std::shared_ptr<const HostFiles>> host_files;
  // Parallel to `hosts`: the role the file headers give (absent: none said, e.g. zzping 0.2).
  std::vector<std::optional<attribution::Role>> roles;
  // Incidents and path snapshots the files recorded (data directories: those of the raw
  // hours read at open; the rest arrive with the detail, LoadedChunk).
  Evidence evidence;
  QStringList errors;    // one line per file that could not be read (or read fully)
};

// Reads `paths` (files or folders); calls `progress` with 0..100 now and then.
using LoadFunction =
    std::function<LoadOutcome(const QStringList& paths, const std::function<void(int)>& progress)>;

class FileLoader : public QObject {
  Q_OBJECT

 public:
  explicit FileLoader(LoadFunction load, QObject* parent = nullptr);
  ~FileLoader() override;

  // Starts a load; returns false (and does nothing) while one is running.
  bool start(const QStringList& paths);
  bool busy() const { return thread_.joinable(); }

 signals:
  void progress(int percent);
  void finished(QStringList errors);

 public:
  // The result of the last finished load (taken by the receiver of finished()).
  LoadOutcome takeOutcome() { return std::move(outcome_); }

 private:
  // The worker hands over through members behind a std::mutex (or an atomic) and wakes
  // the GUI thread with a queued call of a slot without arguments: nothing built on the
  // worker is read on the GUI thread without a happens-before that ThreadSanitizer sees
  // (Qt's event queue is not instrumented), and the worker is a joined std::thread.
  Q_INVOKABLE void deliverProgress();
  Q_INVOKABLE void deliverOutcome();

  LoadFunction load_;
  std::thread thread_;  // GUI thread only
  LoadOutcome outcome_;
  std::mutex mutex_;
  LoadOutcome finished_;  // behind mutex_: the worker's result, until deliverOutcome()
  std::atomic<int> last_percent_{-1};
  int emitted_percent_ = -1;  // GUI thread only
};

}  // namespace zzping::gui
