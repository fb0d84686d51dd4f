#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Prerequisites of prometheus_integration.py (root for the namespaces, ip, Debian's
# prometheus, python3), then the test itself. A missing one skips (exit 77) or, under
# CI=true / ZZPING_REQUIRE_ALL_TESTS=1, fails.
set -euo pipefail
here=$(dirname "$0")
source "$here/../support/prerequisite.sh"
zzping_require_root "network namespaces for zzpingd and Prometheus"
zzping_require_program ip prometheus python3
exec python3 "$here/prometheus_integration.py" "$@"
