#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The unit's SystemCallFilter= against the system calls zzpingd really makes: runs the
# built zzpingd under strace with the packaged configuration (127.0.0.1 and ::1), reloads
# it (SIGHUP), stops it (SIGTERM), and checks that every call it made is in
# @system-service minus the groups the unit denies. systemd is not PID 1 here, so this is
# the offline stand-in for running the service.
# Usage: syscall_filter_test.sh UNIT ZZPINGD_BINARY CONFIG
set -uo pipefail
unit=$1
zzpingd=$2
config=$3
source "$(dirname "$0")/../support/prerequisite.sh"
zzping_require_program strace systemd-analyze
zzping_require_root "ICMP sockets for the packaged configuration"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The unit's filter: one allow line, then "~group ..." deny lines.
expand() {
  systemd-analyze syscall-filter "$1" | tail -n +2 | grep -v '^\s*#' | awk 'NF { print $1 }' |
    while read -r name; do
      if [[ $name == @* ]]; then expand "$name"; else echo "$name"; fi
    done
}
allowed_groups=$(sed -n 's/^SystemCallFilter=\([^~].*\)/\1/p' "$unit")
denied_groups=$(sed -n 's/^SystemCallFilter=~\(.*\)/\1/p' "$unit")
[[ -n $allowed_groups ]] || { echo "FAIL: no SystemCallFilter= allow line in $unit"; exit 1; }
for group in $allowed_groups; do expand "$group"; done | sort -u >"$work/allowed"
for group in $denied_groups; do expand "$group"; done | sort -u >"$work/denied"
comm -23 "$work/allowed" "$work/denied" >"$work/effective"

strace -f -qq -o "$work/trace" "$zzpingd" --config "$config" --data-dir "$work/data" \
  --listen 127.0.0.1:0 --no-console >"$work/log" 2>&1 &
tracer=$!
for _ in $(seq 50); do
  daemon=$(pgrep -P "$tracer" | head -1)
  [[ -n $daemon ]] && break
  sleep 0.1
done
[[ -n ${daemon:-} ]] || { cat "$work/log"; echo "FAIL: zzpingd did not start under strace"; exit 1; }
sleep 2
kill -HUP "$daemon"
sleep 1
kill -TERM "$daemon"
wait "$tracer"
status=$?
[[ $status -eq 0 ]] || { cat "$work/log"; echo "FAIL: zzpingd exited with $status"; exit 1; }

sed -nE 's/^[0-9]+ +([a-z_0-9]+)\(.*/\1/p' "$work/trace" | sort -u >"$work/used"
refused=$(comm -23 "$work/used" "$work/effective")
if [[ -n $refused ]]; then
  echo "FAIL: zzpingd calls what the unit's SystemCallFilter refuses: $(echo $refused)"
  grep -E "^[0-9]+ +($(echo $refused | tr ' ' '|'))\(" "$work/trace" | head -5
  exit 1
fi
echo "ok: the $(wc -l <"$work/used") system calls zzpingd made (start, reload, stop) are all allowed"
echo "PASS"
