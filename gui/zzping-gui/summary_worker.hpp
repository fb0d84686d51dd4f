// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// SummaryWorker: computes the Summary dock's exact numbers (summarize_source) on a worker
// thread, so reading tiers and raw edges never holds up a redraw. The newest request
// replaces any queued one; a request being computed finishes and is delivered with its
// range, and the window drops it if the view has moved on.
#include <QObject>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "summary_source.hpp"

namespace zzping::gui {

struct SummaryRequest {
  std::uint64_t generation = 0;
  view::TimeRange range;
  std::vector<std::pair<std::size_t, SummarySource>> hosts;  // the window's host index
};

struct SummaryResults {
  std::uint64_t generation = 0;
  view::TimeRange range;
  std::vector<std::pair<std::size_t, SourceSummary>> hosts;
};

class SummaryWorker : public QObject {
  Q_OBJECT

 public:
  explicit SummaryWorker(QObject* parent = nullptr);
  ~SummaryWorker() override;

  void request(SummaryRequest request);
  // Nothing queued, computed or waiting for delivery.
  bool idle() const;

 signals:
  void finished(std::shared_ptr<zzping::gui::SummaryResults> results);

 private:
  void run();
  Q_INVOKABLE void deliver();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<SummaryRequest> queued_;
  bool computing_ = false;
  std::optional<SummaryResults> delivery_;
  bool stopping_ = false;
  std::thread thread_;  // joined in the destructor (see DetailLoader)
};

}  // namespace zzping::gui
