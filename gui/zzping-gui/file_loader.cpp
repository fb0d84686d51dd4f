// SPDX-License-Identifier: GPL-3.0-or-later
#include "file_loader.hpp"

#include <exception>

namespace zzping::gui {

FileLoader::FileLoader(LoadFunction load, QObject* parent) : QObject(parent), load_(std::move(load)) {}

FileLoader::~FileLoader() {
  if (thread_) {
    thread_->wait();
    delete thread_;
  }
}

bool FileLoader::start(const QStringList& paths) {
  if (thread_) return false;
  last_percent_ = -1;
  thread_ = QThread::create([this, paths] {
    LoadOutcome result;
    const auto report = [this](int percent) {
      // Only changes cross threads; a load reports per file or per chunk of frames.
      if (last_percent_.exchange(percent) != percent) {
        QMetaObject::invokeMethod(this, [this, percent] { emit progress(percent); },
                                  Qt::QueuedConnection);
      }
    };
    try {
      result = load_(paths, report);
    } catch (const std::exception& e) {
      result.errors << QString("loading failed: %1").arg(e.what());
    }
    auto shared = std::make_shared<LoadOutcome>(std::move(result));
    QMetaObject::invokeMethod(
        this,
        [this, shared] {
          thread_->wait();
          delete thread_;
          thread_ = nullptr;
          outcome_ = std::move(*shared);
          emit finished(outcome_.errors);
        },
        Qt::QueuedConnection);
  });
  thread_->start();
  return true;
}

}  // namespace zzping::gui
