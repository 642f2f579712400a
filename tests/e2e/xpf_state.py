#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""What is on an interface, seen from outside xpf (ip, tc, bpftool, bpffs), for the crash
tests: one line of key=value.

usage: xpf_state.py NS IFACE PIN_DIR|- FRAME...
  xdp=ID|0 name=PROG loaded=0|1 spare=0|1 egress=0|1 pins=none|ours|stale verdicts=...
verdicts: one letter per FRAME, the attached program's answer (BPF_PROG_TEST_RUN through
bpftool): P pass, D drop, O other; all P when no program is attached.
"""
import json
import os
import re
import subprocess
import sys


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, timeout=20).stdout


def bpftool_json(*args):
    out = run("bpftool", "-j", *args)
    return json.loads(out) if out.strip() else None


def value_bytes(entry, field):
    return bytes(int(b, 16) for b in entry[field])


def main():
    ns, iface, pin_dir, frames = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    link = run("ip", "-n", ns, "-d", "link", "show", iface)
    found = re.search(r"prog/xdp id (\d+)", link)
    state = {"xdp": int(found.group(1)) if found else 0, "name": "-", "loaded": 0, "spare": 0}
    if state["xdp"]:
        prog = bpftool_json("prog", "show", "id", str(state["xdp"]))
        state["name"] = prog["name"]
        maps = {}
        for map_id in prog.get("map_ids", []):
            info = bpftool_json("map", "show", "id", str(map_id))
            maps[info["name"]] = map_id
        dump = {name: bpftool_json("map", "dump", "id", str(maps[name])) or []
                for name in ("active", "config", "rules", "local_addrs", "classes", "rule_info",
                             "meta") if name in maps}
        if "active" in dump:
            active = value_bytes(dump["active"][0], "value")[0] & 1
            config = {value_bytes(e, "key")[0]: value_bytes(e, "value") for e in dump["config"]}
            span = int.from_bytes(value_bytes(dump["meta"][0], "value")[8:12], "little")
            spare = 1 - active
            state["loaded"] = int(config[active][0] == 1)
            state["spare"] = int(
                config[spare][0] == 1
                or any(value_bytes(e, "key")[0] == spare
                       for name in ("rules", "local_addrs", "classes") for e in dump[name])
                or any(span and int.from_bytes(value_bytes(e, "key"), "little") // span == spare
                       for e in dump["rule_info"]))
    tc = run("tc", "-n", ns, "filter", "show", "dev", iface, "egress")
    tcx_pin = os.path.join(pin_dir, "egress_link") if pin_dir != "-" else None
    state["egress"] = int("xpf_egress" in tc or bool(tcx_pin and os.path.exists(tcx_pin)))
    state["pins"] = "none"
    if pin_dir != "-" and os.path.isdir(pin_dir):
        pinned = bpftool_json("prog", "show", "pinned", os.path.join(pin_dir, "prog"))
        state["pins"] = "ours" if pinned and pinned.get("id") == state["xdp"] else "stale"
    verdicts = ""
    for frame in frames:
        if not state["xdp"]:
            verdicts += "P"
            continue
        out = run("bpftool", "prog", "run", "id", str(state["xdp"]), "data_in", frame, "repeat",
                  "1")
        code = re.search(r"Return value: (\d+)", out)
        verdicts += {"2": "P", "1": "D"}.get(code.group(1) if code else "", "O")
    state["verdicts"] = verdicts
    print(" ".join(f"{k}={v}" for k, v in state.items()))


if __name__ == "__main__":
    main()
