// SPDX-License-Identifier: GPL-3.0-or-later
#include "evidence_worker.hpp"

#include <QFile>
#include <span>

#include "zzping/formats/native/evidence_scan.hpp"

namespace zzping::gui {

namespace {

// As for frame files (file_reading.cpp): nothing we wrote is this large.
constexpr qint64 kMaxFileBytes = qint64{1} << 30;

void read_one(const QString& path, const std::string& host, EvidenceResult& out) {
  QFile file(path);
  if (file.size() > kMaxFileBytes) {
    out.warnings << QString("%1: %2 bytes is too large for a frame file").arg(path).arg(file.size());
    return;
  }
  if (!file.open(QIODevice::ReadOnly)) {
    out.warnings << QString("%1: %2").arg(path, file.errorString());
    return;
  }
  const QByteArray data = file.readAll();
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(data.constData()),
                                            static_cast<std::size_t>(data.size()));
  const native::EvidenceScan scan = native::scan_evidence(bytes);
  // A cut last record is how a growing or killed file ends: only damage is worth a warning.
  if (scan.end.kind == native::EndKind::kError) {
    out.warnings << QString("%1: %2").arg(path, QString::fromStdString(scan.end.message));
  }
  // The same name as load_chunk gives (the header's host), so the detail adds no duplicates.
  const std::string name = scan.header && !scan.header->host.empty() ? scan.header->host : host;
  for (const attribution::Incident& i : scan.incidents) out.evidence.add_incident(i);
  for (const PathSnapshot& p : scan.paths) out.evidence.add_path(name, p);
  ++out.files;
}

}  // namespace

EvidenceResult read_evidence(const std::vector<EvidenceFiles>& hosts) {
  EvidenceResult out;
  for (const EvidenceFiles& host : hosts) {
    for (const QString& path : host.paths) read_one(path, host.host, out);
  }
  return out;
}

EvidenceWorker::EvidenceWorker(QObject* parent) : QObject(parent) {
  qRegisterMetaType<std::shared_ptr<zzping::gui::EvidenceResult>>();
  thread_ = std::thread([this] { run(); });
}

EvidenceWorker::~EvidenceWorker() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    queued_.clear();
  }
  wake_.notify_all();
  thread_.join();
}

void EvidenceWorker::request(std::vector<EvidenceFiles> hosts) {
  {
    const std::lock_guard lock(mutex_);
    queued_.push_back(std::move(hosts));
  }
  wake_.notify_all();
}

bool EvidenceWorker::idle() const {
  const std::lock_guard lock(mutex_);
  return queued_.empty() && !reading_ && delivery_.empty();
}

void EvidenceWorker::run() {
  for (;;) {
    std::vector<EvidenceFiles> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queued_.empty(); });
      if (stopping_) return;
      job = std::move(queued_.front());
      queued_.pop_front();
      reading_ = true;
    }
    EvidenceResult result = read_evidence(job);
    {
      const std::lock_guard lock(mutex_);
      delivery_.push_back(std::move(result));
      reading_ = false;
    }
    // The result crosses under mutex_ (ThreadSanitizer sees it), not inside a queued functor.
    QMetaObject::invokeMethod(this, "deliver", Qt::QueuedConnection);
  }
}

void EvidenceWorker::deliver() {
  std::optional<EvidenceResult> delivered;
  {
    const std::lock_guard lock(mutex_);
    if (delivery_.empty()) return;
    delivered = std::move(delivery_.front());
    delivery_.pop_front();
  }
  emit finished(std::make_shared<EvidenceResult>(std::move(*delivered)));
}

}  // namespace zzping::gui
