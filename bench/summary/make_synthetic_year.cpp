// SPDX-License-Identifier: GPL-3.0-or-later
// Writes a synthetic zzpingd data directory (tests/gui/synthetic_data_dir.hpp) for the
// --summary benchmark (bench/summary/run.sh) and for report/GUI benchmarks.
//
// Usage:
//   make_synthetic_year DIR [--days N] [--hosts N] [--rate PINGS_PER_S] [--raw-days N]
//                           [--start RFC3339_DAY] [--no-evidence]
//   make_synthetic_year DIR [DAYS [RAW_DAYS]]          (the older positional form)
//
//   --days N        days of data (default 365)
//   --hosts N       hosts (default 1): one is named "synthetic", several "synthetic-1".."synthetic-N",
//                   each with its own random frames (same pattern of outages)
//   --rate R        pings per second per host, a multiple of 10 up to 640 (default 100: 100 ms
//                   frames of 10 probes)
//   --raw-days N    raw hour files (100 ms frames) only for the last N days (default 2; the same as
//                   --days for raw data throughout). Earlier days get the 1 s / 1 min / 1 h tiers
//                   only, standing for pruned raw files: their loss bursts are not recorded.
//   --start DAY     first day, YYYY-MM-DD (UTC; default 2025-01-01)
//   --no-evidence   no loss-burst, incident and path records
//
// Raw hours carry what zzpingd writes beside the frames (format 1.2): every loss burst of
// the frames (>= 2 consecutive lost probes, kind 4, with a cause), an incident per outage
// (kind 5, targets and last_hop) and path snapshots (kind 6, one per outage and one per
// hour). The frames: RTT ~1.5 ms with noise, a slow reply every 37.1 s, a 3 s outage every
// 10 min, single lost probes in 0.2 % of the frames. A 30-day, 3-host, 100 pings/s set:
//   make_synthetic_year /tmp/month --days 30 --hosts 3 --rate 100 --raw-days 30
// (~78 M raw frames, ~0.75 GiB; about 3.5 s of CPU per host-day on this machine, ~5 min).
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "synthetic_data_dir.hpp"

namespace {

struct Options {
  std::string dir;
  long days = 365;
  long hosts = 1;
  long rate = 100;
  long raw_days = 2;
  std::int64_t t0_ms = 1'735'689'600'000;  // 2025-01-01T00:00:00Z
  bool evidence = true;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "make_synthetic_year: %s\nusage: make_synthetic_year DIR [--days N] [--hosts N] [--rate PINGS_PER_S] "
               "[--raw-days N] [--start YYYY-MM-DD] [--no-evidence]\n       make_synthetic_year DIR [DAYS [RAW_DAYS]]\n",
               why);
  std::exit(2);
}

long number(const char* text, long lo, long hi, const char* what) {
  char* end = nullptr;
  const long n = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || n < lo || n > hi) usage(what);
  return n;
}

std::int64_t day_ms(const char* text) {
  std::tm tm{};
  const char* end = strptime(text, "%Y-%m-%d", &tm);
  if (!end || *end != '\0') usage("--start wants YYYY-MM-DD");
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

Options parse(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') usage("give the output directory first");
  Options o;
  o.dir = argv[1];
  std::vector<const char*> positional;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&] {
      if (i + 1 >= argc) usage((a + " needs a value").c_str());
      return argv[++i];
    };
    if (a == "--days") o.days = number(value(), 1, 36'600, "--days: 1..36600");
    else if (a == "--hosts") o.hosts = number(value(), 1, 1000, "--hosts: 1..1000");
    else if (a == "--rate") o.rate = number(value(), 10, 640, "--rate: 10..640 pings/s, a multiple of 10");
    else if (a == "--raw-days") o.raw_days = number(value(), 0, 36'600, "--raw-days: 0..36600");
    else if (a == "--start") o.t0_ms = day_ms(value());
    else if (a == "--no-evidence") o.evidence = false;
    else if (a[0] != '-') positional.push_back(argv[i]);
    else usage(("unknown option " + a).c_str());
  }
  if (positional.size() > 2) usage("too many arguments");
  if (!positional.empty()) o.days = number(positional[0], 1, 36'600, "DAYS: 1..36600");
  if (positional.size() > 1) o.raw_days = number(positional[1], 0, 36'600, "RAW_DAYS: 0..36600");
  if (o.rate % 10 != 0) usage("--rate must be a multiple of 10");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  zzping::testing::DataDirStats total;
  for (long h = 0; h < o.hosts; ++h) {
    zzping::testing::DataDirSpec spec;
    spec.dir = o.dir;
    spec.host = o.hosts == 1 ? "synthetic" : "synthetic-" + std::to_string(h + 1);
    spec.seed = static_cast<std::uint64_t>(h);
    spec.pings_per_s = static_cast<std::uint32_t>(o.rate);
    spec.evidence = o.evidence;
    spec.t0_ms = o.t0_ms;
    spec.hours = o.days * 24;
    const long raw_from_hour = (o.days - std::min(o.raw_days, o.days)) * 24;
    spec.raw_hour = [raw_from_hour](std::int64_t hour) { return hour >= raw_from_hour; };
    const auto s = zzping::testing::write_data_dir(spec);
    std::printf("%s: %llu raw frames, %llu tier frames, %llu loss bursts, %llu incidents, %llu paths, "
                "%llu files, %.0f MiB\n",
                spec.host.c_str(), static_cast<unsigned long long>(s.raw_frames),
                static_cast<unsigned long long>(s.tier_frames), static_cast<unsigned long long>(s.bursts),
                static_cast<unsigned long long>(s.incidents), static_cast<unsigned long long>(s.paths),
                static_cast<unsigned long long>(s.files), static_cast<double>(s.bytes) / (1 << 20));
    std::fflush(stdout);
  }
  return 0;
}
