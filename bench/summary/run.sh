#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Times `zzping-dump --summary` on a synthetic year (tiers all year, raw hours for the
# last 2 days) for a few spans. Usage: bench/summary/run.sh [BUILD_DIR] (default build).
set -euo pipefail
BUILD=${1:-build}
DATA=$BUILD/bench-data/summary-year
if [ ! -f "$DATA/.complete" ]; then
  rm -rf "$DATA"
  "$BUILD/bench/summary/make_synthetic_year" "$DATA" 365 2
  touch "$DATA/.complete"
fi
DUMP=$BUILD/tools/zzping-dump/zzping-dump
run() {  # label, args...: best of 5 wall times, then the output
  local label=$1; shift
  local best=999999
  for _ in 1 2 3 4 5; do
    local t0 t1
    t0=$(date +%s%N)
    "$DUMP" --summary --format jsonl "$@" >/tmp/zzping-summary-bench.out
    t1=$(date +%s%N)
    local ms=$(( (t1 - t0) / 1000000 ))
    (( ms < best )) && best=$ms
  done
  echo "$label: ${best} ms (best of 5, wall, whole process)"
  cat /tmp/zzping-summary-bench.out
}
run "whole year" "$DATA"
run "year cut mid-hour" --from 2025-01-01T00:17:00Z --to 2025-12-31T23:41:13Z "$DATA"
run "last 24 h (raw)" --from 2025-12-31T00:00:00Z --to 2026-01-01T00:00:00Z "$DATA"
run "one month" --from 2025-06-01T00:00:00Z --to 2025-07-01T00:00:00Z "$DATA"
run "2 h 24 min in the raw days (2 raw edge hours)" --from 2025-12-31T10:17:00Z --to 2025-12-31T12:41:00Z "$DATA"
run "raw files only (48 hour files, every frame decoded)" "$DATA"/synthetic/2025-12-3*/*.zzf
