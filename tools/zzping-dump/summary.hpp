// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// zzping-dump --summary: one SpanSummary per host over [from, to) (docs/summary.md). The
// reading is shared with the GUI (zzping/formats/span_summary_files.hpp); printing is here.
#include <ostream>
#include <vector>

#include "zzping/common/span_summary.hpp"
#include "zzping/formats/span_summary_files.hpp"
#include "zzping/tools/frame_output.hpp"

namespace zzping::dump {

using formats::summarize_paths;
using formats::SummaryRequest;
using formats::SummaryResult;

// text (for people), jsonl (one object per host, docs/summary.md) or csv (header row).
void print_summaries(std::ostream& out, const std::vector<SpanSummary>& summaries,
                     tools::OutputFormat format);

}  // namespace zzping::dump
