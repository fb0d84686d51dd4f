#pragma once
// The /metrics page: every family zzpingd exports (docs/metrics.md lists them), rendered
// from the target table and the daemon's own figures. Pure: the caller gathers the inputs.
#include <cstddef>
#include <limits>
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
  std::string_view version;
  const RttHistogram* send_errors_ns = nullptr;  // |send - deadline| of every probe; null: none
  std::optional<std::size_t> stream_clients;     // unset: no stream server to ask
  ProcessFigures process;
};

class MetricsPage {
 public:
  // Send-schedule error buckets: 1 µs .. 100 ms, on the edges of `send_error_quantiser`.
  explicit MetricsPage(const RttQuantiser& send_error_quantiser);

  // Appends the whole page to `out`.
  void render(const TargetTable& targets, const DaemonFigures& daemon, TextFormat format,
              std::string& out) const;

 private:
  LogBuckets send_error_buckets_;
};

}  // namespace zzping::metrics
