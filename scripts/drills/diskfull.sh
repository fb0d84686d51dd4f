#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# DISK FULL DRILL: the real zzpingd writes its data dir on a small tmpfs while a stream
# client (zzping-tail) is connected; the drill fills the tmpfs, keeps it full for FULL_S
# seconds, then frees it. Checks:
#   - while full: the daemon keeps pinging (the client's frames have probes sent and
#     replies) and streaming (the client keeps receiving), and the condition is logged once
#     per file, not per frame or retry (2 hosts x 1000/s in 10 ms frames, so the raw files
#     need new tmpfs pages within seconds; a file still inside its last page goes on),
#   - after freeing: "writing ... again" is logged, the files grow again,
#   - a clean stop exits 0 and every file reads back with zzping-dump, whole records only.
# --fs ext4 uses a loop-mounted ext4 image instead of tmpfs (a real filesystem: blocks,
# journal, delayed allocation).
#   scripts/drills/diskfull.sh [--full-s 12] [--size 1m] [--fs tmpfs|ext4] [--out DIR]
set -uo pipefail
source "$(dirname "$0")/lib.sh"

FULL_S=12 SIZE=1m OUT="" FS=tmpfs
while (($#)); do
  case $1 in
    --full-s) FULL_S=$2; shift 2 ;;
    --size) SIZE=$2; shift 2 ;;
    --fs) FS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
drill_require_root
drill_require_binaries "$ZZPINGD" "$ZZPING_DUMP" "$ZZPING_TAIL"
drill_make_workdir diskfull
[[ -n $OUT ]] || OUT=$WORK
mkdir -p "$OUT"
MNT=$WORK/mnt
case $FS in
  tmpfs) drill_mount_tmpfs "$MNT" "$SIZE" || drill_skip "cannot mount a tmpfs here" ;;
  ext4) drill_mount_ext4 "$MNT" "$SIZE" "$WORK/ext4.img" || drill_skip "cannot make or loop-mount an ext4 image here" ;;
  *) echo "--fs: tmpfs or ext4"; exit 2 ;;
esac
NS=zzdf$$
drill_make_network "$NS" 1 echo || { echo "FAIL: cannot build the namespaces"; exit 1; }
P=${NS}p
DATA=$MNT/data
CONFIG=$WORK/zzpingd.toml
cat >"$CONFIG" <<TOML
[daemon]
frame_ms = 10
timeout_ms = 300
flush_ms = 200
fsync_s = 1
listen = "127.0.0.1:7878"
console = "off"
data_dir = "$DATA"
[[target]]
host = "$DRILL_NET_V4.2"
rate = 1000
[[target]]
host = "127.0.0.1"
rate = 1000
TOML
LOG=$OUT/zzpingd.log
CLIENT=$OUT/client.jsonl
echo "== disk full drill: $FS of $SIZE, full for $FULL_S s ($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
ip netns exec "$P" "$ZZPINGD" --config "$CONFIG" >"$LOG" 2>&1 &
DAEMON=$!
drill_track_pid "$DAEMON"
drill_wait_for_text "$LOG" "stream: listening" 10 || { cat "$LOG"; echo "FAIL: zzpingd did not start"; exit 1; }
ip netns exec "$P" "$ZZPING_TAIL" --connect 127.0.0.1:7878 --format jsonl >"$CLIENT" 2>"$OUT/client.err" &
drill_track_pid $!
sleep 3

data_bytes() { find "$DATA" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }
client_frames() { grep -c '"t_ms"' "$CLIENT"; }
enospc_lines() { grep -c 'No space left on device' "$LOG"; }
# Frames the client received since line N with probes sent / replies (pinging goes on).
client_probes_since() { tail -n +"$1" "$CLIENT" | grep '"t_ms"' | awk -F'"sent":' '{ split($2, a, ","); s += a[1] } END { print s + 0 }'; }
client_replies_since() { tail -n +"$1" "$CLIENT" | grep '"t_ms"' | awk -F'"recv":' '{ split($2, a, ","); s += a[1] } END { print s + 0 }'; }

bytes_before_fill=$(data_bytes)
((bytes_before_fill > 0)) || drill_fail "nothing written before the disk was filled"
# Fill: dd stops at ENOSPC.
dd if=/dev/zero of="$MNT/filler" bs=4k status=none 2>/dev/null
fill_line=$(($(wc -l <"$CLIENT") + 1))
echo "  filled: $(df -k --output=used,avail "$MNT" | tail -1 | awk '{print $1 " KiB used, " $2 " KiB free"}'), files $bytes_before_fill bytes"
sleep 3
enospc_early=$(enospc_lines)
bytes_full_early=$(data_bytes)
frames_full_early=$(client_frames)
sleep $((FULL_S - 3))
enospc_late=$(enospc_lines)
bytes_full_late=$(data_bytes)
frames_full_late=$(client_frames)
sent_full=$(client_probes_since "$fill_line")
recv_full=$(client_replies_since "$fill_line")
drill_note "while full ($FULL_S s): ENOSPC log lines $enospc_early after 3 s, $enospc_late at the end; files $bytes_full_early -> $bytes_full_late bytes"
drill_note "while full: client frames $frames_full_early -> $frames_full_late; probes sent $sent_full, replies $recv_full in the frames streamed"
# Files reach the end of their last tmpfs page at different moments: each logs once.
repeated=$(grep 'No space left on device' "$LOG" | grep -o 'cannot [a-z]* [^:]*' | sort | uniq -d | wc -l)
((enospc_late >= 1)) || drill_fail "the full disk was not logged"
((repeated == 0)) || drill_fail "$repeated files logged ENOSPC more than once while the disk stayed full"
((frames_full_late > frames_full_early + 20)) || drill_fail "the stream stalled while the disk was full"
expected=$((FULL_S * 2000 * 8 / 10))
((sent_full >= expected)) || drill_fail "only $sent_full probes sent while full (expected >= $expected)"
((recv_full >= sent_full * 9 / 10)) || drill_fail "only $recv_full replies of $sent_full while full"
# (Files may still grow into the free part of their last tmpfs page while the disk is full.)

rm -f "$MNT/filler"
freed_ms=$(drill_now_ms)
if drill_wait_for_text "$LOG" "again (" 15; then
  resumed_ms=$(drill_now_ms)
  drill_note "freed: writing resumed after $((resumed_ms - freed_ms)) ms: $(grep -o 'files: writing .*' "$LOG" | head -3 | tr '\n' ';')"
else
  drill_fail "no 'writing ... again' line within 15 s of freeing the disk"
fi
sleep 3
bytes_after=$(data_bytes)
drill_note "after freeing: files $bytes_full_late -> $bytes_after bytes"
((bytes_after > bytes_full_late + 1000)) || drill_fail "files did not grow after the disk was freed"

kill -INT "$DAEMON"
wait "$DAEMON"
status=$?
((status == 0)) || drill_fail "zzpingd exited with $status after SIGINT"
frames_total=0 unreadable=0 cut=0
while IFS= read -r f; do
  if ! n=$("$ZZPING_DUMP" -f csv "$f" 2>"$WORK/dump.err" | tail -n +2 | grep -c .); then :; fi
  "$ZZPING_DUMP" --info "$f" >/dev/null 2>"$WORK/dump.err" || { unreadable=$((unreadable + 1)); drill_fail "$f: $(cat "$WORK/dump.err")"; }
  [[ -s $WORK/dump.err ]] && cut=$((cut + 1))
  [[ $(basename "$f") == *T??Z* ]] && frames_total=$((frames_total + n))
done < <(find "$DATA" -type f)
drill_note "stop: exit $status; $(find "$DATA" -type f | wc -l) files, $frames_total raw frames, $unreadable unreadable, $cut ending in a cut record"
((cut == 0)) || drill_fail "$cut files end in a cut record (a failed write must be cut back to a whole record)"
echo "-- log lines about files:"
grep -E 'files:' "$LOG" | sed 's/^/   /' | cut -c1-220
drill_finish
