#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# systemd-analyze on packaging/systemd/zzpingd.service without systemd as PID 1:
#  - verify (offline; any warning is a failure) on a copy whose ExecStart names the built
#    zzpingd, since /usr/bin/zzpingd need not exist on the build machine;
#  - security --offline=yes: the exposure score must stay <= 2.0 (--threshold is in tenths);
#  - a control: the same unit stripped of its sandboxing must fail the threshold, so this
#    test can fail.
# Usage: systemd_unit_test.sh UNIT ZZPINGD_BINARY
set -uo pipefail
unit=$1
zzpingd=$2
max_tenths=20
source "$(dirname "$0")/../support/prerequisite.sh"
zzping_require_program systemd-analyze

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

copy="$work/zzpingd.service"
sed "s#^ExecStart=/usr/bin/zzpingd #ExecStart=$zzpingd #" "$unit" >"$copy"
grep -q "^ExecStart=$zzpingd " "$copy" || fail "the unit's ExecStart does not start with /usr/bin/zzpingd"

# --man=no: the man page is checked by the man tests, it is not installed here.
verify_output=$(systemd-analyze verify --man=no "$copy" 2>&1)
verify_status=$?
if [[ $verify_status -ne 0 || -n $verify_output ]]; then
  fail "systemd-analyze verify (status $verify_status): $verify_output"
else
  echo "ok: systemd-analyze verify is clean"
fi

score_of() { sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'; }
security_output=$(systemd-analyze security --offline=yes --threshold=$max_tenths "$copy" 2>&1)
security_status=$?
score=$(score_of <<<"$security_output")
if [[ -z $score ]]; then
  fail "no exposure level in: $security_output"
elif [[ $security_status -ne 0 ]]; then
  echo "$security_output" | grep '✗'
  fail "security exposure $score is above $((max_tenths / 10)).$((max_tenths % 10))"
else
  echo "ok: systemd-analyze security exposure $score (<= 2.0)"
fi

# Control: without its [Service] hardening the same unit must be refused by the threshold.
bare="$work/bare.service"
sed -n '/^\[Unit\]/,/^\[Service\]/p' "$copy" >"$bare"
grep -E '^(Type|ExecStart|ExecReload|WatchdogSec|Restart|DynamicUser)=' "$copy" >>"$bare"
bare_output=$(systemd-analyze security --offline=yes --threshold=$max_tenths "$bare" 2>&1)
bare_status=$?
if [[ $bare_status -eq 0 ]]; then
  fail "control: a unit without sandboxing passed the threshold ($(score_of <<<"$bare_output"))"
else
  echo "ok: control unit without sandboxing scores $(score_of <<<"$bare_output") and is refused"
fi

# The pieces the package relies on.
for line in Type=notify WatchdogSec= Restart=on-failure AmbientCapabilities=CAP_NET_RAW \
            CapabilityBoundingSet=CAP_NET_RAW StateDirectory=zzping ConfigurationDirectory=zzping \
            "ExecStart=/usr/bin/zzpingd --config /etc/zzping/zzpingd.toml"; do
  grep -qx "${line}.*" "$unit" || fail "the unit lacks $line"
done
[[ $(grep -c '^AmbientCapabilities=' "$unit") -eq 1 ]] || fail "more than one AmbientCapabilities= line"
[[ $failures -eq 0 ]] || exit 1
echo "PASS"
