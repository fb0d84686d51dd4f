#include "zzping/metrics/metrics_page.hpp"

#include <array>
#include <cmath>

namespace zzping::metrics {
namespace {

using Targets = std::map<std::string, TargetMetrics, std::less<>>;

// Label values of kSevenQuantiles, in the same order.
constexpr std::array<std::string_view, 7> kQuantileLabels = {"0", "0.125", "0.25", "0.5", "0.75", "0.875", "1"};
static_assert(kQuantileLabels.size() == kSevenQuantiles.size());

std::array<Label, 2> target_labels(const std::string& name, const TargetMetrics& target) {
  return {Label{"target", name}, Label{"address", target.address}};
}

struct CounterFamily {
  std::string_view name;
  std::string_view help;
  std::uint64_t TargetCounters::*field;
};

constexpr std::array<CounterFamily, 6> kCounterFamilies = {{
    {"zzping_probes_sent", "Probes sent, counted once their frame is final (frame_ms + timeout_ms after sending).",
     &TargetCounters::sent},
    {"zzping_replies_received", "Probes answered in time (one per probe).", &TargetCounters::received},
    {"zzping_probes_lost", "Probes unanswered within timeout_ms.", &TargetCounters::lost},
    {"zzping_replies_duplicate", "Further replies to an already answered probe.", &TargetCounters::duplicate},
    {"zzping_replies_late", "Replies arriving after their probe was counted lost.", &TargetCounters::late},
    {"zzping_icmp_errors", "ICMP errors (unreachable, time exceeded) quoting our probes.",
     &TargetCounters::icmp_errors},
}};

void write_counters(ExpositionWriter& w, const Targets& targets) {
  for (const CounterFamily& family : kCounterFamilies) {
    w.family(family.name, MetricType::counter, family.help);
    for (const auto& [name, target] : targets) w.value(target_labels(name, target), target.counters.*(family.field));
  }
}

std::uint64_t total(std::span<const std::uint64_t> per_bucket) {
  std::uint64_t sum = 0;
  for (const std::uint64_t n : per_bucket) sum += n;
  return sum;
}

void write_rtt_histograms(ExpositionWriter& w, const Targets& targets, const LogBuckets& buckets) {
  w.family("zzping_rtt_seconds", MetricType::histogram,
           "Round-trip times of the replies counted (buckets exact: bounds are edges of the frames' RTT bins; "
           "_sum from the bins' representative values).",
           "seconds");
  for (const auto& [name, target] : targets) {
    w.histogram(target_labels(name, target), buckets.upper_bounds(), cumulative(target.rtt_per_bucket),
                total(target.rtt_per_bucket), target.rtt_sum_s);
  }
}

void write_last_frame_gauges(ExpositionWriter& w, const Targets& targets) {
  w.family("zzping_last_frame_rtt_seconds", MetricType::gauge,
           "RTT quantiles of the newest final frame (NaN: no reply in it).", "seconds");
  for (const auto& [name, target] : targets) {
    if (!target.last_frame.seen) continue;
    for (std::size_t i = 0; i < kQuantileLabels.size(); ++i) {
      const std::array<Label, 3> labels = {Label{"target", name}, Label{"address", target.address},
                                           Label{"quantile", kQuantileLabels[i]}};
      w.value(labels, target.last_frame.rtt_s[i]);
    }
  }
  w.family("zzping_last_frame_loss_ratio", MetricType::gauge,
           "Lost / sent probes of the newest final frame (NaN: none sent in it).");
  for (const auto& [name, target] : targets) {
    if (target.last_frame.seen) w.value(target_labels(name, target), target.last_frame.loss_ratio);
  }
  w.family("zzping_last_frame_timestamp_seconds", MetricType::gauge,
           "Start of the newest final frame, Unix time.", "seconds");
  for (const auto& [name, target] : targets) {
    if (target.last_frame.seen) w.value(target_labels(name, target), target.last_frame.start_s);
  }
  w.family("zzping_inflight_probes", MetricType::gauge, "Probes sent and not yet answered or timed out.");
  for (const auto& [name, target] : targets) {
    w.value(target_labels(name, target), std::uint64_t{target.in_flight});
  }
}

void write_send_errors(ExpositionWriter& w, const RttHistogram& errors_ns, const LogBuckets& buckets) {
  w.family("zzping_send_schedule_error_seconds", MetricType::histogram,
           "|actual send time - scheduled time| of every probe sent (buckets on the edges of the daemon's bins).",
           "seconds");
  std::vector<std::uint64_t> per_bucket(buckets.upper_bounds().size() + 1, 0);
  const double sum_s = buckets.accumulate(errors_ns, per_bucket);
  w.histogram({}, buckets.upper_bounds(), cumulative(per_bucket), total(per_bucket), sum_s);
}

void write_daemon_figures(ExpositionWriter& w, const DaemonFigures& daemon, const LogBuckets& send_error_buckets) {
  if (daemon.send_errors_ns != nullptr) write_send_errors(w, *daemon.send_errors_ns, send_error_buckets);
  if (daemon.stream_clients) {
    w.family("zzping_stream_clients", MetricType::gauge, "Clients connected to the live stream.");
    w.value({}, std::uint64_t{*daemon.stream_clients});
  }
  // Unreadable /proc figures are left out (a NaN counter is invalid OpenMetrics).
  const auto value_if_known = [&w](double value) {
    if (!std::isnan(value)) w.value({}, value);
  };
  w.family("process_cpu_seconds", MetricType::counter, "User and system CPU time of zzpingd.", "seconds");
  value_if_known(daemon.process.cpu_seconds);
  w.family("process_resident_memory_bytes", MetricType::gauge, "Resident memory of zzpingd.", "bytes");
  value_if_known(daemon.process.resident_bytes);
  w.family("process_start_time_seconds", MetricType::gauge, "Start of zzpingd, Unix time.", "seconds");
  value_if_known(daemon.process.start_time_seconds);
  w.family("zzping_build", MetricType::info, "zzpingd version.");
  const std::array<Label, 1> version = {Label{"version", daemon.version}};
  w.value(version, std::uint64_t{1});
}

}  // namespace

MetricsPage::MetricsPage(const RttQuantiser& send_error_quantiser)
    : send_error_buckets_(send_error_quantiser, 1e-6, 0.1, 4) {}

void MetricsPage::render(const TargetTable& targets, const DaemonFigures& daemon, TextFormat format,
                         std::string& out) const {
  ExpositionWriter writer(format, out);
  write_counters(writer, targets.targets());
  write_rtt_histograms(writer, targets.targets(), targets.rtt_buckets());
  write_last_frame_gauges(writer, targets.targets());
  write_daemon_figures(writer, daemon, send_error_buckets_);
  writer.finish();
}

}  // namespace zzping::metrics
