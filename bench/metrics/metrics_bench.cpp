// What a scrape costs the daemon's loop: rendering the page for N targets (every target
// with a filled RTT histogram and a last frame), in both formats; and what one final
// frame costs the sink (per target, per frame interval).
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "zzping/metrics/metrics_page.hpp"
#include "zzping/metrics/target_table.hpp"

namespace {

using namespace zzping;
using namespace zzping::metrics;

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

TargetTable table_of(int targets) {
  TargetTable table(LogBuckets(RttQuantiser(0.01), 100e-6, 10.0, 4));
  std::mt19937 random(42);
  for (int t = 0; t < targets; ++t) {
    daemon::HostInfo host;
    host.name = "host-" + std::to_string(t) + ".example.net";
    host.address = "10.0." + std::to_string(t / 256) + "." + std::to_string(t % 256);
    for (int i = 0; i < 100; ++i) table.on_frame(host, random_frame(random, i * 100));
    table.on_status(host, daemon::HostStatus{3, 10, 1000});
  }
  return table;
}

enum class Buffer { fresh, reserved, reused };

void render_page(benchmark::State& state, TextFormat format, Buffer buffer) {
  const TargetTable table = table_of(static_cast<int>(state.range(0)));
  RttHistogram send_errors(RttQuantiser(0.01));
  std::mt19937 random(7);
  std::exponential_distribution<double> error_ns(1.0 / 30'000);
  for (int i = 0; i < 100'000; ++i) send_errors.add_ns(error_ns(random));
  DaemonFigures figures;
  figures.version = "0.3.0";
  figures.send_errors_ns = &send_errors;
  figures.stream_clients = 2;
  figures.process = ProcessFigures{12.5, 20e6, 1.7e9};
  const MetricsPage page(send_errors.quantiser());
  std::size_t bytes = 0;
  std::string kept;
  for (auto _ : state) {
    std::string fresh;
    std::string& out = buffer == Buffer::reused ? kept : fresh;
    out.clear();
    if (buffer == Buffer::reserved) out.reserve(bytes + bytes / 8);
    page.render(table, figures, format, out);
    bytes = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["page_bytes"] = static_cast<double>(bytes);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}

// fresh: a new string grown while rendering; reserved: a new string reserved at the last
// page's size (what the sink does); reused: the same buffer every time (lower bound).
void BM_RenderPrometheus(benchmark::State& state) { render_page(state, TextFormat::prometheus_0_0_4, Buffer::fresh); }
void BM_RenderPrometheusReserved(benchmark::State& state) {
  render_page(state, TextFormat::prometheus_0_0_4, Buffer::reserved);
}
void BM_RenderPrometheusReused(benchmark::State& state) {
  render_page(state, TextFormat::prometheus_0_0_4, Buffer::reused);
}
void BM_RenderOpenMetricsReserved(benchmark::State& state) {
  render_page(state, TextFormat::openmetrics_1_0_0, Buffer::reserved);
}
BENCHMARK(BM_RenderPrometheus)->Arg(1)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RenderPrometheusReserved)->Arg(1)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RenderPrometheusReused)->Arg(100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RenderOpenMetricsReserved)->Arg(100)->Unit(benchmark::kMicrosecond);

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
