# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Strict reader of the Prometheus text format (0.0.4) for xpf's metrics, and their check
against `xpf stats -j` read just before and just after (tests/e2e/test_metrics.sh).

  prometheus_check.py METRICS BEFORE.json AFTER.json

Format: HELP then TYPE before a family's samples, each family once and contiguous, names and
label names as the format allows, label values only with the escapes \\\\ \\" \\n, no label set
twice, counters named *_total. Labels: `device` for the interface, `rule` the row's file and
hash (recomputed here from stats -j). Values: xpf_up 1 for every interface, every rule's packets, bytes and would_drop exactly as
stats -j (rule counters must not move between BEFORE and AFTER: no traffic then), reasons and
flows between BEFORE and AFTER, and not one sample more. Prints one line per failure; exit 1
if any, else prints what it verified.
"""
import json
import re
import sys

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
failures = []


def fail(message):
    failures.append(message)


def parse_labels(text, lineno):
    """{name="value",...} → (dict, rest of the line)."""
    labels = {}
    i = 1
    while True:
        if text[i] == "}":
            return labels, text[i + 1:]
        match = LABEL.match(text, i)
        if not match or text[match.end():match.end() + 2] != '="':
            raise ValueError(f"line {lineno}: bad label at: {text[i:i + 30]}")
        name = match.group(0)
        i = match.end() + 2
        value = []
        while text[i] != '"':
            if text[i] == "\\":
                escaped = {"\\": "\\", '"': '"', "n": "\n"}.get(text[i + 1])
                if escaped is None:
                    raise ValueError(f"line {lineno}: bad escape \\{text[i + 1]}")
                value.append(escaped)
                i += 2
            elif text[i] == "\n":
                raise ValueError(f"line {lineno}: raw newline in a label value")
            else:
                value.append(text[i])
                i += 1
        if name in labels:
            raise ValueError(f"line {lineno}: label {name} twice")
        labels[name] = "".join(value)
        i += 1
        if text[i] == ",":
            i += 1
        elif text[i] != "}":
            raise ValueError(f"line {lineno}: expected , or }} after label {name}")


def parse(text):
    """→ {family: {"type", "help", "samples": {frozenset(labels): value}}}"""
    families, current, seen_done = {}, None, set()
    if not text.endswith("\n"):
        raise ValueError("the last line does not end in a newline")
    for lineno, line in enumerate(text.split("\n")[:-1], 1):
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            _, kind, name, rest = (line.split(" ", 3) + [""])[:4]
            if not NAME.fullmatch(name):
                raise ValueError(f"line {lineno}: bad metric name {name!r}")
            if current and name != current:
                seen_done.add(current)
            if name in seen_done:
                raise ValueError(f"line {lineno}: family {name} appears twice")
            family = families.setdefault(name, {"samples": {}})
            if kind == "HELP":
                if "help" in family or "type" in family:
                    raise ValueError(f"line {lineno}: HELP of {name} twice or after TYPE")
                family["help"] = rest
            else:
                if rest not in ("counter", "gauge") or "type" in family:
                    raise ValueError(f"line {lineno}: TYPE of {name}: {rest!r}")
                family["type"] = rest
            current = name
            continue
        if line.startswith("#") or not line:
            continue
        match = NAME.match(line)
        if not match:
            raise ValueError(f"line {lineno}: not a sample: {line[:60]}")
        name = match.group(0)
        if name != current or "type" not in families.get(name, {}):
            raise ValueError(f"line {lineno}: sample of {name} outside its family")
        rest = line[match.end():]
        labels = {}
        if rest.startswith("{"):
            labels, rest = parse_labels(rest, lineno)
        if not rest.startswith(" "):
            raise ValueError(f"line {lineno}: no space before the value")
        value = float(rest[1:])
        key = frozenset(labels.items())
        if key in families[name]["samples"]:
            raise ValueError(f"line {lineno}: {name} with the same labels twice")
        families[name]["samples"][key] = value
    for name, family in families.items():
        if family.get("type") == "counter" and not name.endswith("_total"):
            fail(f"counter {name} does not end in _total")
        if "help" not in family:
            fail(f"{name} has no HELP")
    return families


def fnv1a64(fields):
    """FNV-1a 64 of the fields, each followed by a newline (user/core/rule_identity.c)."""
    value = 0xcbf29ce484222325
    for field in fields:
        for byte in (field + "\n").encode():
            value = ((value ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


def rule_identity(interface, rule, seen):
    """The rule label: the row's file, the hash of its label values, /N for the Nth alike."""
    if rule["origin"] == "site":
        file = interface["site"]
    else:
        file = rule["tables"][0]["table"] if rule.get("tables") else interface["table"]
    name = file + ":" + fnv1a64([rule["label"], rule["proto"], port_text(rule),
                                 rule["source"], rule["destination"], rule["action"],
                                 rule["direction"]])
    seen[name] = seen.get(name, 0) + 1
    return name if seen[name] == 1 else f"{name}/{seen[name]}"


def port_text(rule):
    if rule["port"] == rule["port_last"]:
        return str(rule["port"])
    return f"{rule['port']}-{rule['port_last']}"


def interfaces(stats):
    """The interfaces of a stats -j document."""
    return stats["interfaces"]


def main():
    with open(sys.argv[1]) as f:
        text = f.read()
    with open(sys.argv[2]) as f:
        before = json.load(f)
    with open(sys.argv[3]) as f:
        after = json.load(f)
    try:
        families = parse(text)
    except ValueError as error:
        print(f"FAIL format: {error}")
        return 1
    before, after = interfaces(before), interfaces(after)
    verified = 0
    expected = {}
    for old, new in zip(before, after):
        iface = new["interface"]
        seen = {}
        expected.setdefault("xpf_up", {})[frozenset({"device": iface}.items())] = (1, 1)
        for rule_old, rule in zip(old["rules"], new["rules"]):
            labels = {"device": iface, "rule": rule_identity(new, rule, seen),
                      "label": rule["label"],
                      "proto": rule["proto"], "port": port_text(rule),
                      "source": rule["source"], "destination": rule["destination"],
                      "action": rule["action"], "direction": rule["direction"]}
            # A table's row: the table it came from (the first, where several have it).
            if rule.get("tables"):
                labels["table"] = rule["tables"][0]["table"]
                labels["caption"] = rule["tables"][0]["caption"]
            for field in ("packets", "bytes", "would_drop"):
                if rule_old[field] != rule[field]:
                    fail(f"rule {rule['id']} {field} moved between the two stats -j: "
                         "traffic during the test")
                expected.setdefault(f"xpf_rule_{field}_total", {})[
                    frozenset(labels.items())] = (rule[field], rule[field])
        for reason, counter in new["reasons"].items():
            labels = frozenset({"device": iface, "reason": reason}.items())
            for field in ("packets", "bytes", "would_drop"):
                expected.setdefault(f"xpf_reason_{field}_total", {})[labels] = (
                    old["reasons"][reason][field], counter[field])
        labels = frozenset({"device": iface}.items())
        expected.setdefault("xpf_flows", {})[labels] = (
            min(old["flows"]["tracked"], new["flows"]["tracked"]),
            max(old["flows"]["tracked"], new["flows"]["tracked"]))
    for name, samples in expected.items():
        family = families.get(name)
        if not family:
            fail(f"no family {name}")
            continue
        for labels, (low, high) in samples.items():
            value = family["samples"].get(labels)
            if value is None:
                fail(f"{name}: no sample {dict(labels)}")
            elif not low <= value <= high:
                fail(f"{name}{dict(labels)} = {value}, stats -j says {low}..{high}")
            else:
                verified += 1
        extra = set(family["samples"]) - set(samples)
        if extra:
            fail(f"{name}: samples stats -j does not have: {[dict(e) for e in extra][:3]}")
    for failure in failures:
        print(f"FAIL {failure}")
    if failures:
        return 1
    print(f"{verified} samples equal to stats -j, {len(families)} families well formed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
