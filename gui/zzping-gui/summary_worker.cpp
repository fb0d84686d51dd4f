// SPDX-License-Identifier: GPL-3.0-or-later
#include "summary_worker.hpp"

namespace zzping::gui {

SummaryWorker::SummaryWorker(QObject* parent) : QObject(parent) {
  qRegisterMetaType<std::shared_ptr<zzping::gui::SummaryResults>>();
  thread_ = std::thread([this] { run(); });
}

SummaryWorker::~SummaryWorker() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    queued_.reset();
  }
  wake_.notify_all();
  thread_.join();
}

void SummaryWorker::request(SummaryRequest request) {
  {
    const std::lock_guard lock(mutex_);
    queued_ = std::move(request);
  }
  wake_.notify_all();
}

bool SummaryWorker::idle() const {
  const std::lock_guard lock(mutex_);
  return !queued_ && !computing_ && !delivery_;
}

void SummaryWorker::run() {
  for (;;) {
    SummaryRequest job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || queued_; });
      if (stopping_) return;
      job = std::move(*queued_);
      queued_.reset();
      computing_ = true;
    }
    SummaryResults results{job.generation, job.range, {}};
    for (const auto& [host, source] : job.hosts) {
      results.hosts.emplace_back(host, summarize_source(source, job.range));
    }
    {
      const std::lock_guard lock(mutex_);
      delivery_ = std::move(results);
      computing_ = false;
    }
    // The result crosses under mutex_ (ThreadSanitizer sees it), not inside a queued functor.
    QMetaObject::invokeMethod(this, "deliver", Qt::QueuedConnection);
  }
}

void SummaryWorker::deliver() {
  std::optional<SummaryResults> delivered;
  {
    const std::lock_guard lock(mutex_);
    delivered.swap(delivery_);
  }
  if (delivered) emit finished(std::make_shared<SummaryResults>(std::move(*delivered)));
}

}  // namespace zzping::gui
