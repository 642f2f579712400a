#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Summary of one benchmark run (scripts/bench): reads OUT/test_run.csv, live_raw.csv and
control_raw.csv (through bench_figures.py), writes live.csv, control.csv and the plot data
(*.dat), prints the table with the targets of DESIGN.md beside the results. Never fails on a
target.
usage: report.py OUT BIGGEST_RULE_COUNT [--quick]   (quick: targets not judged)"""
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_figures import Control, Live, PerPacket  # noqa: E402

out, biggest = sys.argv[1], sys.argv[2]
QUICK = "--quick" in sys.argv[3:]
MIB = 1024 * 1024


def verdict(ok):
    if QUICK:
        return "(quick run: not judged)"
    return "meets" if ok else "MISSES"


def fmt(v, spec):
    return "-" if v is None else spec % v


# 1. per-packet cost
pp = PerPacket(out)
cost, contenders, packets = pp.cost, pp.contenders, pp.packets
print("\n1. Per-packet cost, BPF_PROG_TEST_RUN (ns/packet, median of rounds; "
      "in brackets: minus the floor)")
print("%-16s" % "packet" + "".join("%18s" % c for c in contenders))
for p in packets:
    line = "%-16s" % p
    for c in contenders:
        v = cost[(c, p)]
        line += "%18s" % ("%.0f" % v if c == "floor" else "%.0f (+%.0f)" % (v, v - cost[("floor", p)]))
    print(line)
big = "rules_" + biggest
# The per-frame targets (ns over the floor in the same run): the Director's, and the biggest
# rule set's with RULES_SLACK more. The general path's frames against their plain frame's.
TARGETS = {"denied_port": 8, "denied_v4": 8, "allowed_v4": 8, "vlan_v4": 8,
           "denied_v6": 10, "allowed_v6": 10, "not_local": 5,
           "udp_closed": 12, "ack_closed": 12}
RATIO_TARGETS = {"options_v4": "allowed_v4", "ext_v6": "allowed_v6"}
RULES_SLACK = 2


def over(c, p):
    return cost[(c, p)] - cost[("floor", p)]


def judged(c, p, slack):
    """(target text, met) of packet p for contender c, or None without a target."""
    if p in TARGETS:
        limit = TARGETS[p] + slack
        return "<= +%d" % limit, over(c, p) <= limit
    if p in RATIO_TARGETS:
        plain = over(c, RATIO_TARGETS[p])
        return "<= 2x %s (+%.0f)" % (RATIO_TARGETS[p], 2 * plain), over(c, p) <= 2 * plain
    return None


print("targets, ns over the floor: Director as listed; %s rules the same + %d ns"
      % (biggest, RULES_SLACK))
with open("%s/targets.csv" % out, "w") as f:
    f.write("contender,packet,ns_over_floor,target,met\n")
    for c, slack in (("director", 0), (big, RULES_SLACK)):
        if c not in contenders:
            continue
        misses = []
        for p in packets:
            j = judged(c, p, slack)
            if j is None:
                continue
            f.write("%s,%s,%.1f,%s,%s\n" % (c, p, over(c, p), j[0], "yes" if j[1] else "no"))
            if not j[1]:
                misses.append("%s +%.0f (%s)" % (p, over(c, p), j[0]))
        print("  %-12s %s" % (c, verdict(not misses) + ("" if not misses else
                                                        ": " + "; ".join(misses))))
if "least_filter" in contenders:
    print("  least_filter (hand-compiled, counters): " + ", ".join(
        "%s +%.0f" % (p, over("least_filter", p)) for p in packets))

print("\n   Egress program (ns/packet): floor = empty tc program returning TC_ACT_OK")
for p in pp.egress_packets:
    f = cost[("floor", p)]
    x = cost[("director", p)]
    print("   %-20s floor %5.0f   xpf_egress %5.0f (+%.0f)" % (p, f, x, x - f))
print("   (a test run repeats one frame: egress_syn writes its flow every time; "
      "egress_established reads it, writes at most once a second)")

with open("%s/ns_vs_rules.dat" % out, "w") as f:
    f.write("# rules floor xpf_allowed_v4 xpf_denied_v4 xpf_allowed_v6 xpf_denied_v6 xpf_not_local\n")
    for c in contenders:
        if c in ("floor", "least_filter"):
            continue
        f.write("%d %.1f %.1f %.1f %.1f %.1f %.1f\n" % (
            pp.rules[c], cost[("floor", "denied_v4")], cost[(c, "allowed_v4")],
            cost[(c, "denied_v4")], cost[(c, "allowed_v6")], cost[(c, "denied_v6")],
            cost[(c, "not_local")]))

# 2. live rate
live = Live(out)
print("\n2. Live rate on veth, 64-byte frames from %s" % live.source_text())
print("   Mpps received by the contender, and its ratio to the floor of the same round; frame ns:\n"
      "   what it adds to a frame's time, generator and veth included (from the rates); prog ns:\n"
      "   run_time_ns/run_cnt of the XDP program attached to the veth (bpf_stats on for every\n"
      "   contender alike), and over the floor's in the same round. Medians of rounds.")
print("   programs as attached: %s" % live.programs_text())
for variant in live.variants:
    figures = live.of_variant(variant)
    print("   %s traffic%s" % (variant, " (floor: empty XDP_PASS program)" if variant == "allowed"
                             else " (floor: empty XDP_DROP program)"))
    print("   %-14s %9s %6s %10s %9s %10s" % ("contender", "Mpps", "ratio", "frame ns", "prog ns",
                                                "prog over"))
    for fig in figures:
        target = ""
        if variant == "denied" and fig.contender == "xpf_director":
            target = "target >= 0.90x: " + verdict(fig.ratio >= 0.90)
        elif variant == "denied" and fig.contender == "xpf_" + biggest:
            target = "target >= 0.85x: " + verdict(fig.ratio >= 0.85)
        if fig.prog_ns is None:
            target = "no XDP program: rate only" + ("; " + target if target else "")
        print("   %-14s %9.2f %5.2fx %+10.1f %9s %10s  %s"
              % (fig.contender, fig.mpps, fig.ratio, fig.frame_ns_over, fmt(fig.prog_ns, "%.1f"),
                 "" if fig.contender == "floor" else fmt(fig.prog_ns_over, "%+.1f"), target))
    # What a ratio target leaves a filter, against the least a port filter can do
    # (tests/bench/least_filter.bpf.c) in the same rounds.
    least = [f for f in figures if f.contender == "least_filter"]
    if variant == "denied" and least and least[0].floor_mpps > 0:
        floor_ns = 1e3 / least[0].floor_mpps
        print("   room: a frame takes %.1f ns with the floor (generator and veth included);\n"
              "   0.90x leaves a filter %.1f ns more, 0.85x %.1f; the least port filter takes %.1f"
              % (floor_ns, floor_ns / 0.90 - floor_ns, floor_ns / 0.85 - floor_ns,
                 least[0].frame_ns_over))
with open("%s/live.csv" % out, "w") as f:
    f.write("variant,contender,mpps_median,ratio_to_floor,ns_over_floor,frames_sent_not_counted,"
            "prog_ns_per_packet,prog_ns_over_floor\n")
    for fig in live.figures:
        f.write("%s,%s,%.3f,%.3f,%.1f,%d,%s,%s\n" % (
            fig.variant, fig.contender, fig.mpps, fig.ratio, fig.frame_ns_over, fig.not_counted,
            "" if fig.prog_ns is None else "%.2f" % fig.prog_ns,
            "" if fig.prog_ns_over is None else "%.2f" % fig.prog_ns_over))
with open("%s/live_mpps.dat" % out, "w") as f:
    f.write("# contender denied_mpps allowed_mpps\n")
    for c in dict.fromkeys(fig.contender for fig in live.figures):
        v = {fig.variant: fig.mpps for fig in live.figures if fig.contender == c}
        f.write("%s %.3f %.3f\n" % (c, v.get("denied", 0), v.get("allowed", 0)))
with open("%s/live_prog_ns.dat" % out, "w") as f:
    f.write("# contender denied_prog_ns allowed_prog_ns (contenders with an XDP program)\n")
    for c in dict.fromkeys(fig.contender for fig in live.figures if fig.prog_ns is not None):
        v = {fig.variant: fig.prog_ns for fig in live.figures if fig.contender == c}
        f.write("%s %.2f %.2f\n" % (c, v.get("denied") or 0, v.get("allowed") or 0))

# 3. control plane
print("\n3. Control plane (median of rounds)")
print("   %-9s %-7s %9s %13s %14s" % ("rules", "op", "seconds", "peak RSS MiB", "map MiB"))
with open("%s/control.csv" % out, "w") as f:
    f.write("rules,op,seconds,max_rss_kib,map_bytes\n")
    for name, op, sec, rss, mem in Control(out).figures:
        f.write("%s,%s,%.3f,%d,%d\n" % (name, op, sec, rss, mem))
        note = ""
        if name == biggest:
            # Both verbs have a time target (the load's is the issue's, the reload's
            # DESIGN.md's) and the RSS target, the loader's.
            note = "target < 1 s: %s; RSS < 32 MiB: %s" % (verdict(sec < 1),
                                                            verdict(rss * 1024 < 32 * MIB))
        print("   %-9s %-7s %9.3f %13.1f %14.1f  %s" % (name, op, sec, rss / 1024,
                                                      mem / MIB, note))
# 4. the verifier's work (scripts/bench-verifier), when it ran
if os.path.exists("%s/verifier.txt" % out):
    print("\n4. Verifier: instructions processed per program, against "
          "tests/bench/verifier_baseline.csv (GREW: past +20 %)")
    with open("%s/verifier.txt" % out) as f:
        print("   " + f.read().rstrip().replace("\n", "\n   "))
print("\nCSV and plots: %s/" % out)
