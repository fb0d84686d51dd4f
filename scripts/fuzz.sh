#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets with clang (build-fuzz/) and runs them one after another.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Default: 120 s for each zzping02_* target. Each run starts from the seed corpus in
# fuzz/corpus/<target>/ and grows a scratch corpus in build-fuzz/corpus/<target>/ (the repo's
# seeds stay small); crashers are written to fuzz/artifacts/ (git-ignored) — move a real one to
# fuzz/regressions/<target>/ and fix it, so CTest replays it from then on.
# The CPU is shared: targets run one at a time, single-threaded.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-120}
shift || true
TARGETS=("$@")
if ((${#TARGETS[@]} == 0)); then
  TARGETS=(zzping02_framedata zzping02_fdq zzping02_framestats)
fi
BUILD_DIR=${ZZPING_FUZZ_BUILD_DIR:-build-fuzz}

CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -G Ninja -DZZPING_FUZZ=ON -DZZPING_BUILD_GUI=OFF \
  -DZZPING_BUILD_TESTS=OFF -DZZPING_BUILD_BENCH=OFF >/dev/null
ninja -C "$BUILD_DIR" -j 2 "${TARGETS[@]/%/_fuzzer}"

mkdir -p fuzz/artifacts
for target in "${TARGETS[@]}"; do
  scratch="$BUILD_DIR/corpus/$target"
  mkdir -p "$scratch"
  echo "== $target: ${SECONDS_PER_TARGET}s"
  "$BUILD_DIR/fuzz/${target}_fuzzer" "$scratch" "fuzz/corpus/$target" \
    -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -timeout=5 \
    -artifact_prefix="fuzz/artifacts/${target}-" -print_final_stats=1 2>&1 |
    grep -E "^(#[0-9]+[[:space:]]+(INITED|DONE)|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)" || true
done
