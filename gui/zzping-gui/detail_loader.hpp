// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// DetailLoader: reads data directory chunks (raw hours, 1 s days) on a worker thread.
//
// The window decides what to load (view::plan_detail) and hands the loader its latest
// wish list; the loader reads one chunk at a time, nearest first, and drops what an
// older wish list asked for and the newer one does not. Results come back on the GUI
// thread through chunkLoaded().
#include <QObject>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "file_reading.hpp"

namespace zzping::gui {

struct ChunkRequest {
  std::size_t host = 0;  // the host's HostRecord::id
  view::ChunkPeriod period;
  QStringList files;
};

class DetailLoader : public QObject {
  Q_OBJECT

 public:
  explicit DetailLoader(QObject* parent = nullptr);
  ~DetailLoader() override;

  // Replaces the queue with `requests` (in order); a chunk being read finishes anyway.
  void request(std::vector<ChunkRequest> requests);
  // Queued or being read.
  bool pending(std::size_t host, const view::ChunkKey& key) const;
  bool idle() const;
  std::size_t chunksLoaded() const { return loaded_count_; }

 signals:
  void chunkLoaded(std::size_t host, std::shared_ptr<zzping::gui::LoadedChunk> chunk);

 private:
  void run();
  // Called (queued, by name) on the GUI thread when the worker has put a chunk in
  // `delivery_`: the chunk crosses under mutex_, which ThreadSanitizer sees, not inside a
  // queued functor (Qt's event queue is not instrumented).
  Q_INVOKABLE void deliver();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<ChunkRequest> queue_;
  std::optional<std::pair<std::size_t, view::ChunkKey>> reading_;
  std::optional<std::pair<std::size_t, std::shared_ptr<LoadedChunk>>> delivery_;
  bool stopping_ = false;
  std::size_t loaded_count_ = 0;  // GUI thread only
  // A std::thread, joined: the end of the worker happens-before the destruction of the
  // members above in a way ThreadSanitizer sees (QThread::wait() is not instrumented).
  std::thread thread_;
};

}  // namespace zzping::gui
