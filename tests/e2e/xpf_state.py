#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""What is on an interface, seen from outside xpf (ip, tc, bpftool, bpffs), for the crash
tests: one line of key=value.

usage: xpf_state.py NS IFACE PIN_DIR|- FRAME...
  xdp=ID|0 name=PROG loaded=0|1 spare=0|1 egress=0|1 pins=none|ours|stale verdicts=...
loaded: the generation in force has a rule set; spare: the other generation holds anything.
verdicts: one letter per FRAME, the attached program's answer (BPF_PROG_TEST_RUN through
bpftool): P pass, D drop, O other; all P when no program is attached.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

MAPS = (".data.in_force", "rules_v4", "rules_v6", "local_addrs", "classes", "rule_info")


class StateError(Exception):
    """A tool's answer that says nothing about the interface: its error, not a state."""


def run(*args):
    r = subprocess.run(args, capture_output=True, text=True, timeout=20)
    if r.returncode != 0:
        raise StateError(f"{' '.join(args)}: exit {r.returncode}: "
                         f"{(r.stderr or r.stdout).strip()[:300]}")
    return r.stdout


def bpftool(*command):
    """bpftool -j COMMAND: its exit status and JSON answer."""
    r = subprocess.run(("bpftool", "-j") + command, capture_output=True, text=True,
                       timeout=20)
    try:
        return r.returncode, json.loads(r.stdout)
    except json.JSONDecodeError:
        raise StateError(f"bpftool {' '.join(command)}: exit {r.returncode}, no JSON answer: "
                         f"{(r.stderr or r.stdout).strip()[:300]}") from None


def error_of(answer):
    """The message of bpftool's JSON error object, None for any other answer."""
    return answer.get("error") if isinstance(answer, dict) else None


def bpftool_json(*command):
    """One command's JSON output; bpftool's error, raised, when it fails."""
    status, answer = bpftool(*command)
    if status or error_of(answer):
        raise StateError(f"bpftool {' '.join(command)}: {error_of(answer) or f'exit {status}'}")
    return answer


def bpftool_batch(commands):
    """One bpftool process for many commands: their JSON outputs, in order. bpftool stops at
    the first command that fails (its answer's output is the error): that error is raised."""
    with tempfile.NamedTemporaryFile("w", suffix=".batch") as batch:
        batch.write("".join(" ".join(c) + "\n" for c in commands))
        batch.flush()
        status, answers = bpftool("batch", "file", batch.name)
    if not isinstance(answers, list):
        raise StateError(f"bpftool batch: {error_of(answers) or answers}")
    outputs = []
    for command, answer in zip(commands, answers):
        output = answer.get("output") if isinstance(answer, dict) else None
        if output is None or error_of(output):
            raise StateError(f"bpftool {' '.join(command)}: {error_of(output) or answer}")
        outputs.append(output)
    if status or len(outputs) != len(commands):
        raise StateError(f"bpftool batch: exit {status}, {len(outputs)} answers to "
                         f"{len(commands)} commands")
    return outputs


def raw(entry, field):
    return bytes(int(b, 16) for b in entry[field])


def generations(dump):
    """loaded, spare: from the rule set in force (struct xpf_in_force: two 128-byte configs,
    then the generation), meta and the generation-keyed maps."""
    in_force = raw(dump[".data.in_force"][0], "value")
    active = in_force[256] & 1
    spare = 1 - active
    config = {g: in_force[g * 128:(g + 1) * 128] for g in (0, 1)}
    in_spare = (config[spare][0] == 1
                # generation: the first byte of the keys
                or any(raw(e, "key")[0] == spare
                       for name in ("local_addrs", "classes") for e in dump[name])
                # arrays of maps, an entry a generation that has its own map
                or any(raw(e, "key")[0] == spare
                       for name in ("rules_v4", "rules_v6", "rule_info") for e in dump[name]))
    return int(config[active][0] == 1), int(in_spare)


def main():
    ns, iface, pin_dir, frames = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    found = re.search(r"prog/xdp id (\d+)", run("ip", "-n", ns, "-d", "link", "show", iface))
    state = {"xdp": int(found.group(1)) if found else 0, "name": "-", "loaded": 0, "spare": 0}
    verdicts = "P" * len(frames)
    if state["xdp"]:
        prog, all_maps = bpftool_batch([("prog", "show", "id", str(state["xdp"])),
                                        ("map", "show")])
        state["name"] = prog["name"]
        ids = set(prog.get("map_ids", []))
        maps = {m["name"]: m["id"] for m in all_maps if m["id"] in ids}
        dumped = [name for name in MAPS if name in maps]
        out = bpftool_batch([("map", "dump", "id", str(maps[name])) for name in dumped] +
                            [("prog", "run", "id", str(state["xdp"]), "data_in", frame,
                              "repeat", "1") for frame in frames])
        verdicts = "".join({2: "P", 1: "D"}.get(result.get("retval"), "O")
                           for result in out[len(dumped):])
        if len(dumped) == len(MAPS):
            state["loaded"], state["spare"] = generations(dict(zip(dumped, out)))
    tc = run("tc", "-n", ns, "filter", "show", "dev", iface, "egress")
    tcx_pin = os.path.join(pin_dir, "egress_link") if pin_dir != "-" else None
    state["egress"] = int("xpf_egress" in tc or bool(tcx_pin and os.path.exists(tcx_pin)))
    state["pins"] = "none"
    if pin_dir != "-" and os.path.isdir(pin_dir):
        pin = os.path.join(pin_dir, "prog")
        pinned_id = bpftool_json("prog", "show", "pinned", pin)["id"] if os.path.exists(pin) \
            else None
        state["pins"] = "ours" if pinned_id == state["xdp"] else "stale"
    state["verdicts"] = verdicts
    print(" ".join(f"{k}={v}" for k, v in state.items()))


if __name__ == "__main__":
    try:
        main()
    except (StateError, subprocess.TimeoutExpired) as e:
        sys.exit(f"xpf_state.py: {e}")
