# SPDX-License-Identifier: GPL-3.0-or-later
"""The PromQL expressions of the shipped Grafana dashboard, ready for a Prometheus API.

Every expression of the dashboard: panel targets, annotation queries, and template variable
queries (Grafana's label_values(METRIC, LABEL) becomes `count by (LABEL) (METRIC)`).
Grafana's variables are replaced as Grafana would for "All": $instance, $target, $role ->
".*"; $__rate_interval -> the rate window given (Grafana: at least 4 scrape intervals).
"""
import json
import re

# Metrics the dashboard and the rules use that zzpingd may not export yet: the jitter
# counters (branch `jitter`; docs/alerts.md). While a zzpingd does not export them, queries
# on them must parse and return nothing; once it does, they must return data like the rest
# (the integration test decides from a live scrape, and says when an entry can go).
PENDING_METRICS = {
    "zzping_jitter_seconds_total": "jitter counters (sum of |delta RTT| in seconds), not exported yet",
    "zzping_jitter_pairs_total": "jitter counters (number of pairs), not exported yet",
}

_LABEL_VALUES = re.compile(r"^\s*label_values\(\s*(.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$", re.S)
_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
             "offset", "bool", "inf", "nan"}


def substitute(expr, rate_interval):
    expr = expr.replace("$__rate_interval", rate_interval)
    for variable in ("instance", "target", "role"):
        expr = expr.replace("$" + variable, ".*").replace("${" + variable + "}", ".*")
    if "$" in expr.replace("{{", "").replace("}}", ""):
        raise ValueError(f"unknown Grafana variable left in: {expr}")
    return expr


def expressions(dashboard, rate_interval="1m"):
    """[(where, promql, instant)] for every query of the dashboard."""
    found = []
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            where = f'panel "{panel["title"]}" query {target["refId"]}'
            found.append((where, substitute(target["expr"], rate_interval), bool(target.get("instant"))))
    for annotation in dashboard["annotations"]["list"]:
        if "expr" in annotation:
            found.append((f'annotation "{annotation["name"]}"', substitute(annotation["expr"], rate_interval), False))
    for variable in dashboard["templating"]["list"]:
        if variable["type"] != "query":
            continue
        query = variable["query"]["query"] if isinstance(variable["query"], dict) else variable["query"]
        match = _LABEL_VALUES.match(query)
        if not match:
            raise ValueError(f"variable {variable['name']}: only label_values(METRIC, LABEL) is handled: {query}")
        promql = f"count by ({match.group(2)}) ({match.group(1)})"
        found.append((f'variable "{variable["name"]}"', substitute(promql, rate_interval), True))
    return found


def metric_names(promql):
    """The metric names an expression selects (crude: no strings, no label matchers,
    no function names, no keywords, no durations)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', promql)
    text = re.sub(r"\{[^}]*\}", "", text)
    text = re.sub(r"\[[^\]]*\]", "", text)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for match in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", text):
        word = match.group(0)
        after = text[match.end():].lstrip()
        if after.startswith("(") or word.lower() in _KEYWORDS:
            continue
        if re.fullmatch(r"\d+[smhdwy]?", word):
            continue
        names.add(word)
    return names


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)
