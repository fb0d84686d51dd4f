# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by shell tests and drills. A test that cannot run here says why:
#   zzping_missing "needs root (ip netns)"            -> exit 77 (CTest: skipped)
# Under CI (CI=true) or with ZZPING_REQUIRE_ALL_TESTS=1 it exits 1 (failed) instead, so a
# green run never hides a test that did not run (tests/support/prerequisite.hpp for gtests).
zzping_all_tests_required() {
  [[ ${CI:-} == true || ${ZZPING_REQUIRE_ALL_TESTS:-} == 1 ]]
}
zzping_missing() {
  if zzping_all_tests_required; then
    echo "FAILED: missing prerequisite (CI=true or ZZPING_REQUIRE_ALL_TESTS=1 make this a failure): $*" >&2
    exit 1
  fi
  echo "SKIP: missing prerequisite: $*"
  exit 77
}
# zzping_require_program PROGRAM...: each must be in PATH.
zzping_require_program() {
  local program
  for program in "$@"; do
    command -v "$program" >/dev/null || zzping_missing "the program '$program' is not in PATH (scripts/install-deps.sh installs it)"
  done
}
zzping_require_root() {
  [[ $(id -u) -eq 0 ]] || zzping_missing "needs root: $*"
}
