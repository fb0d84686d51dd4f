#pragma once
// Reading files and data directories into per-host timelines (runs on the loader thread).
#include <QStringList>
#include <functional>
#include <vector>

#include "file_loader.hpp"

namespace zzping::gui {

// Files and folders (searched recursively) in any supported format; frames of one host
// from several files (a daemon's hourly files) are stitched in time order.
LoadOutcome load_paths(const QStringList& paths, const std::function<void(int)>& progress);

struct FoundFile {
  QString path;
  bool named = false;  // given as such (not found in a folder): unreadable is an error
};

// Every regular file under `paths` (folders searched recursively), sorted, once each.
std::vector<FoundFile> expand_paths(const QStringList& paths, QStringList& errors);

}  // namespace zzping::gui
