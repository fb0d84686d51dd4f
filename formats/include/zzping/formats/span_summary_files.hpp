// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Span summaries read from files (docs/summary.md): one SpanSummary per host over
// [from, to), from files of any format, host folders and data directories. In a folder, the
// 1 h tier gives the hours that lie wholly inside the span and the raw hour files give the
// rest (the edges, and hours without a tier frame), so the result is exact and a year reads
// ~9000 tier frames instead of 300 million raw ones. Shared by `zzping-dump --summary` and
// the GUI's Summary dock, so both give the same numbers. (Here rather than in common/:
// it reads files through this library's decoders, and common/ sits below formats/.)
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "zzping/common/span_summary.hpp"

namespace zzping::formats {

struct SummaryRequest {
  std::optional<std::int64_t> from_ms;  // empty: from the first frame found
  std::optional<std::int64_t> to_ms;    // empty: to the end of the last frame found
};

struct SummaryResult {
  std::vector<SpanSummary> hosts;  // sorted by host
  bool failed = false;             // some file had bad bytes (a line went to `warnings`)
};

// A host's folder of a data directory: it holds tiers/ or a day folder (reads the listing).
bool is_host_data_dir(const std::filesystem::path& dir);

SummaryResult summarize_paths(const std::vector<std::filesystem::path>& paths,
                              const SummaryRequest& request, std::ostream& warnings);

// Every frame and event of `paths` counts for `host`, whatever the files' headers or
// names say (the GUI knows which files make one of its hosts). An empty summary when
// nothing is in the span; `failed` as SummaryResult::failed.
SpanSummary summarize_host(const std::string& host, const std::vector<std::filesystem::path>& paths,
                           const SummaryRequest& request, std::ostream& warnings, bool* failed = nullptr);

}  // namespace zzping::formats
