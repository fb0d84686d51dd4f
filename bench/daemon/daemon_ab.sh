#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark (not a test): two zzpingd binaries A and B against each other on a shared
# machine, interleaved: PAIRS rounds, each running A and B (A first in odd rounds, B first
# in even ones), then fping and the floor (bench_ping_floor), SECONDS each, 10 loopback
# hosts x 100/s in a throw-away namespace, normal scheduling, zzpingd with files, stream
# and send-error log on (as in daemon_vs_fping.sh). Prints per-round CPU s per 1000 probes,
# p99 |send - deadline|, the B/A ratio per round and the medians; optional HOG=1 keeps a
# CPU hog on core 1 during the runs. CPU two ways (cpu_window.py): the whole run (start-up
# and stop included) and the steady state (from 2 s after the start to 1 s before the end,
# the probes of that window counted from the rate, or from fping's reply times).
# Usage (root): bench/daemon/daemon_ab.sh A_ZZPINGD B_ZZPINGD FLOOR_BIN [PAIRS] [SECONDS]
set -euo pipefail
A=${1:?zzpingd A}; B=${2:?zzpingd B}; FLOOR=${3:?bench_ping_floor}; PAIRS=${4:-4}; SECS=${5:-10}
NS=zzab$$
WORK=$(mktemp -d)
HOG_PID=""
cleanup() { [ -n "$HOG_PID" ] && kill "$HOG_PID" 2>/dev/null; ip netns del "$NS" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
ip netns add "$NS"; ip -n "$NS" link set lo up
HOSTS=(); TARGETS=()
for i in $(seq 1 10); do HOSTS+=("127.0.0.$i"); TARGETS+=(--target "127.0.0.$i@100"); done
if [ "${HOG:-0}" = 1 ]; then taskset -c 1 sh -c 'while :; do :; done' & HOG_PID=$!; fi

HERE=$(dirname "$0")
cpu_of() {  # $1 output file, then the command: whole-run and steady-state CPU (cpu_window.py)
  local out=$1; shift
  python3 "$HERE/cpu_window.py" "$out" 2 "$((SECS - 1))" "$@"
}
run_zzpingd() {  # $1 label $2 binary
  rm -rf "$WORK/data"
  cpu_of "$WORK/$1.cpu" ip netns exec "$NS" timeout -s INT "$SECS" "$2" --config /dev/null --no-console \
    --data-dir "$WORK/data" --listen 127.0.0.1:0 --send-error-log "$WORK/$1.err" "${TARGETS[@]}" > "$WORK/$1.log" 2>&1 || true
}
run_fping() {
  cpu_of "$WORK/$1.cpu" ip netns exec "$NS" timeout -s INT "$SECS" fping -l -p 10 -i 1 -D "${HOSTS[@]}" \
    > "$WORK/$1.out" 2>/dev/null || true
}
run_floor() {
  cpu_of "$WORK/$1.cpu" ip netns exec "$NS" "$FLOOR" "$SECS" 100 "${HOSTS[@]}" > "$WORK/$1.out" 2>&1 || true
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)${HOG_PID:+ (CPU hog on core 1)}"
for round in $(seq 1 "$PAIRS"); do
  if [ $((round % 2)) = 1 ]; then run_zzpingd "a$round" "$A"; run_zzpingd "b$round" "$B"
  else run_zzpingd "b$round" "$B"; run_zzpingd "a$round" "$A"; fi
  run_fping "f$round"; run_floor "l$round"
  echo "round $round done, load $(cut -d' ' -f1 /proc/loadavg)" >&2
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK" "$PAIRS" <<'PY'
import sys, re, statistics
work, pairs = sys.argv[1], int(sys.argv[2])
RATE = 10 * 100  # probes/s asked of every tool
def times(label):
    user, system, window, w0, w1 = map(float, open(f"{work}/{label}.cpu").read().split())
    return user + system, window, w0, w1
def zz(label):
    log = open(f"{work}/{label}.log").read()
    m = re.search(r"sent (\d+) of (\d+) probes asked", log)
    sent, asked = int(m.group(1)), int(m.group(2))
    errs = sorted(abs(int(l)) / 1000 for l in open(f"{work}/{label}.err") if l.strip())
    whole, window, w0, w1 = times(label)
    return 1000 * whole / sent, 1000 * window / (RATE * (w1 - w0) * sent / asked), 100.0 * sent / asked, errs[min(len(errs) - 1, int(.99 * len(errs)))]
def fping(label):
    stamps = [float(m.group(1)) for l in open(f"{work}/{label}.out") if (m := re.match(r"\[(\d+\.\d+)\] \S+\s+: \[\d+\]", l))]
    whole, window, w0, w1 = times(label)
    inside = sum(1 for t in stamps if w0 <= t < w1)
    return 1000 * whole / max(len(stamps), 1), 1000 * window / max(inside, 1), len(stamps)
def floor(label):
    sent = int(re.search(r"sent (\d+)", open(f"{work}/{label}.out").read()).group(1))
    whole, window, w0, w1 = times(label)
    return 1000 * whole / sent, 1000 * window / (RATE * (w1 - w0))
print()
print("CPU s per 1000 probes, whole run / steady state (2 s after the start to 1 s before the end)")
print()
print("| round | A (sent, p99) | B (sent, p99) | fping (replies) | floor | B/A whole, steady | A/fping steady | B/fping steady | floor/fping steady |")
print("|---|---|---|---|---|---|---|---|---|")
cols = {}
def add(k, v): cols.setdefault(k, []).append(v)
for r in range(1, pairs + 1):
    aw, asd, ra, pa = zz(f"a{r}"); bw, bsd, rb, pb = zz(f"b{r}")
    fw, fsd, fn = fping(f"f{r}"); lw, lsd = floor(f"l{r}")
    for k, v in (("aw", aw), ("as", asd), ("bw", bw), ("bs", bsd), ("fw", fw), ("fs", fsd), ("lw", lw), ("ls", lsd),
                 ("baw", bw / aw), ("bas", bsd / asd), ("afs", asd / fsd), ("bfs", bsd / fsd), ("lfs", lsd / fsd)):
        add(k, v)
    print(f"| {r} | {aw:.4f} / {asd:.4f} ({ra:.2f}%, {pa:.0f} µs) | {bw:.4f} / {bsd:.4f} ({rb:.2f}%, {pb:.0f} µs) | "
          f"{fw:.4f} / {fsd:.4f} ({fn}) | {lw:.4f} / {lsd:.4f} | {bw/aw:.2f}, {bsd/asd:.2f} | {asd/fsd:.2f} | {bsd/fsd:.2f} | {lsd/fsd:.2f} |")
m = {k: statistics.median(v) for k, v in cols.items()}
print(f"| median | {m['aw']:.4f} / {m['as']:.4f} | {m['bw']:.4f} / {m['bs']:.4f} | {m['fw']:.4f} / {m['fs']:.4f} | "
      f"{m['lw']:.4f} / {m['ls']:.4f} | **{m['baw']:.2f}** ({min(cols['baw']):.2f}-{max(cols['baw']):.2f}), "
      f"**{m['bas']:.2f}** ({min(cols['bas']):.2f}-{max(cols['bas']):.2f}) | {m['afs']:.2f} | {m['bfs']:.2f} | {m['lfs']:.2f} |")
PY
