#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""The oracle of the differential test: xpf.site(5)'s verdict table and the compiled rules of one
site file (`xpf check -j`), written as an nftables rule set for the netdev ingress hook of one
device. It is generated from the policy, not from xpf's maps: nft's own parsers (the IPv4 and
IPv6 header validation of nf_tables, ipv6_find_hdr for extension headers) and its own
matching decide.

    nft_ruleset.py RULES.json DEVICE > ruleset.nft

Each frame ends in one outcome chain that records the frame's source MAC (which carries its
index) in the set named for the outcome, then drops it (the frames go no further up the
stack). The comparison reads the sets. Outcomes are VERDICT_REASON, reasons named as xpf's
counters; `later_fragment` is a non-first fragment, whose verdict is its first fragment's:
nft keeps no state across fragments, so compare.py derives it from nft's verdict for the
first fragment. The rows about flows the host opened (replies, ICMP errors quoting them) are
not written: the test runs no egress program, so xpf has no flow open either.
"""
import ipaddress
import json
import sys

OUTCOMES = ["pass_non_ip", "pass_icmp", "drop_icmp", "pass_not_local", "drop_not_local",
            "pass_rule", "drop_rule", "pass_default", "drop_default", "pass_other_proto",
            "drop_other_proto", "drop_fragment", "drop_malformed", "later_fragment"]


def policy_outcome(action, reason):
    return "%s_%s" % ("drop" if action == "deny" else "pass", reason)


def rule_lines(rules, family):
    """One nft rule per (rule, source prefix) of the ingress rules, longest source prefix
    first, ties in rule order: xpf.site(5)'s "longest source prefix wins; equal → first row"."""
    entries = []
    for order, rule in enumerate(rules["rules"]):
        if rule["direction"] != "ingress":
            continue
        dests = [d for d in rule["destinations"]
                 if ipaddress.ip_network(d, strict=False).version == family]
        if not dests:
            continue
        for source in rule["sources"]:
            net = ipaddress.ip_network(source, strict=False)
            if net.version != family:
                continue
            entries.append((-net.prefixlen, order, net, dests, rule))
    entries.sort(key=lambda e: (e[0], e[1]))
    ip = "ip" if family == 4 else "ip6"
    lines = []
    for _, _, net, dests, rule in entries:
        protos = {"tcp": "tcp", "udp": "udp", "tcp+udp": "{ tcp, udp }"}[rule["proto"]]
        ports = str(rule["port"]) if rule["port"] == rule["port_last"] else \
            "%d-%d" % (rule["port"], rule["port_last"])
        source = "" if net.prefixlen == 0 else "%s saddr %s " % (ip, net.with_prefixlen)
        lines.append("%s%s daddr { %s } meta l4proto %s th dport %s goto %s  # rule %d" % (
            source, ip, ", ".join(dests), protos, ports,
            "pass_rule" if rule["action"] == "allow" else "drop_rule", rule["id"]))
    return lines


def ruleset(rules, device):
    policy = rules["policy"]
    local4 = [l["address"] for l in rules["locals"] if ":" not in l["address"]]
    local6 = [l["address"] for l in rules["locals"] if ":" in l["address"]]
    other = policy_outcome(policy["other"], "not_local")
    icmp = policy_outcome(policy["icmp"], "icmp")
    default = policy_outcome(policy["default"], "default")
    other_proto = policy_outcome(policy["default"], "other_proto")
    fragments_drop = policy["fragments"] == "drop"
    out = ["table netdev xpfdiff {"]
    for name in OUTCOMES:
        out.append("  set %s { type ether_addr; size 1048576; flags dynamic; }" % name)
    out.append("  set local4 { type ipv4_addr; %s}" %
               ("elements = { %s } " % ", ".join(local4) if local4 else ""))
    out.append("  set local6 { type ipv6_addr; %s}" %
               ("elements = { %s } " % ", ".join(local6) if local6 else ""))
    for name in OUTCOMES:
        out.append("  chain %s { update @%s { ether saddr } drop; }" % (name, name))

    def chain(name, lines, hook=""):
        out.append("  chain %s {" % name)
        if hook:
            out.append("    " + hook)
        out.extend("    " + line for line in lines)
        out.append("  }")

    # One VLAN tag is taken off by the kernel before the hook (skb_vlan_untag), a second by
    # vlan_pop.bpf.c on tc ingress; a third is still there: malformed, as xpf.site(5) says.
    chain("ingress", [
        "meta protocol { 8021q, 8021ad } goto drop_malformed",
        "meta protocol ip goto v4_header",
        "meta protocol ip6 goto v6_header",
        "goto pass_non_ip",
    ], 'type filter hook ingress device "%s" priority 0; policy drop;' % device)

    # nf_tables validated the IP header (version, IHL >= 5, total length inside the frame and
    # not below the header) exactly when it gives the packet an upper-layer protocol.
    chain("v4_header", ["meta l4proto 0-255 goto v4_valid", "goto drop_malformed"])
    chain("v4_valid", [
        # ICMPv4 fragmentation needed passes whatever the destination (first or only fragment)
        "ip frag-off & 0x1fff == 0 icmp type destination-unreachable icmp code frag-needed "
        "goto pass_icmp",
        "ip daddr != @local4 goto %s" % other,
        # an ICMP header without type and code, to a local address
        "meta l4proto icmp ip frag-off & 0x1fff == 0 @th,0,16 0-65535 goto v4_local",
        "meta l4proto icmp ip frag-off & 0x1fff == 0 goto drop_malformed",
        "goto v4_local",
    ])
    chain("v4_local", (["ip frag-off & 0x3fff != 0 goto drop_fragment"] if fragments_drop else []) + [
        "ip frag-off & 0x1fff != 0 goto later_fragment",
        "meta l4proto icmp goto %s" % icmp,
        "meta l4proto != { tcp, udp } goto %s" % other_proto,
        "meta l4proto tcp jump tcp_header",
        "meta l4proto udp jump udp_header",
        "jump v4_rules",
        "goto %s" % default,
    ])
    chain("v4_rules", rule_lines(rules, 4))

    chain("v6_header", ["meta l4proto 0-255 goto v6_valid", "goto drop_malformed"])
    chain("v6_valid", [
        # packet-too-big and NDP (with hop limit 255) pass whatever the destination
        # (xpf reads type and code: both must be there)
        "icmpv6 type packet-too-big @th,8,8 0-255 goto pass_icmp",
        "icmpv6 type 133-137 ip6 hoplimit 255 @th,8,8 0-255 goto pass_icmp",
        "ip6 daddr != @local6 goto %s" % other,
        "frag frag-off != 0 goto v6_local",
        "meta l4proto ipv6-icmp @th,0,16 0-65535 goto v6_local",
        "meta l4proto ipv6-icmp goto drop_malformed",
        "goto v6_local",
    ])
    # RFC 6946: offset 0 without M is an atomic fragment, a whole packet.
    chain("v6_local", ([
        "frag frag-off != 0 goto drop_fragment",
        "frag more-fragments 1 goto drop_fragment"] if fragments_drop else []) + [
        "frag frag-off != 0 goto later_fragment",
        "meta l4proto ipv6-icmp goto %s" % icmp,
        "meta l4proto != { tcp, udp } goto %s" % other_proto,
        "meta l4proto tcp jump tcp_header",
        "meta l4proto udp jump udp_header",
        "jump v6_rules",
        "goto %s" % default,
    ])
    chain("v6_rules", rule_lines(rules, 6))

    # TCP: the whole header, data offset included, inside the packet; data offset >= 5.
    tcp = ["tcp doff < 5 goto drop_malformed"]
    for doff in range(5, 16):
        tcp.append("tcp doff %d @th,%d,8 0-255 return" % (doff, doff * 32 - 8))
    tcp.append("goto drop_malformed")
    chain("tcp_header", tcp)
    # UDP: the 8-byte header inside the packet, its length field at least 8.
    chain("udp_header", [
        "udp length < 8 goto drop_malformed",
        "@th,56,8 0-255 return",
        "goto drop_malformed",
    ])
    out.append("}")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: nft_ruleset.py RULES.json DEVICE > ruleset.nft")
    with open(sys.argv[1]) as f:
        rules = json.load(f)
    sys.stdout.write(ruleset(rules, sys.argv[2]))


if __name__ == "__main__":
    main()
