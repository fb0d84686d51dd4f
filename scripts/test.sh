#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds with warnings as errors, runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
ZZPING_BUILD_DIR=${ZZPING_BUILD_DIR:-build-test} bash scripts/build.sh -DZZPING_WERROR=ON
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "${ZZPING_BUILD_DIR:-build-test}" --output-on-failure -j "$(nproc)" --timeout 900
