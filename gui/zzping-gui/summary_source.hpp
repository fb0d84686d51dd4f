// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Where the Summary dock's exact numbers of a host come from, and computing them (on the
// summary worker thread; Qt-free). The same code as `zzping-dump --summary`
// (formats::summarize_host): a data directory host from its tiers and raw edges, a host
// read from files from those files, a live host from the frames it received.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "live_frame_log.hpp"
#include "zzping/common/span_summary.hpp"
#include "zzping/common/view/level.hpp"

namespace zzping::gui {

struct SourceFile {
  std::filesystem::path path;
  view::TimeRange frames;  // first frame start to last frame end
};

struct SummarySource {
  std::string host;
  std::optional<std::filesystem::path> host_dir;  // a data directory host's folder
  std::vector<SourceFile> files;                   // a host read from files
  std::optional<LiveFrameLog::Snapshot> live;      // a live host
  bool empty() const { return !host_dir && files.empty() && !live; }
};

struct SourceSummary {
  std::optional<SpanSummary> summary;  // empty: the source cannot give this span exactly
  std::string origin;                  // what it was computed from, for the row tooltip
  std::string problem;                 // a file that could not be read fully, or why empty
};

// The summary of `source` over `range`, as zzping-dump --summary --from --to gives it.
SourceSummary summarize_source(const SummarySource& source, view::TimeRange range);

}  // namespace zzping::gui
