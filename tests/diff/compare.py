#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Compares xpf's verdicts (xpf_classify) with nft's (nft_classify.py) frame by frame.

    compare.py META XPF_VERDICTS NFT_OUTCOMES SEED

A disagreement is explained only when the frame has the property that a documented semantic
difference names (from the generator's META, never from the verdicts alone) and xpf's reason
is the one the difference says. Anything else is unexplained and fails the test; the first
ones are printed with their frame description so that the seed reproduces them.

nft keeps no fragment state: a non-first fragment reaches nft's `later_fragment` outcome, and
its expected verdict is derived here from the verdict table of xpf.site(5) — that of the datagram's first
fragment as nft judged it, drop when the first was not seen or was malformed, drop for a TCP
fragment at offset 8 (RFC 3128).
"""
import collections
import sys

# name: (predicate on (generator properties, xpf reason, nft outcome, nft outcome of the
# datagram's first fragment for a later fragment), what it is). The predicate names the frame's
# property and the reason or outcome the difference produces.
DIFFERENCES = {
    "ipv6-chain-over-8": (
        lambda p, x, n, f: chain_length(p) > 8 and x == "malformed",
        "IPv6 chain of more than 8 extension headers: xpf walks at most 8 and calls the "
        "packet malformed; nft's ipv6_find_hdr walks any number"),
    "ipv6-ah-is-upper-layer": (
        lambda p, x, n, f: "ah" in p and (n.endswith("_other_proto") or
                                          (f or "").endswith("_other_proto") or
                                          x == "icmp"),
        "IPv6 Authentication Header: nf_tables stops its header walk at AH (IP6_FH_F_AUTH) "
        "and takes AH as the upper-layer protocol (another protocol to nft, never ICMPv6: no NDP "
        "or packet-too-big pass); xpf walks over it to TCP/UDP/ICMPv6"),
    "udp-length-past-ip": (
        lambda p, x, n, f: "udp-length-past-ip" in p and "frag-first" not in p and
        x == "malformed",
        "UDP length field past the IP packet: xpf drops it as malformed; nft cannot compare "
        "two header fields"),
    "ipv6-ext-past-packet": (
        lambda p, x, n, f: "ext-overrun" in p and x == "malformed",
        "an IPv6 extension header whose length runs past the packet: xpf drops it as "
        "malformed; ipv6_find_hdr only fails when it cannot read a header's first two bytes"),
    "padding-completes-header": (
        lambda p, x, n, f: ("padded" in p and x == "malformed") or
        ("first-padded" in p and x == "fragment"),
        "Ethernet padding after an IP packet whose TCP/UDP/ICMP header the IP length cuts "
        "short (a tiny first fragment): nft's netdev hook reads the padding as the rest of the "
        "header (the IP layer trims padding later, in ip_rcv); xpf reads up to the IP length "
        "only and drops it as malformed, and its later fragments with it"),
    "vlan-tag-cut": (
        lambda p, x, n, f: "cut-in-vlan" in p and n == "unseen" and x == "malformed",
        "tagged frame cut before the tag and the two bytes after it: the kernel frees it in "
        "skb_vlan_untag before any hook; xpf drops it as malformed"),
}


# Reasons that every run must have seen agreements on (both sites' policies produce them).
COVERAGE = ["non_ip", "icmp", "not_local", "rule", "default", "other_proto", "fragment",
            "malformed"]


def chain_length(props):
    """IPv6 extension headers in the frame, the fragment header included."""
    for p in props:
        if p.startswith("chain-"):
            return int(p[len("chain-"):])
    return 0


def read_lines(path):
    with open(path) as f:
        return [line.rstrip("\n") for line in f]


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: compare.py META XPF_VERDICTS NFT_OUTCOMES SEED")
    meta = [line.split("\t") for line in read_lines(sys.argv[1])]
    xpf = [line.split() for line in read_lines(sys.argv[2])]
    nft = read_lines(sys.argv[3])
    seed = sys.argv[4]
    if not (len(meta) == len(xpf) == len(nft)):
        sys.exit("compare: %d frames, %d xpf verdicts, %d nft outcomes" %
                 (len(meta), len(xpf), len(nft)))

    first_outcome = {}  # datagram -> nft outcome of its first fragment
    first_padded = {}   # datagram -> whether its first fragment carried Ethernet padding
    agreements = 0
    explained = collections.Counter()
    unexplained = []
    reason_mismatch = collections.Counter()
    derived = 0
    agreed_outcomes = collections.Counter()
    for index, (fields, (xpf_verdict, xpf_reason), outcome) in enumerate(zip(meta, xpf, nft)):
        props = set(fields[1].split(","))
        datagram = fields[2]
        first = None
        if "frag-first" in props and datagram != "-":
            first_outcome[datagram] = outcome
            first_padded[datagram] = "padded" in props
        if "frag-later" in props and first_padded.get(datagram):
            props.add("first-padded")
        if outcome == "later_fragment":
            derived += 1
            first = first_outcome.get(datagram)
            if "proto-6" in props and "off-8" in props:
                outcome = "drop_malformed"
            elif first is None or first == "drop_malformed" or first == "unseen":
                outcome = "drop_fragment"
            else:
                outcome = first.split("_")[0] + "_fragment"
        if outcome == "unseen":
            nft_verdict, nft_reason = "unseen", "unseen"
        else:
            nft_verdict, nft_reason = outcome.split("_", 1)
        if nft_verdict == xpf_verdict:
            agreements += 1
            agreed_outcomes[nft_reason] += 1
            if nft_reason != xpf_reason:
                reason_mismatch["xpf %s / nft %s" % (xpf_reason, nft_reason)] += 1
            continue
        for name, (applies, _) in DIFFERENCES.items():
            if applies(props, xpf_reason, outcome, first):
                explained[name] += 1
                break
        else:
            unexplained.append((index, xpf_verdict, xpf_reason, outcome, fields[1], fields[3]))

    # The run must have exercised every row of the verdict table it can: a generator that
    # stopped producing some kind of frame would otherwise pass unnoticed.
    missing = [o for o in COVERAGE if agreed_outcomes[o] == 0]
    total = len(meta)
    print("differential: seed %s: %d frames compared (%d non-first fragments judged from nft's "
          "verdict for their first), %d agree, %d disagree" %
          (seed, total, derived, agreements, total - agreements))
    for name, (_, what) in DIFFERENCES.items():
        print("  %-22s %6d  %s" % (name, explained[name], what))
    print("  %-22s %6d" % ("unexplained", len(unexplained)))
    if reason_mismatch:
        print("same verdict, reasons named differently (the verdict is what is compared):")
        for key, n in reason_mismatch.most_common():
            print("  %6d  %s" % (n, key))
    print("agreements by reason: " + ", ".join(
        "%s %d" % (r, n) for r, n in sorted(agreed_outcomes.items())))
    if missing:
        print("NOT EXERCISED: no agreement on " + ", ".join(missing))
    if unexplained:
        groups = collections.Counter((u[1], u[2], u[3]) for u in unexplained)
        print("UNEXPLAINED disagreements by (xpf verdict, xpf reason, nft outcome):")
        for (v, r, o), n in groups.most_common():
            print("  %6d  xpf %s %s / nft %s" % (n, v, r, o))
        print("first ones (frame index, properties, frame):")
        for u in unexplained[:15]:
            print("  #%d xpf %s %s / nft %s  [%s]  %s" % u)
        return 1
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
