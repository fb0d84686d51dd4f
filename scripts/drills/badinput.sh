#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# BAD INPUT DRILL.
# Part 1, configuration errors: zzpingd must exit != 0 (not by a signal, no core) within a
#   few seconds, with one message naming the problem (file:line:column, the key, the value).
# Part 2, runtime conditions, in throw-away namespaces (name lookups answered by nobody:
#   the namespaces get their own resolv.conf pointing at 127.0.0.1): an unresolvable name,
#   an address without a route, an address on the link nobody owns, and a host answered by
#   zzping-responder which first sends ICMP destination unreachable for every probe, then
#   answers, then drops everything (100% loss). zzpingd must keep running, log one clear
#   line per host and condition (not one per frame), and stop cleanly on SIGINT.
#   scripts/drills/badinput.sh [--out DIR]
set -uo pipefail
source "$(dirname "$0")/lib.sh"

OUT=""
while (($#)); do
  case $1 in
    --out) OUT=$2; shift 2 ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
drill_require_binaries "$ZZPINGD" "$ZZPING_RESPONDER"
drill_make_workdir badinput
[[ -n $OUT ]] || OUT=$WORK
mkdir -p "$OUT"
cd "$WORK" || exit 1

echo "== bad input drill ($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "-- part 1: configuration errors"
# config_case NAME REGEX (extended grep) ARGS... ; the file NAME.toml is written by the caller.
config_case() {
  local name=$1 pattern=$2; shift 2
  local status message
  timeout 10 "$ZZPINGD" "$@" --data-dir "$WORK/never" >"$WORK/$name.out" 2>&1
  status=$?
  message=$(head -c 300 "$WORK/$name.out" | head -2 | tr '\n' ' ')
  printf '   %-18s exit %3d  %s\n' "$name" "$status" "$message"
  if ((status == 0 || status == 124 || status >= 128)); then
    drill_fail "$name: exit $status (expected an error exit, no hang, no signal)"
  fi
  grep -qE -- "$pattern" "$WORK/$name.out" || drill_fail "$name: message does not match /$pattern/"
  [[ -e $WORK/never ]] && drill_fail "$name: a data dir was created before the config was accepted"
  ls "$WORK"/core* >/dev/null 2>&1 && drill_fail "$name: core file"
}
printf '[daemon]\nframe_ms = \n' >syntax.toml
config_case syntax 'syntax\.toml:2:[0-9]+: .*expected' --config syntax.toml
printf '[daemon]\nfram_ms = 100\n' >unknown_key.toml
config_case unknown_key "unknown_key\.toml:2:[0-9]+: unknown key 'fram_ms'" --config unknown_key.toml
printf '[deamon]\nframe_ms = 100\n' >unknown_table.toml
config_case unknown_table "unknown_table\.toml:1:[0-9]+: unknown top-level key 'deamon'" --config unknown_table.toml
printf '[daemon]\nframe_ms = "100"\n' >wrong_type.toml
config_case wrong_type "wrong_type\.toml:2:[0-9]+: frame_ms must be a non-negative integer" --config wrong_type.toml
printf '[daemon]\nprecision = "high"\n' >wrong_type2.toml
config_case wrong_type_2 "wrong_type2\.toml:2:[0-9]+: precision must be a number" --config wrong_type2.toml
printf '[daemon]\nframe_ms = 7\n' >out_of_range.toml
config_case out_of_range "out_of_range\.toml:2:12: frame_ms = 7 is out of range \[10, 1000\]" --config out_of_range.toml
printf '[[target]]\nhost = "127.0.0.1"\nfamily = "ipv5"\n' >bad_enum.toml
config_case bad_enum "bad_enum\.toml:3:[0-9]+: family must be one of: any, ipv4, ipv6" --config bad_enum.toml
printf '[[target]]\nrate = 10\n' >no_host.toml
config_case no_host "no_host\.toml:1:[0-9]+: \[\[target\]\] needs a host" --config no_host.toml
printf '[[target]]\nhost = "127.0.0.1"\n[[target]]\nhost = "127.0.0.1"\n' >twice.toml
config_case listed_twice "twice\.toml:4:[0-9]+: target '127.0.0.1' is listed twice" --config twice.toml
printf '\xff\xfe\x00\x01[daemon]\x80\x81 = ==\n\x00' >garbage.toml
config_case binary_garbage 'garbage\.toml:[0-9]+:[0-9]+: ' --config garbage.toml
config_case missing_file 'does-not-exist\.toml' --config "$WORK/does-not-exist.toml"
config_case bad_target_rate "target '127.0.0.1': rate 0/s is out of range" --target 127.0.0.1@0
config_case bad_target_rate2 "rate 'fast' is not a whole number" --target 127.0.0.1@fast
config_case bad_target_bracket "target '\[::1': unbalanced brackets" --target '[::1'
config_case bad_listen "99999" --target 127.0.0.1 --listen 127.0.0.1:99999

echo "-- part 2: runtime conditions (namespaces)"
# Part 2 needs root and ip: under CI its absence fails the drill instead of hiding part 2.
[[ $(id -u) -eq 0 ]] || { zzping_all_tests_required && drill_fail "part 2 needs root"; echo "SKIP part 2: needs root"; drill_finish; }
command -v ip >/dev/null || { zzping_all_tests_required && drill_fail "part 2 needs 'ip' (iproute2)"; echo "SKIP part 2: no 'ip'"; drill_finish; }
NS=zzbi$$
drill_make_network "$NS" 1 no-echo || { echo "FAIL: cannot build the namespaces"; exit 1; }
P=${NS}p R=${NS}r
# Name lookups inside the pinger namespace ask 127.0.0.1, where nobody answers.
mkdir -p "/etc/netns/$P"
_drill_dirs+=("/etc/netns/$P")
echo "nameserver 127.0.0.1" >"/etc/netns/$P/resolv.conf"
printf '127.0.0.1 localhost\n' >"/etc/netns/$P/hosts"
UNRESOLVABLE=no-such-host.invalid
NO_ROUTE=10.251.0.1
NOBODY=$DRILL_NET_V4.99
ANSWERED=$DRILL_NET_V4.2
cat >"$WORK/runtime.toml" <<TOML
[daemon]
frame_ms = 100
timeout_ms = 500
flush_ms = 200
listen = "127.0.0.1:0"
console = "off"
resolve_retry_s = 2
data_dir = "$WORK/data"
[[target]]
host = "$UNRESOLVABLE"
[[target]]
host = "$NO_ROUTE"
[[target]]
host = "$NOBODY"
[[target]]
host = "$ANSWERED"
rate = 50
TOML
LOG=$OUT/zzpingd-runtime.log
responder() {
  ip netns exec "$R" "$ZZPING_RESPONDER" --log /dev/null "$@" >>"$OUT/responder.out" 2>&1 &
  RESPONDER=$!
  drill_track_pid "$RESPONDER"
}
stop_responder() { kill -INT "$RESPONDER" 2>/dev/null; wait "$RESPONDER" 2>/dev/null; }
host_lines() { grep -cF "host $1" "$LOG"; }

responder --unreach 1
ip netns exec "$P" "$ZZPINGD" --config "$WORK/runtime.toml" >"$LOG" 2>&1 &
DAEMON=$!
drill_track_pid "$DAEMON"
drill_wait_for_text "$LOG" "host $ANSWERED: no replies" 15 ||
  drill_fail "no 'no replies' line for $ANSWERED while it is reported unreachable by ICMP"
stop_responder
responder
drill_wait_for_text "$LOG" "host $ANSWERED: replies again" 15 || drill_fail "no 'replies again' line for $ANSWERED"
stop_responder
responder --loss 1
sleep 1
for ((i = 0; i < 100; ++i)); do
  (($(grep -cF "host $ANSWERED: no replies" "$LOG") >= 2)) && break
  sleep 0.1
done
sleep 8  # let every condition run on: the line counts below must not grow per frame
kill -0 "$DAEMON" 2>/dev/null || drill_fail "zzpingd died"
kill -INT "$DAEMON"
status=0
for ((i = 0; i < 100; ++i)); do kill -0 "$DAEMON" 2>/dev/null || break; sleep 0.1; done
wait "$DAEMON"
status=$?
stop_responder
((status == 0)) || drill_fail "zzpingd exited with $status after SIGINT (expected a clean 0)"

echo "   log lines per host (whole run, about 20 s):"
for host in "$UNRESOLVABLE" "$NO_ROUTE" "$NOBODY" "$ANSWERED"; do
  printf '   %-22s %3d lines\n' "$host" "$(host_lines "$host:")"
  grep -F "host $host" "$LOG" | grep -vE 'probes/s$|: address ' | sed 's/^\[[^]]*\] \[zzpingd\] /      /' | cut -c1-200 | sort | uniq -c | sed 's/^ */      /' | head -6
done
check_line() {
  local what=$1 pattern=$2 max=$3 count
  count=$(grep -cE -- "$pattern" "$LOG")
  if ((count == 0)); then drill_fail "$what: no line matching /$pattern/"
  elif ((count > max)); then drill_fail "$what: $count lines matching /$pattern/ (at most $max: not one per frame)"
  fi
}
check_line "unresolvable name" "host $UNRESOLVABLE: cannot resolve \(.*\); retrying every 2 s" 1
check_line "no route" "host $NO_ROUTE: send failed: Network is unreachable" 2
check_line "nobody on the link" "host $NOBODY: (no replies for [0-9.]+ s|send failed: No route to host)" 3
check_line "ICMP unreachable" "host $ANSWERED: no replies for [0-9.]+ s \([0-9]+ probes lost, [0-9]+ ICMP errors: the network reports it unreachable\)" 1
check_line "answers again" "host $ANSWERED: replies again after" 1
check_line "100% loss" "host $ANSWERED: no replies for [0-9.]+ s \([0-9]+ probes lost, no ICMP errors\)" 1
grep -qE '\[(critical)\]' "$LOG" && drill_fail "critical lines in the log"
drill_finish
