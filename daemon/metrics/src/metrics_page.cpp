// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/metrics/metrics_page.hpp"

#include <array>
#include <cmath>
#include <memory>

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
  std::string_view unit = {};
  double scale = 0;  // 0: the integer as is; else written as field * scale (ns, ms -> s)
};

constexpr std::array<CounterFamily, 10> kCounterFamilies = {{
    {"zzping_probes_sent", "Probes sent, counted once their frame is final (frame_ms + timeout_ms after sending).",
     &TargetCounters::sent},
    {"zzping_replies_received", "Probes answered in time (one per probe).", &TargetCounters::received},
    {"zzping_probes_lost", "Probes unanswered within timeout_ms.", &TargetCounters::lost},
    {"zzping_replies_duplicate", "Further replies to an already answered probe.", &TargetCounters::duplicate},
    {"zzping_replies_late", "Replies arriving after their probe was counted lost.", &TargetCounters::late},
    {"zzping_icmp_errors", "ICMP errors (unreachable, time exceeded) quoting our probes.",
     &TargetCounters::icmp_errors},
    {"zzping_jitter_pairs", "Pairs of consecutive probes (send order) both answered in time, counted with the later "
     "probe's frame.", &TargetCounters::jitter_pairs},
    {"zzping_jitter_seconds", "Sum of |RTT difference| over those pairs; divided by the pairs it is the mean jitter.",
     &TargetCounters::jitter_sum_ns, "seconds", 1e-9},
    {"zzping_loss_bursts", "Loss bursts (2 or more consecutive lost probes), counted when they end.",
     &TargetCounters::loss_bursts},
    {"zzping_loss_burst_seconds", "Duration of those bursts (send time of the first to the last lost probe).",
     &TargetCounters::loss_burst_ms, "seconds", 1e-3},
}};

// The per-target families after the counters, in page order.
enum class Section : std::size_t {
  bursts_by_cause,
  rtt_histogram,
  last_frame_rtt,
  last_frame_loss,
  last_frame_start,
  in_flight,
  target_info,
  count
};
constexpr std::size_t kTargetSections = kCounterFamilies.size() + static_cast<std::size_t>(Section::count);

std::uint64_t total(std::span<const std::uint64_t> per_bucket) {
  std::uint64_t sum = 0;
  for (const std::uint64_t n : per_bucket) sum += n;
  return sum;
}

void write_header(ExpositionWriter& w, Section section) {
  switch (section) {
    case Section::bursts_by_cause:
      w.family("zzping_loss_bursts_attributed", MetricType::counter,
               "Loss bursts by cause (local, upstream, destination, gateway_only, unknown), counted once the frames of "
               "every target covering them are final.");
      return;
    case Section::rtt_histogram:
      w.family("zzping_rtt_seconds", MetricType::histogram,
               "Round-trip times of the replies counted (buckets exact: bounds are edges of the frames' RTT bins; "
               "_sum from the bins' representative values).",
               "seconds");
      return;
    case Section::last_frame_rtt:
      w.family("zzping_last_frame_rtt_seconds", MetricType::gauge,
               "RTT quantiles of the newest final frame (NaN: no reply in it).", "seconds");
      return;
    case Section::last_frame_loss:
      w.family("zzping_last_frame_loss_ratio", MetricType::gauge,
               "Lost / sent probes of the newest final frame (NaN: none sent in it).");
      return;
    case Section::last_frame_start:
      w.family("zzping_last_frame_timestamp_seconds", MetricType::gauge,
               "Start of the newest final frame, Unix time.", "seconds");
      return;
    case Section::in_flight:
      w.family("zzping_inflight_probes", MetricType::gauge, "Probes sent and not yet answered or timed out.");
      return;
    case Section::target_info:
      w.family("zzping_target", MetricType::info,
               "Every target: its resolved address and role (always 1; join on target and address).");
      return;
    case Section::count: return;
  }
}

// Returns the number of lines written.
std::size_t write_target(ExpositionWriter& w, Section section, const std::string& name, const TargetMetrics& target,
                         const LogBuckets& rtt_buckets) {
  const auto labels = target_labels(name, target);
  switch (section) {
    case Section::bursts_by_cause:
      for (const attribution::Cause cause : kCauses) {
        const std::array<Label, 3> with_cause = {labels[0], labels[1], Label{"cause", attribution::to_string(cause)}};
        w.value(with_cause, target.counters.bursts_by_cause[static_cast<std::size_t>(cause)]);
      }
      return kCauses.size();
    case Section::rtt_histogram:
      w.histogram(labels, rtt_buckets.upper_bounds(), cumulative(target.rtt_per_bucket), total(target.rtt_per_bucket),
                  target.rtt_sum_s);
      return rtt_buckets.upper_bounds().size() + 3;
    case Section::last_frame_rtt:
      if (!target.last_frame.seen) return 0;
      for (std::size_t i = 0; i < kQuantileLabels.size(); ++i) {
        const std::array<Label, 3> with_quantile = {labels[0], labels[1], Label{"quantile", kQuantileLabels[i]}};
        w.value(with_quantile, target.last_frame.rtt_s[i]);
      }
      return kQuantileLabels.size();
    case Section::last_frame_loss:
      if (!target.last_frame.seen) return 0;
      w.value(labels, target.last_frame.loss_ratio);
      return 1;
    case Section::last_frame_start:
      if (!target.last_frame.seen) return 0;
      w.value(labels, target.last_frame.start_s);
      return 1;
    case Section::in_flight:
      w.value(labels, std::uint64_t{target.in_flight});
      return 1;
    case Section::target_info: {
      const std::array<Label, 3> with_role = {labels[0], labels[1], Label{"role", target.role}};
      w.value(with_role, std::uint64_t{1});
      return 1;
    }
    case Section::count: break;
  }
  return 0;
}

void write_send_errors(ExpositionWriter& w, const RttHistogram& errors_ns, const LogBuckets& buckets) {
  w.family("zzping_send_schedule_error_seconds", MetricType::histogram,
           "|actual send time - scheduled time| of every probe sent (buckets on the edges of the daemon's bins).",
           "seconds");
  std::vector<std::uint64_t> per_bucket(buckets.upper_bounds().size() + 1, 0);
  const double sum_s = buckets.accumulate(errors_ns, per_bucket);
  w.histogram({}, buckets.upper_bounds(), cumulative(per_bucket), total(per_bucket), sum_s);
}

// Every cause is on the page from the start (at 0), so rate() and increase() see the first one.
void write_incidents(ExpositionWriter& w, const IncidentCounters& incidents) {
  w.family("zzping_incidents", MetricType::counter,
           "Incidents (overlapping loss bursts of all targets merged) by cause, counted once no later burst can join.");
  for (const attribution::Cause cause : kCauses) {
    const std::array<Label, 1> label = {Label{"cause", attribution::to_string(cause)}};
    w.value(label, incidents.count[static_cast<std::size_t>(cause)]);
  }
  w.family("zzping_incident_seconds", MetricType::counter,
           "Duration of those incidents (first lost probe to last, over all their targets).", "seconds");
  for (const attribution::Cause cause : kCauses) {
    const std::array<Label, 1> label = {Label{"cause", attribution::to_string(cause)}};
    w.value(label, static_cast<double>(incidents.duration_ms[static_cast<std::size_t>(cause)]) * 1e-3);
  }
}

void write_daemon_figures(ExpositionWriter& w, const DaemonFigures& daemon, const LogBuckets& send_error_buckets) {
  if (daemon.send_errors_ns) write_send_errors(w, *daemon.send_errors_ns, send_error_buckets);
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

PageRender::PageRender(TargetTable targets, DaemonFigures daemon, const LogBuckets& send_error_buckets,
                       TextFormat format, std::size_t reserve_bytes)
    : targets_(std::move(targets)),
      daemon_(std::move(daemon)),
      send_error_buckets_(send_error_buckets),
      writer_(format, out_) {
  out_.reserve(reserve_bytes);
}

void PageRender::write_section_header() {
  if (section_ < kCounterFamilies.size()) {
    const CounterFamily& family = kCounterFamilies[section_];
    writer_.family(family.name, MetricType::counter, family.help, family.unit);
  } else {
    write_header(writer_, static_cast<Section>(section_ - kCounterFamilies.size()));
  }
}

std::size_t PageRender::write_section_target(const std::string& name, const TargetMetrics& target) {
  if (section_ < kCounterFamilies.size()) {
    const CounterFamily& family = kCounterFamilies[section_];
    const std::uint64_t value = target.counters.*(family.field);
    if (family.scale == 0) {
      writer_.value(target_labels(name, target), value);
    } else {
      writer_.value(target_labels(name, target), static_cast<double>(value) * family.scale);
    }
    return 1;
  }
  return write_target(writer_, static_cast<Section>(section_ - kCounterFamilies.size()), name, target,
                      targets_.rtt_buckets());
}

bool PageRender::step(std::size_t max_lines) {
  if (complete_) return true;
  std::size_t lines = 0;
  const Targets& targets = targets_.targets();
  while (section_ < kTargetSections) {
    if (!header_written_) {
      write_section_header();
      header_written_ = true;
      next_target_ = targets.begin();
    }
    for (; next_target_ != targets.end(); ++next_target_) {
      if (lines >= max_lines) return false;
      lines += write_section_target(next_target_->first, next_target_->second);
    }
    ++section_;
    header_written_ = false;
  }
  write_incidents(writer_, targets_.incidents());
  write_daemon_figures(writer_, daemon_, send_error_buckets_);
  writer_.finish();
  complete_ = true;
  return true;
}

MetricsPage::MetricsPage(const RttQuantiser& send_error_quantiser)
    : send_error_buckets_(send_error_quantiser, 1e-6, 0.1, 4) {}

std::unique_ptr<PageRender> MetricsPage::start(TargetTable targets, DaemonFigures daemon, TextFormat format,
                                               std::size_t reserve_bytes) const {
  return std::make_unique<PageRender>(std::move(targets), std::move(daemon), send_error_buckets_, format,
                                      reserve_bytes);
}

void MetricsPage::render(const TargetTable& targets, const DaemonFigures& daemon, TextFormat format,
                         std::string& out) const {
  PageRender render(targets, daemon, send_error_buckets_, format);
  render.step(std::numeric_limits<std::size_t>::max());
  out += render.text();
}

}  // namespace zzping::metrics
