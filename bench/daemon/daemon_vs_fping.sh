#!/usr/bin/env bash
# Benchmark (not a test): zzpingd vs fping, side by side in one run, 10 loopback hosts x
# 100 pings/s inside a throw-away network namespace (kernel echo answers), idle and with a
# CPU hog on the second core; then zzpingd's max sustained rate on one core with 0 loss.
# Usage (root): bench/daemon/daemon_vs_fping.sh BUILD_DIR [SECONDS]   -> prints Markdown.
set -euo pipefail
BUILD=${1:?build dir}; SECS=${2:-30}
ZZPINGD=$BUILD/daemon/zzpingd/zzpingd
NS=zzbench$$
WORK=$(mktemp -d)
HOG=""
cleanup() { [ -n "$HOG" ] && kill "$HOG" 2>/dev/null; ip netns del "$NS" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
ip netns add "$NS"; ip -n "$NS" link set lo up
HOSTS=(); for i in $(seq 1 10); do HOSTS+=("127.0.0.$i"); done

run_zzpingd() {  # $1 label, $2.. targets args
  local label=$1; shift
  /usr/bin/time -f "%U %S %M" -o "$WORK/$label.time" ip netns exec "$NS" timeout -s INT "$SECS" \
    "$ZZPINGD" --no-console --data-dir "$WORK/data-$label" --listen 127.0.0.1:0 --send-error-log "$WORK/$label.err" "$@" \
    > "$WORK/$label.log" 2>&1 || true
}
run_fping() {  # $1 label
  /usr/bin/time -f "%U %S %M" -o "$WORK/$1.time" ip netns exec "$NS" timeout -s INT "$SECS" \
    fping -l -p 10 -i 1 -D "${HOSTS[@]}" > "$WORK/$1.out" 2>/dev/null || true
}
summarise() {  # $1 label $2 tool
  python3 - "$WORK" "$1" "$2" "$SECS" <<'PY'
import sys, re, statistics
work, label, tool, secs = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
user, sys_, rss = open(f"{work}/{label}.time").read().split()[-3:]
cpu = float(user) + float(sys_)
def p(v, q): v = sorted(v); return v[min(len(v) - 1, int(q * len(v)))]
if tool == "zzpingd":
    log = open(f"{work}/{label}.log").read()
    m = re.search(r"sent (\d+) of (\d+) probes asked", log)
    sent, asked = int(m.group(1)), int(m.group(2))
    errs = [int(l) / 1000 for l in open(f"{work}/{label}.err") if l.strip()]
    # asked per configured rate over the run time actually scheduled
    rate = 100.0 * sent / asked
    err = f"p50 {p(errs,.5):.0f} / p99 {p(errs,.99):.0f} µs (send time - deadline)"
else:
    times = {}
    for line in open(f"{work}/{label}.out"):
        m = re.match(r"\[(\d+\.\d+)\] (\S+)\s+: \[(\d+)\]", line)
        if m: times.setdefault(m.group(2), []).append(float(m.group(1)))
    sent = sum(len(v) for v in times.values())
    asked = 10 * 100 * secs
    rate = 100.0 * sent / asked
    iv = []
    for v in times.values():
        iv += [abs((b - a) * 1e6 - 10000) for a, b in zip(v, v[1:])]
    err = f"p50 {p(iv,.5):.0f} / p99 {p(iv,.99):.0f} µs (interval error, from reply times)"
print(f"| {label} | {tool} | {sent} | {rate:.2f}% | {err} | {1000 * cpu / max(sent,1):.4f} | {int(rss)//1024} MB |")
PY
}

echo "| run | tool | probes | achieved / asked | send timing | CPU s per 1000 probes | max RSS |"
echo "|---|---|---|---|---|---|---|"
TARGETS=(); for h in "${HOSTS[@]}"; do TARGETS+=(--target "$h@100"); done
run_zzpingd idle-zzpingd "${TARGETS[@]}"; summarise idle-zzpingd zzpingd
run_fping idle-fping; summarise idle-fping fping
taskset -c 1 sh -c 'while :; do :; done' & HOG=$!
run_zzpingd hog-zzpingd "${TARGETS[@]}"; summarise hog-zzpingd zzpingd
run_fping hog-fping; summarise hog-fping fping
kill "$HOG"; HOG=""

echo
echo "Max sustained rate, zzpingd pinned to one core (taskset -c 0), 10 s each:"
echo
echo "| hosts x rate | probes/s asked | achieved | lost | CPU (of one core) |"
echo "|---|---|---|---|---|"
for n in 10 20 40; do
  T=(); for i in $(seq 1 "$n"); do T+=(--target "127.0.$((i / 200)).$((i % 200 + 1))@1000"); done
  /usr/bin/time -f "%U %S %M" -o "$WORK/max$n.time" ip netns exec "$NS" timeout -s INT 10 taskset -c 0 \
    "$ZZPINGD" --no-console --data-dir "$WORK/data-max" --listen 127.0.0.1:0 --frames-jsonl "$WORK/max$n.jsonl" "${T[@]}" > "$WORK/max$n.log" 2>&1 || true
  python3 - "$WORK" "$n" <<'PY'
import sys, json, re
work, n = sys.argv[1], int(sys.argv[2])
log = open(f"{work}/max{n}.log").read()
m = re.search(r"sent (\d+) of (\d+) probes asked \(([\d.]+)%\)", log)
lost = sum(json.loads(l).get("lost", 0) for l in open(f"{work}/max{n}.jsonl"))
u, s, _ = open(f"{work}/max{n}.time").read().split()[-3:]
print(f"| {n} x 1000/s | {n*1000} | {m.group(3)}% | {lost} | {100*(float(u)+float(s))/10:.0f}% |")
PY
done
