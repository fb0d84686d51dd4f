#include "file_reading.hpp"

#include <QDirIterator>
#include <QFileInfo>

namespace zzping::gui {

QStringList expand_paths(const QStringList& paths, QStringList& errors) {
  QStringList files;
  for (const QString& path : paths) {
    const QFileInfo info(path);
    if (!info.exists()) {
      errors << QString("%1: no such file or directory").arg(path);
    } else if (info.isDir()) {
      QDirIterator it(path, QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
      while (it.hasNext()) files << it.next();
    } else {
      files << info.filePath();
    }
  }
  files.sort();
  files.removeDuplicates();
  return files;
}

LoadOutcome load_paths(const QStringList& paths, const std::function<void(int)>& progress) {
  LoadOutcome outcome;
  const QStringList files = expand_paths(paths, outcome.errors);
  progress(0);
  for (const QString& f : files) {
    outcome.errors << QString("%1: reading frame files is not integrated yet "
                              "(waiting for formats/any_format.hpp)").arg(f);
  }
  progress(100);
  return outcome;
}

}  // namespace zzping::gui
