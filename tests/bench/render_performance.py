#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Writes one benchmark run's figures (scripts/bench: OUT/run.csv, test_run.csv, live_raw.csv,
control_raw.csv, read through bench_figures.py) into DOC between the lines
<!-- bench:begin --> and <!-- bench:end -->; the rest of DOC is left as it is.
usage: render_performance.py OUT [DOC]   (`make bench-doc`; DOC: docs/performance.md)"""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_figures import Control, Live, PerPacket, attached, control_targets, ratio  # noqa: E402

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"


def fail(message):
    sys.stderr.write("render_performance: %s\n" % message)
    sys.exit(1)


def num(v, spec):
    return "–" if v is None else spec % v


def table(header, lines):
    text = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    text += ["| " + " | ".join(line) + " |" for line in lines]
    return text


def live_tables(out, live, pp):
    """Part 2: each frame kind's prog ns over the floor, xpf's ratios; the rates."""
    xdp = [c for c in live.contenders if c != "floor" and not c.startswith("nft_")]
    xpf = [c for c in xdp if c.startswith("xpf_")]
    text = ["",
            "**Live on veth**, 64-byte frames from %s, every frame kind above. prog ns: "
            "run_time_ns/run_cnt of the XDP program attached to the veth "
            "(kernel.bpf_stats_enabled, on for every contender alike), over the floor's for the "
            "same frame in the same alternation; medians of alternated runs. × least, "
            "× xdp-filter: xpf's ns over the floor divided by theirs (–: theirs under a "
            "nanosecond); beside them, part 1's figure of the same frame. Programs as attached: %s." % (live.source_text(), live.programs_text()),
            ""]
    lines = []
    for frame in live.frames:
        fl = live.by.get(("floor", frame))
        if fl is None or fl.prog_ns is None:
            continue
        line = [frame, "%.1f" % fl.prog_ns] + [num(live.prog_over(c, frame), "%+.1f") for c in xdp]
        line.append(num(pp.over("xpf_director", frame), "%+.0f"))
        for c in xpf:
            x = live.prog_over(c, frame)
            line += [num(ratio(x, live.prog_over("least_filter", frame)), "%.1f×"),
                     num(ratio(x, live.prog_over("xdp_filter", frame)), "%.2f×")]
        lines.append(line)
    text += table(["frame", "floor ns"] + xdp + ["xpf_director, test_run"]
                  + [h for c in xpf for h in ("%s × least" % c, "%s × xdp-filter" % c)], lines)
    text += ["", "**Live rate**: Mpps the contender counted (XDP: runs of its program; nftables, "
             "which runs no XDP program: its rule's counter), and its ratio to the floor's in the "
             "same alternation.", ""]
    lines = [[fig.frame, fig.contender, "%.2f" % fig.mpps, "%.2f×" % fig.ratio,
              num(fig.prog_ns, "%.1f")]
             for frame in live.frames for fig in live.of_frame(frame)
             if any(f.contender.startswith("nft_") for f in live.of_frame(frame))]
    text += table(["frame", "contender", "Mpps", "× floor", "prog ns"], lines)
    return text


def render(out):
    with open("%s/run.csv" % out) as f:
        run = next(csv.DictReader(f))
    pp, live, control = PerPacket(out), Live(out), Control(out)
    text = ["",
            "Measured %s by `%s` at commit %s, on %s CPUs (%s), kernel %s."
            % (run["date"], "scripts/bench --quick" if run["mode"] == "quick" else "make bench",
               run["commit"], run["nproc"], run["cpu"], run["kernel"]),
            "",
            "**Per-packet cost, BPF_PROG_TEST_RUN** (ns a packet, median of alternated runs; in brackets, "
            "over the empty XDP_DROP program):",
            ""]
    lines = []
    for p in pp.packets:
        floor = pp.cost[("floor", p)]
        lines.append([p] + ["%.0f" % floor] + ["%.0f (%+.0f)" % (pp.cost[(c, p)],
                                                              pp.cost[(c, p)] - floor)
                                               for c in pp.contenders if c != "floor"])
    text += table(["packet"] + pp.contenders, lines)
    progs, dispatcher = attached(out)
    text += ["", "Programs as attached, test-run by id: %s. libxdp's dispatcher: %s."
             % (", ".join("%s: %s" % (c, name) for c, (_, name) in progs.items()),
                "xpf_dispatcher is xpf behind it" if dispatcher == "yes" else
                dispatcher + ", so xpf_dispatcher is not measured")]
    if pp.egress_packets:
        text += ["", "Egress program (ns a packet; floor: an empty tc program):", ""]
        text += table(["packet", "floor", "xpf_egress"],
                      [[p, "%.0f" % pp.cost[("floor", p)],
                        "%.0f (+%.0f)" % (pp.cost[("director", p)],
                                          pp.cost[("director", p)] - pp.cost[("floor", p)])]
                       for p in pp.egress_packets])
    if os.path.exists("%s/targets.csv" % out):
        with open("%s/targets.csv" % out) as f:
            targets = list(csv.DictReader(f))
        text += ["", "**Targets** (ns over the empty program, same run; the general path's "
                 "frames against twice their plain frame's):", ""]
        text += table(["contender", "packet", "ns over floor", "target", "met"],
                      [[t["contender"], t["packet"], "+%.0f" % float(t["ns_over_floor"]),
                        t["target"], t["met"]] for t in targets])
    if os.path.exists("%s/verifier.csv" % out):
        with open("%s/verifier.csv" % out) as f:
            verifier = list(csv.DictReader(f))
        text += ["", "**Verifier** (instructions processed loading each program, by compiler):",
                 ""]
        text += table(["compiler", "program", "processed insns", "states (total/peak)"],
                      [[v["build"], v["program"], v["processed_insns"],
                        "%s/%s" % (v["total_states"], v["peak_states"])] for v in verifier])
    text += live_tables(out, live, pp)
    text += ["", "**Control plane** (median of alternated runs):", ""]
    text += table(["rules", "op", "seconds", "peak RSS MiB", "map MiB", "targets"],
                  [[name, op, "%.3f" % sec, "%.1f" % (rss / 1024), "%.1f" % (mem / 1048576),
                    "; ".join("%s: %s" % (t, "met" if met else "missed")
                              for t, met in control_targets(name, sec, rss, mem))]
                   for name, op, sec, rss, mem in control.figures])
    return "\n".join(text) + "\n"


def main():
    if len(sys.argv) not in (2, 3):
        fail("usage: render_performance.py OUT [DOC]")
    out = sys.argv[1]
    doc = sys.argv[2] if len(sys.argv) == 3 else "docs/performance.md"
    for name in ("run.csv", "test_run.csv", "attached.csv", "dispatcher.txt", "live_raw.csv",
                 "control_raw.csv"):
        if not os.path.exists("%s/%s" % (out, name)):
            fail("%s/%s: missing (run scripts/bench first)" % (out, name))
    with open(doc) as f:
        lines = f.read().split("\n")
    begins = [i for i, line in enumerate(lines) if line.strip() == BEGIN]
    ends = [i for i, line in enumerate(lines) if line.strip() == END]
    if len(begins) != 1 or len(ends) != 1 or begins[0] > ends[0]:
        fail("%s:%d: needs one %s line and, after it, one %s line"
             % (doc, (begins or ends or [len(lines) - 1])[0] + 1, BEGIN, END))
    body = render(out).rstrip("\n").split("\n")
    lines[begins[0] + 1:ends[0]] = body + [""]
    with open(doc, "w") as f:
        f.write("\n".join(lines))
    print("render_performance: %s updated from %s" % (doc, out))


if __name__ == "__main__":
    main()
