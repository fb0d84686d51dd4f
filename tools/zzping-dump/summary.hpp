// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// zzping-dump --summary: one SpanSummary per host over [from, to) (docs/summary.md), from
// files of any format, host folders and data directories. In a folder, the 1 h tier gives
// the hours that lie wholly inside the span and the raw hour files give the rest (the
// edges, and hours without a tier frame), so the result is exact and a year reads ~9000
// tier frames instead of 300 million raw ones.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <vector>

#include "zzping/common/span_summary.hpp"
#include "zzping/tools/frame_output.hpp"

namespace zzping::dump {

struct SummaryRequest {
  std::optional<std::int64_t> from_ms;  // empty: from the first frame found
  std::optional<std::int64_t> to_ms;    // empty: to the end of the last frame found
};

struct SummaryResult {
  std::vector<SpanSummary> hosts;  // sorted by host
  bool failed = false;             // some file had bad bytes (a line went to `warnings`)
};

SummaryResult summarize_paths(const std::vector<std::filesystem::path>& paths,
                              const SummaryRequest& request, std::ostream& warnings);

// text (for people), jsonl (one object per host, docs/summary.md) or csv (header row).
void print_summaries(std::ostream& out, const std::vector<SpanSummary>& summaries,
                     tools::OutputFormat format);

}  // namespace zzping::dump
