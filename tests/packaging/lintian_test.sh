#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the .deb packages from this build tree (cpack, into a temporary folder) and runs
# lintian on them. Fails when a package lacks /usr/share/doc/<package>/copyright, when that
# file is not packaging/debian/copyright, and on any lintian tag about the copyright file
# or the license: the packages are lintian-clean on that point. Other tags are printed for
# information only (docs/packaging.md lists the known ones).
# Usage: lintian_test.sh BUILD_DIR WITH_GUI(ON|OFF) SOURCE_DIR
set -uo pipefail
build_dir=$1
with_gui=$2
source_dir=$3
source "$(dirname "$0")/../support/prerequisite.sh"
zzping_require_program cpack dpkg-deb dpkg-shlibdeps lintian

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

if ! cpack --config "$build_dir/CPackConfig.cmake" -B "$work/packages" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"
  echo "FAIL: cpack"
  exit 1
fi
packages=(zzping)
[[ $with_gui == ON ]] && packages+=(zzping-gui)
debs=()
for package in "${packages[@]}"; do
  deb=$(ls "$work/packages/${package}_"*.deb 2>/dev/null | head -1)
  [[ -n $deb ]] || { cat "$work/cpack.log"; echo "FAIL: cpack made no $package package"; exit 1; }
  debs+=("$deb")
  dpkg-deb -x "$deb" "$work/root-$package"
  copyright="$work/root-$package/usr/share/doc/$package/copyright"
  if [[ ! -f $copyright ]]; then
    fail "$package has no /usr/share/doc/$package/copyright"
  elif ! cmp -s "$copyright" "$source_dir/packaging/debian/copyright"; then
    fail "$package: /usr/share/doc/$package/copyright is not packaging/debian/copyright"
  else
    echo "ok: $package has /usr/share/doc/$package/copyright"
  fi
done

# Every tag, down to pedantic and experimental ones; lintian's exit status is not used
# (tags unrelated to the license are reported, not failed).
lintian --display-info --pedantic --display-experimental --no-tag-display-limit "${debs[@]}" \
  >"$work/lintian.log" 2>&1
echo "lintian $(lintian --version 2>/dev/null | awk '{print $2}'): every tag"
grep -E '^[EWIPX]: ' "$work/lintian.log" | sed 's/^/  /'
license_tags=$(grep -E '^[EWIPX]: ' "$work/lintian.log" | grep -iE 'copyright|licen[cs]e|dep5|gpl' || true)
if [[ -n $license_tags ]]; then
  fail "lintian tags about the copyright file or the license:"
  echo "$license_tags" | sed 's/^/  /'
else
  echo "ok: no lintian tag about the copyright file or the license"
fi
((failures == 0)) || exit 1
echo "PASS"
