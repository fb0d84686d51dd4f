#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SOAK: the real zzpingd pings HOSTS addresses at RATE/s each for MINUTES, in a throw-away
# pair of network namespaces (kernel echo answers), while stream clients (zzping-tail)
# connect with a backfill and disconnect every few seconds. Every SAMPLE_S seconds it
# records the daemon's VmRSS and CPU (utime+stime) and the load average into a CSV.
# At the end: the curve (ASCII table), first vs last window averages, the achieved probe
# rate, clients served. Checks: the daemon survives, sends >= 99% of the probes asked,
# answers every client, and RSS/CPU of the last window stay within bounds of the first
# (see --max-rss-growth-kib; the stream keeps the last hour of frames in memory, so RSS
# grows for the first hour by design — see docs/reliability.md).
#   scripts/drills/soak.sh [--minutes 30] [--hosts 16] [--rate 100] [--sample-s 10]
#                          [--out DIR] [--max-rss-growth-kib N] [--stream-memory-s S]
#                          [--long-backfill-s S]
# --stream-memory-s shortens the stream's in-memory backfill horizon (zzpingd's
# stream_memory_s, default 3660): RSS must then level off after S seconds, which tells a
# leak from the designed one-hour growth in a run shorter than an hour.
# --long-backfill-s (default 7200) is the second client loop's backfill: with the default,
# each of its sessions asks for everything since the start, so the work per session (and
# the daemon's CPU) grows with the run; a value below the run length makes the load
# stationary once the run is that old.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

MINUTES=30 HOSTS=16 RATE=100 SAMPLE_S=10 OUT="" MAX_RSS_GROWTH_KIB="" STREAM_MEMORY_S="" LONG_BACKFILL_S=7200
while (($#)); do
  case $1 in
    --minutes) MINUTES=$2; shift 2 ;;
    --seconds) MINUTES=$(awk "BEGIN{print $2/60}"); shift 2 ;;
    --hosts) HOSTS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --sample-s) SAMPLE_S=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --max-rss-growth-kib) MAX_RSS_GROWTH_KIB=$2; shift 2 ;;
    --stream-memory-s) STREAM_MEMORY_S=$2; shift 2 ;;
    --long-backfill-s) LONG_BACKFILL_S=$2; shift 2 ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
drill_require_root
drill_require_binaries "$ZZPINGD" "$ZZPING_TAIL"
DURATION_S=$(awk "BEGIN{printf \"%d\", $MINUTES*60}")
drill_make_workdir soak
[[ -n $OUT ]] || OUT=$WORK
mkdir -p "$OUT"
NS=zzsoak$$
drill_make_network "$NS" "$HOSTS" echo || { echo "FAIL: cannot build the namespaces"; exit 1; }
P=${NS}p

CONFIG=$WORK/zzpingd.toml
{
  echo "[daemon]"
  echo "frame_ms = 100"
  echo "timeout_ms = 1000"
  echo "flush_ms = 1000"
  echo "listen = \"127.0.0.1:7878\""
  echo "console = \"off\""
  echo "data_dir = \"$WORK/data\""
  [[ -z $STREAM_MEMORY_S ]] || echo "stream_memory_s = $STREAM_MEMORY_S"
  for ((i = 2; i < 2 + HOSTS; ++i)); do
    printf '[[target]]\nhost = "%s.%d"\nrate = %d\n' "$DRILL_NET_V4" "$i" "$RATE"
  done
} >"$CONFIG"

echo "== soak: $HOSTS hosts x $RATE/s for $MINUTES min, samples every $SAMPLE_S s ($(date -u +%FT%TZ), $(nproc) cores)"
launch_ms=$(drill_now_ms)
ip netns exec "$P" "$ZZPINGD" --config "$CONFIG" >"$OUT/zzpingd.log" 2>&1 &
DAEMON=$!
drill_track_pid "$DAEMON"
drill_wait_for_text "$OUT/zzpingd.log" "stream: listening" 10 || { cat "$OUT/zzpingd.log"; echo "FAIL: zzpingd did not start"; exit 1; }

# Clients: two loops, each connecting for 2-6 s; one asks 60 s of backfill (memory), the
# other LONG_BACKFILL_S (2 h by default: reaches into the files on disk once the memory no
# longer covers it).
client_loop() {
  local backfill=$1 tag=$2 n=0
  while [[ -e $WORK/clients-on ]]; do
    timeout $((2 + RANDOM % 5)) ip netns exec "$P" "$ZZPING_TAIL" --connect 127.0.0.1:7878 \
      --backfill "$backfill" --format jsonl >"$WORK/client-$tag.out" 2>>"$OUT/clients.err"
    echo "$(wc -l <"$WORK/client-$tag.out")" >>"$OUT/client-$tag.frames"
    n=$((n + 1))
    sleep 0.$((RANDOM % 10))
  done
}
touch "$WORK/clients-on"
client_loop 60 a &
drill_track_pid $!
client_loop "$LONG_BACKFILL_S" b &
drill_track_pid $!

CSV=$OUT/soak.csv
echo "t_s,rss_kib,cpu_ticks,cpu_pct,load1,data_kib" >"$CSV"
TICKS=$(getconf CLK_TCK)
start=$(date +%s)
prev_ticks="" prev_t=""
while :; do
  now=$(date +%s)
  t=$((now - start))
  sample=$(drill_proc_sample "$DAEMON") || { drill_fail "zzpingd died after $t s"; break; }
  read -r rss ticks <<<"$sample"
  load1=$(cut -d' ' -f1 /proc/loadavg)
  pct=""
  if [[ -n $prev_ticks ]]; then
    pct=$(awk "BEGIN{printf \"%.2f\", 100*($ticks-$prev_ticks)/$TICKS/($t-$prev_t)}")
  fi
  data_kib=$(du -sk "$WORK/data" 2>/dev/null | cut -f1)
  echo "$t,$rss,$ticks,$pct,$load1,${data_kib:-0}" >>"$CSV"
  prev_ticks=$ticks prev_t=$t
  ((t >= DURATION_S)) && break
  sleep $((SAMPLE_S - ($(date +%s) - now)))
done
rm -f "$WORK/clients-on"
sleep 7  # the client loops finish their last connection
stop_ms=$(drill_now_ms)
kill -INT "$DAEMON" 2>/dev/null
wait "$DAEMON"
daemon_status=$?
((daemon_status == 0)) || drill_fail "zzpingd exited with $daemon_status after SIGINT"

echo "-- curve (one row per ~$((DURATION_S / 12 > SAMPLE_S ? DURATION_S / 12 : SAMPLE_S)) s)"
awk -F, -v rows=12 'BEGIN { n = 0 } NR > 1 { t[n] = $1; r[n] = $2; c[n] = $4; l[n] = $5; d[n] = $6; n++ }
  END {
    step = int(n / rows); if (step < 1) step = 1
    printf "  %8s %10s %8s %6s %10s\n", "t_s", "rss_kib", "cpu_%", "load1", "data_kib"
    for (i = 0; i < n; i += step) printf "  %8d %10d %8s %6s %10d\n", t[i], r[i], c[i], l[i], d[i]
    if ((n - 1) % step) printf "  %8d %10d %8s %6s %10d\n", t[n-1], r[n-1], c[n-1], l[n-1], d[n-1]
  }' "$CSV"

# Windows: the first and last 10 minutes (a third of the run when shorter).
read -r first_rss last_rss first_cpu last_cpu min_rss max_rss load_min load_max load_avg <<<"$(awk -F, '
  BEGIN { n = 0 }
  NR > 1 { t[n] = $1; r[n] = $2; c[n] = $4; l[n] = $5; n++ }
  END {
    T = t[n-1]; W = (T / 3 < 600) ? T / 3 : 600
    min = r[0]; max = r[0]; lmin = l[0]; lmax = l[0]
    for (i = 0; i < n; i++) {
      if (r[i] < min) min = r[i]; if (r[i] > max) max = r[i]
      if (l[i] < lmin) lmin = l[i]; if (l[i] > lmax) lmax = l[i]; ls += l[i]
      if (t[i] <= W) { fr += r[i]; frn++; if (c[i] != "") { fc += c[i]; fcn++ } }
      if (t[i] >= T - W) { lr += r[i]; lrn++; if (c[i] != "") { lc += c[i]; lcn++ } }
    }
    printf "%d %d %.2f %.2f %d %d %s %s %.2f\n", fr / frn, lr / lrn, fc / (fcn ? fcn : 1), lc / (lcn ? lcn : 1), min, max, lmin, lmax, ls / n
  }' "$CSV")"
echo "-- RSS KiB: min $min_rss max $max_rss; first-window avg $first_rss, last-window avg $last_rss (growth $((last_rss - first_rss)) KiB)"
echo "-- CPU %: first-window avg $first_cpu, last-window avg $last_cpu"
echo "-- load average (1 min): min $load_min max $load_max avg $load_avg on $(nproc) cores"

schedule=$(grep -o 'sent [0-9]* of [0-9]* probes asked.*' "$OUT/zzpingd.log" | tail -1)
sent=$(awk '{print $2}' <<<"$schedule")
asked=$(awk '{print $4}' <<<"$schedule")
echo "-- schedule: $schedule"
if [[ -n $sent && $asked -gt 0 ]]; then
  ideal=$((HOSTS * RATE * DURATION_S))
  rate_now=$(awk "BEGIN{printf \"%.1f\", 1000*$sent/($stop_ms-$launch_ms)}")
  echo "-- probe rate: $rate_now probes/s sent (asked $((HOSTS * RATE))/s); sent/asked $(awk "BEGIN{printf \"%.3f\", 100*$sent/$asked}")%"
  awk "BEGIN{exit !($sent >= 0.99*$asked)}" || drill_fail "sent fewer than 99% of the probes asked"
  ((sent >= ideal * 99 / 100)) || drill_fail "sent $sent < 99% of $ideal ($HOSTS x $RATE/s x $DURATION_S s)"
else
  drill_fail "no schedule summary in the log"
fi
grep -o 'replies: .*' "$OUT/zzpingd.log" | tail -1 | sed 's/^/-- /'
connects=$(grep -c 'stream: .* accepted' "$OUT/zzpingd.log")
frames_a=$(awk '{s += $1} END {print s + 0}' "$OUT/client-a.frames" 2>/dev/null)
frames_b=$(awk '{s += $1} END {print s + 0}' "$OUT/client-b.frames" 2>/dev/null)
sessions=$(cat "$OUT"/client-*.frames 2>/dev/null | wc -l)
empty=$(cat "$OUT"/client-*.frames 2>/dev/null | awk '$1 == 0' | wc -l)
echo "-- clients: $sessions sessions ($connects accepted by zzpingd), lines received: backfill 60 s $frames_a, backfill $LONG_BACKFILL_S s $frames_b; sessions with nothing received: $empty"
((sessions > 0 && connects >= sessions * 9 / 10)) || drill_fail "only $connects of $sessions client sessions accepted"
((empty <= sessions / 20)) || drill_fail "$empty of $sessions client sessions received nothing"
errors=$(grep -cE '\] \[(error|critical)\]' "$OUT/zzpingd.log")
echo "-- daemon error lines: $errors; data dir: $(du -sk "$WORK/data" | cut -f1) KiB"
((errors == 0)) || { grep -E '\] \[(error|critical)\]' "$OUT/zzpingd.log" | head -5; drill_fail "error lines in the log"; }
if [[ -n $MAX_RSS_GROWTH_KIB ]]; then
  ((last_rss - first_rss <= MAX_RSS_GROWTH_KIB)) || drill_fail "RSS grew by $((last_rss - first_rss)) KiB > $MAX_RSS_GROWTH_KIB KiB"
fi
echo "-- CSV: $CSV"
drill_finish
