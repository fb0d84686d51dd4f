// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reading files and data directories into per-host timelines (runs on the loader thread).
#include <QStringList>
#include <functional>
#include <vector>

#include "file_loader.hpp"

namespace zzping::gui {

// Files and folders (searched recursively) in any supported format; frames of one host
// from several files (a daemon's hourly files) are stitched in time order.
//
// A daemon data directory (<host>/<date>/<hour>.zzf raw files and <host>/tiers/...) whose
// host has a 1 min or 1 h tier is opened on demand instead: only the file names are
// indexed and the coarsest tier (1 h, else 1 min) loaded; the other tiers and raw hours are
// loaded by DetailLoader (load_chunk) as view::plan_detail asks.
LoadOutcome load_paths(const QStringList& paths, const std::function<void(int)>& progress);

// A chunk's files read and merged; errors name the file and what is wrong with it.
struct LoadedChunk {
  std::shared_ptr<view::Chunk> chunk;
  std::vector<LossEvent> recorded;  // events the raw files recorded
  std::vector<LossEvent> detected;  // outages found in the chunk's frames
  std::vector<attribution::Incident> incidents;              // recorded in the raw files
  std::vector<std::pair<std::string, PathSnapshot>> paths;  // (host, snapshot) likewise
  std::optional<attribution::Role> role;                    // the files' header role
  QStringList errors;
};
LoadedChunk load_chunk(const view::ChunkPeriod& period, const QStringList& files);

struct FoundFile {
  QString path;
  bool named = false;  // given as such (not found in a folder): unreadable is an error
};

// Every regular file under `paths` (folders searched recursively), sorted, once each.
std::vector<FoundFile> expand_paths(const QStringList& paths, QStringList& errors);

}  // namespace zzping::gui
