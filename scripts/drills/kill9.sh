#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CRASH DRILL: the real zzpingd (2 hosts at 100/s: an address in a throw-away namespace
# answered by kernel echo, and 127.0.0.1 inside the pinger namespace) is killed with
# SIGKILL after a random lifetime, KILLS times, always restarted on the same data dir.
# After every kill:
#   - every file of earlier runs is byte-identical (sha256 of all files before the start),
#   - every new file reads back with zzping-dump (exit 0; a cut last record is a warning),
#   - a run that wrote frames did so into new numbered files (never overwrite),
#   - lost window = kill time - timeout_ms - end of the last frame on disk (or the daemon's
#     start when it wrote nothing yet), which the design bounds by flush_ms + frame_ms
#     (+ housekeeping slack).
#   scripts/drills/kill9.sh [--kills 100] [--min-ms 200] [--max-ms 3000] [--flush-ms 200]
#                           [--slack-ms 100] [--out DIR] [--quiet]
set -uo pipefail
source "$(dirname "$0")/lib.sh"

KILLS=100 MIN_MS=200 MAX_MS=3000 FLUSH_MS=200 FRAME_MS=100 TIMEOUT_MS=200 SLACK_MS=100 OUT="" QUIET=0
while (($#)); do
  case $1 in
    --kills) KILLS=$2; shift 2 ;;
    --min-ms) MIN_MS=$2; shift 2 ;;
    --max-ms) MAX_MS=$2; shift 2 ;;
    --flush-ms) FLUSH_MS=$2; shift 2 ;;
    --slack-ms) SLACK_MS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --quiet) QUIET=1; shift ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
drill_require_root
drill_require_binaries "$ZZPINGD" "$ZZPING_DUMP"
drill_make_workdir kill9
[[ -n $OUT ]] || OUT=$WORK
mkdir -p "$OUT"
NS=zzk9$$
drill_make_network "$NS" 1 echo || { echo "FAIL: cannot build the namespaces"; exit 1; }
P=${NS}p
DATA=$WORK/data
mkdir -p "$DATA"
CONFIG=$WORK/zzpingd.toml
cat >"$CONFIG" <<TOML
[daemon]
frame_ms = $FRAME_MS
timeout_ms = $TIMEOUT_MS
flush_ms = $FLUSH_MS
fsync_s = 1
listen = "127.0.0.1:0"
console = "off"
data_dir = "$DATA"
[[target]]
host = "$DRILL_NET_V4.2"
rate = 100
[[target]]
host = "127.0.0.1"
rate = 100
TOML
BOUND=$((FLUSH_MS + FRAME_MS + SLACK_MS))
echo "== kill -9 drill: $KILLS kills after $MIN_MS..$MAX_MS ms, frame $FRAME_MS ms, timeout $TIMEOUT_MS ms, flush $FLUSH_MS ms ($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "   lost window = kill - timeout - last frame end on disk; bound flush + frame + ${SLACK_MS} ms slack = $BOUND ms"
TABLE=$OUT/kill9.csv
echo "kill,lifetime_ms,new_files,new_raw_frames,truncated,lost_ms_v4host,lost_ms_lo" >"$TABLE"
((QUIET)) || printf '  %4s %8s %6s %7s %5s %9s %9s\n' kill life_ms files frames cut lost_v4 lost_lo

# "path hash" for every file, sorted.
hash_all() { (cd "$DATA" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum); }

# End (t_ms + length_ms) of the last frame in the raw files among the given paths, per host dir.
last_frame_end() {
  local host_dir=$1; shift
  local f end=0 e
  for f in "$@"; do
    [[ $f == ./$host_dir/* && $(basename "$f") == *T??Z* ]] || continue
    e=$("$ZZPING_DUMP" -f csv "$DATA/$f" 2>/dev/null | awk -F, 'NR > 1 { e = $2 + $4 } END { printf "%.0f\n", e }')
    ((e > end)) && end=$e
  done
  echo "$end"
}

# Wall time (ms) of the first log line after line N (spdlog stamps local time, like date -d);
# the kill time if the run logged nothing (then it had nothing to lose).
log_start_ms() {
  local stamp
  stamp=$(tail -n +"$(($1 + 1))" "$OUT/zzpingd.log" | head -1 | grep -o '^\[[0-9-]* [0-9:.]*\]' | tr -d '[]')
  if [[ -n $stamp ]]; then date -d "$stamp" +%s%3N; else echo "$kill_ms"; fi
}

runs_wrote=0 total_truncated=0 total_files=0 over_bound=0 unreadable=0 changed=0
lost_values=()
for ((k = 1; k <= KILLS; ++k)); do
  before=$(hash_all)
  lifetime=$((MIN_MS + (RANDOM * 32768 + RANDOM) % (MAX_MS - MIN_MS + 1)))
  log_lines=$(wc -l 2>/dev/null <"$OUT/zzpingd.log" || echo 0)
  ip netns exec "$P" "$ZZPINGD" --config "$CONFIG" >>"$OUT/zzpingd.log" 2>&1 &
  pid=$!
  drill_track_pid "$pid"
  sleep "$(awk "BEGIN{printf \"%.3f\", $lifetime/1000}")"
  kill_ms=$(drill_now_ms)
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null
  after=$(hash_all)

  # Earlier files: unchanged (sha256sum -c over the list taken before the start).
  if [[ -n $before ]]; then
    if ! bad=$(cd "$DATA" && sha256sum -c --quiet <<<"$before" 2>&1); then
      drill_fail "kill $k: earlier files changed or vanished: $bad"
      changed=$((changed + 1))
    fi
  fi
  mapfile -t new_files < <(comm -13 <(awk '{print $2}' <<<"$before") <(awk '{print $2}' <<<"$after"))
  truncated=0 frames=0
  for f in "${new_files[@]}"; do
    [[ -n $f ]] || continue
    if ! out=$("$ZZPING_DUMP" -f csv "$DATA/$f" 2>"$WORK/dump.err"); then
      drill_fail "kill $k: $f does not read back: $(cat "$WORK/dump.err")"
      unreadable=$((unreadable + 1))
    fi
    [[ -s $WORK/dump.err ]] && truncated=$((truncated + 1))
    if [[ $(basename "$f") == *T??Z* ]]; then
      frames=$((frames + $(tail -n +2 <<<"$out" | grep -c .)))
    fi
  done
  nfiles=0
  for f in "${new_files[@]}"; do [[ -n $f ]] && nfiles=$((nfiles + 1)); done
  total_files=$((total_files + nfiles))
  total_truncated=$((total_truncated + truncated))
  ((frames > 0)) && runs_wrote=$((runs_wrote + 1))

  # Lost window per host: from the last frame on disk, or, when nothing was written, from
  # the daemon's first log line (its start: process creation under load is not the daemon's
  # loss).
  started_ms=$(log_start_ms "$log_lines")
  lost=()
  for host_dir in "$DRILL_NET_V4.2" 127.0.0.1; do
    end=$(last_frame_end "$host_dir" "${new_files[@]}")
    ((end == 0)) && end=$started_ms
    l=$((kill_ms - TIMEOUT_MS - end))
    lost+=("$l")
    lost_values+=("$l")
    if ((l > BOUND)); then
      over_bound=$((over_bound + 1))
      drill_fail "kill $k: $host_dir lost $l ms > $BOUND ms (lifetime $lifetime ms)"
    fi
  done
  echo "$k,$lifetime,$nfiles,$frames,$truncated,${lost[0]},${lost[1]}" >>"$TABLE"
  ((QUIET)) || printf '  %4d %8d %6d %7d %5d %9d %9d\n' "$k" "$lifetime" "$nfiles" "$frames" "$truncated" "${lost[0]}" "${lost[1]}"
done

# A clean stop at the end: SIGINT, exit 0, every new file ends after a whole record.
before=$(hash_all)
ip netns exec "$P" "$ZZPINGD" --config "$CONFIG" >>"$OUT/zzpingd.log" 2>&1 &
pid=$!
drill_track_pid "$pid"
sleep 1.5
kill -INT "$pid"
wait "$pid"
status=$?
((status == 0)) || drill_fail "clean stop: zzpingd exited with $status"
after=$(hash_all)
mapfile -t new_files < <(comm -13 <(awk '{print $2}' <<<"$before") <(awk '{print $2}' <<<"$after"))
for f in "${new_files[@]}"; do
  [[ -n $f ]] || continue
  "$ZZPING_DUMP" --info "$DATA/$f" >/dev/null 2>"$WORK/dump.err" && [[ ! -s $WORK/dump.err ]] ||
    drill_fail "clean stop: $f does not end after a whole record: $(cat "$WORK/dump.err")"
done

all_files=$(find "$DATA" -type f | wc -l)
raw_files=$(find "$DATA" -type f -name '*T??Z*' | wc -l)
stats=$(printf '%s\n' "${lost_values[@]}" | sort -n | awk '
  function at(q,   i) { i = int(NR * q) + 1; if (i > NR) i = NR; return v[i] }
  { v[NR] = $1 }
  END { printf "min %d, p50 %d, p90 %d, p99 %d, max %d", v[1], at(0.5), at(0.9), at(0.99), v[NR] }')
echo "-- summary"
echo "   kills:                 $KILLS (runs that wrote frames: $runs_wrote)"
echo "   files:                 $all_files on disk ($raw_files raw hour files), $total_files made by killed runs"
echo "   cut last records:      $total_truncated files (read back to their last whole record)"
echo "   unreadable files:      $unreadable; earlier files changed: $changed"
echo "   lost window ms:        $stats (per host and kill; bound $BOUND ms, over it: $over_bound)"
echo "   clean stop:            exit $status, ${#new_files[@]} new files all end on a whole record"
echo "   table:                 $TABLE"
drill_finish
