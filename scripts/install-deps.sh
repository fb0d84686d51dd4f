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
  poppler-utils  # tests/report: pdftotext reads the zzping-report PDF back, pdftoppm renders its pages
  lintian  # tests/packaging/lintian_test.sh: the packages' copyright files
  curl python3-prometheus-client  # tests/metrics: scrape zzpingd and parse with a real parser
  fping time  # bench/daemon/daemon_vs_fping.sh: the reference pinger and /usr/bin/time
  prometheus  # tests/prometheus: promtool check/test rules, a real Prometheus for the integration test
  systemd-container debootstrap util-linux python3  # tests/packaging/system_test.sh: nspawn, nsenter, journal JSON
  tzdata  # tests/gui/time_labels_test.cpp: ticks across Europe/Berlin DST changes (TZ)
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  echo "zzping: installing ${missing[*]}" >&2
  # Debian's prometheus package starts a server on :9090 with a default configuration that
  # scrapes things: the tests only want its binaries. While installing, a policy-rc.d that
  # refuses every start (unless the machine already has one) keeps it from starting; then
  # the unit is disabled, so it does not start at the next boot either.
  policy=/usr/sbin/policy-rc.d
  own_policy=false
  if [[ " ${missing[*]} " == *" prometheus "* && ! -e $policy ]]; then
    printf '#!/bin/sh\n# zzping scripts/install-deps.sh: no service starts while installing\nexit 101\n' |
      $SUDO tee $policy >/dev/null
    $SUDO chmod 755 $policy
    own_policy=true
    trap '$SUDO rm -f $policy' EXIT
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if $own_policy; then
    $SUDO rm -f $policy
    trap - EXIT
  fi
  if [[ " ${missing[*]} " == *" prometheus "* ]]; then
    if [[ -d /run/systemd/system ]]; then
      $SUDO systemctl disable --now prometheus.service >/dev/null 2>&1 || true
    elif command -v deb-systemd-helper >/dev/null; then
      $SUDO deb-systemd-helper disable prometheus.service >/dev/null 2>&1 || true
    fi
    # Without systemd the package's init script may have been used: stop it too.
    if [[ -x /etc/init.d/prometheus && ! -d /run/systemd/system ]]; then
      $SUDO /etc/init.d/prometheus stop >/dev/null 2>&1 || true
      command -v update-rc.d >/dev/null && $SUDO update-rc.d prometheus disable >/dev/null 2>&1 || true
    fi
    if pgrep -x prometheus >/dev/null; then
      echo "zzping: warning: a prometheus process is running (not started by this script?)" >&2
    fi
  fi
fi
