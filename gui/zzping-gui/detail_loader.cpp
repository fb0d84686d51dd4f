// SPDX-License-Identifier: GPL-3.0-or-later
#include "detail_loader.hpp"

namespace zzping::gui {

DetailLoader::DetailLoader(QObject* parent) : QObject(parent) {
  qRegisterMetaType<std::shared_ptr<zzping::gui::LoadedChunk>>();
  thread_ = std::thread([this] { run(); });
}

DetailLoader::~DetailLoader() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  wake_.notify_all();
  thread_.join();
}

void DetailLoader::request(std::vector<ChunkRequest> requests) {
  {
    const std::lock_guard lock(mutex_);
    queue_.clear();
    for (ChunkRequest& r : requests) {
      // The chunk being read is delivered anyway; reading it twice would waste the time.
      if (reading_ && reading_->first == r.host && reading_->second == r.period.key) continue;
      queue_.push_back(std::move(r));
    }
  }
  wake_.notify_all();
}

bool DetailLoader::pending(std::size_t host, const view::ChunkKey& key) const {
  const std::lock_guard lock(mutex_);
  if (reading_ && reading_->first == host && reading_->second == key) return true;
  for (const ChunkRequest& r : queue_) {
    if (r.host == host && r.period.key == key) return true;
  }
  return false;
}

bool DetailLoader::idle() const {
  const std::lock_guard lock(mutex_);
  return queue_.empty() && !reading_;
}

void DetailLoader::run() {
  for (;;) {
    ChunkRequest next;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      next = std::move(queue_.front());
      queue_.pop_front();
      reading_ = std::make_pair(next.host, next.period.key);
    }
    auto loaded = std::make_shared<LoadedChunk>(load_chunk(next.period, next.files));
    // `reading_` is cleared on the GUI thread when the result is delivered, so pending()
    // stays true until the chunk is in the host: the planner never asks for it twice.
    {
      const std::lock_guard lock(mutex_);
      delivery_.emplace(next.host, std::move(loaded));
    }
    QMetaObject::invokeMethod(this, "deliver", Qt::QueuedConnection);
    // Wait for the delivery before reading on, so at most one result is in flight.
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [this] { return stopping_ || !reading_; });
    if (stopping_) return;
  }
}

void DetailLoader::deliver() {
  std::optional<std::pair<std::size_t, std::shared_ptr<LoadedChunk>>> delivered;
  {
    const std::lock_guard lock(mutex_);
    delivered.swap(delivery_);
    if (!delivered) return;
    reading_.reset();
  }
  wake_.notify_all();
  ++loaded_count_;
  emit chunkLoaded(delivered->first, delivered->second);
}

}  // namespace zzping::gui
