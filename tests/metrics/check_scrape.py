#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Parses a zzpingd /metrics scrape with python3-prometheus-client and prints a summary.

Usage: check_scrape.py openmetrics|prometheus FILE
Exits non-zero (with the parser's error) if the text does not parse or a histogram is not
cumulative. Prints JSON: per-target counters and RTT histogram counts, daemon figures.
"""
import json
import math
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics
from prometheus_client.parser import text_string_to_metric_families as parse_prometheus

COUNTERS = ["zzping_probes_sent", "zzping_replies_received", "zzping_probes_lost",
            "zzping_replies_duplicate", "zzping_replies_late", "zzping_icmp_errors"]


def main():
    kind, path = sys.argv[1], sys.argv[2]
    text = open(path, encoding="utf-8").read()
    parse = parse_openmetrics if kind == "openmetrics" else parse_prometheus
    families = {family.name: family for family in parse(text)}
    summary = {"families": sorted(families), "targets": {}, "daemon": {}}
    for name in COUNTERS:
        for sample in families[name].samples:
            if sample.name == name + "_total":
                target = summary["targets"].setdefault(sample.labels["target"], {})
                target[name] = sample.value
    for sample in families["zzping_rtt_seconds"].samples:
        target = summary["targets"][sample.labels["target"]]
        if sample.name == "zzping_rtt_seconds_count":
            target["rtt_count"] = sample.value
        elif sample.name == "zzping_rtt_seconds_sum":
            target["rtt_sum"] = sample.value
        elif sample.name == "zzping_rtt_seconds_bucket":
            buckets = target.setdefault("rtt_buckets", [])
            buckets.append([float(sample.labels["le"]), sample.value])
    for target in summary["targets"].values():
        buckets = target.get("rtt_buckets", [])
        for (le_a, n_a), (le_b, n_b) in zip(buckets, buckets[1:]):
            if not (le_a < le_b and n_a <= n_b):
                sys.exit(f"histogram not cumulative: {buckets}")
        if not buckets or not math.isinf(buckets[-1][0]) or buckets[-1][1] != target["rtt_count"]:
            sys.exit(f"+Inf bucket missing or != _count: {buckets}")
    for name in ["process_cpu_seconds", "process_resident_memory_bytes", "process_start_time_seconds",
                 "zzping_stream_clients"]:
        samples = families[name].samples
        summary["daemon"][name] = samples[0].value if samples else None
    summary["daemon"]["send_errors"] = [s.value for s in families["zzping_send_schedule_error_seconds"].samples
                                        if s.name.endswith("_count")][0]
    build = "zzping_build" if kind == "openmetrics" else "zzping_build_info"
    summary["daemon"]["version"] = families[build].samples[0].labels["version"]
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
