// SPDX-License-Identifier: GPL-3.0-or-later
// Data directories opened on demand: a synthetic YEAR of one host (1 h, 1 min and 1 s
// tiers over the whole year, raw hours only for its last ZZPING_BENCH_RAW_DAYS days,
// default 7) and a synthetic MONTH (30 days, raw hours throughout, ~26 M frames). For
// each: time to open (index + coarse tiers, first drawing), time until detail is drawn
// after zooming to one minute, redraw time per span once its detail is in, RSS; then a
// pan across 48 hours at a one-minute zoom (eviction keeps memory bounded). Runs
// offscreen; wall and CPU (whole process, loader thread included) are printed.
// ZZPING_BENCH_DETAIL_MB sets the detail budget (default 64); ZZPING_BENCH_YEAR=0 or
// ZZPING_BENCH_MONTH=0 skips a data set.
//
// The directories are generated once into ZZPING_BENCH_DATA (default
// <build>/bench-data) and reused; delete them to regenerate.
#include <benchmark/benchmark.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSignalSpy>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>

#include "detail_loader.hpp"
#include "main_window.hpp"
#include "plot_panel.hpp"
#include "synthetic_data_dir.hpp"

namespace {

using zzping::gui::MainWindow;
using zzping::view::Resolution;
using zzping::view::TimeRange;

constexpr std::int64_t kHour = zzping::testing::kHourMs;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kT0 = 1'609'459'200'000;  // 2021-01-01T00:00:00Z

long env_long(const char* name, long fallback, long lo, long hi) {
  const char* v = std::getenv(name);
  const long n = v ? std::strtol(v, nullptr, 10) : fallback;
  return n >= lo && n <= hi ? n : fallback;
}

long rss_mib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      long kib = 0;
      status >> kib;
      return kib / 1024;
    }
    status.ignore(1 << 12, '\n');
  }
  return -1;
}

double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Wall and process CPU time of a stretch.
struct Stopwatch {
  QElapsedTimer wall;
  double cpu0 = cpu_ms();
  Stopwatch() { wall.start(); }
  double wall_ms() const { return static_cast<double>(wall.nsecsElapsed()) / 1e6; }
  double cpu_used_ms() const { return cpu_ms() - cpu0; }
};

struct Dataset {
  std::string name;
  std::filesystem::path dir;
  std::int64_t days = 0;
  std::int64_t raw_from_day = 0;  // raw hours from this day on
};

void generate(const Dataset& d) {
  const auto stamp = d.dir / ".complete";
  if (std::filesystem::exists(stamp)) return;
  std::filesystem::remove_all(d.dir);
  std::printf("generating %s (%lld days, raw from day %lld) into %s ...\n", d.name.c_str(),
              static_cast<long long>(d.days), static_cast<long long>(d.raw_from_day), d.dir.c_str());
  std::fflush(stdout);
  Stopwatch sw;
  zzping::testing::DataDirSpec spec;
  spec.dir = d.dir;
  spec.t0_ms = kT0;
  spec.hours = d.days * 24;
  spec.raw_hour = [&](std::int64_t h) { return h >= d.raw_from_day * 24; };
  const auto stats = zzping::testing::write_data_dir(spec);
  std::ofstream(stamp) << "ok\n";
  std::printf("  %llu raw frames, %llu tier frames, %llu files, %.0f MiB on disk, %.0f s\n",
              static_cast<unsigned long long>(stats.raw_frames),
              static_cast<unsigned long long>(stats.tier_frames),
              static_cast<unsigned long long>(stats.files), static_cast<double>(stats.bytes) / (1 << 20),
              sw.wall_ms() / 1e3);
}

// Runs the event loop until `done` holds (or 120 s pass).
template <typename F>
bool wait_until(F done) {
  QElapsedTimer t;
  t.start();
  while (!done()) {
    if (t.elapsed() > 120'000) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
  }
  return true;
}

// The view draws only buckets of the level it asks for (what the user waits for).
bool detail_drawn(MainWindow& w) {
  w.plotPanel()->redrawNow();
  return w.plotPanel()->detailComplete(0);
}

// ... and nothing is left to load (the background 1 min months included).
bool detail_in(MainWindow& w) { return detail_drawn(w) && w.detailIdle(); }

std::unique_ptr<MainWindow> open_dataset(const Dataset& d) {
  auto window = std::make_unique<MainWindow>();
  // A budget the 48-hour pan exceeds (default 64 MiB, ~28 raw hours), so eviction shows.
  zzping::view::DetailBudget budget;
  budget.max_bytes = static_cast<std::size_t>(env_long("ZZPING_BENCH_DETAIL_MB", 64, 16, 65'536)) << 20;
  window->setDetailBudget(budget);
  window->resize(1200, 800);
  window->show();
  const long rss0 = rss_mib();
  QSignalSpy finished(window.get(), &MainWindow::loadingFinished);
  Stopwatch sw;
  window->openPaths({QString::fromStdString(d.dir.string())});
  wait_until([&] { return !finished.isEmpty(); });
  window->plotPanel()->redrawNow();
  const auto& host = *window->hosts().at(0);
  std::printf("%s: open (index %zu raw hours, %zu 1 s days; load %zu 1 min + %zu 1 h chunks; first "
              "drawing): %.0f ms wall, %.0f ms CPU; RSS +%ld MiB (%ld MiB)\n",
              d.name.c_str(), host.chunk_index().count(Resolution::kRaw),
              host.chunk_index().count(Resolution::kSecond), host.chunks().chunk_count(Resolution::kMinute),
              host.chunks().chunk_count(Resolution::kHour), sw.wall_ms(), sw.cpu_used_ms(),
              rss_mib() - rss0, rss_mib());
  Stopwatch rest;
  wait_until([&] { return window->detailIdle(); });
  std::printf("%s: then the 1 min tier (%zu month chunks) in the background: %.0f ms wall, %.0f ms "
              "CPU; RSS %ld MiB\n",
              d.name.c_str(), host.chunks().chunk_count(Resolution::kMinute), rest.wall_ms(),
              rest.cpu_used_ms(), rss_mib());
  return window;
}

// Zooms to one minute inside a raw hour not loaded yet; reports the time until drawn.
void zoom_to_minute(MainWindow& w, const Dataset& d, std::int64_t t) {
  Stopwatch sw;
  w.plotPanel()->setTimeRange({t, t + 60'000});
  wait_until([&] { return detail_drawn(w); });
  std::printf("%s: zoom to the minute at +%.2f days: raw detail drawn after %.0f ms wall, %.0f ms "
              "CPU (level %zu, %zu buckets); RSS %ld MiB\n",
              d.name.c_str(), static_cast<double>(t - kT0) / kDay, sw.wall_ms(), sw.cpu_used_ms(),
              w.plotPanel()->levelShown(0), w.plotPanel()->bucketsShown(0).size(), rss_mib());
}

void pan_hours(MainWindow& w, const Dataset& d, int hours) {
  Stopwatch sw;
  long rss_max = 0;
  std::size_t fine_max = 0;
  const auto& host = *w.hosts().at(0);
  for (int h = 0; h < hours; ++h) {
    w.plotPanel()->pan(60.0);
    wait_until([&] { return detail_drawn(w); });
    rss_max = std::max(rss_max, rss_mib());
    fine_max = std::max(fine_max, host.chunks().bytes(Resolution::kRaw) + host.chunks().bytes(Resolution::kSecond));
  }
  std::printf("%s: pan across %d hours at a one-minute zoom, waiting for raw detail each hour: "
              "%.0f ms wall, %.0f ms CPU per hour; fine detail held at most %.0f MiB (budget "
              "%.0f MiB), %zu raw hours held at the end; RSS at most %ld MiB\n",
              d.name.c_str(), hours, sw.wall_ms() / hours, sw.cpu_used_ms() / hours,
              static_cast<double>(fine_max) / (1 << 20),
              static_cast<double>(w.detailBudget().max_bytes) / (1 << 20),
              host.chunks().chunk_count(Resolution::kRaw), rss_max);
}

struct Span {
  const char* name;
  std::int64_t ms;  // 0: everything
};
const Span kSpans[] = {{"all", 0}, {"month", 30 * kDay}, {"day", kDay}, {"hour", kHour}, {"minute", 60'000}};

// Redraw at one span, centred in the raw days, once the span's detail is drawn.
void register_redraws(MainWindow* w, const Dataset& d, std::int64_t centre) {
  for (const Span& span : kSpans) {
    benchmark::RegisterBenchmark(
        (d.name + "/redraw/" + span.name).c_str(), [w, span, centre, &d](benchmark::State& state) {
          auto* panel = w->plotPanel();
          TimeRange range{kT0, kT0 + d.days * kDay};
          if (span.ms > 0) range = {centre - span.ms / 2, centre + span.ms / 2};
          panel->setTimeRange(range);
          wait_until([&] { return detail_in(*w); });
          const TimeRange nudged{range.begin_ms + 1000, range.end_ms + 1000};
          bool flip = false;
          for (auto _ : state) {
            panel->setTimeRange(flip ? nudged : range);  // a real change each time
            flip = !flip;
            panel->redrawNow();
          }
          state.SetLabel("level " + std::to_string(panel->levelShown(0)) + ", " +
                         std::to_string(panel->bucketsShown(0).size()) + " buckets");
          state.counters["rss_mib"] = static_cast<double>(rss_mib());
        })->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
  }
}

}  // namespace

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  benchmark::Initialize(&argc, argv);
  const std::filesystem::path root =
      std::getenv("ZZPING_BENCH_DATA") ? std::filesystem::path(std::getenv("ZZPING_BENCH_DATA"))
                                       : std::filesystem::path(ZZPING_BINARY_DIR) / "bench-data";
  const long raw_days = env_long("ZZPING_BENCH_RAW_DAYS", 7, 1, 365);
  const Dataset year{"year", root / ("year-raw" + std::to_string(raw_days) + "d"), 365, 365 - raw_days};
  const Dataset month{"month", root / "month", 30, 0};
  const bool want_year = env_long("ZZPING_BENCH_YEAR", 1, 0, 1) == 1;
  const bool want_month = env_long("ZZPING_BENCH_MONTH", 1, 0, 1) == 1;
  if (want_year) generate(year);
  if (want_month) generate(month);
  std::printf("machine load average at start: ");
  std::fflush(stdout);
  if (std::system("cut -d' ' -f1-3 /proc/loadavg") != 0) std::printf("?\n");

  std::vector<std::unique_ptr<MainWindow>> windows;
  for (const Dataset* d : {&year, &month}) {
    if ((d == &year && !want_year) || (d == &month && !want_month)) continue;
    windows.push_back(open_dataset(*d));
    MainWindow& w = *windows.back();
    const std::int64_t raw_start = kT0 + d->raw_from_day * kDay;
    // Cold zooms into three different hours of the raw days.
    for (std::int64_t k : {2, 5, 9}) zoom_to_minute(w, *d, raw_start + k * 7 * kHour + 17 * 60'000);
    pan_hours(w, *d, 48);
    register_redraws(&w, *d, raw_start + 3 * kDay + 12 * kHour + 30 * 60'000);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::printf("RSS at exit: %ld MiB\n", rss_mib());
  return 0;
}
