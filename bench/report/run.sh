#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Times zzping-report on a synthetic 30-day data directory of 3 hosts at 100 probes/s
# (raw hours, tiers, an incident every 10 min: bench/report/make_report_data.cpp):
# the whole 30 days and one day of it. Median of 5 runs, wall time and peak RSS
# (/usr/bin/time). Usage: bench/report/run.sh [BUILD_DIR] (default build); DATA=dir
# reuses a data directory made by make_report_data DIR 30.
set -euo pipefail
BUILD=${1:-build}
DATA=${DATA:-$BUILD/bench-data/report-30d}
if [ ! -f "$DATA/.complete" ]; then
  rm -rf "$DATA"
  "$BUILD/bench/report/make_report_data" "$DATA" 30
  touch "$DATA/.complete"
fi
REPORT=$BUILD/tools/zzping-report/zzping-report
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
run() {  # label, args...: median wall time and peak RSS of 5 runs
  local label=$1; shift
  local times=() rss=()
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f "%e %M" -o "$OUT/time" "$REPORT" --data-dir "$DATA" --tz utc -o "$OUT/report.pdf" "$@" 2>/dev/null
    read -r t m <"$OUT/time"
    times+=("$t"); rss+=("$m")
  done
  local mt mr
  mt=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
  mr=$(printf '%s\n' "${rss[@]}" | sort -n | sed -n 3p)
  echo "$label: median ${mt} s, median peak RSS $((mr / 1024)) MiB (runs: ${times[*]} s); $(pdfinfo "$OUT/report.pdf" 2>/dev/null | grep Pages | tr -s ' ')"
}
run "30 days, 3 hosts"
run "24 h of it" --from 2025-01-15T00:00:00Z --to 2025-01-16T00:00:00Z
