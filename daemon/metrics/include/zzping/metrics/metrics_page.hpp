// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The /metrics page: every family zzpingd exports (docs/metrics.md lists them), rendered
// from a copy of the target table and the daemon's own figures. Pure: the caller gathers
// the inputs.
//
// A page for 100 targets is ~380 kB and ~0.5 ms of CPU: too long to hold the loop that
// sends the probes. So a PageRender works from its own copy of the state (taken at once:
// the counters of one scrape stay consistent, sent == received + lost) and renders a
// bounded number of lines per step; the caller runs one step per loop turn.
#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "zzping/common/rtt_histogram.hpp"
#include "zzping/metrics/exposition_writer.hpp"
#include "zzping/metrics/log_buckets.hpp"
#include "zzping/metrics/target_table.hpp"

namespace zzping::metrics {

struct ProcessFigures {
  double cpu_seconds = std::numeric_limits<double>::quiet_NaN();  // user + system
  double resident_bytes = std::numeric_limits<double>::quiet_NaN();
  double start_time_seconds = std::numeric_limits<double>::quiet_NaN();  // Unix time
};

struct DaemonFigures {
  std::string_view version;                    // a string that outlives the render (a literal)
  std::optional<RttHistogram> send_errors_ns;  // |send - deadline| of every probe; unset: none
  std::optional<std::size_t> stream_clients;   // unset: no stream server to ask
  ProcessFigures process;
};

class PageRender {
 public:
  // `send_error_buckets`: bounds of zzping_send_schedule_error_seconds.
  PageRender(TargetTable targets, DaemonFigures daemon, const LogBuckets& send_error_buckets, TextFormat format,
             std::size_t reserve_bytes = 0);
  PageRender(const PageRender&) = delete;
  PageRender& operator=(const PageRender&) = delete;

  // Renders about `max_lines` more lines (a target's histogram is not split); true once
  // the page is complete.
  bool step(std::size_t max_lines);
  // The page so far (all of it once step() returned true).
  std::string& text() { return out_; }

 private:
  std::size_t write_section_target(const std::string& name, const TargetMetrics& target);
  void write_section_header();

  TargetTable targets_;
  DaemonFigures daemon_;
  LogBuckets send_error_buckets_;
  std::string out_;
  ExpositionWriter writer_;
  std::size_t section_ = 0;  // per-target family being written
  bool header_written_ = false;
  std::map<std::string, TargetMetrics, std::less<>>::const_iterator next_target_;
  bool complete_ = false;
};

class MetricsPage {
 public:
  // Send-schedule error buckets: 1 µs .. 100 ms, on the edges of `send_error_quantiser`.
  explicit MetricsPage(const RttQuantiser& send_error_quantiser);

  // A render of this state, to be stepped by the caller.
  std::unique_ptr<PageRender> start(TargetTable targets, DaemonFigures daemon, TextFormat format,
                                    std::size_t reserve_bytes = 0) const;
  // The whole page at once, appended to `out` (tests, benchmarks).
  void render(const TargetTable& targets, const DaemonFigures& daemon, TextFormat format, std::string& out) const;

 private:
  LogBuckets send_error_buckets_;
};

}  // namespace zzping::metrics
