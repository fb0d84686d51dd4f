# SPDX-License-Identifier: GPL-3.0-or-later
# Shared helpers of the drills (sourced, not run). Every drill:
#   - finds the binaries in ZZPING_BIN_DIR (default: build-drills/ of the repo),
#   - makes its throw-away namespaces / mounts / processes through these helpers, which
#     register them for cleanup on exit (trap), so an interrupted drill leaves nothing,
#   - exits 0 (passed), 1 (a check failed) or 77 (cannot run here: CTest SKIP_RETURN_CODE).
# Network traffic stays inside namespaces the drill created (or 127.0.0.0/8).

DRILL_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DRILL_BIN_DIR=${ZZPING_BIN_DIR:-$DRILL_REPO/build-drills}
ZZPINGD=$DRILL_BIN_DIR/daemon/zzpingd/zzpingd
ZZPING_DUMP=$DRILL_BIN_DIR/tools/zzping-dump/zzping-dump
ZZPING_TAIL=$DRILL_BIN_DIR/tools/zzping-tail/zzping-tail
ZZPING_RESPONDER=$DRILL_BIN_DIR/tools/zzping-responder/zzping-responder

DRILL_FAILURES=0
_drill_namespaces=()
_drill_mounts=()
_drill_pids=()
_drill_dirs=()

# A drill that cannot run here skips (77) with the reason, or fails under CI=true /
# ZZPING_REQUIRE_ALL_TESTS=1 (tests/support/prerequisite.sh).
source "$DRILL_REPO/tests/support/prerequisite.sh"
drill_skip() { zzping_missing "$@"; }
drill_fail() { echo "FAIL: $*"; DRILL_FAILURES=$((DRILL_FAILURES + 1)); }
drill_note() { echo "  $*"; }

drill_require_root() {
  [[ $(id -u) -eq 0 ]] || drill_skip "needs root (namespaces, ICMP sockets, mounts)"
  command -v ip >/dev/null || drill_skip "the 'ip' command (iproute2) is missing"
}

drill_require_binaries() {
  local binary
  for binary in "$@"; do
    [[ -x $binary ]] || drill_skip "$binary is not built (set ZZPING_BIN_DIR or build it)"
  done
}

drill_cleanup() {
  local pid ns mount dir
  # Only processes that are still our children: a pid reaped long ago may belong to
  # someone else by now.
  for pid in "${_drill_pids[@]}"; do
    [[ $(awk '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); print f[2] }' "/proc/$pid/stat" 2>/dev/null) == "$$" ]] &&
      kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
  done
  for mount in "${_drill_mounts[@]}"; do
    umount "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null || true
  done
  for ns in "${_drill_namespaces[@]}"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  for dir in "${_drill_dirs[@]}"; do
    rm -rf "$dir"
  done
}
trap drill_cleanup EXIT
trap 'exit 130' INT TERM

# Sets WORK to a new work directory, removed on exit unless DRILL_KEEP=1. (Not called as
# $(...): the registration must happen in the drill's own shell, not a subshell.)
drill_make_workdir() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/zzping-drill-$1-XXXXXX") || exit 1
  [[ ${DRILL_KEEP:-0} == 1 ]] || _drill_dirs+=("$WORK")
}

# Registers a background process (by pid) to be killed on exit.
drill_track_pid() { _drill_pids+=("$1"); }

# Mounts a tmpfs of SIZE at DIR, unmounted on exit.
drill_mount_tmpfs() {
  local dir=$1 size=$2
  mkdir -p "$dir"
  mount -t tmpfs -o "size=$size" "zzping-drill" "$dir" || return 1
  _drill_mounts+=("$dir")
}

# Mounts a fresh ext4 filesystem of SIZE (an image file IMAGE on a loop device) at DIR,
# unmounted on exit (the loop device detaches with the unmount).
drill_mount_ext4() {
  local dir=$1 size=$2 image=$3
  mkdir -p "$dir"
  truncate -s "$size" "$image" && mkfs.ext4 -q -m 0 -F "$image" >/dev/null 2>&1 || return 1
  mount -o loop "$image" "$dir" || return 1
  _drill_mounts+=("$dir")
}

# Two namespaces joined by a veth pair:
#   <name>p: 10.250.13.1/24, fd00:250:13::1/64, lo up; ICMP datagram sockets allowed
#   <name>r: 10.250.13.2/24 .. and HOSTS more addresses (.2 .. .(1+HOSTS)), fd00:250:13::2
# Kernel echo stays on in <name>r unless the third argument is "no-echo" (then a
# zzping-responder answers). The addresses only exist inside these namespaces.
DRILL_NET_V4=10.250.13
DRILL_NET_V6=fd00:250:13
drill_make_network() {
  local name=$1 hosts=${2:-1} echo=${3:-echo}
  local p=${name}p r=${name}r veth=zz$$
  ip netns add "$p" || return 1
  _drill_namespaces+=("$p")
  ip netns add "$r" || return 1
  _drill_namespaces+=("$r")
  ip link add "${veth}p" netns "$p" type veth peer name "${veth}r" netns "$r" || return 1
  local ns
  for ns in "$p" "$r"; do
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  done
  ip -n "$p" link set "${veth}p" up
  ip -n "$r" link set "${veth}r" up
  ip -n "$p" addr add "$DRILL_NET_V4.1/24" dev "${veth}p"
  ip -n "$p" addr add "$DRILL_NET_V6::1/64" dev "${veth}p" nodad
  local i
  for ((i = 2; i < 2 + hosts; ++i)); do
    ip -n "$r" addr add "$DRILL_NET_V4.$i/24" dev "${veth}r"
  done
  ip -n "$r" addr add "$DRILL_NET_V6::2/64" dev "${veth}r" nodad
  ip netns exec "$p" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
  if [[ $echo == no-echo ]]; then
    ip netns exec "$r" sysctl -qw net.ipv4.icmp_echo_ignore_all=1
    ip netns exec "$r" sysctl -qw net.ipv6.icmp.echo_ignore_all=1 2>/dev/null || true
  fi
}

# Seconds since the epoch in ms.
drill_now_ms() { date +%s%3N; }

# VmRSS in KiB and utime+stime in clock ticks of a pid ("rss ticks").
drill_proc_sample() {
  local pid=$1 rss ticks
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null) || return 1
  ticks=$(awk '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); print f[12] + f[13] }' "/proc/$pid/stat" 2>/dev/null) || return 1
  echo "$rss $ticks"
}

# Waits until FILE contains TEXT (grep -F) or SECONDS pass.
drill_wait_for_text() {
  local file=$1 text=$2 seconds=${3:-10} i
  for ((i = 0; i < seconds * 20; ++i)); do
    grep -qF -- "$text" "$file" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

drill_finish() {
  if ((DRILL_FAILURES > 0)); then
    echo "RESULT: FAILED ($DRILL_FAILURES failed checks)"
    exit 1
  fi
  echo "RESULT: passed"
  exit 0
}
