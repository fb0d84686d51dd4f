#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds, and starts the monitor on its embedded default
# (127.0.0.1 and ::1 at 10 pings/s each, frames into ./zzping-data/). Extra arguments go to
# zzpingd (e.g. --console, --target HOST@RATE). Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
ZZPING_BUILD_DIR=${ZZPING_BUILD_DIR:-build} bash scripts/build.sh -DZZPING_BUILD_GUI=ON >/dev/null
exec "${ZZPING_BUILD_DIR:-build}/daemon/zzpingd/zzpingd" "$@"
