#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# zzping-gui's command line needs no display: --help, --help-all, --version and bad options
# answer with DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM unset (as over ssh), and a bad
# option exits 2 with a one-line reason instead of "could not connect to display".
# Usage: command_line_test.sh ZZPING_GUI
set -uo pipefail
gui=$1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run EXPECTED_EXIT EXPECTED_TEXT ARGS...: stdout+stderr must contain EXPECTED_TEXT.
run() {
  local expected_exit=$1 expected_text=$2
  shift 2
  env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM timeout 20 "$gui" "$@" >"$work/out" 2>"$work/err"
  local code=$?
  if [[ $code -ne $expected_exit ]]; then
    fail "zzping-gui $* exited $code, expected $expected_exit: $(cat "$work/out" "$work/err")"
  elif ! grep -qF -- "$expected_text" "$work/out" "$work/err"; then
    fail "zzping-gui $*: no '$expected_text' in: $(cat "$work/out" "$work/err")"
  else
    echo "ok: zzping-gui $* -> $code"
  fi
}

run 0 "Usage:" --help
run 0 "--connect <HOST:PORT>" --help
run 0 "-platform NAME" --help-all
run 0 "zzping-gui " --version
run 2 "Unknown option 'bogus'" --bogus
run 2 "zzping-gui: --size: expected WxH" --size 5x5 some.zzf
run 2 "zzping-gui: --connect: expected HOST:PORT" --connect nonsense
run 2 "zzping-gui: --screenshot needs files or --connect to show" --screenshot "$work/x.png"
run 2 "zzping-gui: --select: expected a row number from 1, got '0'" --select 0 "$work"
run 2 "zzping-gui: --backfill: expected seconds" --backfill -1
# Nothing reached the window system: no display error on any of them.
grep -q "could not connect to display" "$work/err" && fail "a display was needed"
# Qt's own options are left to Qt, not refused as unknown.
run 0 "Usage:" -platform offscreen --help
[[ $failures -eq 0 ]] || exit 1
echo PASS
