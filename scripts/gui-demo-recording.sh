#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Records a short data directory with incidents and path snapshots for the GUI screenshots
# (docs/gui.md), on the router chain of tests/netns/topology.sh (root only; namespaces
# PREFIX-*, deleted at the end, also on failure):
#
#   PREFIX-p (zzpingd) -- r1 (gateway, answered by zzping-responder) -- r2 ("ISP") -- t1, t2
#
# Targets: r1 (role gateway), t1 and t2 (internet), trace on, a trace every 30 s.
# Injected, in seconds after zzpingd starts:
#   40  upstream:     r2 blackholes t1 and t2 for 8 s (ip route add blackhole)
#   80  local:        the pinger's link to r1 down for 6 s (ip link set down)
#   120 destination:  t2's responder drops everything for 5 s
#   150 gateway_only: r1's responder drops everything for 3 s (t1, t2 answer)
# Then, with zzpingd still running, a live screenshot (zzping-gui --connect, in the pinger's
# namespace) and, after zzpingd stopped, screenshots of the data directory.
#
# Usage: gui-demo-recording.sh BUILD_DIR OUT_DIR [PREFIX]
#   OUT_DIR/data (the data directory), OUT_DIR/*.png, OUT_DIR/*.log
set -euo pipefail
[[ $# -ge 2 ]] || { sed -n '3,19p' "$0" >&2; exit 2; }
build=$(realpath "$1") out=$(realpath -m "$2") prefix=${3:-gui-demo}
[[ $prefix == gui-* ]] || { echo "PREFIX must start with gui-" >&2; exit 2; }
here=$(dirname "$(realpath "$0")")
topology="$here/../tests/netns/topology.sh"
zzpingd="$build/daemon/zzpingd/zzpingd"
responder="$build/tools/zzping-responder/zzping-responder"
gui="$build/gui/zzping-gui/zzping-gui"
mkdir -p "$out"
rm -rf "$out/data" "$out/frames.jsonl"

pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "$topology" down "$prefix" || true
}
trap cleanup EXIT

"$topology" up "$prefix" 2 > "$out/addresses.txt"
# r1 answers through a responder (kernel echo off) so a gateway-only drop can be injected.
ip netns exec "$prefix-r1" sysctl -qw net.ipv4.icmp_echo_ignore_all=1 net.ipv6.icmp.echo_ignore_all=1

ip netns exec "$prefix-r1" "$responder" --outage 150000:3000 > "$out/r1.log" 2>&1 & pids+=($!)
ip netns exec "$prefix-t1" "$responder" > "$out/t1.log" 2>&1 & pids+=($!)
ip netns exec "$prefix-t2" "$responder" --outage 120000:5000 > "$out/t2.log" 2>&1 & pids+=($!)
sleep 1

cat > "$out/zzpingd.toml" <<EOF
[daemon]
data_dir = "$out/data"
listen = "127.0.0.1:7878"
trace_interval_s = 30
flush_ms = 1000

[[target]]
host = "10.1.0.1"
rate = 20
role = "gateway"

[[target]]
host = "10.10.1.2"
rate = 20
role = "internet"

[[target]]
host = "10.10.2.2"
rate = 20
role = "internet"
EOF
ip netns exec "$prefix-p" "$zzpingd" --no-console --config "$out/zzpingd.toml" \
  --frames-jsonl "$out/frames.jsonl" > "$out/zzpingd.log" 2>&1 & daemon=$!
pids+=("$daemon")

sleep 40
"$topology" blackhole "$prefix" 1 on; "$topology" blackhole "$prefix" 2 on
sleep 8
"$topology" blackhole "$prefix" 1 off; "$topology" blackhole "$prefix" 2 off
sleep 32
"$topology" link "$prefix" down
sleep 6
"$topology" link "$prefix" up
# The kernel dropped the routes via the downed link; topology.sh's "link up" does not put
# the default route back (once the link's own route is back: retried for up to 5 s).
for _ in $(seq 50); do
  ip -n "$prefix-p" route replace default via 10.1.0.1 2>/dev/null && break
  sleep 0.1
done
ip -n "$prefix-p" -6 route replace default via fd00:1::1 2>/dev/null || true
sleep 79  # to 165 s: the destination and gateway-only drops happen meanwhile

QT_QPA_PLATFORM=offscreen ip netns exec "$prefix-p" "$gui" --connect 127.0.0.1:7878 --backfill 600 \
  --size 1600x1000 --screenshot "$out/gui-live.png" > "$out/gui-live.log" 2>&1 || echo "live screenshot: status $?"
kill -TERM "$daemon"
wait "$daemon" || true
QT_QPA_PLATFORM=offscreen "$gui" --size 1600x1000 --screenshot "$out/gui-datadir.png" "$out/data" \
  > "$out/gui-datadir.log" 2>&1 || echo "data directory screenshot: status $?"
# The first incident (the upstream one) selected: its path snapshots under the list.
QT_QPA_PLATFORM=offscreen "$gui" --size 1600x1000 --select 1 --screenshot "$out/gui-incidents.png" "$out/data" \
  > "$out/gui-incidents.log" 2>&1 || echo "incident list screenshot: status $?"
echo "recorded $out/data"
