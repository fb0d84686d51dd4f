#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark (not a test): two zzpingd binaries A and B against each other on a shared
# machine, interleaved: PAIRS rounds, each running A and B (A first in odd rounds, B first
# in even ones), then fping and the floor (bench_ping_floor), SECONDS each, 10 loopback
# hosts x 100/s in a throw-away namespace, normal scheduling, zzpingd with files, stream
# and send-error log on (as in daemon_vs_fping.sh). Prints per-round CPU s per 1000 probes,
# p99 |send - deadline|, the B/A ratio per round and the medians; optional HOG=1 keeps a
# CPU hog on core 1 during the runs.
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

cpu_of() {  # $1 output file for "user sys" of the command that follows (wait4, µs)
  python3 -c 'import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, _, ru = os.wait4(pid, 0)
open(sys.argv[1], "w").write(f"{ru.ru_utime + ru.ru_stime:.6f}\n")' "$@"
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
def cpu(label): return float(open(f"{work}/{label}.cpu").read())
def zz(label):
    log = open(f"{work}/{label}.log").read()
    m = re.search(r"sent (\d+) of (\d+) probes asked", log)
    errs = sorted(abs(int(l)) / 1000 for l in open(f"{work}/{label}.err") if l.strip())
    return int(m.group(1)), 100.0 * int(m.group(1)) / int(m.group(2)), errs[min(len(errs) - 1, int(.99 * len(errs)))]
def fping_sent(label):
    return sum(1 for l in open(f"{work}/{label}.out") if re.match(r"\[\d+\.\d+\] \S+\s+: \[\d+\]", l))
def floor_sent(label):
    return int(re.search(r"sent (\d+)", open(f"{work}/{label}.out").read()).group(1))
print()
print("| round | A: CPU s/1000 probes, sent, p99 | B: CPU s/1000, sent, p99 | fping CPU s/1000 (sent) | floor CPU s/1000 | B/A | A/fping | B/fping | floor/fping |")
print("|---|---|---|---|---|---|---|---|---|")
cols = {k: [] for k in ("ba", "af", "bf", "lf", "a", "b", "f", "l")}
for r in range(1, pairs + 1):
    sa, ra, pa = zz(f"a{r}"); sb, rb, pb = zz(f"b{r}")
    a = 1000 * cpu(f"a{r}") / sa; b = 1000 * cpu(f"b{r}") / sb
    fs = fping_sent(f"f{r}"); f = 1000 * cpu(f"f{r}") / max(fs, 1)
    l = 1000 * cpu(f"l{r}") / floor_sent(f"l{r}")
    for k, v in (("ba", b / a), ("af", a / f), ("bf", b / f), ("lf", l / f), ("a", a), ("b", b), ("f", f), ("l", l)):
        cols[k].append(v)
    print(f"| {r} | {a:.4f}, {ra:.2f}%, {pa:.0f} µs | {b:.4f}, {rb:.2f}%, {pb:.0f} µs | {f:.4f} ({fs}) | {l:.4f} | {b/a:.2f} | {a/f:.2f} | {b/f:.2f} | {l/f:.2f} |")
med = {k: statistics.median(v) for k, v in cols.items()}
print(f"| median | {med['a']:.4f} | {med['b']:.4f} | {med['f']:.4f} | {med['l']:.4f} | **{med['ba']:.2f}** ({min(cols['ba']):.2f}-{max(cols['ba']):.2f}) | {med['af']:.2f} | {med['bf']:.2f} | {med['lf']:.2f} |")
PY
