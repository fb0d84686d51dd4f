// SPDX-License-Identifier: GPL-3.0-or-later
// GUI figures for a synthetic month of one host at 100 ms frames (~26 M frames):
// building the pyramid from raw frames, opening from a 1-minute tier, and redraw time
// (view model alone, and the whole panel with QCustomPlot) at month, day, hour and
// minute spans. Runs offscreen. ZZPING_BENCH_DAYS overrides the 30 days.
#include <benchmark/benchmark.h>

#include <QApplication>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "plot_panel.hpp"
#include "synthetic_host.hpp"
#include "zzping/common/view/host_timeline.hpp"
#include "zzping/common/view/plot_series.hpp"
#include "zzping/common/view/y_scale.hpp"

namespace {

using zzping::view::HostTimeline;
using zzping::view::TimeRange;

constexpr std::int64_t kT0 = 1'609'459'200'000;  // 2021-01-01T00:00:00Z
constexpr std::int64_t kDayMs = 86'400'000;

std::int64_t bench_days() {
  const char* env = std::getenv("ZZPING_BENCH_DAYS");
  const long days = env ? std::strtol(env, nullptr, 10) : 30;
  return days > 0 && days <= 366 ? days : 30;
}

long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      long kib = 0;
      status >> kib;
      return kib;
    }
    status.ignore(1 << 12, '\n');
  }
  return -1;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The month, built once from raw frames (what opening without tiers costs).
std::shared_ptr<HostTimeline>& month() {
  static std::shared_ptr<HostTimeline> host = [] {
    const std::int64_t frames = bench_days() * kDayMs / 100;
    const long rss_before = rss_kib();
    auto h = std::make_shared<HostTimeline>("synthetic");
    zzping::testing::SyntheticHost gen(kT0);
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t i = 0; i < frames; ++i) h->append(gen.next());
    const double secs = seconds_since(start);
    std::printf("build from raw: %lld frames (%lld days) in %.1f s = %.0f ns/frame "
                "(incl. generating them); pyramid RSS +%ld MiB\n",
                static_cast<long long>(frames), static_cast<long long>(bench_days()), secs,
                1e9 * secs / static_cast<double>(frames), (rss_kib() - rss_before) / 1024);
    for (std::size_t l = 0; l < h->pyramid().level_count(); ++l) {
      std::printf("  level %zu (%u ms): %zu buckets\n", l, h->pyramid().bucket_ms(l),
                  h->pyramid().level(l).size());
    }
    return h;
  }();
  return host;
}

TimeRange span_ending_mid_month(std::int64_t span_ms) {
  const std::int64_t end = kT0 + bench_days() * kDayMs / 2;
  return {end - span_ms, end};
}

const std::int64_t kSpans[] = {0, 7 * kDayMs, kDayMs, 6 * 3'600'000, 3'600'000, 60'000};  // 0: everything
const char* kSpanNames[] = {"all", "week", "day", "6 h", "hour", "minute"};

TimeRange span_of(std::int64_t arg) {
  return arg == 0 ? TimeRange{kT0, kT0 + bench_days() * kDayMs} : span_ending_mid_month(arg);
}

// The view model's share of a redraw: level choice, bucket range, plot arrays, Y range.
void BM_ModelRedraw(benchmark::State& state) {
  const auto& pyramid = month()->pyramid();
  const TimeRange range = span_of(kSpans[state.range(0)]);
  const double budget = 2.0 * 1000;  // 1000 px wide
  zzping::view::YScale y;
  std::size_t points = 0;
  for (auto _ : state) {
    const std::size_t level = pyramid.choose_level(range, budget);
    const auto buckets = pyramid.visible(level, range);
    const auto series = zzping::view::make_plot_series(buckets);
    benchmark::DoNotOptimize(y.axis_range(series));
    points = series.x_s.size();
  }
  state.SetLabel(kSpanNames[state.range(0)]);
  state.counters["points"] = static_cast<double>(points);
}
BENCHMARK(BM_ModelRedraw)->DenseRange(0, 5)->Unit(benchmark::kMicrosecond);

// A whole redraw of the panel (1200x800 window, one host): model + QCustomPlot replot.
void BM_PanelRedraw(benchmark::State& state) {
  zzping::gui::PlotPanel panel;
  panel.resize(1200, 800);
  panel.setHosts({month()});
  panel.show();
  panel.redrawNow();
  const TimeRange range = span_of(kSpans[state.range(0)]);
  const TimeRange nudged{range.begin_ms + 1000, range.end_ms + 1000};
  bool flip = false;
  for (auto _ : state) {
    panel.setTimeRange(flip ? nudged : range);  // a real change each time
    flip = !flip;
    panel.redrawNow();
  }
  state.SetLabel(std::string(kSpanNames[state.range(0)]) + ", level " +
                 std::to_string(panel.levelShown(0)));
  state.counters["points"] = static_cast<double>(panel.seriesShown(0).x_s.size());
}
BENCHMARK(BM_PanelRedraw)->DenseRange(0, 5)->Unit(benchmark::kMillisecond);

// Opening from a 1-minute tier: the month's 43 200 tier frames (built beforehand, as a
// file would hold them) enter the pyramid at the 1 min level... if it has one.
void BM_OpenFromMinuteTier(benchmark::State& state) {
  std::vector<zzping::Frame> tier;
  const std::int64_t minutes = bench_days() * 1440;
  tier.reserve(static_cast<std::size_t>(minutes));
  for (std::int64_t m = 0; m < minutes; ++m) {
    zzping::Frame f;
    f.t_ms = kT0 + m * 60'000;
    f.length_ms = 60'000;
    f.sent = 6000;
    f.lost = static_cast<std::uint32_t>(m % 97 == 0 ? 30 : 1);
    f.recv = f.sent - f.lost;
    for (std::uint32_t k = 0; k < 60; ++k) f.rtt.add_us(1200.0 + 25.0 * k, f.recv / 60);
    tier.push_back(std::move(f));
  }
  std::vector<std::uint32_t> levels = {1'000, 5'000, 60'000, 600'000, 3'600'000, 21'600'000, 86'400'000};
  for (auto _ : state) {
    HostTimeline host("tier", levels);
    for (const auto& f : tier) host.append_tier(f);
    benchmark::DoNotOptimize(host.pyramid().level(3).size());
  }
  state.counters["tier_frames"] = static_cast<double>(tier.size());
}
BENCHMARK(BM_OpenFromMinuteTier)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  benchmark::Initialize(&argc, argv);
  month();  // build first, so its figures print before the table
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::printf("RSS at exit: %ld MiB\n", rss_kib() / 1024);
  return 0;
}
