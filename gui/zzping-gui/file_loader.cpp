// SPDX-License-Identifier: GPL-3.0-or-later
#include "file_loader.hpp"

#include <exception>

namespace zzping::gui {

FileLoader::FileLoader(LoadFunction load, QObject* parent) : QObject(parent), load_(std::move(load)) {}

FileLoader::~FileLoader() {
  if (thread_.joinable()) thread_.join();
}

bool FileLoader::start(const QStringList& paths) {
  if (thread_.joinable()) return false;
  last_percent_ = -1;
  emitted_percent_ = -1;
  thread_ = std::thread([this, paths] {
    LoadOutcome result;
    const auto report = [this](int percent) {
      // Only changes cross threads; a load reports per file or per chunk of frames.
      if (last_percent_.exchange(percent) != percent) {
        QMetaObject::invokeMethod(this, "deliverProgress", Qt::QueuedConnection);
      }
    };
    try {
      result = load_(paths, report);
    } catch (const std::exception& e) {
      result.errors << QString("loading failed: %1").arg(e.what());
    }
    {
      const std::lock_guard lock(mutex_);
      finished_ = std::move(result);
    }
    QMetaObject::invokeMethod(this, "deliverOutcome", Qt::QueuedConnection);
  });
  return true;
}

void FileLoader::deliverProgress() {
  // The latest value: progress calls queued before it may be coalesced.
  const int percent = last_percent_.load();
  if (percent == emitted_percent_ || !thread_.joinable()) return;
  emitted_percent_ = percent;
  emit progress(percent);
}

void FileLoader::deliverOutcome() {
  thread_.join();
  {
    const std::lock_guard lock(mutex_);
    outcome_ = std::move(finished_);
    finished_ = LoadOutcome{};
  }
  emit finished(outcome_.errors);
}

}  // namespace zzping::gui
