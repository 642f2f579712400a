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
from bench_figures import Control, Live, PerPacket, attached, control_targets, ratio  # noqa: E402

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
big = "xpf_" + biggest
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


print("%-16s" % "packet" + "".join("%18s" % c for c in contenders) + "  target (Director)")
for p in packets:
    line = "%-16s" % p
    for c in contenders:
        v = cost[(c, p)]
        line += "%18s" % ("%.0f" % v if c == "floor" else "%.0f (%+.0f)" % (v, v - cost[("floor", p)]))
    j = judged("xpf_director", p, 0) if "xpf_director" in contenders else None
    print(line + ("" if j is None else "  " + j[0]))
print("targets, ns over the floor, the programs as attached: Director as listed (xpf alone,\n"
      "and behind libxdp's dispatcher where it loads); %s rules the same + %d ns"
      % (biggest, RULES_SLACK))
with open("%s/targets.csv" % out, "w") as f:
    f.write("contender,packet,ns_over_floor,target,met\n")
    for c, slack in (("xpf_director", 0), ("xpf_dispatcher", 0), (big, RULES_SLACK)):
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
        print("  %-14s %s" % (c, verdict(not misses) + ("" if not misses else
                                                        ": " + "; ".join(misses))))
if "least_filter" in contenders:
    print("  least_filter (hand-compiled, counters): " + ", ".join(
        "%s %+.0f" % (p, over("least_filter", p)) for p in packets))
print("  xpf's ns over the floor divided by the least filter's / xdp-filter's (- : theirs under "
      "1 ns):")
for c in [c for c in contenders if c.startswith("xpf_")]:
    print("  %-14s " % c + ", ".join(
        "%s %s/%s" % (p, fmt(ratio(over(c, p), over("least_filter", p)), "%.1fx"),
                      fmt(ratio(over(c, p), over("xdp_filter", p))
                          if "xdp_filter" in contenders else None, "%.2fx"))
        for p in packets))

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
        if not pp.rules[c]:     # the floor, the least filter, the programs by id
            continue
        f.write("%d %.1f %.1f %.1f %.1f %.1f %.1f\n" % (
            pp.rules[c], cost[("floor", "denied_v4")], cost[(c, "allowed_v4")],
            cost[(c, "denied_v4")], cost[(c, "allowed_v6")], cost[(c, "denied_v6")],
            cost[(c, "not_local")]))

# 2. live rate
live = Live(out)
progs, dispatcher = attached(out)
XDP_LIVE = [c for c in live.contenders if c != "floor" and not c.startswith("nft_")]
XPF_LIVE = [c for c in XDP_LIVE if c.startswith("xpf_")]
print("\n2. Live on veth, 64-byte frames from %s, every frame kind of part 1" % live.source_text())
print("   prog ns: run_time_ns/run_cnt of the XDP program attached to the veth (bpf_stats on\n"
      "   for every contender alike), over the floor's for the same frame in the same round;\n"
      "   medians of rounds. test_run: xpf_director's figure of part 1 for the same frame.\n"
      "   /least, /xdp-filter: xpf's ns over the floor divided by theirs (-: theirs under 1 ns).")
print("   programs as attached: %s" % live.programs_text())
if dispatcher != "yes":
    print("   libxdp's dispatcher: %s (xpf_dispatcher not measured)" % dispatcher)
print("   %-15s %8s" % ("frame", "floor") + "".join("%15s" % c for c in XDP_LIVE) + "%10s" % "test_run"
      + "".join("%16s %12s" % ("%s/least" % c[4:], "/xdp-filter") for c in XPF_LIVE))
for frame in live.frames:
    fl = live.by.get(("floor", frame))
    if fl is None or fl.prog_ns is None:
        continue
    line = "   %-15s %8.1f" % (frame, fl.prog_ns)
    line += "".join("%15s" % fmt(live.prog_over(c, frame), "%+.1f") for c in XDP_LIVE)
    line += "%10s" % fmt(pp.over("xpf_director", frame), "%+.0f")
    for c in XPF_LIVE:
        x = live.prog_over(c, frame)
        line += "%16s %12s" % (fmt(ratio(x, live.prog_over("least_filter", frame)), "%.1fx"),
                               fmt(ratio(x, live.prog_over("xdp_filter", frame)), "%.2fx"))
    print(line)
for frame in live.frames:
    figures = live.of_frame(frame)
    if not any(f.contender.startswith("nft_") for f in figures):
        continue
    print("\n   rate, %s frames: Mpps received by the contender (XDP: runs of its program;\n"
          "   nftables: its rule's counter), ratio to the floor of the same round, frame ns: what\n"
          "   it adds to a frame's time, generator and veth included" % frame)
    print("   %-15s %9s %6s %10s %9s" % ("contender", "Mpps", "ratio", "frame ns", "prog ns"))
    for fig in figures:
        print("   %-15s %9.2f %5.2fx %+10.1f %9s"
              % (fig.contender, fig.mpps, fig.ratio, fig.frame_ns_over, fmt(fig.prog_ns, "%.1f")))
with open("%s/live.csv" % out, "w") as f:
    f.write("frame,contender,prog_name,mpps_median,ratio_to_floor,frame_ns_over_floor,"
            "frames_sent_not_counted,prog_ns_per_packet,prog_ns_over_floor,"
            "ratio_to_least_filter,ratio_to_xdp_filter\n")
    for fig in live.figures:
        least = ratio(fig.prog_ns_over, live.prog_over("least_filter", fig.frame))
        xdpf = ratio(fig.prog_ns_over, live.prog_over("xdp_filter", fig.frame))
        f.write("%s,%s,%s,%.3f,%.3f,%.1f,%d,%s,%s,%s,%s\n" % (
            fig.frame, fig.contender, "/".join(fig.prog_names), fig.mpps, fig.ratio,
            fig.frame_ns_over, fig.not_counted,
            "" if fig.prog_ns is None else "%.2f" % fig.prog_ns,
            "" if fig.prog_ns_over is None else "%.2f" % fig.prog_ns_over,
            "" if least is None else "%.2f" % least, "" if xdpf is None else "%.2f" % xdpf))
with open("%s/live_mpps.dat" % out, "w") as f:
    f.write("# contender denied_port_mpps allowed_v4_mpps\n")
    for c in live.contenders:
        v = {fig.frame: fig.mpps for fig in live.figures if fig.contender == c}
        f.write("%s %.3f %.3f\n" % (c, v.get("denied_port", 0), v.get("allowed_v4", 0)))
with open("%s/live_prog_ns.dat" % out, "w") as f:
    f.write("frame %s\n" % " ".join(XDP_LIVE))     # the column heads of plot.gp
    for frame in live.frames:
        f.write(frame + "".join(" %.2f" % (live.prog_over(c, frame) or 0) for c in XDP_LIVE)
                + "\n")

# 3. control plane
print("\n3. Control plane (median of rounds)")
print("   %-9s %-7s %9s %13s %14s" % ("rules", "op", "seconds", "peak RSS MiB", "map MiB"))
with open("%s/control.csv" % out, "w") as f:
    f.write("rules,op,seconds,max_rss_kib,map_bytes\n")
    for name, op, sec, rss, mem in Control(out).figures:
        f.write("%s,%s,%.3f,%d,%d\n" % (name, op, sec, rss, mem))
        note = "; ".join("target %s: %s" % (text, verdict(met))
                         for text, met in control_targets(name, sec, rss, mem))
        print("   %-9s %-7s %9.3f %13.1f %14.1f  %s" % (name, op, sec, rss / 1024,
                                                      mem / MIB, note))
# 4. the verifier's work (scripts/bench-verifier), when it ran
if os.path.exists("%s/verifier.txt" % out):
    print("\n4. Verifier: instructions processed per program, against "
          "tests/bench/verifier_baseline.csv (GREW: past +20 %)")
    with open("%s/verifier.txt" % out) as f:
        print("   " + f.read().rstrip().replace("\n", "\n   "))
print("\nCSV and plots: %s/" % out)
