#include "file_reading.hpp"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <algorithm>
#include <map>
#include <span>

#include "zzping/formats/legacy_frames.hpp"
#include "zzping/formats/zzping02/fdq.hpp"
#include "zzping/formats/zzping02/framedata.hpp"

namespace zzping::gui {

namespace {

// Files are read whole; anything bigger than this is not a frame file we wrote (an hour of
// native frames is a few hundred KiB) and would only exhaust memory.
constexpr qint64 kMaxFileBytes = qint64{1} << 30;

struct FileFrames {
  QString host;
  std::vector<Frame> frames;
};

// zzping 0.2 names its logs pingd-log-<address>-<YYYYMMDDTHH>.log (+ .fdq.log when
// converted); a daemon data directory keeps one folder per host.
QString host_of(const QString& path) {
  static const QRegularExpression legacy(R"(^pingd-log-(.+)-\d{8}T\d{2}\.log)");
  const QFileInfo info(path);
  const auto m = legacy.match(info.fileName());
  if (m.hasMatch()) return m.captured(1);
  return info.dir().dirName();
}

bool has_fdq_header(std::span<const std::uint8_t> bytes) {
  try {
    zzping02::decode_fdq_header(bytes);
    return true;
  } catch (const zzping02::FormatError&) {
    return false;
  }
}

// Records how decoding ended: a cut file is a warning (its frames stand), bad bytes an
// error (the frames before them stand).
void note_end(const QString& path, const zzping02::DecodeEnd& end, QStringList& errors) {
  if (end.ok()) return;
  // The decoder's message already says whether the frames before the problem stand.
  errors << QString("%1: %2").arg(path, QString::fromStdString(end.message));
}

void decode_fdq(std::span<const std::uint8_t> bytes, const RttQuantiser& quantiser,
                FileFrames& out, const QString& path, QStringList& errors) {
  zzping02::FdqDecoder decoder(bytes);
  zzping02::FdqFrame frame;
  while (decoder.next(frame)) out.frames.push_back(formats::native_from_fdq(frame, quantiser));
  note_end(path, decoder.end(), errors);
}

void decode_framedata(std::span<const std::uint8_t> bytes, const RttQuantiser& quantiser,
                      FileFrames& out, const QString& path, QStringList& errors) {
  zzping02::FrameDataDecoder decoder(bytes);
  zzping02::LegacyFrame frame;
  while (decoder.next(frame)) out.frames.push_back(formats::native_from_framedata(frame, quantiser));
  note_end(path, decoder.end(), errors);
}

// Files found in a folder that hold no frame from their first byte on (notes, expected
// outputs, foreign files) are skipped and counted instead of reported one by one.
std::optional<FileFrames> read_file(const QString& path, bool named, QStringList& errors,
                                    int& skipped) {
  QFile file(path);
  if (file.size() > kMaxFileBytes) {
    errors << QString("%1: %2 bytes is too large for a frame file (limit %3)")
                  .arg(path).arg(file.size()).arg(kMaxFileBytes);
    return std::nullopt;
  }
  if (!file.open(QIODevice::ReadOnly)) {
    errors << QString("%1: %2").arg(path, file.errorString());
    return std::nullopt;
  }
  const QByteArray data = file.readAll();
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(data.constData()),
                                            static_cast<std::size_t>(data.size()));
  FileFrames out{host_of(path), {}};
  const RttQuantiser quantiser;
  QStringList file_errors;
  if (has_fdq_header(bytes)) {
    decode_fdq(bytes, quantiser, out, path, file_errors);
  } else {
    decode_framedata(bytes, quantiser, out, path, file_errors);
  }
  if (out.frames.empty() && !named) {
    ++skipped;
    return std::nullopt;
  }
  errors << file_errors;
  if (out.frames.empty()) {
    errors << QString("%1: no frame could be read (not a zzping FrameData or FDQ v101 file?)").arg(path);
    return std::nullopt;
  }
  return out;
}

qint64 total_size(const std::vector<FoundFile>& files) {
  qint64 total = 0;
  for (const FoundFile& f : files) total += QFileInfo(f.path).size();
  return std::max<qint64>(total, 1);
}

}  // namespace

std::vector<FoundFile> expand_paths(const QStringList& paths, QStringList& errors) {
  std::map<QString, bool> files;  // path -> named on the command line
  for (const QString& path : paths) {
    const QFileInfo info(path);
    if (!info.exists()) {
      errors << QString("%1: no such file or directory").arg(path);
    } else if (info.isDir()) {
      QDirIterator it(path, QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
      while (it.hasNext()) files.try_emplace(it.next(), false);
    } else {
      files[info.filePath()] = true;
    }
  }
  std::vector<FoundFile> out;
  for (const auto& [path, named] : files) out.push_back({path, named});
  return out;
}

LoadOutcome load_paths(const QStringList& paths, const std::function<void(int)>& progress) {
  LoadOutcome outcome;
  const std::vector<FoundFile> files = expand_paths(paths, outcome.errors);
  const qint64 total = total_size(files);
  qint64 done = 0;
  int skipped = 0;
  progress(0);
  // Decoding takes most of the time (0-70%); merging into the pyramids the rest.
  std::map<QString, std::vector<Frame>> by_host;
  for (const FoundFile& f : files) {
    if (auto read = read_file(f.path, f.named, outcome.errors, skipped)) {
      auto& frames = by_host[read->host];
      frames.insert(frames.end(), std::make_move_iterator(read->frames.begin()),
                    std::make_move_iterator(read->frames.end()));
    }
    done += QFileInfo(f.path).size();
    progress(static_cast<int>(70 * done / total));
  }
  if (skipped > 0) {
    outcome.errors << QString("skipped %1 file(s) that hold no zzping frames").arg(skipped);
  }
  std::size_t host_index = 0;
  for (auto& [host, frames] : by_host) {
    // Hourly files stitched in time order; frames that went back in time (zzping 0.2 clock
    // steps) are placed where they belong instead of being dropped.
    std::stable_sort(frames.begin(), frames.end(),
                     [](const Frame& a, const Frame& b) { return a.t_ms < b.t_ms; });
    // The same frames read twice (a file and its cut copy) would count twice.
    frames.erase(std::unique(frames.begin(), frames.end()), frames.end());
    auto timeline = std::make_shared<view::HostTimeline>(host.toStdString());
    for (const Frame& frame : frames) timeline->append(frame);
    outcome.hosts.push_back(std::move(timeline));
    ++host_index;
    progress(70 + static_cast<int>(30 * host_index / by_host.size()));
  }
  if (files.empty() && outcome.errors.isEmpty()) outcome.errors << "no file found in " + paths.join(", ");
  return outcome;
}

}  // namespace zzping::gui
