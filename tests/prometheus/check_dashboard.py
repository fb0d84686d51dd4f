#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Static checks of the shipped Grafana dashboard (no Prometheus needed; the integration
test evaluates every query against a real one).

Usage: check_dashboard.py DASHBOARD_JSON METRICS_MD RULES_YML
- the JSON parses, panel ids are unique, every panel has a datasource and a title;
- every query is one the tests can evaluate (known Grafana variables only);
- every metric it selects is exported by zzpingd (a name in docs/metrics.md), recorded by
  the shipped rules, ALERTS, or one of the pending metrics named in dashboard_queries.py.
"""
import re
import sys

import dashboard_queries


def main():
    dashboard_path, metrics_md, rules_yml = sys.argv[1:4]
    dashboard = dashboard_queries.load(dashboard_path)
    problems = []
    ids = [panel["id"] for panel in dashboard["panels"]]
    if len(ids) != len(set(ids)):
        problems.append(f"duplicate panel ids: {ids}")
    for panel in dashboard["panels"]:
        if not panel.get("title") or "datasource" not in panel:
            problems.append(f"panel {panel.get('id')}: no title or no datasource")
    documented = set(re.findall(r"`((?:zzping|process)_[a-z_]+)", open(metrics_md, encoding="utf-8").read()))
    exported = set()
    for name in documented:
        exported |= {name, name + "_bucket", name + "_count", name + "_sum"}
    recorded = set(re.findall(r"^\s*- record:\s*(\S+)", open(rules_yml, encoding="utf-8").read(), re.M))
    known = exported | recorded | set(dashboard_queries.PENDING_METRICS) | {"ALERTS"}
    queries = dashboard_queries.expressions(dashboard)
    for where, promql, _ in queries:
        unknown = dashboard_queries.metric_names(promql) - known
        if unknown:
            problems.append(f"{where}: unknown metric(s) {sorted(unknown)} in {promql}")
    for problem in problems:
        print("FAIL:", problem)
    print(f"{len(queries)} queries checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
