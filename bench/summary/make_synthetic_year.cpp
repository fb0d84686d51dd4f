// SPDX-License-Identifier: GPL-3.0-or-later
// Writes a synthetic data directory for the --summary benchmark (bench/summary/run.sh):
// DAYS days of one host with the 1 s / 1 min / 1 h tiers throughout and raw hour files
// (100 ms frames) for the last RAW_DAYS days, as tests/gui/synthetic_data_dir.hpp does.
// Usage: make_synthetic_year DIR [DAYS=365] [RAW_DAYS=2]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "synthetic_data_dir.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: make_synthetic_year DIR [DAYS=365] [RAW_DAYS=2]\n");
    return 2;
  }
  const long days = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 365;
  const long raw_days = argc > 3 ? std::strtol(argv[3], nullptr, 10) : 2;
  zzping::testing::DataDirSpec spec;
  spec.dir = argv[1];
  spec.t0_ms = 1'735'689'600'000;  // 2025-01-01T00:00:00Z
  spec.hours = days * 24;
  spec.raw_hour = [&](std::int64_t h) { return h >= (days - raw_days) * 24; };
  const auto stats = zzping::testing::write_data_dir(spec);
  std::printf("%llu raw frames, %llu tier frames, %llu files, %.0f MiB\n",
              static_cast<unsigned long long>(stats.raw_frames), static_cast<unsigned long long>(stats.tier_frames),
              static_cast<unsigned long long>(stats.files), static_cast<double>(stats.bytes) / (1 << 20));
  return 0;
}
