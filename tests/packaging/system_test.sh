#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The real service under a real systemd (issue 10 part 2; docs/packaging.md "System test").
#
# Builds the .debs from this build tree (cpack), boots a Debian bookworm container with
# systemd-nspawn (its own network namespace: the daemon pings only the container's own
# loopback), installs the zzping package there with apt (Depends resolved by apt), and
# checks with systemctl and journalctl inside the container:
#   1. Type=notify: a control without $NOTIFY_SOCKET runs but never becomes active (systemd
#      waits for READY=1); the real start becomes active (running); `systemctl status`
#      shows its STATUS= line; the daemon's lines are in the journal;
#   2. frames under /var/lib/zzping -> /var/lib/private/zzping (DynamicUser +
#      StateDirectory), read by zzping-dump and zzping-tail inside the container;
#   3. `systemctl reload` with a target added to /etc/zzping/zzpingd.toml: the new host
#      writes frames, the unchanged host keeps its file and misses no probe across the
#      reload;
#   4. the watchdog (a drop-in shortens WatchdogSec to 3 s to keep the test fast):
#      `kill -STOP` of the main PID, systemd logs the watchdog timeout and Restart= brings
#      the daemon back; the files written before are byte-identical (sha256) and the new
#      run writes new numbered files;
#   5. the sandbox: a data_dir outside the state directory is refused by the file system
#      (logged as an error, nothing created), realtime_priority is refused (a warning);
#      the journal's PRIORITY fields are 6 for info, 4 for warnings, 3 for errors;
#      `systemd-analyze security zzpingd.service` in the booted container <= 2.0;
#   6. `systemctl stop`: exit status 0 within TimeoutStopSec;
#   7. the maintainer scripts: an upgrade (dpkg -i again) restarts the running service,
#      `dpkg -r` stops it and keeps its data, `dpkg -P` removes data, configuration and
#      the enable link.
#
# The debootstrap root (with apt's lists and the .debs zzping's Depends need) is cached in
# /var/cache/zzping-test/<suite>-<hash of the package list>/root; each run boots an overlay
# on it (or a copy) in a scratch folder, so the cache stays pristine and a rerun downloads
# nothing. The container, the mount and the scratch folder are removed on exit, also on
# failure; those of a run killed outright by the next run.
#
# Root only. A missing prerequisite skips (77), or fails under CI=true /
# ZZPING_REQUIRE_ALL_TESTS=1 (tests/support/prerequisite.sh).
# Usage: system_test.sh BUILD_DIR SOURCE_DIR
# Environment: ZZPING_TEST_CACHE (default /var/cache/zzping-test), ZZPING_DEBIAN_MIRROR
# (default http://deb.debian.org/debian), ZZPING_KEEP_SCRATCH=1 (keep the scratch folder).
set -uo pipefail
build_dir=$(realpath "$1")
source_dir=$(realpath "$2")
# shellcheck source=../support/prerequisite.sh
source "$source_dir/tests/support/prerequisite.sh"

zzping_require_root "systemd-nspawn boots a container, debootstrap builds its root"
zzping_require_program systemd-nspawn debootstrap nsenter cpack dpkg-deb dpkg-shlibdeps \
  sha256sum flock pgrep realpath python3 mount umount mountpoint
[[ -d /sys/fs/cgroup ]] || zzping_missing "no /sys/fs/cgroup: systemd-nspawn cannot boot a container here"

suite=bookworm
mirror=${ZZPING_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${ZZPING_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
cache_root=${ZZPING_TEST_CACHE:-/var/cache/zzping-test}
include=systemd,systemd-sysv,dbus
watchdog_s=3         # the drop-in's WatchdogSec for check 4 (the unit has 20 s)
ct_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

started=$SECONDS
failures=0
ok() { echo "ok: $* [$((SECONDS - started)) s]"; }
fail() { echo "FAIL: $* [$((SECONDS - started)) s]"; failures=$((failures + 1)); }
# A failure after which the following checks make no sense.
fatal() { echo "FAIL: $* [$((SECONDS - started)) s]"; exit 1; }
figure() { echo "figure: $*"; figures+=("$*"); }
figures=()
now_ms() { date +%s%3N; }

scratch_prefix=/var/tmp/zzping-system-test.
# A run killed outright (SIGKILL: no trap) leaves its container, overlay mount and scratch
# folder; the next run removes them. Each scratch folder names its test's PID and its
# container's PID 1 with their start times (a PID alone may have been reused).
process_id() { [[ -r /proc/$1/stat ]] && echo "$1 $(sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f20)"; }
is_process() { [[ -n $1 && $(process_id "${1%% *}") == "$1" ]]; }
for stale in "$scratch_prefix"*; do
  [[ -d $stale && -f $stale/test.id ]] || continue
  is_process "$(cat "$stale/test.id")" && continue  # a run in progress
  echo "note: removing the scratch folder of a killed run: $stale"
  stale_leader=$(cat "$stale/leader.id" 2>/dev/null)
  if is_process "$stale_leader"; then
    kill -KILL "${stale_leader%% *}"
    for _ in $(seq 50); do is_process "$stale_leader" || break; sleep 0.2; done
  fi
  mountpoint -q "$stale/root" && { umount "$stale/root" || umount -l "$stale/root"; }
  mountpoint -q "$stale/root" || rm -rf --one-file-system "$stale"
done

work=$(mktemp -d "${scratch_prefix}XXXXXX")
process_id $$ >"$work/test.id"
# A machine name of our own: nspawn keeps per-machine state under /run/systemd/nspawn/.
machine=zzping-test-$(basename "$work" | cut -d. -f2 | tr -c 'a-zA-Z0-9\n' x)
root="$work/root"
root_mounted=
nspawn_pid=
leader=

# --- cleanup: the container, the overlay mount, the scratch folder ---------------------
stop_container() {
  [[ -n $nspawn_pid ]] || return 0
  if kill -0 "$nspawn_pid" 2>/dev/null; then
    # An orderly poweroff first (the journal gets flushed, the daemon gets SIGTERM) ...
    [[ -n $leader ]] && kill -RTMIN+4 "$leader" 2>/dev/null  # systemd: SIGRTMIN+4 = poweroff
    local deadline=$((SECONDS + 30)) poweroff_started=$SECONDS
    while kill -0 "$nspawn_pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    # ... then by force: killing the container's PID 1 ends its whole PID namespace.
    if kill -0 "$nspawn_pid" 2>/dev/null; then
      echo "note: the container did not power off within 30 s; killing it"
      [[ -n $leader ]] && kill -KILL "$leader" 2>/dev/null
      deadline=$((SECONDS + 10))
      while kill -0 "$nspawn_pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
      kill -KILL "$nspawn_pid" 2>/dev/null
    else
      echo "container powered off in $((SECONDS - poweroff_started)) s"
    fi
  fi
  wait "$nspawn_pid" 2>/dev/null
  nspawn_pid=
  leader=
}
cleanup() {
  local status=$?
  stop_container
  if [[ -n $root_mounted ]]; then
    umount "$root" 2>/dev/null || umount -l "$root" || echo "note: could not unmount $root"
  fi
  if [[ ${ZZPING_KEEP_SCRATCH:-} == 1 ]]; then
    echo "note: scratch folder kept: $work"
  elif ! mountpoint -q "$root"; then
    rm -rf --one-file-system "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. the packages -------------------------------------------------------------------
# -B: our own package folder (and cpack's staging folder in it), shared with nothing.
if ! cpack --config "$build_dir/CPackConfig.cmake" -B "$work/packages" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"
  fatal "cpack"
fi
deb=$(ls "$work/packages"/zzping_*.deb 2>/dev/null | head -1)
[[ -n $deb ]] || { cat "$work/cpack.log"; fatal "cpack made no zzping package"; }
depends=$(dpkg-deb -f "$deb" Depends)
ok "cpack: $(basename "$deb"), Depends: $depends"

# --- 2. the cached root ----------------------------------------------------------------
# The key: everything that decides the root's contents. zzping's Depends are in it
# because the root holds the .debs they resolve to (apt installs from them offline).
key_text="format 1
suite $suite
mirror $mirror $security_mirror
debootstrap --variant=minbase --include=$include
depends $depends"
key=$(sha256sum <<<"$key_text" | cut -c1-16)
cached="$cache_root/$suite-$key"
mkdir -p "$cache_root"
# The key's lock: shared while a run uses the root (the pruning below takes it exclusively),
# exclusive to build it (a second run waits for the first to finish the root).
exec 8>"$cache_root/.lock-$key"
flock -s -w 600 8 || fatal "could not lock $cache_root/.lock-$key within 600 s"
if [[ ! -f $cached/complete ]]; then
  flock -u 8
  flock -x -w 600 8 || fatal "another run has been building $cached for 600 s"
fi

write_sources() {  # ROOT: the host's mirror layout (bookworm, -updates, -security)
  cat >"$1/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security_mirror $suite-security main
EOF
}
# Runs a command in a root that is not booted (host network: apt reaches the mirror).
in_root() {
  local root=$1
  shift
  systemd-nspawn --quiet --register=no --keep-unit --console=pipe -D "$root" --machine="$machine-build" \
    env -i PATH=$ct_path DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@" </dev/null
}

if [[ -f $cached/complete ]]; then
  ok "cached root $cached (made $(cat "$cached/complete"))"
  figure "root: cached ($cached)"
else
  cold_started=$SECONDS
  building="$cache_root/.building-$key"
  rm -rf --one-file-system "$building"
  mkdir -p "$building"
  echo "building the root in $building (debootstrap from $mirror, about 2 minutes)"
  if ! debootstrap --variant=minbase --include=$include "$suite" "$building/root" "$mirror" \
       >"$building/debootstrap.log" 2>&1; then
    tail -30 "$building/debootstrap.log"
    rm -rf --one-file-system "$building"
    fatal "debootstrap $suite from $mirror"
  fi
  write_sources "$building/root"
  cp "$deb" "$building/root/root/"
  # apt's lists and the archives zzping needs: the test's apt install then works offline
  # (in the container's private network). --download-only resolves like the real install.
  if ! in_root "$building/root" bash -c 'apt-get clean && apt-get update -q &&
         apt-get install -y -q --download-only ./root/zzping_*.deb && rm /root/zzping_*.deb' \
       >"$building/apt.log" 2>&1; then
    tail -30 "$building/apt.log"
    rm -rf --one-file-system "$building"
    fatal "apt-get update / download of zzping's dependencies in the new root"
  fi
  printf '%s\n' "$key_text" >"$building/key"
  date -u +%FT%TZ >"$building/complete"
  touch "$building/last-used"
  rm -rf --one-file-system "$cached"
  mv "$building" "$cached"
  ok "root built and cached in $cached ($(du -sh "$cached/root" | cut -f1))"
  figure "root: built in $((SECONDS - cold_started)) s ($(du -sh "$cached/root" | cut -f1))"
fi
touch "$cached/last-used"
flock -s 8  # held (shared) until this run ends
# Roots of other keys (an older Depends line) unused for 30 days go.
for old in "$cache_root/$suite"-*; do
  [[ $old != "$cached" && -f $old/last-used && -n $(find "$old/last-used" -mtime +30) ]] || continue
  old_key=${old##*-}
  if ( flock -n 7 || exit 1; rm -rf --one-file-system "$old" ) 7>"$cache_root/.lock-$old_key"; then
    rm -f "$cache_root/.lock-$old_key"
    echo "note: removed $old (unused for 30 days)"
  fi
done

# --- 3. the container ------------------------------------------------------------------
# The container's root: an overlay on the cached root (the cache is its read-only lower
# layer), or a copy where overlayfs is not available.
copy_started=$SECONDS
mkdir -p "$root" "$work/upper" "$work/overlay-work"
if mount -t overlay zzping-system-test -o "lowerdir=$cached/root,upperdir=$work/upper,workdir=$work/overlay-work" \
     "$root" 2>"$work/mount.log"; then
  root_mounted=yes
  ok "root: overlay on the cached root at $root"
else
  echo "note: no overlay ($(cat "$work/mount.log")); copying the cached root"
  rmdir "$root" && cp -a "$cached/root" "$root" || fatal "cp -a $cached/root $root"
  ok "root copied to $root in $((SECONDS - copy_started)) s"
fi
cp "$deb" "$root/root/" || fatal "copying $deb into the container"

boot_started=$(now_ms)
# (8>&-: the container does not inherit the cache lock.)
systemd-nspawn --quiet --boot --register=no --keep-unit --private-network --console=passive \
  -D "$root" --machine="$machine" </dev/null >"$work/nspawn.log" 2>&1 8>&- &
nspawn_pid=$!

# The container's PID 1 is the child of systemd-nspawn that runs systemd.
deadline=$((SECONDS + 30))
while [[ -z $leader ]]; do
  for child in $(pgrep -P "$nspawn_pid" 2>/dev/null); do
    [[ $(cat "/proc/$child/comm" 2>/dev/null) == systemd ]] && leader=$child
  done
  [[ -n $leader ]] && { process_id "$leader" >"$work/leader.id"; break; }
  kill -0 "$nspawn_pid" 2>/dev/null || { cat "$work/nspawn.log"; fatal "systemd-nspawn exited"; }
  ((SECONDS < deadline)) || { cat "$work/nspawn.log"; fatal "no systemd in the container within 30 s"; }
  sleep 0.1
done

# Runs a command inside the booted container (all its namespaces, a clean environment).
ct() {
  nsenter -t "$leader" -a -- env -i PATH=$ct_path LANG=C.UTF-8 SYSTEMD_COLORS=0 SYSTEMD_PAGER= \
    SYSTEMD_LOG_COLOR=0 DEBIAN_FRONTEND=noninteractive "$@"
}
ct_sh() { ct bash -c "$1"; }
# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND until it succeeds.
wait_for() {
  local limit=$1 what=$2
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      fail "$what: not within $limit s"
      return 1
    fi
    sleep 0.2
  done
}
system_up() {
  local state
  state=$(ct systemctl is-system-running 2>/dev/null)
  [[ $state == running || $state == degraded ]]
}
wait_for 90 "the container's systemd reaches running" system_up ||
  { ct systemctl --failed --no-pager; cat "$work/nspawn.log"; fatal "the container did not boot"; }
boot_ms=$(($(now_ms) - boot_started))
ok "container booted: PID 1 is $leader on the host, $(ct systemctl is-system-running) in $boot_ms ms"
figure "boot to running: $boot_ms ms"
[[ $(ct systemctl is-system-running) == running ]] ||
  echo "note: degraded: $(ct systemctl --failed --no-legend --plain --no-pager | tr '\n' ';')"

prop() { ct systemctl show -P "$1" zzpingd.service; }
journal_json() { ct journalctl -u zzpingd.service -o json --no-pager "$@"; }

# --- 4. apt install --------------------------------------------------------------------
install_started=$SECONDS
if ! ct_sh 'apt-get install -y -q --no-install-recommends /root/zzping_*.deb' >"$work/apt.log" 2>&1; then
  cat "$work/apt.log"
  fatal "apt-get install ./zzping_*.deb in the container (its cached archives: rm -rf $cached to refetch)"
fi
ok "apt-get install zzping in the container: $(grep -c '^Setting up' "$work/apt.log") packages set up in $((SECONDS - install_started)) s"
grep '^Setting up' "$work/apt.log" | sed 's/^/  /'
[[ $(ct systemctl is-enabled zzpingd.service 2>&1) == disabled ]] ||
  fail "zzpingd.service is not 'disabled' after install: $(ct systemctl is-enabled zzpingd.service 2>&1)"
[[ $(ct systemctl is-active zzpingd.service) == inactive ]] || fail "the package started zzpingd"
[[ $(ct getcap /usr/bin/zzpingd 2>/dev/null) == *cap_net_raw* ]] ||
  fail "postinst did not give /usr/bin/zzpingd cap_net_raw: '$(ct getcap /usr/bin/zzpingd 2>&1)'"

# The daemon's and systemd's journal lines about the unit as "PRIORITY<TAB>IDENTIFIER<TAB>MESSAGE"
# (journalctl -o json; MESSAGE may be a byte array).
journal_lines() {
  journal_json "$@" | python3 -c '
import json, signal, sys
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
for line in sys.stdin:
    record = json.loads(line)
    message = record.get("MESSAGE", "")
    if isinstance(message, list):
        message = bytes(message).decode("utf-8", "replace")
    print("%s\t%s\t%s" % (record.get("PRIORITY", "-"), record.get("SYSLOG_IDENTIFIER", "-"), message))
'
}
# A journal position: later calls of journal_lines "--after-cursor=$(cursor)" see what came since.
cursor() { ct journalctl -n 1 --show-cursor -q --no-pager -o cat | sed -n 's/^-- cursor: //p'; }
# journal_has SECONDS DESCRIPTION CURSOR ERE: waits until a line since CURSOR matches ERE
# (journald reads the daemon's stderr asynchronously).
journal_has() {
  local limit=$1 what=$2 since=$3 pattern=$4
  local deadline=$((SECONDS + limit))
  # (The lines go to a file first: grep -q would end the pipe early, a failure under pipefail.)
  until journal_lines "--after-cursor=$since" >"$work/journal" && grep -qE -- "$pattern" "$work/journal"; do
    if ((SECONDS >= deadline)); then
      fail "$what: no journal line matching '$pattern' within $limit s"
      journal_lines "--after-cursor=$since" | tail -20 | sed 's/^/  journal: /'
      return 1
    fi
    sleep 0.2
  done
}
zzpingd_state() { echo "$(prop ActiveState)/$(prop SubState)"; }
raw_files() {  # HOST_DIR: the raw (hourly) files of a host, oldest first
  ct find "/var/lib/private/zzping/$1" -path '*/tiers' -prune -o -name '*.zzf' -size +0 -print 2>/dev/null | sort -V
}
has_raw_files() { [[ -n $(raw_files "$1") ]]; }
new_raw_files() { raw_files 127.0.0.1 | grep -vxF -f <(echo "$1"); }  # FILES_BEFORE
new_raw_file() { [[ -n $(new_raw_files "$1") ]]; }

# --- 5. Type=notify: active (running) only after READY=1 -------------------------------
# Control: without $NOTIFY_SOCKET the daemon runs but cannot send READY=1, and the unit
# stays "activating" until the start times out: only READY=1 makes it active.
# (NotifyAccess=none would not do: systemd turns it into "main" for Type=notify.)
ct mkdir -p /etc/systemd/system/zzpingd.service.d
ct_sh 'printf "[Service]\nUnsetEnvironment=NOTIFY_SOCKET\nTimeoutStartSec=3s\nRestart=no\n" >/etc/systemd/system/zzpingd.service.d/50-test-no-ready.conf'
ct systemctl daemon-reload
mark=$(cursor)
if ct systemctl start zzpingd.service 2>/dev/null; then
  fail "control: zzpingd.service became active without \$NOTIFY_SOCKET (no READY=1)"
else
  result=$(prop Result)
  journal_lines "--after-cursor=$mark" >"$work/control.journal"
  if [[ $result == timeout ]] && grep -qP '^\d\tzzpingd\thost 127\.0\.0\.1: ' "$work/control.journal"; then
    ok "control: without READY=1 the daemon ran ('$(grep -P '^\d\tzzpingd\t' "$work/control.journal" | head -1 | cut -f3)') but the start timed out (Result=$result)"
  else
    cat "$work/control.journal"
    fail "control: the start without READY=1 failed with Result=$result, not a timeout of a running daemon"
  fi
fi
ct rm /etc/systemd/system/zzpingd.service.d/50-test-no-ready.conf
ct systemctl daemon-reload
ct systemctl reset-failed zzpingd.service

# The control's daemon wrote files too: this run's files are the ones not listed here.
files_of_control=$(raw_files 127.0.0.1)
mark=$(cursor)
start_ms=$(now_ms)
ct systemctl enable --now zzpingd.service >/dev/null 2>&1 || {
  ct systemctl status zzpingd.service --no-pager; fatal "systemctl enable --now zzpingd"; }
start_took=$(($(now_ms) - start_ms))
[[ $(zzpingd_state) == active/running ]] || fail "after start: $(zzpingd_state), not active/running"
[[ $(prop Type) == notify ]] || fail "Type=$(prop Type)"
[[ $(prop ActiveEnterTimestampMonotonic) -gt $(prop ExecMainStartTimestampMonotonic) ]] ||
  fail "active before the main process started"
ok "systemctl enable --now zzpingd: active (running) in $start_took ms (systemctl start returns on READY=1)"
figure "start to READY (systemctl enable --now): $start_took ms"
# (Captured, not piped into grep -q: an early exit of grep would fail the pipe.)
status_has_line() { [[ $(ct systemctl status zzpingd.service --no-pager -n 0) == *'Status: "2 hosts, 20 probes/s"'* ]]; }
if wait_for 10 "systemctl status shows STATUS=" status_has_line; then
  ok "systemctl status: $(ct systemctl status zzpingd.service --no-pager -n 0 | grep -E 'Active:|Status:' | sed 's/^ *//' | tr '\n' ' ')"
else
  ct systemctl status zzpingd.service --no-pager
fi
journal_has 10 "the daemon's log lines in the journal" "$mark" $'^6\tzzpingd\thost ::1: 10 probes/s$' &&
  ok "journal: the daemon's lines, e.g. '$(journal_lines "--after-cursor=$mark" | grep -P '^\d\tzzpingd\t' | head -1)'"

# --- 6. frames under /var/lib/zzping, read inside the container ------------------------
[[ $(ct readlink /var/lib/zzping) == private/zzping ]] ||
  fail "/var/lib/zzping is not the DynamicUser link to private/zzping: '$(ct readlink /var/lib/zzping)'"
[[ $(ct stat -c %a /var/lib/private) == 700 ]] || fail "/var/lib/private is not 0700"
wait_for 15 "frames of 127.0.0.1 under /var/lib/zzping" has_raw_files 127.0.0.1
# ::1 is stored under its escaped name; the one other folder is it.
v6_dir=$(ct ls /var/lib/private/zzping | grep -v '^127\.0\.0\.1$' | head -1)
[[ -n $v6_dir ]] && wait_for 15 "frames of ::1 under /var/lib/zzping" has_raw_files "$v6_dir"
# DynamicUser: a UID from systemd's dynamic range 61184-65519, the unit's user while it runs.
owner=$(ct stat -c %u "$(raw_files 127.0.0.1 | head -1)")
if ((owner >= 61184 && owner <= 65519)); then ok "files owned by the dynamic user, UID $owner"
else fail "the files belong to UID '$owner', not a dynamic user (61184-65519)"; fi
ok "files: $(ct find /var/lib/zzping/ -name '*.zzf' | sort | tr '\n' ' ')"
dump_frames() {  # FILE...: zzping-dump's jsonl frames
  ct zzping-dump --format jsonl "$@" 2>/dev/null | grep '"t_ms"'
}
frames=$(dump_frames $(raw_files 127.0.0.1))
answered=$(grep -c '"recv":[1-9]' <<<"$frames")
if [[ $answered -gt 0 ]]; then ok "zzping-dump in the container: $(wc -l <<<"$frames") frames of 127.0.0.1, $answered with replies"
else fail "zzping-dump: no frame of 127.0.0.1 with replies: $(head -3 <<<"$frames")"; fi
ct zzping-dump --info $(raw_files 127.0.0.1) | sed 's/^/  /' | head -8
tail_out=$(ct timeout 20 zzping-tail --connect 127.0.0.1:7878 --count 5 --format jsonl 2>&1)
if [[ $(grep -c '"t_ms"' <<<"$tail_out") -eq 5 ]]; then ok "zzping-tail --connect 127.0.0.1:7878: 5 live frames"
else fail "zzping-tail: $tail_out"; fi

# --- 7. systemctl reload: a target added, no gap in the unchanged one ------------------
pid=$(prop MainPID)
ct cp /etc/zzping/zzpingd.toml /root/zzpingd.toml.orig
ct_sh 'printf "\n[[target]]\nhost = \"127.0.0.2\"\nrate = 10\n" >>/etc/zzping/zzpingd.toml'
mark=$(cursor)
reload_ms=$(now_ms)
ct systemctl reload zzpingd.service || fail "systemctl reload zzpingd"
journal_has 10 "reload logged" "$mark" $'^6\tzzpingd\treload: 3 hosts \\(\\+1 -0 =2\\)'
[[ $(prop MainPID) == "$pid" ]] || fail "reload changed the main PID ($pid -> $(prop MainPID))"
wait_for 15 "frames of the added 127.0.0.2" has_raw_files 127.0.0.2 &&
  ok "reload: 127.0.0.2 added, $(dump_frames $(raw_files 127.0.0.2) | grep -c '"recv":[1-9]') frames with replies, same PID $pid"
status_three() { [[ $(ct systemctl status zzpingd.service --no-pager -n 0) == *'Status: "3 hosts, 30 probes/s"'* ]]; }
wait_for 10 "STATUS= after the reload" status_three
# The unchanged host: its frames, written until 3 s after the reload, are contiguous, in
# the one file this run started.
frames_after() { dump_frames $(new_raw_files "$files_of_control") | grep -o '"t_ms":[0-9]*' | cut -d: -f2 | sort -n | tail -1 |
                 awk -v t="$1" '$1 > t { found = 1 } END { exit !found }'; }
wait_for 15 "frames of 127.0.0.1 until 3 s after the reload" frames_after $((reload_ms + 3000))
run_files=$(new_raw_files "$files_of_control")
# One file per UTC hour: the reload started no numbered file (T10Z.1.zzf) of its own.
[[ -z $(sed -E 's/(T[0-9]{2}Z)(\.[0-9]+)?\.zzf$/\1/' <<<"$run_files" | sort | uniq -d) ]] ||
  fail "the reload started a new numbered file for the unchanged 127.0.0.1: $run_files"
[[ $(prop NRestarts) == 0 ]] || fail "NRestarts=$(prop NRestarts) before the watchdog check"
# Contiguous: every 100 ms interval's probe was sent, none lost, no duplicate frame. A frame
# may be missing only when its probe went out late, in the next frame (docs/daemon.md:
# frames without a probe are not emitted; a loop delayed by CPU contention does that):
# the probes sent then still add up to one per interval.
dump_frames $run_files >"$work/reload.jsonl"
if verdict=$(python3 - "$work/reload.jsonl" "$reload_ms" <<'PYTHON'
import json, sys
frames = sorted((json.loads(line) for line in open(sys.argv[1])), key=lambda f: f["t_ms"])
reload_ms = int(sys.argv[2])
times = [f["t_ms"] for f in frames]
first, last = times[0], times[-1]
intervals = (last - first) // 100 + 1
sent = sum(f["sent"] for f in frames)
lost = sum(f["lost"] for f in frames)
duplicates = len(times) - len(set(times))
steps = [b - a for a, b in zip(times, times[1:])]
empty = intervals - len(set(times))
summary = ("%d frames over %d intervals of 100 ms, from %d ms to +%d ms around the reload: "
           "%d probes sent, %d lost, %d intervals without a frame (probe sent late, in the next), "
           "longest step %d ms" % (len(frames), intervals, first - reload_ms, last - reload_ms,
                                   sent, lost, empty, max(steps)))
good = (duplicates == 0 and sent == intervals and lost == 0 and max(steps) <= 300
        and first < reload_ms - 1000 and last > reload_ms + 3000)
print(summary if good else summary + "; steps over 100 ms at: " + ", ".join(
    "%+d ms" % (b - reload_ms) for a, b in zip(times, times[1:]) if b - a != 100))
sys.exit(0 if good else 1)
PYTHON
); then
  ok "no gap in 127.0.0.1 across the reload: $verdict; in $(basename -a $run_files | tr '\n' ' ')"
  figure "reload: $verdict"
else
  fail "127.0.0.1 across the reload: $verdict"
fi

# --- 8. the watchdog kills a stuck loop, Restart= brings it back -----------------------
# A drop-in shortens WatchdogSec from the unit's 20 s to keep the test fast.
ct_sh "printf '[Service]\nWatchdogSec=${watchdog_s}s\n' >/etc/systemd/system/zzpingd.service.d/50-test-watchdog.conf"
ct systemctl daemon-reload
ct systemctl restart zzpingd.service || fatal "systemctl restart zzpingd with WatchdogSec=${watchdog_s}s"
[[ $(prop WatchdogUSec) == "${watchdog_s}s" ]] || fail "WatchdogUSec=$(prop WatchdogUSec) after the drop-in"
newest_raw() { raw_files 127.0.0.1 | tail -1; }
files_before_restart=$(raw_files 127.0.0.1)
wait_for 15 "the restarted daemon's new file" new_raw_file "$files_before_restart"
pid=$(prop MainPID)
restarts=$(prop NRestarts)
mark=$(cursor)
# (bash's kill: a minimal container has no /bin/kill)
ct_sh "kill -STOP $pid" || fatal "kill -STOP $pid"
stopped_ms=$(now_ms)
[[ $(ct cut -d' ' -f3 "/proc/$pid/stat") == T ]] || fail "the main PID $pid is not stopped"
# The stopped process writes nothing: these hashes are the files as the killed run left them.
hashes() { ct_sh 'cd /var/lib/private/zzping && find . -name "*.zzf" -type f -print0 | sort -z | xargs -0 sha256sum'; }
hashes >"$work/sha256.before"
files_before_kill=$(raw_files 127.0.0.1)
restarted() { local now; now=$(prop MainPID); [[ $now != 0 && $now != "$pid" && $(zzpingd_state) == active/running ]]; }
if wait_for $((watchdog_s + 30)) "restart after the watchdog" restarted; then
  back_ms=$(($(now_ms) - stopped_ms))
  ok "watchdog: PID $pid stopped, PID $(prop MainPID) active (running) $back_ms ms later (WatchdogSec=${watchdog_s}s, RestartSec=2s)"
  figure "watchdog: kill -STOP to active again: $back_ms ms (WatchdogSec=${watchdog_s}s + RestartSec=2s)"
fi
[[ $(prop NRestarts) -eq $((restarts + 1)) ]] || fail "NRestarts $restarts -> $(prop NRestarts), not one more"
journal_has 10 "systemd's watchdog message" "$mark" $'\tsystemd\tzzpingd.service: Watchdog timeout .limit '"${watchdog_s}s.!" &&
  ok "journal: $(journal_lines "--after-cursor=$mark" | grep -E 'Watchdog timeout|Main process exited|Failed with result|Scheduled restart' | cut -f3 | tr '\n' ' ')"
journal_has 10 "systemd's watchdog result" "$mark" "zzpingd.service: Failed with result 'watchdog'"
wait_for 15 "the new run's new numbered file" new_raw_file "$files_before_kill" &&
  ok "the new run writes $(new_raw_files "$files_before_kill" | tr '\n' ' ')"
if check=$(ct_sh "cd /var/lib/private/zzping && sha256sum -c --quiet" <"$work/sha256.before" 2>&1); then
  ok "the $(wc -l <"$work/sha256.before") files written before the kill are byte-identical (sha256)"
else
  fail "files changed after the watchdog restart: $check"
fi
ct rm /etc/systemd/system/zzpingd.service.d/50-test-watchdog.conf
ct systemctl daemon-reload

# --- 9. the sandbox --------------------------------------------------------------------
# A data_dir outside the StateDirectory: ProtectSystem=strict makes it read-only. The
# daemon treats it as a disk error (docs/daemon.md): it keeps pinging and streaming, logs
# the refusal as an error and retries. realtime_priority: RestrictRealtime= refuses it.
ct_sh 'sed -e "s#^data_dir = .*#data_dir = \"/srv/zzping-escape\"#" -e "s/^# realtime_priority = 0.*/realtime_priority = 10/" \
  /root/zzpingd.toml.orig >/etc/zzping/zzpingd.toml'
ct grep -q '^realtime_priority = 10' /etc/zzping/zzpingd.toml || fail "the test could not set realtime_priority"
mark=$(cursor)
ct systemctl restart zzpingd.service || fail "restart with data_dir = /srv/zzping-escape"
journal_has 15 "the refused data_dir logged" "$mark" $'^3\tzzpingd\t.*/srv/zzping-escape.*Read-only file system' &&
  ok "data_dir outside the state directory: '$(journal_lines "--after-cursor=$mark" | grep -m1 'zzping-escape' | cut -f3)' (PRIORITY 3)"
ct test -e /srv/zzping-escape && fail "/srv/zzping-escape was created"
# Documented (docs/daemon.md, disk errors): the service stays up and keeps pinging.
sandbox_state=$(zzpingd_state)
if [[ $sandbox_state == active/running ]]; then ok "with the refused data_dir the service stays active (running), pinging, main PID $(prop MainPID)"
else fail "with the refused data_dir the service is $sandbox_state, not active/running"; fi
journal_has 10 "realtime_priority refused" "$mark" $'^4\tzzpingd\trealtime_priority = 10: SCHED_FIFO refused' &&
  ok "realtime_priority refused: PRIORITY 4 (warning)"
journal_has 10 "info line" "$mark" $'^6\tzzpingd\thost 127\\.0\\.0\\.1: 10 probes/s$' && ok "info lines: PRIORITY 6"
# Every line of the daemon carries a priority of its own, not journald's default 6 only.
priorities=$(journal_lines | awk -F'\t' '$2 == "zzpingd" { print $1 }' | sort | uniq -c | tr -s ' ' | tr '\n' ';')
figure "daemon journal priorities (count priority): $priorities"
journal_lines | awk -F'\t' '$2 == "zzpingd" && $3 ~ /^\[/ { found = 1 } END { exit !found }' &&
  fail "journal lines start with spdlog's '[...]' prefix: $(journal_lines | awk -F'\t' '$2 == "zzpingd" && $3 ~ /^\[/' | head -1)"
ct cp /root/zzpingd.toml.orig /etc/zzping/zzpingd.toml
files_before_restart=$(raw_files 127.0.0.1)
ct systemctl restart zzpingd.service || fail "restart with the packaged configuration"
wait_for 15 "writing to /var/lib/zzping again" new_raw_file "$files_before_restart"

security=$(ct systemd-analyze security --no-pager zzpingd.service 2>&1)
score=$(sed -n 's/.*Overall exposure level for zzpingd.service: \([0-9.]*\).*/\1/p' <<<"$security")
if [[ -n $score ]] && awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
  ok "systemd-analyze security zzpingd.service in the container: $score"
  figure "systemd-analyze security (online, booted container): $score"
else
  echo "$security"
  fail "systemd-analyze security zzpingd.service: '$score', not <= 2.0"
fi
grep '✗' <<<"$security" | sed 's/^/  /'

# --- 10. systemctl stop: exit 0 within TimeoutStopSec ----------------------------------
mark=$(cursor)
stop_ms=$(now_ms)
ct systemctl stop zzpingd.service || fail "systemctl stop zzpingd"
stop_took=$(($(now_ms) - stop_ms))
timeout_stop_us=$(prop TimeoutStopUSec)
main_code=$(prop ExecMainCode)
main_status=$(prop ExecMainStatus)
if [[ $(prop ActiveState) == inactive && $(prop Result) == success && $main_code == 1 && $main_status == 0 ]]; then
  ok "systemctl stop: exited with status 0 in $stop_took ms (TimeoutStopSec $timeout_stop_us)"
  figure "systemctl stop: $stop_took ms, exit status 0"
else
  fail "after stop: $(zzpingd_state), Result=$(prop Result), ExecMainCode=$main_code ExecMainStatus=$main_status"
fi
((stop_took < 70000)) || fail "the stop took $stop_took ms, more than TimeoutStopSec=70s"
journal_has 10 "systemd's stop message" "$mark" $'\tsystemd\tzzpingd.service: Deactivated successfully'

# --- 11. the maintainer scripts under systemd: upgrade, remove, purge ----------------------
# Upgrade (the same .deb again: postinst configure with the old version): a running service
# moves to the new binary (a new main PID), a stopped one would stay stopped.
ct systemctl start zzpingd.service || fail "systemctl start zzpingd (before the upgrade)"
pid_before=$(prop MainPID)
if ct_sh 'dpkg -i /root/zzping_*.deb' >"$work/upgrade.log" 2>&1; then
  pid_after=$(prop MainPID)
  if [[ $(zzpingd_state) == active/running && $pid_after != "$pid_before" && $pid_after != 0 ]]; then
    ok "upgrade (dpkg -i again): restarted, main PID $pid_before -> $pid_after, $(zzpingd_state)"
  else
    fail "upgrade: $(zzpingd_state), main PID $pid_before -> $pid_after (postinst should try-restart a running service)"
  fi
else
  cat "$work/upgrade.log"
  fail "dpkg -i over the installed package"
fi
# Remove: the service stops before its binary goes; the admin's "enabled" stays for a reinstall
# and its data stays; purge forgets both.
if ct_sh 'dpkg -r zzping' >"$work/remove.log" 2>&1; then
  if [[ $(ct systemctl is-active zzpingd.service) != active ]] && ! ct test -e /usr/bin/zzpingd &&
     ct test -d /var/lib/private/zzping; then
    ok "dpkg -r zzping: the service stopped ($(ct systemctl is-active zzpingd.service)), binary gone, data kept"
  else
    fail "after dpkg -r: is-active $(ct systemctl is-active zzpingd.service), binary $(ct test -e /usr/bin/zzpingd && echo present || echo gone), data $(ct test -d /var/lib/private/zzping && echo kept || echo gone)"
  fi
else
  cat "$work/remove.log"
  fail "dpkg -r zzping"
fi
if ct_sh 'dpkg -P zzping' >"$work/purge.log" 2>&1; then
  leftovers=$(ct sh -c 'ls -d /var/lib/private/zzping /var/lib/zzping /etc/zzping /etc/systemd/system/multi-user.target.wants/zzpingd.service 2>/dev/null')
  if [[ -z $leftovers ]]; then ok "dpkg -P zzping: data, configuration and the enable link gone"
  else fail "after dpkg -P: still there: $(tr '\n' ' ' <<<"$leftovers")"; fi
else
  cat "$work/purge.log"
  fail "dpkg -P zzping"
fi
# The scripts' warnings and errors (none expected: deb-systemd-invoke and systemctl run quietly).
grep -iE 'warning|error|fail' "$work/upgrade.log" "$work/remove.log" "$work/purge.log" | sed 's/^/  note: /'

echo "figures:"
printf '  %s\n' "${figures[@]}"
[[ $failures -eq 0 ]] || { echo "$failures check(s) failed"; exit 1; }
echo "PASS [$((SECONDS - started)) s]"
