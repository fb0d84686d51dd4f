#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Frame formats side by side, in one run: decode/encode speed of FDQ v101 and native on the
# golden 10-minute log, and bytes per frame of every format for the same 6000 frames.
# Usage: bench/formats.sh [BUILD_DIR]   (default build/; needs bench_zzping02, bench_native,
# zzping-convert). Speeds are CPU-time frames/s from Google Benchmark; run on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
DATA=${ZZPING_TESTDATA_DIR:-../shared/testdata}/zzping-0.2.2
LOG=$DATA/framedata/pingd-log-192.168.0.1-20210101T08.log
cmake --build "$BUILD" --target bench_zzping02 bench_native zzping-convert >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== bytes per frame, golden log (a): 6000 frames, 57274 RTT samples =="
"$BUILD/tools/zzping-convert/zzping-convert" "$LOG" -o "$tmp/a600.zzf" 2>/dev/null
"$BUILD/tools/zzping-convert/zzping-convert" --block-frames 10 "$LOG" -o "$tmp/a10.zzf" 2>/dev/null
printf '%-48s %9s %12s %10s\n' file bytes bytes/frame "vs FDQ .01"
fdq001=$(stat -c %s "$DATA/fdq/llq-0.01_fes-60/pingd-log-192.168.0.1-20210101T08.log.fdq.log")
row() { local size; size=$(stat -c %s "$2"); awk -v n="$1" -v s="$size" -v r="$fdq001" \
  'BEGIN { printf "%-48s %9d %12.3f %10.3f\n", n, s, s / 6000, s / r }'; }
row "FrameData (zzping 0.2 daemon log)" "$LOG"
row "FDQ llq none" "$DATA/fdq/llq-none_fes-60/pingd-log-192.168.0.1-20210101T08.log.fdq.log"
row "FDQ llq 0.01" "$DATA/fdq/llq-0.01_fes-60/pingd-log-192.168.0.1-20210101T08.log.fdq.log"
row "FDQ llq 0.1" "$DATA/fdq/llq-0.1_fes-60/pingd-log-192.168.0.1-20210101T08.log.fdq.log"
row "native p=0.01, 600-frame blocks (converter)" "$tmp/a600.zzf"
row "native p=0.01, 10-frame blocks (daemon, 1 s)" "$tmp/a10.zzf"

echo
echo "== speed (CPU time), interleaved in one run =="
filter_fdq='BM_FdqDecode/llq_0_01|BM_FdqEncode/llq_0_01|BM_FrameDataDecode'
filter_native='BM_Decode/set:0/block:600|BM_Encode/set:0/block:600|BM_Decode/set:0/block:10'
for round in 1 2; do
  "$BUILD/bench/zzping02/bench_zzping02" --benchmark_filter="$filter_fdq" --benchmark_min_time=0.5
  "$BUILD/bench/native/bench_native" --benchmark_filter="$filter_native" --benchmark_min_time=0.5
done 2>&1 | grep -E '^BM_' | sort | awk '{ print }'
