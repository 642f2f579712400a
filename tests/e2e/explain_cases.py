# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""`xpf explain` against real traffic (tests/e2e/test_explain.sh).

The cases: every ingress row of the loaded rule set (read from `xpf stats -j`, so the rows are
the table's as published plus the site's), from an address of its source role (pass, or drop
for a deny row, naming that row) and, unless the row is for Any, from an address in no role
(drop, reason default); then one packet for each reason explain can be asked about (not_local,
default, other_proto, icmp, fragment), a VLAN-tagged packet and IPv6 throughout.
  1. every case is explained, as JSON and as text, and the answer is checked against the
     expected row or reason; the counters of `xpf stats -j` must not move while explaining;
  2. every case is then sent as a real frame (scapy, from the outsider's namespace, to the
     Director's MAC): exactly the counter explain named (that row, else that reason) moves, by
     one, and nothing else.
Lines starting with "ok " or "FAIL " are assertions, read by the shell test.

usage: explain_cases.py --director NS --sender NS --xpf PATH
"""
import argparse
import json
import subprocess
import sys
import time

from hostile_cases import (ADMIN4, CLI4, CLI6, DIR4, DIR6, EDGE4, EDGE6, FE4, FE6, NOBODY4,
                           NOBODY6, OUT4, OUT6, PROXY4, PROXY6, QUARANTINED4, VIP4, VIP6,
                           iface_mac, packet_socket)
from scapy.all import (ICMP, IP, TCP, UDP, Dot1Q, Ether, ICMPv6EchoRequest,  # noqa: E402
                       IPv6, IPv6ExtHdrFragment, Raw)

SPORT = 51000                 # explain's source port when none is given
PROBE_ID = 0x5846             # explain's fragment identification (user/core/probe.c)
LATER_OFFSET_UNITS = 1480 // 8
PAYLOAD = b"\0" * 8           # explain's 8 bytes after the upper-layer header

# An address of each role of examples/director.site in the lab: (IPv4, IPv6 or None).
ROLE_ADDRESS = {
    "Reverse proxy internal interface": (PROXY4, PROXY6),
    "Internal Clients": (CLI4, CLI6),
    "Edge Server internal interface": (EDGE4, EDGE6),
    "Front End pool or Front End Server": (FE4, FE6),
    "Admin workstations": (ADMIN4, None),
    "Any": (OUT4, OUT6),
    "Director": (DIR4, DIR6),
    "Director Hardware Load Balancer VIP": (VIP4, VIP6),
    QUARANTINED4: (QUARANTINED4, None),
}
NO_ROLE = (OUT4, OUT6)        # 203.0.113.99 lies outside Admin workstations' /28


class Case:
    def __init__(self, name, args, frame, verdict, reason, row=None, source_role=None,
                 dest_role=None):
        self.name, self.args, self.frame = name, args, frame
        self.verdict, self.reason, self.row = verdict, reason, row
        self.source_role, self.dest_role = source_role, dest_role


def ip_of(src, dst, **kw):
    return IPv6(src=src, dst=dst, hlim=64) if ":" in src else IP(src=src, dst=dst, ttl=64, **kw)


def tcp_syn(src, dst, dport):
    return ip_of(src, dst) / TCP(sport=SPORT, dport=dport, flags="S", window=65535) / PAYLOAD


def build_cases(rules):
    cases = []
    for r in rules:
        if r["direction"] != "ingress":
            continue
        port = r["port"]
        drop = r["action"] == "deny"
        for family in (0, 1):
            src = ROLE_ADDRESS[r["source"]][family]
            dst = ROLE_ADDRESS[r["destination"]][family]
            if src is None:
                continue
            v = "v6" if family else "v4"
            cases.append(Case(f"row {r['id']} {r['label']} from {r['source']} ({v})",
                              ["tcp", src, dst, str(port)], tcp_syn(src, dst, port),
                              "drop" if drop else "pass", "rule", row=r,
                              source_role=r["source"] if r["source"] in ROLE_ADDRESS and
                              r["source"] != QUARANTINED4 else None,
                              dest_role=r["destination"]))
            if r["source"] == "Any" or drop:
                continue
            wrong = NO_ROLE[family]
            cases.append(Case(f"row {r['id']} {r['label']} from no role ({v})",
                              ["tcp", wrong, dst, str(port)], tcp_syn(wrong, dst, port),
                              "drop", "default", dest_role=r["destination"]))
    cases += [
        Case("not local (v4)", ["tcp", CLI4, NOBODY4, "80"], tcp_syn(CLI4, NOBODY4, 80),
             "pass", "not_local"),
        Case("not local (v6)", ["tcp", CLI6, NOBODY6, "80"], tcp_syn(CLI6, NOBODY6, 80),
             "pass", "not_local"),
        Case("udp to a port no row names", ["udp", OUT4, DIR4, "9999"],
             ip_of(OUT4, DIR4) / UDP(sport=SPORT, dport=9999) / PAYLOAD, "drop", "default"),
        Case("udp to a port no row names (v6)", ["udp", OUT6, DIR6, "9999"],
             ip_of(OUT6, DIR6) / UDP(sport=SPORT, dport=9999) / PAYLOAD, "drop", "default"),
        Case("GRE to the Director", ["47", OUT4, DIR4],
             IP(src=OUT4, dst=DIR4, proto=47, ttl=64) / PAYLOAD, "drop", "other_proto"),
        Case("ICMP echo to the VIP", ["icmp", OUT4, VIP4],
             IP(src=OUT4, dst=VIP4, ttl=64) / ICMP(type=8, id=PROBE_ID, seq=1) / PAYLOAD,
             "pass", "icmp"),
        Case("ICMPv6 echo to the Director", ["icmp", OUT6, DIR6],
             IPv6(src=OUT6, dst=DIR6, hlim=64) / ICMPv6EchoRequest(id=PROBE_ID, seq=1) /
             PAYLOAD, "pass", "icmp"),
        Case("later fragment, its first never seen", ["--frag", "next", "tcp", CLI4, VIP4, "80"],
             IP(src=CLI4, dst=VIP4, ttl=64, id=PROBE_ID, proto=6, frag=LATER_OFFSET_UNITS) /
             PAYLOAD, "drop", "fragment"),
        Case("later fragment, its first never seen (v6)",
             ["--frag", "next", "tcp", CLI6, VIP6, "80"],
             IPv6(src=CLI6, dst=VIP6, hlim=64) /
             IPv6ExtHdrFragment(nh=6, offset=LATER_OFFSET_UNITS, m=0, id=PROBE_ID) / PAYLOAD,
             "drop", "fragment"),
        Case("802.1Q tag 7, 5061 edge -> Director", ["--vlan", "7", "tcp", EDGE4, DIR4, "5061"],
             Dot1Q(vlan=7) / tcp_syn(EDGE4, DIR4, 5061), "pass", "rule",
             row={"label": "SIP/MTLS/TCP 5061", "source": "Edge Server internal interface"}),
    ]
    return cases


class Driver:
    def __init__(self, args):
        self.args = args
        self.failures = 0
        self.dmac = iface_mac(args.director)
        self.smac = iface_mac(args.sender)
        self.sock = packet_socket(args.sender)

    def say(self, ok, text):
        print(("ok   " if ok else "FAIL ") + text, flush=True)
        if not ok:
            self.failures += 1

    def xpf(self, *argv):
        r = subprocess.run(["ip", "netns", "exec", self.args.director, self.args.xpf, *argv],
                           capture_output=True, text=True, timeout=20)
        if r.returncode != 0:
            raise RuntimeError(f"xpf {' '.join(argv)}: exit {r.returncode}: {r.stderr.strip()}")
        return r.stdout

    def stats(self):
        d = json.loads(self.xpf("stats", "-j", "eth0"))["interfaces"][0]
        return d, ({k: v["packets"] for k, v in d["reasons"].items()},
                   {r["id"]: r["packets"] for r in d["rules"]})

    def check_json(self, case, e):
        problems = []
        if e["verdict"] != case.verdict:
            problems.append(f"verdict {e['verdict']}")
        if e["reason"] != case.reason:
            problems.append(f"reason {e['reason']}")
        if case.row:
            rule = e["rule"] or {}
            if (rule.get("label"), rule.get("source")) != (case.row["label"], case.row["source"]):
                problems.append(f"rule {rule.get('label')} from {rule.get('source')}")
        elif e["rule"] is not None:
            problems.append(f"a rule ({e['rule']['label']})")
        roles = e["roles"]
        if "Any" not in roles.get("source", []):
            problems.append(f"source roles {roles.get('source')}")
        if case.source_role and case.source_role not in roles.get("source", []):
            problems.append(f"source roles {roles['source']} lack {case.source_role}")
        if case.dest_role and case.dest_role not in roles.get("destination", []):
            problems.append(f"destination roles {roles['destination']} lack {case.dest_role}")
        if roles.get("changed_since_load") is not False:
            problems.append("site said changed since load")
        want = f"{case.verdict}, {case.reason}" + (f" {case.row['label']}" if case.row else "")
        self.say(not problems, f"explain -j {case.name}: {want}"
                 + (f"; got {', '.join(problems)}" if problems else ""))

    def check_text(self, case, text, e):
        lines = {line[:12].strip(): line[12:] for line in text.splitlines()}
        want = {"verdict": case.verdict}
        if case.row:
            want["decided"] = (f"rule {e['rule']['id'] if e['rule'] else '?'}: "
                               f"{case.row['label']} | {case.row['source']} -> ")
        else:
            want["decided"] = f"{case.reason}: "
        bad = [f"{k}: '{lines.get(k)}'" for k, v in want.items()
               if not (lines.get(k) or "").startswith(v)]
        if case.source_role and case.source_role not in lines.get("source", ""):
            bad.append(f"source: '{lines.get('source')}'")
        self.say(not bad, f"explain (text) {case.name}" + (f": {'; '.join(bad)}" if bad else ""))

    def explain_all(self, cases):
        explained = []
        for case in cases:
            e = json.loads(self.xpf("explain", "-j", "eth0", *case.args))
            self.check_json(case, e)
            self.check_text(case, self.xpf("explain", "eth0", *case.args), e)
            explained.append(e)
        return explained

    def send(self, case, e, before):
        frame = bytes(Ether(dst=self.dmac, src=self.smac) / case.frame)
        self.sock.send(frame)
        deadline = time.monotonic() + 1.5
        while True:
            _, after = self.stats()
            if sum(after[0].values()) > sum(before[0].values()) or time.monotonic() > deadline:
                break
            time.sleep(0.003)
        _, after = self.stats()
        rd = {k: after[0][k] - before[0][k] for k in after[0] if after[0][k] != before[0][k]}
        ud = {k: after[1][k] - before[1][k] for k in after[1] if after[1][k] != before[1][k]}
        want_rd = {e["reason"]: 1}
        want_ud = {e["rule"]["id"]: 1} if e["rule"] else {}
        self.say(rd == want_rd and ud == want_ud,
                 f"real frame {case.name}: counted as explain said ({e['reason']}"
                 + (f", rule {e['rule']['id']}" if e["rule"] else "") + ")"
                 + ("" if rd == want_rd and ud == want_ud else f"; got {rd} {ud}"))
        return after

    def run(self):
        d, start = self.stats()
        cases = build_cases(d["rules"])
        rows = len([r for r in d["rules"] if r["direction"] == "ingress"])
        print(f"{len(cases)} cases over {rows} ingress rows", flush=True)
        explained = self.explain_all(cases)
        _, after = self.stats()
        self.say(after == start, f"explaining {len(cases)} packets (twice each) moved no "
                 "counter of xpf stats -j" + ("" if after == start else
                                                f": {start} -> {after}"))
        before = after
        for case, e in zip(cases, explained):
            before = self.send(case, e, before)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--director", required=True)
    p.add_argument("--sender", required=True)
    p.add_argument("--xpf", required=True)
    driver = Driver(p.parse_args())
    driver.run()
    return 1 if driver.failures else 0


if __name__ == "__main__":
    sys.exit(main())
