#pragma once
// Reading files and data directories into per-host timelines (runs on the loader thread).
#include <QStringList>
#include <functional>

#include "file_loader.hpp"

namespace zzping::gui {

// Files and folders (searched recursively) in any supported format; frames of one host
// from several files (a daemon's hourly files) are stitched in time order.
LoadOutcome load_paths(const QStringList& paths, const std::function<void(int)>& progress);

// Every regular file under `paths` (folders searched recursively), sorted.
QStringList expand_paths(const QStringList& paths, QStringList& errors);

}  // namespace zzping::gui
