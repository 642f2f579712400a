#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""The Grafana dashboard and the Prometheus rules against the metrics that exist.

usage: check_dashboard.py DASHBOARD.json RULES.yml PROMETHEUS.c

Every series a panel's query or a rule's expression selects must be a family xpf exports (the
family() calls of user/cli/prometheus.c), a series a rule of RULES records, or Prometheus's
own `up`; every panel is a real panel (id, type, title, place on the grid, no overlap) scoped
to the pool variable. Prints one line per problem; exit 1 when there is any.
"""
import json
import re
import sys

import yaml

KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or",
            "unless", "offset", "bool", "inf", "nan"}
PANEL_TYPES = {"stat", "table", "timeseries", "gauge", "bargauge"}


def selected_series(expr):
    """The metric names an expression selects: strings, label matchers, ranges, grouping
    clauses and function names taken out."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"\b\d+(\.\d+)?(ms|[smhdwy])?\b", " ", text)  # numbers, offsets
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right|group)\s*\([^)]*\)", " ",
                  text)
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        rest = text[match.end():].lstrip()
        word = match.group(0)
        if rest.startswith("(") or word.lower() in KEYWORDS:
            continue
        names.add(word)
    return names


def exported_families(source):
    with open(source, encoding="utf-8") as f:
        return set(re.findall(r'family\(out, "([a-z_]+)"', f.read()))


def main():
    dashboard_path, rules_path, source = sys.argv[1:4]
    problems = []
    exported = exported_families(source)
    if not exported:
        problems.append(f"{source}: no metric family found")
    with open(rules_path, encoding="utf-8") as f:
        rules = [r for g in yaml.safe_load(f)["groups"] for r in g["rules"]]
    recorded = {r["record"] for r in rules if "record" in r}
    known = exported | recorded | {"up"}
    for rule in rules:
        for name in selected_series(rule["expr"]) - known:
            problems.append(f"{rules_path}: {rule.get('record') or rule.get('alert')}: "
                            f"no metric or recorded series {name}")

    with open(dashboard_path, encoding="utf-8") as f:
        dashboard = json.load(f)
    panels = dashboard.get("panels") or []
    if not dashboard.get("uid") or not dashboard.get("title") or not panels:
        problems.append(f"{dashboard_path}: needs a uid, a title and panels")
    variables = {v["name"]: v for v in dashboard.get("templating", {}).get("list", [])}
    if "job" not in variables:
        problems.append(f"{dashboard_path}: no `job` variable (the pool)")
    else:
        definition = variables["job"].get("definition", "")
        for name in set(re.findall(r"label_values\((\w+)", definition)) - known:
            problems.append(f"{dashboard_path}: variable job: no metric {name}")
    ids, cells, queries = set(), {}, 0
    for panel in panels:
        where = f"{dashboard_path}: panel {panel.get('id')} '{panel.get('title')}'"
        if panel.get("id") in ids:
            problems.append(f"{where}: id used twice")
        ids.add(panel.get("id"))
        if panel.get("type") not in PANEL_TYPES or not panel.get("title"):
            problems.append(f"{where}: type {panel.get('type')} or title missing")
        grid = panel.get("gridPos", {})
        if grid.get("x", 99) + grid.get("w", 99) > 24 or grid.get("h", 0) <= 0:
            problems.append(f"{where}: gridPos {grid} off the 24 columns")
        for x in range(grid.get("x", 0), grid.get("x", 0) + grid.get("w", 0)):
            for y in range(grid.get("y", 0), grid.get("y", 0) + grid.get("h", 0)):
                if (x, y) in cells:
                    problems.append(f"{where}: overlaps panel {cells[(x, y)]}")
                    break
                cells[(x, y)] = panel.get("id")
            else:
                continue
            break
        if not panel.get("targets"):
            problems.append(f"{where}: no query")
        for target in panel.get("targets", []):
            expr = target.get("expr", "")
            queries += 1
            if '$job' not in expr:
                problems.append(f"{where}: query not scoped to the pool ($job): {expr}")
            names = selected_series(expr)
            if not names:
                problems.append(f"{where}: query selects no series: {expr}")
            for name in names - known:
                problems.append(f"{where}: no metric or recorded series {name}")
    for line in problems:
        print(line)
    print(f"{len(panels)} panels, {queries} queries, {len(rules)} rules; "
          f"{len(exported)} exported families, {len(recorded)} recorded series: "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
