#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command and measures its CPU two ways (bench helper for daemon_vs_fping.sh and
# daemon_ab.sh):
#   - the whole run: user + system time of the command and everything it waited for
#     (wait4 rusage, µs), start-up and shutdown included;
#   - the steady state: CPU of the innermost process of the command (the pinger under
#     `ip netns exec` / `timeout` / `/usr/bin/time`), all its threads, between T0 and T1
#     seconds after the start (/proc/PID/task/*/schedstat, ns), with the wall clock of
#     both samples, so the caller can count the probes sent in that window.
# A daemon pays its start (dynamic linking, page faults, creating its files) and its stop
# (final records, fdatasync of every file) once; over a 20 s run that is about a tenth of
# its CPU, over a day nothing. The window shows what each probe costs once running.
# Usage: cpu_window.py OUT T0 T1 CMD...   -> OUT: "user_s sys_s window_cpu_s w0 w1"
import os
import sys
import time


def children_map():
    kids = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def leaf_of(pid):
    kids = children_map()
    while kids.get(pid):
        pid = max(kids[pid])  # the newest child: the chain has one child per level
    return pid


def task_cpu_ns(pid):
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
            total += int(f.read().split()[0])
    return total


def sample(root):
    try:
        leaf = leaf_of(root)
        return leaf, task_cpu_ns(leaf), time.time()
    except OSError:
        return None, 0, time.time()


def main():
    out, t0, t1, cmd = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]
    start = time.monotonic()
    pid = os.posix_spawnp(cmd[0], cmd, dict(os.environ))
    samples = []
    usage = None
    for when in (t0, t1):
        # Sleeps until `when`, unless the command ends first (no window then).
        while usage is None and time.monotonic() < start + when:
            done, _, ended_usage = os.wait4(pid, os.WNOHANG)
            if done == pid:
                usage = ended_usage
            else:
                time.sleep(min(0.05, max(0.0, start + when - time.monotonic())))
        if usage is not None:
            break
        samples.append(sample(pid))
    if usage is None:
        _, _, usage = os.wait4(pid, 0)
    first = samples[0] if samples else (None, 0, 0.0)
    last = samples[1] if len(samples) > 1 else (None, 0, 0.0)
    window = -1.0
    if first[0] is not None and last[0] == first[0]:
        window = (last[1] - first[1]) / 1e9
    with open(out, "w") as f:
        f.write(f"{usage.ru_utime:.6f} {usage.ru_stime:.6f} {window:.6f} {first[2]:.6f} {last[2]:.6f}\n")


if __name__ == "__main__":
    main()
