#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# promtool on the shipped rules: `check` (syntax, PromQL, templates) or `test` (the unit
# tests in zzping.rules.test.yml). Usage: promtool_test.sh check|test RULES_FILE TEST_FILE
set -euo pipefail
source "$(dirname "$0")/../support/prerequisite.sh"
zzping_require_program promtool
mode=$1 rules=$2 tests=$3
case $mode in
  check) promtool check rules "$rules" ;;
  # The test file names the rules relative to itself (../../packaging/prometheus/...).
  test) promtool test rules "$tests" ;;
  *) echo "usage: $0 check|test RULES_FILE TEST_FILE" >&2; exit 2 ;;
esac
