// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// EvidenceWorker: reads the evidence records (incidents, path snapshots) of every raw hour
// file of an opened data directory on a worker thread, so the incident list holds the whole
// outage log, not only the hours the view happened to load, and a month of files never
// holds up a redraw. Uses the fast scan zzping-report uses (native::scan_evidence: frame
// blocks stepped over unread). Jobs run in the order requested; each is delivered whole.
#include <QObject>
#include <QStringList>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "incident_evidence.hpp"

namespace zzping::gui {

struct EvidenceFiles {
  std::string host;  // the host the files' paths belong to when a header does not say
  QStringList paths;
};

struct EvidenceResult {
  Evidence evidence;     // deduplicated as Evidence does
  QStringList warnings;  // one per file that could not be read fully, naming it
  std::size_t files = 0;
};

// The job itself, synchronous (unit-tested without a thread).
EvidenceResult read_evidence(const std::vector<EvidenceFiles>& hosts);

class EvidenceWorker : public QObject {
  Q_OBJECT

 public:
  explicit EvidenceWorker(QObject* parent = nullptr);
  ~EvidenceWorker() override;

  void request(std::vector<EvidenceFiles> hosts);
  // Nothing queued, being read or waiting for delivery.
  bool idle() const;

 signals:
  void finished(std::shared_ptr<zzping::gui::EvidenceResult> result);

 private:
  void run();
  Q_INVOKABLE void deliver();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::vector<EvidenceFiles>> queued_;
  bool reading_ = false;
  std::deque<EvidenceResult> delivery_;
  bool stopping_ = false;
  std::thread thread_;  // joined in the destructor (see DetailLoader)
};

}  // namespace zzping::gui
