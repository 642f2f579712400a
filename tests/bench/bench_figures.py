# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""The figures of one benchmark run (scripts/bench), from its CSVs in OUT: test_run.csv,
live_raw.csv, control_raw.csv. Medians of rounds; every live figure beside the floor of the
same round. Read by report.py (the summary, the plot data) and render_performance.py
(docs/performance.md), so both say the same."""
import csv
import statistics


def rows(out, name):
    with open("%s/%s" % (out, name)) as f:
        return list(csv.DictReader(f))


def ns_over(mpps, floor_mpps):
    """What a contender adds to a frame's time, generator and veth included, in ns (a round
    in which it counted nothing: infinite, not a failed report)."""
    if mpps <= 0 or floor_mpps <= 0:
        return float("inf")
    return 1e3 / mpps - 1e3 / floor_mpps


def median_or_none(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


class PerPacket:
    """Part 1: ns a packet under BPF_PROG_TEST_RUN, by (contender, packet)."""

    def __init__(self, out):
        table = rows(out, "test_run.csv")
        self.cost = {(r["contender"], r["packet"]): float(r["median_ns"]) for r in table}
        self.rules = {r["contender"]: int(r["rules"]) for r in table}
        xdp = [r for r in table if r["kind"] == "xdp"]
        self.contenders = list(dict.fromkeys(r["contender"] for r in xdp))
        self.packets = list(dict.fromkeys(r["packet"] for r in xdp))
        self.egress_packets = list(dict.fromkeys(r["packet"] for r in table
                                                 if r["kind"] == "egress"))

    def over(self, contender, packet):
        """ns over the floor of the contender for the packet, or None if it did not run."""
        if (contender, packet) not in self.cost:
            return None
        return self.cost[(contender, packet)] - self.cost[("floor", packet)]


class LiveFigure:
    """Part 2: one contender under one frame kind, medians of its rounds."""

    def __init__(self, frame, contender, rounds, floor_rounds):
        floor_mpps = {r["round"]: float(r["mpps"]) for r in floor_rounds}
        floor_prog = {r["round"]: prog_ns(r) for r in floor_rounds}
        self.frame = frame
        self.contender = contender
        self.mpps = statistics.median(float(r["mpps"]) for r in rounds)
        self.ratio = statistics.median(
            float(r["mpps"]) / floor_mpps[r["round"]] if floor_mpps[r["round"]] > 0 else 0.0
            for r in rounds)
        self.frame_ns_over = statistics.median(ns_over(float(r["mpps"]), floor_mpps[r["round"]])
                                               for r in rounds)
        self.prog_ns = median_or_none(prog_ns(r) for r in rounds)
        self.prog_ns_over = None
        if contender != "floor":
            self.prog_ns_over = median_or_none(
                prog_ns(r) - floor_prog[r["round"]]
                if prog_ns(r) is not None and floor_prog.get(r["round"]) is not None else None
                for r in rounds)
        self.not_counted = sum(int(r["sent"]) - int(r["received"]) for r in rounds)
        self.prog_names = sorted(set(r["prog_name"] for r in rounds if r["prog_name"]))
        self.floor_mpps = statistics.median(floor_mpps.values())


def prog_ns(r):
    """A round's per-packet cost of the contender's own XDP program, or None (nftables)."""
    return float(r["ns_per_packet"]) if r["ns_per_packet"] else None


class Live:
    """Part 2: the live figures by frame kind, the contenders in the order the run measured
    them, and the source used."""

    def __init__(self, out):
        table = rows(out, "live_raw.csv")
        self.sources = sorted(set(r["source"] for r in table))
        self.frames = list(dict.fromkeys(r["frame"] for r in table))
        self.contenders = list(dict.fromkeys(r["contender"] for r in table))
        self.figures = []
        for frame in self.frames:
            of_frame = [r for r in table if r["frame"] == frame]
            floor = [r for r in of_frame if r["contender"] == "floor"]
            for c in dict.fromkeys(r["contender"] for r in of_frame):
                self.figures.append(LiveFigure(frame, c, [r for r in of_frame
                                                          if r["contender"] == c], floor))
        self.by = {(f.contender, f.frame): f for f in self.figures}

    def source_text(self):
        if self.sources == ["live"]:
            return "live frames (BPF_F_TEST_XDP_LIVE_FRAMES)"
        if self.sources == ["afpacket"]:
            return "AF_PACKET (sendmmsg, PACKET_QDISC_BYPASS)"
        return "mixed sources: " + ", ".join(self.sources)

    def programs_text(self):
        """Which program each XDP contender's prog ns is of, as attached to the veth."""
        named = {}
        for f in self.figures:
            if f.prog_names:
                named.setdefault(f.contender, set()).update(f.prog_names)
        text = ", ".join("%s: %s" % (c, "/".join(sorted(n))) for c, n in named.items())
        if any("xdp_dispatcher" in n for n in named.values()):
            text += " (xdp_dispatcher: libxdp's dispatcher, which runs the filter's program " \
                    "inside its own run)"
        return text

    def of_frame(self, frame):
        return [f for f in self.figures if f.frame == frame]

    def prog_over(self, contender, frame):
        """The contender's prog ns over the floor's for the frame, or None."""
        f = self.by.get((contender, frame))
        return None if f is None else f.prog_ns_over


def ratio(over, base):
    """over / base, both ns over the floor; None when base is under a nanosecond (a ratio to
    next to nothing says nothing) or either is missing."""
    if over is None or base is None or base < 1:
        return None
    return over / base


def attached(out):
    """Part 1's attached programs, {contender: (id, name)}, and what became of libxdp's
    dispatcher ("yes", or "unavailable: " and why)."""
    progs = {}
    path = "%s/attached.csv" % out
    with open(path) as f:
        for line in f:
            name, prog_id, prog_name = line.rstrip("\n").split(",")
            progs[name] = (prog_id, prog_name)
    with open("%s/dispatcher.txt" % out) as f:
        return progs, f.read().strip()


class Control:
    """Part 3: seconds, peak RSS and map memory of load and reload, by (rules, op)."""

    def __init__(self, out):
        table = rows(out, "control_raw.csv")
        self.figures = []
        for name in dict.fromkeys(r["rules"] for r in table):
            for op in ("load", "reload"):
                rs = [r for r in table if r["rules"] == name and r["op"] == op]
                self.figures.append((name, op,
                                     statistics.median(float(r["seconds"]) for r in rs),
                                     statistics.median(int(r["max_rss_kib"]) for r in rs),
                                     statistics.median(int(r["map_bytes"]) for r in rs)))


MIB = 1024 * 1024


def control_targets(name, sec, rss_kib, map_bytes):
    """DESIGN.md's control-plane targets for one row of Control.figures, as [(text, met)]:
    the Director's maps; the 100,000-rule set's maps, load and reload time, loader RSS."""
    if name == "director":
        return [("maps <= 8 MiB", map_bytes <= 8 * MIB)]
    if name == "100000":
        return [("maps <= 96 MiB", map_bytes <= 96 * MIB), ("<= 0.5 s", sec <= 0.5),
                ("RSS < 32 MiB", rss_kib * 1024 < 32 * MIB)]
    return []
