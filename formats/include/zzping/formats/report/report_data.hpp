// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What zzping-report prints, read from files and data directories (docs/report.md): the
// period, per host what was measured and how (file headers), the span summary (the same
// call as `zzping-dump --summary`, so the same numbers), minute frames (1 min tier, or raw
// frames folded into minutes) for coverage, heatmaps, plots and the per-minute CSV, the
// recorded loss bursts, and the incidents (deduplicated: the daemon writes one into the file
// of every target it hit). Qt-free; the PDF is drawn by tools/zzping-report.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "zzping/common/attribution.hpp"
#include "zzping/common/frame.hpp"
#include "zzping/common/span_summary.hpp"

namespace zzping::report {

struct ReportRequest {
  std::vector<std::filesystem::path> paths;  // data directories, host folders or files
  std::optional<std::int64_t> from_ms;       // empty: the start of the data
  std::optional<std::int64_t> to_ms;         // empty: the end of the data
  std::vector<std::string> hosts;            // empty: every host found
};

// From the newest raw file header of the host in the period (else a tier file's).
struct HostInfo {
  std::string address;
  std::optional<attribution::Role> role;  // absent in files older than format 1.2
  std::optional<std::uint32_t> timeout_ms;  // the probe timeout, absent where files do not say
  std::uint32_t frame_ms = 0;             // 0: no raw file in the period (only tiers)
  double precision = 0;
  std::string software;
  std::string source;
  bool from_header = false;
};

struct Gap {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  friend bool operator==(const Gap&, const Gap&) = default;
};

struct HostReport {
  std::string host;
  HostInfo info;
  SpanSummary summary;
  std::vector<Frame> minutes;     // one per minute with data, in time order, length 60 000
  std::vector<Gap> gaps;          // whole minutes of the period without a frame
  std::vector<LossEvent> bursts;  // recorded loss bursts overlapping the period
};

struct ReportData {
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
  std::vector<HostReport> hosts;                  // sorted by host
  std::vector<attribution::Incident> incidents;   // deduplicated, in time order
  std::vector<Gap> gaps;                          // minutes when no host has a frame
  bool failed = false;                            // some file had bad bytes (a warning named it)
  bool has_data() const;
};

// Throws std::runtime_error naming the path for a path that does not exist or cannot be
// read; damaged bytes inside a file are a warning (naming file and offset) and set failed.
ReportData read_report(const ReportRequest& request, std::ostream& warnings);

// Pure helpers, unit-tested.
// Whole minutes of [from, to) that hold no frame of `minutes` (sorted), merged into runs.
std::vector<Gap> find_gaps(std::span<const Frame> minutes, std::int64_t from_ms, std::int64_t to_ms);
// Minutes that no host has (the intersection of the hosts' gaps).
std::vector<Gap> common_gaps(const std::vector<std::vector<Gap>>& per_host);
// One copy of each incident (same start, end, cause and targets: the one with a last hop
// wins), in time order.
std::vector<attribution::Incident> deduplicate_incidents(std::vector<attribution::Incident> incidents);
// Frames folded into UTC minutes (merge_into), sorted; a 1 min tier frame stays as it is.
std::vector<Frame> fold_into_minutes(std::vector<Frame> frames);

}  // namespace zzping::report
