#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds with warnings as errors into build-test/ and runs the
# whole suite; then builds again with ASan + UBSan into build-asan/ and runs the suite
# there too (all but the packaging checks). CI runs exactly this (.ci/run).
#
# Every stage runs even when an earlier one failed, except a test stage whose build failed;
# the summary at the end gives each stage's time and result, and the exit status is 1 when
# any stage failed.
#
# ZZPING_TEST_STAGES picks stages (space or comma separated; default "all", what CI runs):
#   deps build test asan-build asan-test     ("all": these five)
#   tsan-build tsan-test                     (ThreadSanitizer run, not in "all";
#                                             docs/reliability.md)
# e.g. ZZPING_TEST_STAGES="asan-build asan-test" bash scripts/test.sh
# Build folders: ZZPING_BUILD_DIR (build-test), ZZPING_ASAN_BUILD_DIR (build-asan),
# ZZPING_TSAN_BUILD_DIR (build-tsan).
set -uo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${ZZPING_BUILD_DIR:-build-test}
ASAN_DIR=${ZZPING_ASAN_BUILD_DIR:-build-asan}
TSAN_DIR=${ZZPING_TSAN_BUILD_DIR:-build-tsan}
STAGES=${ZZPING_TEST_STAGES:-all}
STAGES=${STAGES//,/ }
[[ " $STAGES " == *" all "* ]] && STAGES="deps build test asan-build asan-test"
JOBS=$(nproc)
export QT_QPA_PLATFORM=offscreen

# The ASan stage runs the whole suite but the packaging checks (they test the .deb files
# and the unit file, not the code); its build leaves out the benchmarks, which no test runs.
SANITIZER_CMAKE_ARGS=(-DZZPING_WERROR=ON -DZZPING_BUILD_BENCH=OFF)
SANITIZER_EXCLUDED_LABELS='^(packaging|install|system)$'

stage_deps() { bash scripts/install-deps.sh; }
stage_build() { ZZPING_BUILD_DIR=$BUILD_DIR bash scripts/build.sh -DZZPING_WERROR=ON; }
stage_test() { ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS" --timeout 900; }
stage_asan-build() {
  ZZPING_BUILD_DIR=$ASAN_DIR bash scripts/build.sh -DZZPING_SANITIZE=address "${SANITIZER_CMAKE_ARGS[@]}"
}
stage_asan-test() {
  ctest --test-dir "$ASAN_DIR" --output-on-failure -j "$JOBS" --timeout 900 -LE "$SANITIZER_EXCLUDED_LABELS"
}
stage_tsan-build() {
  ZZPING_BUILD_DIR=$TSAN_DIR bash scripts/build.sh -DZZPING_SANITIZE=thread "${SANITIZER_CMAKE_ARGS[@]}"
}
# The tests labelled "threads": the daemon's receive-thread handoff (and the real zzpingd),
# the stream server and client, the metrics server, the GUI worker threads. Qt is not
# TSan-instrumented: tests/support/tsan.supp says what that hides.
stage_tsan-test() {
  TSAN_OPTIONS="suppressions=$PWD/tests/support/tsan.supp second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
    ctest --test-dir "$TSAN_DIR" --output-on-failure -j "$JOBS" --timeout 900 -L '^threads$'
}

# A test stage needs its build stage: when that ran here and failed, it is skipped.
declare -A BUILD_OF=([test]=build [asan-test]=asan-build [tsan-test]=tsan-build)
declare -A RESULT SECONDS_OF
ORDER=()
failed=0
for stage in $STAGES; do
  if ! declare -F "stage_$stage" >/dev/null; then
    echo "scripts/test.sh: unknown stage '$stage' (deps build test asan-build asan-test tsan-build tsan-test all)" >&2
    exit 2
  fi
  ORDER+=("$stage")
  needs=${BUILD_OF[$stage]:-}
  if [[ -n $needs && ${RESULT[$needs]:-} == FAILED ]]; then
    RESULT[$stage]="skipped ($needs failed)"
    SECONDS_OF[$stage]=0
    failed=1
    continue
  fi
  echo "=== zzping test stage: $stage ==="
  start=$(date +%s)
  # A subshell with -e: a stage stops at its first failing command.
  ( set -e; "stage_$stage" )
  status=$?
  SECONDS_OF[$stage]=$(($(date +%s) - start))
  if ((status == 0)); then
    RESULT[$stage]=ok
  else
    RESULT[$stage]=FAILED
    failed=1
  fi
done

total=0
echo
echo "=== zzping test summary ==="
for stage in "${ORDER[@]}"; do
  s=${SECONDS_OF[$stage]}
  total=$((total + s))
  printf '  %-12s %4dm%02ds  %s\n' "$stage" $((s / 60)) $((s % 60)) "${RESULT[$stage]}"
done
printf '  %-12s %4dm%02ds  %s\n' total $((total / 60)) $((total % 60)) "$( ((failed)) && echo FAILED || echo ok)"
exit "$failed"
