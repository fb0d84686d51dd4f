// SPDX-License-Identifier: GPL-3.0-or-later
// The exposition text: exact pages for a fixed state in both formats, escaping, histogram
// buckets (on bin edges, cumulative, monotonic), content negotiation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "zzping/metrics/exposition_writer.hpp"
#include "zzping/metrics/log_buckets.hpp"
#include "zzping/metrics/metrics_page.hpp"
#include "zzping/metrics/target_table.hpp"

namespace {

using namespace zzping;
using namespace zzping::metrics;

daemon::HostInfo host(std::string name, std::string address) {
  daemon::HostInfo info;
  info.name = std::move(name);
  info.address = std::move(address);
  info.rate = 10;
  info.frame_ms = 100;
  info.precision = 0.01;
  return info;
}

Frame frame(std::int64_t t_ms, std::uint32_t sent, std::uint32_t lost, std::initializer_list<double> rtts_us) {
  Frame f;
  f.t_ms = t_ms;
  f.length_ms = 100;
  f.sent = sent;
  f.lost = lost;
  f.rtt = RttHistogram(RttQuantiser(0.01));
  for (const double us : rtts_us) f.rtt.add_us(us);
  f.recv = static_cast<std::uint32_t>(f.rtt.count());
  return f;
}

// 1 ms and 10 ms (one per decade) on the edges of the 1% bins.
LogBuckets small_buckets() { return LogBuckets(RttQuantiser(0.01), 1e-3, 1e-2, 1); }

std::string render(const TargetTable& table, const DaemonFigures& figures, TextFormat format) {
  MetricsPage page{RttQuantiser(0.5)};
  std::string out;
  page.render(table, figures, format, out);
  return out;
}

TargetTable fixed_table() {
  TargetTable table(small_buckets());
  auto a = host("router", "192.168.1.1");
  a.role = attribution::Role::gateway;
  Frame f1 = frame(1'700'000'000'000, 4, 1, {500, 2000, 20000});
  f1.dup = 2;
  f1.late = 1;
  f1.icmp_errors = 3;
  f1.jitter = JitterSum{3'000'000, 2};
  table.on_frame(a, f1);
  table.on_event(a, LossEvent{1'700'000'000'100, 1'700'000'000'350, 6});
  attribution::AttributedBurst burst{{"router", 1'700'000'000'100, 1'700'000'000'350, 6}, {}};
  burst.attribution.cause = attribution::Cause::local;
  table.on_burst_attributed(a, burst);
  table.on_incident(attribution::Incident{1'700'000'000'100, 1'700'000'000'350, attribution::Cause::upstream, {"router"}, 6, ""});
  table.on_incident(attribution::Incident{1'700'000'010'000, 1'700'000'010'500, attribution::Cause::upstream, {"router"}, 6, ""});
  // A burst of a host no longer on the page (removed by a reload) does not bring it back.
  table.on_burst_attributed(host("gone", "10.0.0.9"), burst);
  table.on_frame(a, frame(1'700'000'000'100, 1, 1, {}));
  daemon::HostStatus status;
  status.in_flight = 5;
  table.on_status(a, status);
  return table;
}

DaemonFigures fixed_figures() {
  DaemonFigures figures;
  figures.version = "1.2.3";
  figures.process = ProcessFigures{1.5, 4096, 1700000000.25};
  return figures;
}

// Bucket bounds: 1.01^k ns at k = ceil(log(1e6)/log(1.01)) = 1389 (1005514.1 ns) and
// ceil(log(1e7)/log(1.01)) = 1620 (10014413.7 ns), rounded up to 6 digits.
constexpr const char* kPrometheusPage = R"(# TYPE zzping_probes_sent_total counter
# HELP zzping_probes_sent_total Probes sent, counted once their frame is final (frame_ms + timeout_ms after sending).
zzping_probes_sent_total{target="router",address="192.168.1.1"} 5
# TYPE zzping_replies_received_total counter
# HELP zzping_replies_received_total Probes answered in time (one per probe).
zzping_replies_received_total{target="router",address="192.168.1.1"} 3
# TYPE zzping_probes_lost_total counter
# HELP zzping_probes_lost_total Probes unanswered within timeout_ms.
zzping_probes_lost_total{target="router",address="192.168.1.1"} 2
# TYPE zzping_replies_duplicate_total counter
# HELP zzping_replies_duplicate_total Further replies to an already answered probe.
zzping_replies_duplicate_total{target="router",address="192.168.1.1"} 2
# TYPE zzping_replies_late_total counter
# HELP zzping_replies_late_total Replies arriving after their probe was counted lost.
zzping_replies_late_total{target="router",address="192.168.1.1"} 1
# TYPE zzping_icmp_errors_total counter
# HELP zzping_icmp_errors_total ICMP errors (unreachable, time exceeded) quoting our probes.
zzping_icmp_errors_total{target="router",address="192.168.1.1"} 3
# TYPE zzping_jitter_pairs_total counter
# HELP zzping_jitter_pairs_total Pairs of consecutive probes (send order) both answered in time, counted with the later probe's frame.
zzping_jitter_pairs_total{target="router",address="192.168.1.1"} 2
# TYPE zzping_jitter_seconds_total counter
# HELP zzping_jitter_seconds_total Sum of |RTT difference| over those pairs; divided by the pairs it is the mean jitter.
zzping_jitter_seconds_total{target="router",address="192.168.1.1"} 0.003
# TYPE zzping_loss_bursts_total counter
# HELP zzping_loss_bursts_total Loss bursts (2 or more consecutive lost probes), counted when they end.
zzping_loss_bursts_total{target="router",address="192.168.1.1"} 1
# TYPE zzping_loss_burst_seconds_total counter
# HELP zzping_loss_burst_seconds_total Duration of those bursts (send time of the first to the last lost probe).
zzping_loss_burst_seconds_total{target="router",address="192.168.1.1"} 0.25
# TYPE zzping_loss_bursts_attributed_total counter
# HELP zzping_loss_bursts_attributed_total Loss bursts by cause (local, upstream, destination, gateway_only, unknown), counted once the frames of every target covering them are final.
zzping_loss_bursts_attributed_total{target="router",address="192.168.1.1",cause="local"} 1
zzping_loss_bursts_attributed_total{target="router",address="192.168.1.1",cause="upstream"} 0
zzping_loss_bursts_attributed_total{target="router",address="192.168.1.1",cause="destination"} 0
zzping_loss_bursts_attributed_total{target="router",address="192.168.1.1",cause="gateway_only"} 0
zzping_loss_bursts_attributed_total{target="router",address="192.168.1.1",cause="unknown"} 0
# TYPE zzping_rtt_seconds histogram
# HELP zzping_rtt_seconds Round-trip times of the replies counted (buckets exact: bounds are edges of the frames' RTT bins; _sum from the bins' representative values).
zzping_rtt_seconds_bucket{target="router",address="192.168.1.1",le="0.00100552"} 1
zzping_rtt_seconds_bucket{target="router",address="192.168.1.1",le="0.0100145"} 2
zzping_rtt_seconds_bucket{target="router",address="192.168.1.1",le="+Inf"} 3
zzping_rtt_seconds_count{target="router",address="192.168.1.1"} 3
zzping_rtt_seconds_sum{target="router",address="192.168.1.1"} SUM
# TYPE zzping_last_frame_rtt_seconds gauge
# HELP zzping_last_frame_rtt_seconds RTT quantiles of the newest final frame (NaN: no reply in it).
zzping_last_frame_rtt_seconds{target="router",address="192.168.1.1",quantile="0"} NaN
zzping_last_frame_rtt_seconds{target="router",address="192.168.1.1",quantile="0.125"} NaN
zzping_last_frame_rtt_seconds{target="router",address="192.168.1.1",quantile="0.25"} NaN
zzping_last_frame_rtt_seconds{target="router",address="192.168.1.1",quantile="0.5"} NaN
zzping_last_frame_rtt_seconds{target="router",address="192.168.1.1",quantile="0.75"} NaN
zzping_last_frame_rtt_seconds{target="router",address="192.168.1.1",quantile="0.875"} NaN
zzping_last_frame_rtt_seconds{target="router",address="192.168.1.1",quantile="1"} NaN
# TYPE zzping_last_frame_loss_ratio gauge
# HELP zzping_last_frame_loss_ratio Lost / sent probes of the newest final frame (NaN: none sent in it).
zzping_last_frame_loss_ratio{target="router",address="192.168.1.1"} 1
# TYPE zzping_last_frame_timestamp_seconds gauge
# HELP zzping_last_frame_timestamp_seconds Start of the newest final frame, Unix time.
zzping_last_frame_timestamp_seconds{target="router",address="192.168.1.1"} 1700000000.1
# TYPE zzping_inflight_probes gauge
# HELP zzping_inflight_probes Probes sent and not yet answered or timed out.
zzping_inflight_probes{target="router",address="192.168.1.1"} 5
# TYPE zzping_target_info gauge
# HELP zzping_target_info Every target: its resolved address and role (always 1; join on target and address).
zzping_target_info{target="router",address="192.168.1.1",role="gateway"} 1
# TYPE zzping_incidents_total counter
# HELP zzping_incidents_total Incidents (overlapping loss bursts of all targets merged) by cause, counted once no later burst can join.
zzping_incidents_total{cause="local"} 0
zzping_incidents_total{cause="upstream"} 2
zzping_incidents_total{cause="destination"} 0
zzping_incidents_total{cause="gateway_only"} 0
zzping_incidents_total{cause="unknown"} 0
# TYPE zzping_incident_seconds_total counter
# HELP zzping_incident_seconds_total Duration of those incidents (first lost probe to last, over all their targets).
zzping_incident_seconds_total{cause="local"} 0
zzping_incident_seconds_total{cause="upstream"} 0.75
zzping_incident_seconds_total{cause="destination"} 0
zzping_incident_seconds_total{cause="gateway_only"} 0
zzping_incident_seconds_total{cause="unknown"} 0
# TYPE process_cpu_seconds_total counter
# HELP process_cpu_seconds_total User and system CPU time of zzpingd.
process_cpu_seconds_total 1.5
# TYPE process_resident_memory_bytes gauge
# HELP process_resident_memory_bytes Resident memory of zzpingd.
process_resident_memory_bytes 4096
# TYPE process_start_time_seconds gauge
# HELP process_start_time_seconds Start of zzpingd, Unix time.
process_start_time_seconds 1700000000.25
# TYPE zzping_build_info gauge
# HELP zzping_build_info zzpingd version.
zzping_build_info{version="1.2.3"} 1
)";

std::string expected_prometheus_page(double sum_s) {
  std::string page = kPrometheusPage;
  std::string sum;
  append_number(sum, sum_s);
  page.replace(page.find("SUM"), 3, sum);
  return page;
}

// The sum comes from the bins' representative values: within 0.5% of the true sum.
double representative_sum_s() {
  const RttQuantiser q(0.01);
  double sum = 0;
  for (const double us : {500.0, 2000.0, 20000.0}) sum += q.value_of(q.key_of(us * 1000)) / 1e9;
  return sum;
}

TEST(MetricsPage, PrometheusTextForAFixedState) {
  const TargetTable table = fixed_table();
  const std::string page = render(table, fixed_figures(), TextFormat::prometheus_0_0_4);
  EXPECT_EQ(page, expected_prometheus_page(representative_sum_s()));
  EXPECT_NEAR(representative_sum_s(), 0.0225, 0.0225 * 0.005);
}

TEST(MetricsPage, OpenMetricsNamesFamiliesWithoutSuffixesAddsUnitsAndEof) {
  const TargetTable table = fixed_table();
  const std::string page = render(table, fixed_figures(), TextFormat::openmetrics_1_0_0);
  EXPECT_NE(page.find("# TYPE zzping_probes_sent counter\n# HELP zzping_probes_sent Probes sent"), std::string::npos);
  EXPECT_NE(page.find("\nzzping_probes_sent_total{target=\"router\",address=\"192.168.1.1\"} 5\n"), std::string::npos);
  EXPECT_NE(page.find("# TYPE zzping_rtt_seconds histogram\n# UNIT zzping_rtt_seconds seconds\n# HELP zzping_rtt_seconds "),
            std::string::npos);
  EXPECT_NE(page.find("# TYPE process_cpu_seconds counter\n# UNIT process_cpu_seconds seconds\n"), std::string::npos);
  EXPECT_NE(page.find("# TYPE zzping_build info\n# HELP zzping_build zzpingd version.\nzzping_build_info{version=\"1.2.3\"} 1\n"),
            std::string::npos);
  EXPECT_NE(page.find("# TYPE zzping_target info\n# HELP zzping_target Every target: "), std::string::npos);
  EXPECT_NE(page.find("\nzzping_target_info{target=\"router\",address=\"192.168.1.1\",role=\"gateway\"} 1\n"),
            std::string::npos);
  EXPECT_NE(page.find("# TYPE zzping_jitter_seconds counter\n# UNIT zzping_jitter_seconds seconds\n"), std::string::npos);
  EXPECT_EQ(page.find("_total counter"), std::string::npos);
  EXPECT_TRUE(page.ends_with("zzping_build_info{version=\"1.2.3\"} 1\n# EOF\n"));
  // Apart from headers and the end marker, the samples are the same lines.
  const auto samples = [](const std::string& text) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      const std::string line = text.substr(start, end - start);
      if (!line.starts_with('#')) out += line + "\n";
      start = end + 1;
    }
    return out;
  };
  EXPECT_EQ(samples(page), samples(expected_prometheus_page(representative_sum_s())));
}

TEST(MetricsPage, OptionalDaemonFiguresAppearWhenGiven) {
  TargetTable table(small_buckets());
  DaemonFigures figures = fixed_figures();
  figures.stream_clients = 7;
  RttHistogram errors(RttQuantiser(0.5));
  errors.add_ns(3'000);       // 3 µs
  errors.add_ns(50'000'000);  // 50 ms
  errors.add_ns(5e9);         // 5 s: beyond the last bound (100 ms)
  figures.send_errors_ns = errors;
  figures.process.cpu_seconds = std::numeric_limits<double>::quiet_NaN();
  const std::string page = render(table, figures, TextFormat::openmetrics_1_0_0);
  EXPECT_NE(page.find("\nzzping_stream_clients 7\n"), std::string::npos);
  EXPECT_NE(page.find("\nzzping_send_schedule_error_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(page.find("\nzzping_send_schedule_error_seconds_count 3\n"), std::string::npos);
  // An unreadable figure is left out, its family header stays.
  EXPECT_NE(page.find("# HELP process_cpu_seconds User and system CPU time of zzpingd.\n# TYPE process_resident"),
            std::string::npos);
  EXPECT_EQ(page.find("process_cpu_seconds_total"), std::string::npos);
}

TEST(MetricsPage, RemovedTargetsDisappear) {
  TargetTable table = fixed_table();
  table.remove("router");
  const std::string page = render(table, fixed_figures(), TextFormat::prometheus_0_0_4);
  EXPECT_EQ(page.find("router"), std::string::npos);
  EXPECT_NE(page.find("# TYPE zzping_probes_sent_total counter\n"), std::string::npos);
}

TargetTable table_of(int targets) {
  TargetTable table(LogBuckets(RttQuantiser(0.01), 100e-6, 10.0, 4));
  for (int t = 0; t < targets; ++t) {
    const auto h = host("host-" + std::to_string(t), "10.0.0." + std::to_string(t));
    table.on_frame(h, frame(1000 * t, 3, 1, {100.0 * (t + 1), 5000}));
  }
  return table;
}

std::size_t lines_in(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

TEST(PageRender, StepsGiveTheSamePageWithBoundedWork) {
  const TargetTable table = table_of(30);
  const MetricsPage page{RttQuantiser(0.01)};
  std::string whole;
  page.render(table, fixed_figures(), TextFormat::openmetrics_1_0_0, whole);
  for (const std::size_t budget : {1u, 2u, 7u, 24u, 100u, 400u}) {
    const auto render = page.start(table, fixed_figures(), TextFormat::openmetrics_1_0_0);
    std::size_t steps = 0;
    std::size_t lines_before = 0;
    for (bool done = false; !done; ++steps) {
      done = render->step(budget);
      const std::size_t written = lines_in(render->text()) - lines_before;
      lines_before += written;
      // A step stops once the budget is used: at most one histogram (24 lines) or the
      // closing daemon families (~40 lines) beyond it, plus a family header (4 lines).
      EXPECT_LE(written, budget + 24 + 4 + 40) << "budget " << budget;
      ASSERT_LT(steps, 10'000u);
    }
    EXPECT_EQ(render->text(), whole) << "budget " << budget;
    EXPECT_GE(steps, lines_in(whole) / (budget + 70)) << "budget " << budget;
    EXPECT_TRUE(render->step(budget));  // stays complete
  }
}

TEST(PageRender, RendersTheStateOfItsStartNotLaterFrames) {
  TargetTable table = table_of(3);
  const MetricsPage page{RttQuantiser(0.01)};
  std::string before;
  page.render(table, fixed_figures(), TextFormat::prometheus_0_0_4, before);
  const auto render = page.start(table, fixed_figures(), TextFormat::prometheus_0_0_4);
  render->step(5);
  table.on_frame(host("host-1", "10.0.0.1"), frame(99'000, 10, 0, {1000}));
  table.remove("host-2");
  while (!render->step(5)) {
  }
  EXPECT_EQ(render->text(), before);
}

TEST(Exposition, LabelValuesEscapeBackslashQuoteAndNewline) {
  std::string out;
  append_escaped_label_value(out, "a\\b\"c\nd\te");
  EXPECT_EQ(out, "a\\\\b\\\"c\\nd\te");

  TargetTable table(small_buckets());
  table.on_frame(host("we\"ird\\name\nx", "::1"), frame(0, 1, 0, {100}));
  const std::string page = render(table, fixed_figures(), TextFormat::openmetrics_1_0_0);
  EXPECT_NE(page.find("zzping_probes_sent_total{target=\"we\\\"ird\\\\name\\nx\",address=\"::1\"} 1\n"),
            std::string::npos);
}

TEST(Exposition, HelpEscapingFollowsEachFormat) {
  std::string prometheus;
  ExpositionWriter(TextFormat::prometheus_0_0_4, prometheus).family("x", MetricType::gauge, "a\\b\n\"c\"");
  EXPECT_EQ(prometheus, "# TYPE x gauge\n# HELP x a\\\\b\\n\"c\"\n");
  std::string openmetrics;
  ExpositionWriter(TextFormat::openmetrics_1_0_0, openmetrics).family("x", MetricType::gauge, "a\\b\n\"c\"");
  EXPECT_EQ(openmetrics, "# TYPE x gauge\n# HELP x a\\\\b\\n\\\"c\\\"\n");
}

TEST(Exposition, NumbersReadBack) {
  const auto text = [](double v) {
    std::string out;
    append_number(out, v);
    return out;
  };
  EXPECT_EQ(text(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(text(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(text(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(text(0.0), "0");
  EXPECT_EQ(text(1700000000.25), "1700000000.25");
  EXPECT_EQ(std::stod(text(0.1 + 0.2)), 0.1 + 0.2);
}

TEST(LogBuckets, BoundsAreBinEdgesSoEveryCountIsExact) {
  const RttQuantiser q(0.01);
  const LogBuckets buckets(q, 100e-6, 10.0, 4);
  ASSERT_EQ(buckets.upper_bounds().size(), 21u);
  for (std::size_t i = 0; i < buckets.upper_bounds().size(); ++i) {
    const double bound_s = buckets.upper_bounds()[i];
    const double nominal_s = 100e-6 * std::pow(10.0, static_cast<double>(i) / 4);
    EXPECT_GE(bound_s, nominal_s);
    EXPECT_LE(bound_s, nominal_s * 1.0101);
    // A value just below the bound's edge counts in it; one just above goes to the next.
    const double edge_ns = std::pow(1.01, std::ceil(std::log(nominal_s * 1e9) / std::log(1.01) - 1e-9));
    EXPECT_LE(edge_ns / 1e9, bound_s);
    EXPECT_EQ(buckets.bucket_of(q, q.key_of(edge_ns * 0.9999)), i);
    EXPECT_EQ(buckets.bucket_of(q, q.key_of(edge_ns * 1.0001)), i + 1);
  }
}

TEST(LogBuckets, CoarsePrecisionMergesBoundsThatShareAnEdge) {
  // 8 per decade is a factor of 1.33 per bound; the bins grow by 1.5.
  const LogBuckets buckets(RttQuantiser(0.5), 100e-6, 10.0, 8);
  const auto bounds = buckets.upper_bounds();
  EXPECT_LT(bounds.size(), 41u);
  EXPECT_GT(bounds.size(), 25u);
  for (std::size_t i = 1; i < bounds.size(); ++i) EXPECT_LT(bounds[i - 1], bounds[i]);
}

TEST(LogBuckets, HistogramIsCumulativeAndMonotonic) {
  TargetTable table(LogBuckets(RttQuantiser(0.01), 100e-6, 10.0, 4));
  const auto h = host("h", "10.0.0.1");
  for (int i = 0; i < 50; ++i) {
    table.on_frame(h, frame(i * 100, 3, 0, {50.0 + i * 37.0, 1000.0 * (i + 1), 2e7 * (i % 3)}));
  }
  const TargetMetrics& t = table.targets().at("h");
  const auto running = cumulative(t.rtt_per_bucket);
  for (std::size_t i = 1; i < running.size(); ++i) EXPECT_LE(running[i - 1], running[i]);
  EXPECT_EQ(running.back(), t.counters.received);
  EXPECT_EQ(t.counters.received, 150u);
  // Exact per bucket: compare with the raw values against each bound.
  const auto bounds = table.rtt_buckets().upper_bounds();
  for (std::size_t b = 0; b < bounds.size(); ++b) {
    std::uint64_t expected = 0;
    for (int i = 0; i < 50; ++i) {
      for (const double us : {50.0 + i * 37.0, 1000.0 * (i + 1), 2e7 * (i % 3)}) {
        if (us / 1e6 <= bounds[b]) ++expected;
      }
    }
    EXPECT_EQ(running[b], expected) << "bucket le=" << bounds[b];
  }
}

TEST(Negotiation, OpenMetricsOnlyWhenAskedFor) {
  EXPECT_EQ(negotiate_format(""), TextFormat::prometheus_0_0_4);
  EXPECT_EQ(negotiate_format("*/*"), TextFormat::prometheus_0_0_4);
  EXPECT_EQ(negotiate_format("text/plain; version=0.0.4"), TextFormat::prometheus_0_0_4);
  EXPECT_EQ(negotiate_format("application/openmetrics-text"), TextFormat::openmetrics_1_0_0);
  EXPECT_EQ(negotiate_format("Application/OpenMetrics-Text;version=1.0.0"), TextFormat::openmetrics_1_0_0);
  EXPECT_EQ(negotiate_format("application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                             "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
            TextFormat::openmetrics_1_0_0);
  EXPECT_EQ(negotiate_format("text/plain, application/openmetrics-text; q=0"), TextFormat::prometheus_0_0_4);
  EXPECT_EQ(content_type(TextFormat::openmetrics_1_0_0), "application/openmetrics-text; version=1.0.0; charset=utf-8");
  EXPECT_EQ(content_type(TextFormat::prometheus_0_0_4), "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace
