// SPDX-License-Identifier: GPL-3.0-or-later
#include "summary_source.hpp"

#include <sstream>

#include "zzping/formats/span_summary_files.hpp"

namespace zzping::gui {

namespace {

constexpr std::int64_t kHourMs = 3'600'000;

SourceSummary from_files(const SummarySource& source, view::TimeRange range) {
  std::vector<std::filesystem::path> paths;
  if (source.host_dir) {
    paths.push_back(*source.host_dir);
  } else {
    // Only the files near the span: a loss event is written to the file open when its
    // burst ends, which may be the next hour's (zzping-dump reads neighbour hours too).
    for (const SourceFile& f : source.files) {
      if (f.frames.begin_ms < range.end_ms + kHourMs && f.frames.end_ms > range.begin_ms - kHourMs) {
        paths.push_back(f.path);
      }
    }
  }
  std::ostringstream warnings;
  SourceSummary out;
  out.summary = formats::summarize_host(source.host, paths, {range.begin_ms, range.end_ms}, warnings);
  out.origin = source.host_dir ? "the data directory (1 h tier inside the span, raw hours at its edges)"
                               : "the files read (" + std::to_string(paths.size()) + " near the span)";
  out.problem = warnings.str();
  return out;
}

SourceSummary from_live(const LiveFrameLog::Snapshot& live, const std::string& host, view::TimeRange range) {
  SourceSummary out;
  if (!live.first_ms || range.begin_ms < *live.first_ms) {
    out.problem = "the span starts before the frames kept for exact quantiles (the last hour)";
    return out;
  }
  std::optional<SpanAccumulator> acc;
  for (const auto& block : live.blocks) {
    for (const Frame& f : *block) {
      if (!acc) acc.emplace(range.begin_ms, range.end_ms, f.rtt.quantiser());
      // The daemon's stream carries every loss burst beside its frames.
      if (f.t_ms >= range.begin_ms && f.t_ms < range.end_ms) acc->add(f, BurstRecording::kRecorded);
    }
  }
  for (const LossEvent& e : live.events) acc->add(e);
  out.summary = acc->summarize(host);
  out.summary->from_ms = range.begin_ms;
  out.summary->to_ms = range.end_ms;
  out.origin = "the frames received (the last hour is kept with histograms)";
  return out;
}

}  // namespace

SourceSummary summarize_source(const SummarySource& source, view::TimeRange range) {
  if (source.live) return from_live(*source.live, source.host, range);
  if (source.host_dir || !source.files.empty()) return from_files(source, range);
  return {std::nullopt, {}, "no source to read the histograms from"};
}

}  // namespace zzping::gui
