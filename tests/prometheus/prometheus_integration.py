#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shipped rules and dashboard against the real thing (CTest prometheus.integration).

Two throw-away network namespaces joined by a veth pair: in the pinger namespace a real
zzpingd (this build) pings zzping-responder (in the responder namespace) and the namespace's
own 127.0.0.1 (a healthy control target), and serves /metrics on 127.0.0.1; Debian's
Prometheus runs in the same namespace on 127.0.0.1, scrapes every second and evaluates the
shipped rules every second. So nothing leaves the namespaces; this script joins the
pinger namespace (setns) to talk to both.

The responder first holds every reply 2 ms; then it is restarted holding 20 ms (a latency
step) with an outage of OUTAGE_S seconds starting STEP_TO_OUTAGE_S after the step. Asserted
through Prometheus's HTTP API:
- the raw counters Prometheus stored equal the sums of zzpingd's own frames (zzping-dump
  --format jsonl of its data dir) at a frame boundary, for every sample looked at;
- zzping:loss_ratio:rate1m equals the loss counted in the files over the same window:
  exactly (1e-6) what rate() gives on the files' counts at the scrape times; within one
  scrape over the window of the frames between the window's first and last scrape (rate()
  extrapolates to the edges, but never a counter below zero); and within the files' loss
  over the wall-clock minute before it with each edge moved by up to one scrape;
- histogram_quantile p50 (ad hoc over 20 s and the recorded p50 over 1 m) is within the
  width of the bucket holding the held time, before (2 ms) and after (20 ms) the step;
- ZzpingTargetDown and ZzpingPacketLoss go pending, then firing, then resolve, at the times
  the outage implies; nothing fires for the control target;
- every PromQL expression of the Grafana dashboard parses and returns data (queries on the
  pending jitter metrics must parse; they return nothing until zzpingd exports them).
The rules are the shipped ones except for `for:`, which a test copy sets to 5 s (the shipped
1-10 minutes would make this test last half an hour); windows and thresholds are unchanged.

Usage (root): prometheus_integration.py --zzpingd PATH --responder PATH --dump PATH
                                        --rules FILE --dashboard FILE [--keep]
Exit 0 pass, 1 fail. Prerequisites are checked by prometheus_integration.sh. The temporary
folder is kept on failure (or with --keep); `--replay FOLDER` runs the checks again on it
(Prometheus on its TSDB, 127.0.0.1, no scrapes, no namespaces) without the 4 minutes.
"""
import argparse
import ctypes
import glob
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import dashboard_queries

FRAME_MS = 100
TIMEOUT_MS = 500
LAG_S = (FRAME_MS + TIMEOUT_MS) / 1000  # a probe is counted once its frame is final
SCRAPE_S = 1.0
TEST_FOR = "5s"
RESPONDER_RATE = 50
CONTROL_RATE = 10
FIRST_HOLD_MS = 2.0
SECOND_HOLD_MS = 20.0
FIRST_PHASE_S = 30
STEP_TO_OUTAGE_S = 30
OUTAGE_S = 80
CLONE_NEWNET = 0x40000000

libc = ctypes.CDLL(None, use_errno=True)
failures = []


def log(*args):
    print(time.strftime("%H:%M:%S"), *args, flush=True)


def check(condition, message):
    if condition:
        log("ok:", message)
    else:
        log("FAIL:", message)
        failures.append(message)
    return condition


def run(argv, **kwargs):
    return subprocess.run(argv, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)


def setns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns {path}")
    finally:
        os.close(fd)


class Namespaces:
    """zzt<pid>n0p (pinger) and zzt<pid>n0r (responder), named like tests/netns so that a
    later test removes them if this process dies without cleaning up."""

    def __init__(self):
        self.pinger = f"zzt{os.getpid()}n0p"
        self.responder = f"zzt{os.getpid()}n0r"
        a = 100 + os.getpid() % 100
        self.pinger_v4 = f"10.{a}.200.1"
        self.responder_v4 = f"10.{a}.200.2"
        self.created = []

    def remove_stale(self):
        for path in glob.glob("/run/netns/zzt*"):
            name = os.path.basename(path)
            digits = re.match(r"zzt(\d+)", name)
            if not digits:
                continue
            try:
                os.kill(int(digits.group(1)), 0)
            except ProcessLookupError:
                subprocess.run(["ip", "netns", "del", name], stderr=subprocess.DEVNULL)
            except PermissionError:
                pass

    def create(self):
        self.remove_stale()
        p, r = self.pinger, self.responder
        for ns in (p, r):
            run(["ip", "netns", "add", ns])
            self.created.append(ns)
        veth_p, veth_r = f"zzv{os.getpid() % 100000}pP", f"zzv{os.getpid() % 100000}pR"
        for argv in (["ip", "-n", p, "link", "add", veth_p, "type", "veth", "peer", "name", veth_r, "netns", r],
                     ["ip", "-n", p, "addr", "add", self.pinger_v4 + "/24", "dev", veth_p],
                     ["ip", "-n", r, "addr", "add", self.responder_v4 + "/24", "dev", veth_r],
                     ["ip", "-n", p, "link", "set", veth_p, "up"], ["ip", "-n", r, "link", "set", veth_r, "up"],
                     ["ip", "-n", p, "link", "set", "lo", "up"], ["ip", "-n", r, "link", "set", "lo", "up"]):
            run(argv)

    def delete(self):
        for ns in self.created:
            subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
        self.created = []


def icmp_checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum((data[i] << 8) + data[i + 1] for i in range(0, len(data), 2))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def echo_until_answered(address, timeout_s):
    """One kernel-answered ICMP echo from the current namespace (fills the neighbour cache)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    sock.settimeout(0.1)
    ident = os.getpid() & 0xFFFF
    deadline = time.monotonic() + timeout_s
    seq = 0
    try:
        while time.monotonic() < deadline:
            seq += 1
            header = bytes([8, 0, 0, 0]) + ident.to_bytes(2, "big") + seq.to_bytes(2, "big")
            payload = b"zzreach!"
            checksum = icmp_checksum(header + payload)
            packet = header[:2] + checksum.to_bytes(2, "big") + header[4:] + payload
            sock.sendto(packet, (address, 0))
            try:
                reply = sock.recv(1500)
            except socket.timeout:
                continue
            icmp = reply[(reply[0] & 0x0F) * 4:]
            if icmp[0] == 0 and int.from_bytes(icmp[4:6], "big") == ident:
                return True
        return False
    finally:
        sock.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Processes:
    def __init__(self):
        self.running = {}

    def start(self, name, argv, output):
        # PR_SET_PDEATHSIG: SIGTERM to the child if this test dies without cleaning up
        # (SIGKILL, CTest's timeout), so no Prometheus or zzpingd is left running.
        self.running[name] = subprocess.Popen(argv, stdout=open(output, "wb"), stderr=subprocess.STDOUT,
                                              preexec_fn=lambda: libc.prctl(1, signal.SIGTERM))
        return self.running[name]

    def stop(self, name, sig=signal.SIGTERM, timeout=10):
        process = self.running.pop(name, None)
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return process.returncode

    def stop_all(self):
        for name in list(self.running):
            self.stop(name, timeout=5)


def wait_for_text(path, text, timeout_s):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if os.path.exists(path) and text in open(path, encoding="utf-8", errors="replace").read():
            return True
        time.sleep(0.05)
    return False


class PrometheusApi:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"

    def get(self, path, **params):
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body = json.load(response)
        except urllib.error.HTTPError as error:
            body = json.load(error)
        return body

    def query(self, promql, at=None):
        params = {"query": promql}
        if at is not None:
            params["time"] = f"{at:.3f}"
        body = self.get("/api/v1/query", **params)
        if body.get("status") != "success":
            raise RuntimeError(f"query {promql!r}: {body.get('errorType')}: {body.get('error')}")
        return body["data"]

    def query_range(self, promql, start, end, step):
        body = self.get("/api/v1/query_range", query=promql, start=f"{start:.3f}", end=f"{end:.3f}", step=step)
        if body.get("status") != "success":
            raise RuntimeError(f"query_range {promql!r}: {body.get('errorType')}: {body.get('error')}")
        return body["data"]

    def ready(self):
        try:
            with urllib.request.urlopen(self.base + "/-/ready", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, socket.timeout):
            return False


def samples(data):
    """[(timestamp, value)] of the one series of a range-vector result (empty if none)."""
    if not data["result"]:
        return []
    assert len(data["result"]) == 1, data["result"]
    return [(float(t), float(v)) for t, v in data["result"][0]["values"]]


def read_frames(dump, data_dir, host):
    files = [f for f in glob.glob(os.path.join(data_dir, host, "*", "*.zzf")) if "/tiers/" not in f]
    output = run([dump, "--format", "jsonl", *sorted(files)]).stdout
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    frames = [line for line in lines if "event" not in line]  # not the loss burst events
    frames.sort(key=lambda f: f["t_ms"])
    return frames


class FileCounts:
    """Cumulative sent/lost over one target's frames, in frame order."""

    def __init__(self, frames):
        self.frames = frames
        self.cum = [(0, 0)]
        for f in frames:
            sent, lost = self.cum[-1]
            self.cum.append((sent + f["sent"], lost + f["lost"]))
        self.index = {}
        for k, pair in enumerate(self.cum):
            self.index.setdefault(pair, k)

    def boundary(self, sent, lost):
        """k such that the first k frames hold exactly `sent` and `lost` (None if none)."""
        return self.index.get((round(sent), round(lost)))

    def window_ratio(self, start_s, end_s):
        sent = lost = 0
        for f in self.frames:
            if start_s * 1000 <= f["t_ms"] < end_s * 1000:
                sent += f["sent"]
                lost += f["lost"]
        return lost / sent if sent else math.nan


def prometheus_rate(points, eval_s, range_s):
    """rate() of a counter as Prometheus 2.42 computes it (promql extrapolatedRate): the
    increase between the first and last sample, extrapolated towards the window's edges
    (never below zero), per second. `points`: [(t_s, value)], no counter reset."""
    (first_t, first_v), (last_t, last_v) = points[0], points[-1]
    range_start, range_end = eval_s - range_s, eval_s
    result = last_v - first_v
    to_start, to_end = first_t - range_start, range_end - last_t
    sampled = last_t - first_t
    average = sampled / (len(points) - 1)
    if result > 0 and first_v >= 0:
        to_start = min(to_start, sampled * (first_v / result))
    threshold = average * 1.1
    interval = sampled + (to_start if to_start < threshold else average / 2)
    interval += to_end if to_end < threshold else average / 2
    return result * (interval / sampled) / range_s


def bucket_bounds(api, target, at=None):
    data = api.query(f'zzping_rtt_seconds_bucket{{target="{target}"}}', at)
    return sorted(float(r["metric"]["le"]) for r in data["result"] if r["metric"]["le"] != "+Inf")


def bucket_width(bounds, value):
    lower = 0.0
    for upper in bounds:
        if value <= upper:
            return lower, upper
        lower = upper
    return lower, math.inf


def check_p50(api, target, hold_s, bounds, at, label, recorded_too=True):
    lower, upper = bucket_width(bounds, hold_s)
    width = upper - lower
    adhoc = api.query(f'histogram_quantile(0.5, rate(zzping_rtt_seconds_bucket{{target="{target}"}}[20s]))', at)
    value = float(adhoc["result"][0]["value"][1]) if adhoc["result"] else math.nan
    check(abs(value - hold_s) <= width,
          f"{label}: histogram_quantile p50 over 20 s = {value * 1000:.3f} ms, held {hold_s * 1000:.1f} ms, "
          f"bucket {lower * 1000:.3f}..{upper * 1000:.3f} ms (width {width * 1000:.3f} ms)")
    if not recorded_too:
        return
    recorded = api.query(f'zzping:rtt_seconds:p50_rate1m{{target="{target}"}}', at)
    value = float(recorded["result"][0]["value"][1]) if recorded["result"] else math.nan
    check(abs(value - hold_s) <= width,
          f"{label}: recorded zzping:rtt_seconds:p50_rate1m = {value * 1000:.3f} ms, held {hold_s * 1000:.1f} ms")


def alert_states(api):
    """{(alertname, target): state} of the alerts active now."""
    body = api.get("/api/v1/alerts")
    return {(a["labels"]["alertname"], a["labels"].get("target", "")): a["state"] for a in body["data"]["alerts"]}


def test_copy_of_rules(rules, path):
    text = open(rules, encoding="utf-8").read()
    # Alerts without `for:` (ZzpingUpstreamIncident fires at once) need no shortening.
    blocks = re.split(r"^\s*- alert:", text, flags=re.M)[1:]
    with_for = sum(1 for block in blocks if re.search(r"^\s*for: \S+$", block, re.M))
    copy, replaced = re.subn(r"^(\s*)for: \S+$", rf"\1for: {TEST_FOR}", text, flags=re.M)
    assert replaced == with_for, f"{replaced} for: lines for {with_for} alerts with for:"
    open(path, "w", encoding="utf-8").write(copy)


def main():
    parser = argparse.ArgumentParser()
    for name in ("zzpingd", "responder", "dump", "rules", "dashboard"):
        parser.add_argument("--" + name, required=True)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--replay", metavar="WORK", help="only the checks, on a kept folder (Prometheus on its TSDB)")
    args = parser.parse_args()
    if args.replay:
        return replay(args)

    # CTest's timeout sends SIGTERM: clean up on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    work = tempfile.mkdtemp(prefix="zzping-prometheus-")
    net = Namespaces()
    processes = Processes()
    home_ns = os.open("/proc/self/ns/net", os.O_RDONLY)
    try:
        net.create()
        setns(f"/run/netns/{net.pinger}")
        if not echo_until_answered(net.responder_v4, 5):
            raise RuntimeError("the veth pair did not become reachable")
        run(["ip", "netns", "exec", net.responder, "sysctl", "-qw", "net.ipv4.icmp_echo_ignore_all=1"])
        run_test(args, work, net, processes)
    finally:
        processes.stop_all()
        setns(f"/proc/self/fd/{home_ns}")
        net.delete()
        if failures or args.keep:
            log(f"files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if failures:
        log(f"{len(failures)} check(s) failed:")
        for failure in failures:
            log("  -", failure)
        return 1
    log("all checks passed")
    return 0


def replay(args):
    """Prometheus (no scrapes, no rules) on the TSDB of a kept run, then the checks."""
    work = args.replay
    processes = Processes()
    config = os.path.join(work, "replay.yml")
    open(config, "w").write("global:\n  scrape_interval: 1s\n")
    port = free_port()
    try:
        processes.start("prometheus", ["prometheus", "--config.file", config, "--storage.tsdb.path",
                                       os.path.join(work, "tsdb"), "--web.listen-address", f"127.0.0.1:{port}",
                                       "--log.level", "warn"], os.path.join(work, "replay.log"))
        api = PrometheusApi(port)
        deadline = time.monotonic() + 30
        while not api.ready():
            if time.monotonic() > deadline:
                raise RuntimeError("Prometheus not ready: " + open(os.path.join(work, "replay.log")).read())
            time.sleep(0.2)
        analyse(args, api, work, json.load(open(os.path.join(work, "timeline.json"))))
    finally:
        processes.stop_all()
    return 1 if failures else 0


def start_responder(args, work, net, processes, name, plan):
    out = os.path.join(work, name + ".out")
    processes.start(name, ["ip", "netns", "exec", net.responder, args.responder,
                           "--log", os.path.join(work, name + ".jsonl"), *plan], out)
    if not wait_for_text(out, "ready", 5):
        raise RuntimeError(f"{name} did not start: {open(out).read()}")


def run_test(args, work, net, processes):
    target, control = net.responder_v4, "127.0.0.1"
    rules = os.path.join(work, "rules.yml")
    test_copy_of_rules(args.rules, rules)
    data_dir = os.path.join(work, "data")

    start_responder(args, work, net, processes, "responder1", ["--delay-ms", str(FIRST_HOLD_MS)])
    daemon_log = os.path.join(work, "zzpingd.log")
    processes.start("zzpingd", [args.zzpingd, "--no-console", "--data-dir", data_dir,
                                "--target", f"{target}@{RESPONDER_RATE}", "--target", f"{control}@{CONTROL_RATE}",
                                "--frame-ms", str(FRAME_MS), "--timeout-ms", str(TIMEOUT_MS),
                                "--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0"], daemon_log)
    t0 = time.time()
    if not wait_for_text(daemon_log, "metrics: serving http://127.0.0.1:", 5):
        raise RuntimeError("zzpingd did not serve metrics: " + open(daemon_log).read())
    metrics_port = int(re.search(r"metrics: serving http://127\.0\.0\.1:(\d+)/", open(daemon_log).read()).group(1))

    prometheus_port = free_port()
    config = os.path.join(work, "prometheus.yml")
    # Only zzpingd is scraped; no Alertmanager, no remote write: Prometheus talks to nothing
    # else (and could not: this namespace has only its loopback and the veth to the responder).
    open(config, "w").write(f"""global:
  scrape_interval: {SCRAPE_S:.0f}s
  scrape_timeout: {SCRAPE_S:.0f}s
  evaluation_interval: 1s
rule_files:
  - {rules}
scrape_configs:
  - job_name: zzping
    static_configs:
      - targets: ["127.0.0.1:{metrics_port}"]
""")
    processes.start("prometheus", ["prometheus", "--config.file", config, "--storage.tsdb.path",
                                   os.path.join(work, "tsdb"), "--web.listen-address", f"127.0.0.1:{prometheus_port}",
                                   "--log.level", "warn"], os.path.join(work, "prometheus.log"))
    api = PrometheusApi(prometheus_port)
    deadline = time.monotonic() + 30
    while not api.ready():
        if time.monotonic() > deadline:
            raise RuntimeError("Prometheus not ready: " + open(os.path.join(work, "prometheus.log")).read())
        time.sleep(0.2)
    log(f"zzpingd metrics on 127.0.0.1:{metrics_port}, Prometheus on 127.0.0.1:{prometheus_port} "
        f"(namespace {net.pinger}), data in {work}")

    # Phase 1: 2 ms.
    time.sleep(max(0, t0 + FIRST_PHASE_S - time.time()))
    bounds = bucket_bounds(api, target)
    check(len(bounds) == 21, f"{len(bounds)} finite RTT buckets (100 µs .. 10 s, 4 per decade)")
    check_p50(api, target, FIRST_HOLD_MS / 1000, bounds, time.time(), "before the step")

    # Phase 2: latency step to 20 ms, then an outage. The second responder starts before the
    # first stops (both answer for a moment: duplicates, not loss), so the step has no gap.
    start_responder(args, work, net, processes, "responder2",
                    ["--delay-ms", str(SECOND_HOLD_MS), "--outage", f"{STEP_TO_OUTAGE_S * 1000}:{OUTAGE_S * 1000}"])
    processes.stop("responder1")
    t_step = time.time()
    log(f"latency step to {SECOND_HOLD_MS} ms at +{t_step - t0:.1f} s; outage of {OUTAGE_S} s in {STEP_TO_OUTAGE_S} s")
    time.sleep(max(0, t_step + STEP_TO_OUTAGE_S - 3 - time.time()))
    # (The recorded 1m p50 is not checked here: its window still holds both hold times.)
    check_p50(api, target, SECOND_HOLD_MS / 1000, bounds, time.time(), "after the step", recorded_too=False)

    # Watch the alerts until both have resolved after the outage (PacketLoss: about a
    # minute after its end, when the 1m window no longer holds 2% loss).
    seen = {}  # (alertname, target) -> [(time, state)] transitions
    outage_end_guess = t_step + STEP_TO_OUTAGE_S + OUTAGE_S
    deadline = outage_end_guess + 60 + 30
    while time.time() < deadline:
        now = time.time()
        states = alert_states(api)
        for key in set(states) | set(seen):
            state = states.get(key, "inactive")
            history = seen.setdefault(key, [])
            if not history or history[-1][1] != state:
                history.append((now, state))
                log(f"{key[0]} {key[1]}: {state} at +{now - t0:.1f} s")
        if now > outage_end_guess + 5 and not states:
            break
        time.sleep(0.5)
    t_end = time.time()
    code = processes.stop("zzpingd", signal.SIGINT)
    check(code == 0, f"zzpingd exits 0 after SIGINT (got {code})")
    processes.stop("responder2")
    timeline = {"t0": t0, "t_end": t_end, "target": target, "control": control,
                "seen": {f"{k[0]}|{k[1]}": v for k, v in seen.items()}}
    json.dump(timeline, open(os.path.join(work, "timeline.json"), "w"))
    analyse(args, api, work, timeline)


def analyse(args, api, work, timeline):
    """The checks on what the run left: zzpingd's files and Prometheus's TSDB (also
    re-runnable with --replay WORK on a kept folder)."""
    t0, t_end, target, control = timeline["t0"], timeline["t_end"], timeline["target"], timeline["control"]
    bounds = bucket_bounds(api, target, t_end - 5)
    seen = {tuple(k.split("|")): [tuple(x) for x in v] for k, v in timeline["seen"].items()}
    frames = read_frames(args.dump, os.path.join(work, "data"), target)
    counts = FileCounts(frames)
    # The outage as zzpingd's files saw it: the longest run of frames without a reply.
    best, run_start = (0, None, None), None
    for i, f in enumerate(frames):
        if f["sent"] > 0 and f["recv"] == 0:
            run_start = i if run_start is None else run_start
            if i - run_start + 1 > best[0]:
                best = (i - run_start + 1, run_start, i)
        elif f["sent"] > 0:
            run_start = None
    outage_start = frames[best[1]]["t_ms"] / 1000
    outage_end = (frames[best[2]]["t_ms"] + FRAME_MS) / 1000
    log(f"files: {len(frames)} frames of {target}, {counts.cum[-1][0]} sent, {counts.cum[-1][1]} lost; "
        f"outage {outage_start - t0:+.1f} s .. {outage_end - t0:+.1f} s ({outage_end - outage_start:.1f} s)")
    check(abs((outage_end - outage_start) - OUTAGE_S) < 1.0, f"the files show the {OUTAGE_S} s outage")

    check_alerts(seen, target, control, t0, outage_start, outage_end)
    check_alert_series(api, target, t0, t_end, outage_start, outage_end)
    check_loss(api, counts, target, t0, outage_start, outage_end, t_end)
    check_p50(api, target, SECOND_HOLD_MS / 1000, bounds, outage_end + 20, "after the outage (window without the 2 ms)")
    check_dashboard(api, args.dashboard, t0, t_end)


def check_alerts(seen, target, control, t0, outage_start, outage_end):
    for key in seen:
        check(key[1] == target, f"{key[0]} is about the responder, not the control target {control}: {key}")
    expected = {
        # Pending once a whole 1m window has no reply (probes are counted LAG_S after being
        # sent, plus a scrape and an evaluation), firing 5 s later, resolved by the first reply.
        "ZzpingTargetDown": (outage_start + 59, outage_start + 60 + LAG_S + 2 * SCRAPE_S + 3,
                             outage_end, outage_end + LAG_S + 2 * SCRAPE_S + 3),
        # Pending once the 1m window holds 2% loss (1.2 s of outage), resolved once it holds
        # less (about a minute after the end).
        "ZzpingPacketLoss": (outage_start, outage_start + 1.2 + LAG_S + 2 * SCRAPE_S + 3,
                             outage_end + 60 - 1.2 - SCRAPE_S, outage_end + 60 + LAG_S + 2 * SCRAPE_S + 3),
    }
    for alertname, (pending_min, pending_max, resolve_min, resolve_max) in expected.items():
        history = seen.get((alertname, target), [])
        states = [state for _, state in history]
        check(states == ["pending", "firing", "inactive"],
              f"{alertname}: pending, then firing, then resolved (seen {states})")
        times = {state: t for t, state in history}
        if "pending" in times:
            check(pending_min <= times["pending"] <= pending_max,
                  f"{alertname} pending at {times['pending'] - outage_start:+.1f} s from the outage start "
                  f"(expected {pending_min - outage_start:+.1f} .. {pending_max - outage_start:+.1f})")
        if "pending" in times and "firing" in times:
            held = times["firing"] - times["pending"]
            check(4.0 <= held <= 5 + 1 + 1.5, f"{alertname} firing {held:.1f} s after pending (for: {TEST_FOR})")
        if "inactive" in times:
            check(resolve_min <= times["inactive"] <= resolve_max,
                  f"{alertname} resolved at {times['inactive'] - outage_end:+.1f} s from the outage end "
                  f"(expected {resolve_min - outage_end:+.1f} .. {resolve_max - outage_end:+.1f})")


def check_alert_series(api, target, t0, t_end, outage_start, outage_end):
    """The ALERTS series Prometheus recorded, to the evaluation (1 s)."""
    for alertname in ("ZzpingTargetDown", "ZzpingPacketLoss"):
        data = api.query_range(f'ALERTS{{alertname="{alertname}", target="{target}"}}', t0, t_end, "1s")
        spans = {}
        for series in data["result"]:
            times = [float(t) for t, _ in series["values"]]
            spans[series["metric"]["alertstate"]] = (min(times), max(times))
        if check(set(spans) == {"pending", "firing"}, f"ALERTS has {alertname} pending and firing"):
            pending, firing = spans["pending"], spans["firing"]
            check(pending[1] < firing[0],
                  f"ALERTS {alertname}: pending {pending[0] - outage_start:+.0f}..{pending[1] - outage_start:+.0f} s, "
                  f"firing {firing[0] - outage_start:+.0f}..{firing[1] - outage_start:+.0f} s from the outage start "
                  f"(outage end {outage_end - outage_start:+.0f} s)")


def check_loss(api, counts, target, t0, outage_start, outage_end, t_end):
    """zzping:loss_ratio:rate1m against zzpingd's files, every 5 s where the window is full."""
    checked = 0
    worst_exact = worst_wall = worst_same = 0.0
    shown = []
    first = t0 + 65
    for at in [first + 5 * i for i in range(int((t_end - 2 - first) / 5) + 1)]:
        recorded = samples(api.query(f'zzping:loss_ratio:rate1m{{target="{target}"}}[3s]', at))
        if not recorded:
            continue
        t_rule, ratio = recorded[-1]
        sent = samples(api.query(f'zzping_probes_sent_total{{target="{target}"}}[1m]', t_rule))
        lost = samples(api.query(f'zzping_probes_lost_total{{target="{target}"}}[1m]', t_rule))
        if len(sent) < 2 or [t for t, _ in sent] != [t for t, _ in lost]:
            check(False, f"raw samples at {t_rule}: {len(sent)} sent, {len(lost)} lost, aligned")
            continue
        # Every sample Prometheus holds is exactly the sum of the first k frames of the files.
        ks = [counts.boundary(s, l) for (_, s), (_, l) in zip(sent, lost)]
        if not check(all(k is not None for k in ks),
                     f"at +{t_rule - t0:.0f} s: the {len(sent)} scraped (sent, lost) pairs are sums of whole frames"):
            continue
        for (t_scrape, _), k in zip(sent, ks):
            if k > 0:  # the newest frame counted ended at least LAG_S before the scrape
                frame_end = (counts.frames[k - 1]["t_ms"] + FRAME_MS) / 1000
                if not (t_scrape - frame_end >= TIMEOUT_MS / 1000 - 0.05 and t_scrape - frame_end <= LAG_S + 1.0):
                    check(False, f"scrape at {t_scrape:.3f}: newest frame counted ended {t_scrape - frame_end:.3f} s before")
        # The recorded value is rate() over the files' own counts at the scrape times.
        from_files = [(t, counts.cum[k]) for (t, _), k in zip(sent, ks)]
        prom_sent = prometheus_rate([(t, c[0]) for t, c in from_files], t_rule, 60)
        prom_lost = prometheus_rate([(t, c[1]) for t, c in from_files], t_rule, 60)
        same = prom_lost / prom_sent
        worst_same = max(worst_same, abs(ratio - same))
        check(abs(ratio - same) < 1e-6,  # timestamps come back as float seconds
              f"at +{t_rule - t0:.0f} s: recorded loss {ratio:.9f} == rate() over the files' counts at the scrape "
              f"times {same:.9f}")
        d_sent = sent[-1][1] - sent[0][1]
        d_lost = lost[-1][1] - lost[0][1]
        exact = d_lost / d_sent
        # rate() extrapolates both counters to the window's edges alike, except that it never
        # extrapolates a counter below zero: relative error at most one scrape / sampled span.
        sampled = sent[-1][0] - sent[0][0]
        tolerance = exact * 1.1 * SCRAPE_S / sampled + 1e-12
        worst_exact = max(worst_exact, abs(ratio - exact))
        check(abs(ratio - exact) <= tolerance,
              f"at +{t_rule - t0:.0f} s: recorded loss {ratio:.5f} == files' frames between the window's scrapes "
              f"{int(d_lost)}/{int(d_sent)} = {exact:.5f} (tolerance {tolerance:.5f})")
        # The wall-clock minute before the rule ran, moved back by the counting lag; each edge
        # may move by one scrape (plus a frame) either way.
        edge = SCRAPE_S + FRAME_MS / 1000
        start, end = t_rule - 60 - LAG_S, t_rule - LAG_S
        shifts = [edge * i / 6 for i in range(-6, 7)]
        ratios = [counts.window_ratio(start + a, end + b) for a in shifts for b in shifts]
        low, high = min(ratios), max(ratios)
        wall = counts.window_ratio(start, end)
        worst_wall = max(worst_wall, abs(ratio - wall))
        check(low - tolerance <= ratio <= high + tolerance,
              f"at +{t_rule - t0:.0f} s: recorded loss {ratio:.5f} within the files' loss over the minute "
              f"before it ({wall:.5f}; {low:.5f} .. {high:.5f} with edges moved by up to {edge:.1f} s)")
        checked += 1
        if outage_start < t_rule - 30 < outage_start + 5 or outage_end + 25 < t_rule < outage_end + 31:
            shown.append(f"+{t_rule - t0:.0f} s: recorded {ratio:.4f}, files {exact:.4f} / {wall:.4f}")
    check(checked >= 20, f"{checked} loss ratios compared (max |recorded - rate() over the files' counts| = "
                         f"{worst_same:.2g}, max |recorded - frames between scrapes| = {worst_exact:.5f}, "
                         f"max |recorded - wall-clock minute| = {worst_wall:.5f})")
    for line in shown:
        log("   ", line)


def check_dashboard(api, dashboard_path, t0, t_end):
    dashboard = dashboard_queries.load(dashboard_path)
    exported = {r["metric"]["__name__"] for r in api.query('{__name__=~"zzping_.*|process_.*"}', t_end - 5)["result"]}
    exported |= {n[:-len("_bucket")] + s for n in list(exported) if n.endswith("_bucket") for s in ("_count", "_sum")}
    pending_now = set(dashboard_queries.PENDING_METRICS) - exported
    for name in sorted(set(dashboard_queries.PENDING_METRICS) & exported):
        log(f"note: {name} is exported now: its queries are checked for data (PENDING_METRICS can lose it)")
    queries = dashboard_queries.expressions(dashboard, rate_interval="10s")
    for where, promql, instant in queries:
        names = dashboard_queries.metric_names(promql)
        try:
            if instant:
                result = api.query(promql, t_end - 5)["result"]
                values = [float(r["value"][1]) for r in result]
            else:
                result = api.query_range(promql, t0, t_end, "5s")["result"]
                values = [float(v) for r in result for _, v in r["values"]]
        except RuntimeError as error:
            check(False, f"dashboard {where}: {error}")
            continue
        has_data = any(math.isfinite(v) for v in values)
        pending = names & pending_now
        if pending:
            check(not result, f"dashboard {where}: parses; no data until zzpingd exports {sorted(pending)}")
        else:
            check(has_data, f"dashboard {where}: {len(result)} series, {len(values)} values")


if __name__ == "__main__":
    sys.exit(main())
