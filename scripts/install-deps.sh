#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian bookworm packages zzping needs to build, test, benchmark and run:
# everything any test, drill or benchmark helper uses (a test whose program is missing
# fails under CI=true: tests/support/prerequisite.sh). Idempotent: does nothing when
# everything is already installed.
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build pkgconf git
  qt6-base-dev libqcustomplot-dev libqcustomplot2.1-qt6
  libmsgpack-cxx-dev libasio-dev libspdlog-dev libcli11-dev libtomlplusplus-dev libsystemd-dev
  libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev
  xvfb xauth libcap2-bin iproute2 procps
  dpkg-dev desktop-file-utils librsvg2-bin man-db strace  # packaging: dpkg-shlibdeps, checks, icon PNGs
  lintian  # tests/packaging/lintian_test.sh: the packages' copyright files
  curl python3-prometheus-client  # tests/metrics: scrape zzpingd and parse with a real parser
  fping time  # bench/daemon/daemon_vs_fping.sh: the reference pinger and /usr/bin/time
  systemd-container debootstrap util-linux python3  # tests/packaging/system_test.sh: nspawn, nsenter, journal JSON
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  echo "zzping: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
