#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark (not a test): zzpingd vs fping, side by side in one run, 10 loopback hosts x
# 100 pings/s inside a throw-away network namespace (kernel echo answers), idle and with a
# CPU hog on the second core, each with normal scheduling and with SCHED_FIFO (zzpingd:
# realtime_priority = 50; fping: chrt -f 50); then zzpingd's max sustained rate on one core.
# zzpingd writes its native files and has its stream listener on in every run.
# Beside them, the floor (bench_ping_floor, bench/daemon/ping_floor.cpp): the same probes with
# nothing but the syscalls, one sendto per probe ("floor") or one sendmmsg per burst
# ("floor-mmsg"), replies drained with recvmmsg once per burst.
# CPU = user + system time of the tool (wait4 rusage, in µs) over the run.
# Usage (root): bench/daemon/daemon_vs_fping.sh BUILD_DIR [SECONDS]   -> prints Markdown.
set -euo pipefail
BUILD=${1:?build dir}; SECS=${2:-30}
ZZPINGD=$BUILD/daemon/zzpingd/zzpingd
FLOOR=$BUILD/bench/daemon/bench_ping_floor
NS=zzbench$$
WORK=$(mktemp -d)
HOG=""
cleanup() { [ -n "$HOG" ] && kill "$HOG" 2>/dev/null; ip netns del "$NS" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
ip netns add "$NS"; ip -n "$NS" link set lo up
HOSTS=(); for i in $(seq 1 10); do HOSTS+=("127.0.0.$i"); done

printf '[daemon]\nrealtime_priority = 50\n' > "$WORK/rt.toml"; printf '\n' > "$WORK/normal.toml"
# measure OUT CMD...: runs CMD; OUT gets "user_s system_s max_rss_kb window_cpu_s w0 w1":
# the whole run's CPU (wait4, µs; /usr/bin/time prints 10 ms, too coarse for the floor),
# the max RSS (from /usr/bin/time) and the steady state: the tool's CPU from 2 s after the
# start to 1 s before the end, with that window's wall clock (cpu_window.py).
measure() {
  local out=$1; shift
  python3 "$(dirname "$0")/cpu_window.py" "$out.cw" 2 "$((SECS - 1))" /usr/bin/time -f "%M" -o "$out.rss" "$@"
  read -r user system window w0 w1 < "$out.cw"
  echo "$user $system $(tail -1 "$out.rss") $window $w0 $w1" > "$out"
}
run_zzpingd() {  # $1 label, $2 config file, $3.. targets args
  local label=$1 config=$2; shift 2
  measure "$WORK/$label.time" ip netns exec "$NS" timeout -s INT "$SECS" \
    "$ZZPINGD" --config "$config" --no-console --data-dir "$WORK/data-$label" --listen 127.0.0.1:0 --send-error-log "$WORK/$label.err" "$@" \
    > "$WORK/$label.log" 2>&1 || true
}
run_fping() {  # $1 label, $2.. prefix (e.g. chrt -f 50)
  local label=$1; shift
  measure "$WORK/$label.time" ip netns exec "$NS" timeout -s INT "$SECS" \
    "$@" fping -l -p 10 -i 1 -D "${HOSTS[@]}" > "$WORK/$label.out" 2>/dev/null || true
}
run_floor() {  # $1 label, $2 floor options ("" or --sendmmsg), $3.. prefix (e.g. chrt -f 50)
  local label=$1 options=$2; shift 2
  # shellcheck disable=SC2086  # options: zero or one word
  measure "$WORK/$label.time" ip netns exec "$NS" "$@" "$FLOOR" $options "$SECS" 100 "${HOSTS[@]}" \
    > "$WORK/$label.out" 2>&1 || true
}
summarise() {  # $1 label $2 tool
  python3 - "$WORK" "$1" "$2" "$SECS" <<'PY'
import sys, re, statistics
work, label, tool, secs = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
user, sys_, rss, window, w0, w1 = open(f"{work}/{label}.time").read().split()
cpu = float(user) + float(sys_)
window, w0, w1 = float(window), float(w0), float(w1)
def p(v, q): v = sorted(v); return v[min(len(v) - 1, int(q * len(v)))]
if tool == "zzpingd":
    log = open(f"{work}/{label}.log").read()
    m = re.search(r"sent (\d+) of (\d+) probes asked", log)
    sent, asked = int(m.group(1)), int(m.group(2))
    errs = [abs(int(l)) / 1000 for l in open(f"{work}/{label}.err") if l.strip()]
    # asked per configured rate over the run time actually scheduled
    rate = 100.0 * sent / asked
    err = f"p50 {p(errs,.5):.0f} / p99 {p(errs,.99):.0f} µs (|send time - deadline|)"
    window_probes = 1000 * (w1 - w0) * sent / asked
elif tool == "floor":
    m = re.search(r"sent (\d+) received (\d+)", open(f"{work}/{label}.out").read())
    sent = int(m.group(1))
    rate = 100.0 * sent / (10 * 100 * secs)
    err = f"{int(m.group(2))} replies"
    window_probes = 1000 * (w1 - w0)
else:
    times = {}
    for line in open(f"{work}/{label}.out"):
        m = re.match(r"\[(\d+\.\d+)\] (\S+)\s+: \[(\d+)\]", line)
        if m: times.setdefault(m.group(2), []).append(float(m.group(1)))
    sent = sum(len(v) for v in times.values())
    window_probes = sum(1 for v in times.values() for t in v if w0 <= t < w1)
    asked = 10 * 100 * secs
    rate = 100.0 * sent / asked
    iv = []
    for v in times.values():
        iv += [abs((b - a) * 1e6 - 10000) for a, b in zip(v, v[1:])]
    err = f"p50 {p(iv,.5):.0f} / p99 {p(iv,.99):.0f} µs (interval error, from reply times)"
steady = 1000 * window / max(window_probes, 1) if window >= 0 else float("nan")
print(f"| {label} | {tool} | {sent} | {rate:.2f}% | {err} | {1000 * cpu / max(sent,1):.4f} | {steady:.4f} | {int(rss)//1024} MB |")
open(f"{work}/{label}.cpu", "w").write(f"{1000 * cpu / max(sent,1)} {steady}\n")
PY
}
ratios() {  # $1 label prefix: CPU per probe of zzpingd and of the floors against fping's
  python3 - "$WORK" "$1" <<'PY'
import sys
work, label = sys.argv[1], sys.argv[2]
cpu = lambda tool, i: float(open(f"{work}/{label}-{tool}.cpu").read().split()[i])
ratio = lambda tool, i: f"{cpu(tool, i) / cpu('fping', i):.2f}"
print(f"| {label} | ratio to fping | | | zzpingd / floor / floor-mmsg | "
      f"{ratio('zzpingd', 0)} / {ratio('floor', 0)} / {ratio('floor-mmsg', 0)} | "
      f"{ratio('zzpingd', 1)} / {ratio('floor', 1)} / {ratio('floor-mmsg', 1)} | |")
PY
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "CPU s per 1000 probes: the whole run (start-up and stop included), and the steady state"
echo "(the tool's CPU from 2 s after its start to 1 s before its end, per probe sent in that window)."
echo
echo "| run | tool | probes | achieved / asked | send timing | CPU s per 1000 probes, whole run | steady state | max RSS |"
echo "|---|---|---|---|---|---|---|---|"
TARGETS=(); for h in "${HOSTS[@]}"; do TARGETS+=(--target "$h@100"); done
side_by_side() {  # $1 label prefix
  run_zzpingd "$1-zzpingd" "$WORK/normal.toml" "${TARGETS[@]}"; summarise "$1-zzpingd" zzpingd
  run_fping "$1-fping"; summarise "$1-fping" fping
  run_floor "$1-floor" ""; summarise "$1-floor" floor
  run_floor "$1-floor-mmsg" --sendmmsg; summarise "$1-floor-mmsg" floor
  ratios "$1"
  run_zzpingd "$1-rt-zzpingd" "$WORK/rt.toml" "${TARGETS[@]}"; summarise "$1-rt-zzpingd" zzpingd
  run_fping "$1-rt-fping" chrt -f 50; summarise "$1-rt-fping" fping
  run_floor "$1-rt-floor" "" chrt -f 50; summarise "$1-rt-floor" floor
  run_floor "$1-rt-floor-mmsg" --sendmmsg chrt -f 50; summarise "$1-rt-floor-mmsg" floor
  ratios "$1-rt"
}
side_by_side idle
taskset -c 1 sh -c 'while :; do :; done' & HOG=$!
side_by_side hog
kill "$HOG"; HOG=""
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "Max sustained rate, zzpingd pinned to one core (taskset -c 0), 10 s each:"
echo
echo "| hosts x rate | probes/s asked | achieved | lost | CPU (of one core) |"
echo "|---|---|---|---|---|"
for n in 10 20 40; do
  T=(); for i in $(seq 1 "$n"); do T+=(--target "127.0.$((i / 200)).$((i % 200 + 1))@1000"); done
  measure "$WORK/max$n.time" ip netns exec "$NS" timeout -s INT 10 taskset -c 0 \
    "$ZZPINGD" --no-console --data-dir "$WORK/data-max" --listen 127.0.0.1:0 --frames-jsonl "$WORK/max$n.jsonl" "${T[@]}" > "$WORK/max$n.log" 2>&1 || true
  python3 - "$WORK" "$n" <<'PY'
import sys, json, re
work, n = sys.argv[1], int(sys.argv[2])
log = open(f"{work}/max{n}.log").read()
m = re.search(r"sent (\d+) of (\d+) probes asked \(([\d.]+)%\)", log)
lost = sum(json.loads(l).get("lost", 0) for l in open(f"{work}/max{n}.jsonl"))
u, s = open(f"{work}/max{n}.time").read().split()[:2]
print(f"| {n} x 1000/s | {n*1000} | {m.group(3)}% | {lost} | {100*(float(u)+float(s))/10:.0f}% |")
PY
done
