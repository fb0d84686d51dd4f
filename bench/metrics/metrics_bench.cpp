// SPDX-License-Identifier: GPL-3.0-or-later
// What a scrape costs the daemon's loop, for N targets (every target with a filled RTT
// histogram and a last frame): copying the state, rendering the page at once (fresh or
// reserved buffer, both formats), and rendering it in steps of 400 lines as zzpingd does
// (one step per loop turn). Step figures are thread CPU time, so a preempted step on a
// busy machine does not count as a slow one. And what one final frame costs the sink.
#include <benchmark/benchmark.h>
#include <time.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "zzping/metrics/metrics_page.hpp"
#include "zzping/metrics/target_table.hpp"

namespace {

using namespace zzping;
using namespace zzping::metrics;

constexpr std::size_t kLinesPerStep = 400;  // as in metrics_sink.cpp

double thread_cpu_us() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

Frame random_frame(std::mt19937& random, std::int64_t t_ms) {
  std::lognormal_distribution<double> rtt_us(std::log(20'000.0), 0.5);
  Frame f;
  f.t_ms = t_ms;
  f.rtt = RttHistogram(RttQuantiser(0.01));
  f.sent = 10;
  for (int i = 0; i < 9; ++i) f.rtt.add_us(rtt_us(random));
  f.recv = 9;
  f.lost = 1;
  return f;
}

TargetTable table_of(std::int64_t targets) {
  TargetTable table(LogBuckets(RttQuantiser(0.01), 100e-6, 10.0, 4));
  std::mt19937 random(42);
  for (std::int64_t t = 0; t < targets; ++t) {
    daemon::HostInfo host;
    host.name = "host-" + std::to_string(t) + ".example.net";
    host.address = "10.0." + std::to_string(t / 256) + "." + std::to_string(t % 256);
    for (int i = 0; i < 100; ++i) table.on_frame(host, random_frame(random, i * 100));
    table.on_status(host, daemon::HostStatus{3, 10, 1000});
  }
  return table;
}

DaemonFigures figures() {
  DaemonFigures f;
  f.version = "0.3.0";
  f.send_errors_ns = RttHistogram(RttQuantiser(0.01));
  std::mt19937 random(7);
  std::exponential_distribution<double> error_ns(1.0 / 30'000);
  for (int i = 0; i < 100'000; ++i) f.send_errors_ns->add_ns(error_ns(random));
  f.stream_clients = 2;
  f.process = ProcessFigures{12.5, 20e6, 1.7e9};
  return f;
}

// The copy a scrape starts with (target table + daemon figures).
void BM_CopyState(benchmark::State& state) {
  const TargetTable table = table_of(state.range(0));
  const DaemonFigures daemon = figures();
  const MetricsPage page(RttQuantiser(0.01));
  for (auto _ : state) benchmark::DoNotOptimize(page.start(table, daemon, TextFormat::openmetrics_1_0_0));
}
BENCHMARK(BM_CopyState)->Arg(1)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);

// The whole page in one go (what a loop turn would cost unstepped), with or without the
// buffer reserved at the last page's size.
void render_whole(benchmark::State& state, TextFormat format, bool reserve) {
  const TargetTable table = table_of(state.range(0));
  const DaemonFigures daemon = figures();
  const MetricsPage page(RttQuantiser(0.01));
  std::size_t bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const auto render = page.start(table, daemon, format, reserve ? bytes + bytes / 8 : 0);
    state.ResumeTiming();
    render->step(SIZE_MAX);
    bytes = render->text().size();
  }
  state.counters["page_bytes"] = static_cast<double>(bytes);
}
void BM_RenderFresh(benchmark::State& state) { render_whole(state, TextFormat::prometheus_0_0_4, false); }
void BM_RenderReserved(benchmark::State& state) { render_whole(state, TextFormat::prometheus_0_0_4, true); }
void BM_RenderReservedOpenMetrics(benchmark::State& state) { render_whole(state, TextFormat::openmetrics_1_0_0, true); }
BENCHMARK(BM_RenderFresh)->Arg(100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RenderReserved)->Arg(1)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RenderReservedOpenMetrics)->Arg(100)->Unit(benchmark::kMicrosecond);

// zzpingd's way: steps of 400 lines. Reports the mean and p99 step (thread CPU).
void BM_SteppedRender(benchmark::State& state) {
  const TargetTable table = table_of(state.range(0));
  const DaemonFigures daemon = figures();
  const MetricsPage page(RttQuantiser(0.01));
  std::size_t bytes = 0;
  std::size_t steps = 0;
  double step_cpu_us = 0;
  std::vector<double> step_times;
  // The first page is rendered before timing: it has no size to reserve from (the first
  // scrape of a daemon grows its buffer; later ones do not).
  const auto first = page.start(table, daemon, TextFormat::openmetrics_1_0_0);
  first->step(SIZE_MAX);
  bytes = first->text().size();
  for (auto _ : state) {
    const auto render = page.start(table, daemon, TextFormat::openmetrics_1_0_0, bytes + bytes / 8);
    for (bool done = false; !done;) {
      const double start = thread_cpu_us();
      done = render->step(kLinesPerStep);
      const double used = thread_cpu_us() - start;
      step_cpu_us += used;
      step_times.push_back(used);
      ++steps;
    }
    bytes = render->text().size();
  }
  state.counters["steps_per_page"] = static_cast<double>(steps) / static_cast<double>(state.iterations());
  state.counters["step_cpu_us_mean"] = step_cpu_us / static_cast<double>(steps);
  // p99 rather than max: on a shared VM a few steps absorb page faults or steal time.
  const auto p99 = step_times.begin() + static_cast<std::ptrdiff_t>(step_times.size() * 99 / 100);
  std::nth_element(step_times.begin(), p99, step_times.end());
  state.counters["step_cpu_us_p99"] = *p99;
}
BENCHMARK(BM_SteppedRender)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);

void BM_OnFrame(benchmark::State& state) {
  TargetTable table = table_of(100);
  std::mt19937 random(3);
  const Frame frame = random_frame(random, 0);
  daemon::HostInfo host;
  host.name = "host-50.example.net";
  host.address = "10.0.0.50";
  for (auto _ : state) table.on_frame(host, frame);
}
BENCHMARK(BM_OnFrame)->Unit(benchmark::kNanosecond);

}  // namespace

BENCHMARK_MAIN();
