# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Hostile packets against xpf on a real veth: the cases and their driver (tests/e2e/test_hostile.sh).

Every case is one Ethernet frame, built with scapy (then patched byte by byte where scapy would
repair what the case breaks), with its expected verdict: the reason `xpf stats -j` must count it
under (and the rule, for `rule`) and pass/drop. For each case, in order:
  1. read `xpf stats -j` in the Director's namespace;
  2. send the frame from a peer namespace (the one owning the source address, else the
     outsider's) with an AF_PACKET socket, addressed to the Director's eth0;
  3. read the stats again: exactly one packet must have been counted, under the expected
     reason (and rule), nothing anywhere else;
  4. pass/drop through the Director's stack: an AF_PACKET tap on the Director's eth0 (opened
     in its namespace) sees what XDP passed and never what it dropped.
One process does it all: sockets are opened after setns() into each namespace and keep it.
Lines starting with "ok " or "FAIL " are assertions, read by the shell test.

usage: hostile_cases.py --lab xpf-NAME --director NS --peers NS,... --xpf PATH [--prefix TEXT] [--id-base N] [--only TEXT]
       hostile_cases.py --list        (the cases, no traffic)
"""
import argparse
import ctypes
import json
import logging
import os
import socket
import struct
import subprocess
import sys
import time

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import (ARP, GRE, ICMP, IP, LLC, SCTP, TCP, UDP, Dot1AD, Dot1Q,  # noqa: E402
                       Ether, ICMPv6EchoRequest, ICMPv6ND_NS, ICMPv6ND_RS,
                       ICMPv6MLReport2, ICMPv6ND_NA, ICMPv6PacketTooBig, IPv6,
                       RouterAlert, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                       IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, Raw)

# The lab (scripts/lab.sh) and examples/director.site.
VIP4, VIP6 = "192.0.2.100", "2001:db8:1::100"
DIR4, DIR6 = "192.0.2.101", "2001:db8:1::101"
PROXY4, PROXY6 = "192.0.2.10", "2001:db8:1::10"
EDGE4, EDGE6 = "192.0.2.50", "2001:db8:1::50"
FE4, FE6 = "192.0.2.20", "2001:db8:1::20"
CLI4, CLI6 = "198.51.100.10", "2001:db8:100::10"
OUT4, OUT6 = "203.0.113.99", "2001:db8:ff::99"
ADMIN4 = "203.0.113.5"            # inside Admin workstations (203.0.113.0/28)
QUARANTINED4 = "198.51.100.66"    # the site's deny row
NOBODY4, NOBODY6 = "192.0.2.77", "2001:db8:1::77"   # on the link, not local, nobody's

# What each reason means for the packet, with this site's policies (default drop, other pass,
# icmp pass, fragments track). Rules: allow -> pass, deny -> drop. fragment: given per case.
REASON_ACTION = {"non_ip": "pass", "icmp": "pass", "not_local": "pass", "default": "drop",
                 "other_proto": "drop", "malformed": "drop", "reply": "pass"}

PEER_OF = {PROXY4: "rp", PROXY6: "rp", EDGE4: "edge", EDGE6: "edge", FE4: "fe", FE6: "fe",
           CLI4: "cli", CLI6: "cli", OUT4: "out", OUT6: "out"}


class Case:
    def __init__(self, name, category, frame, reason, rule=None, action=None, src=None):
        self.name, self.category, self.reason, self.rule = name, category, reason, rule
        self.frame = frame                  # a scapy packet below Ether, or bytes (whole frame)
        if action is None:
            action = ("drop" if rule[1] == "deny" else "pass") if rule else REASON_ACTION[reason]
        self.action = action
        self.src = src


def patch(frame, offset, data):
    """frame (bytes) with data written at offset (offset counted from the Ethernet header)."""
    return frame[:offset] + data + frame[offset + len(data):]


def tcp_bytes(src, dst, dport, flags="S", v6=False, payload=b""):
    ip = IPv6(src=src, dst=dst) if v6 else IP(src=src, dst=dst)
    return bytes((ip / TCP(sport=40000, dport=dport, flags=flags) / payload)[TCP])


def udp_bytes(src, dst, dport, payload=b"hostile!"):
    return bytes((IP(src=src, dst=dst) / UDP(sport=40001, dport=dport) / payload)[UDP])


ETH = 14
ANY_MAC = "00:00:5e:00:53:ff"      # RFC 7042 documentation MAC: overwritten before sending


def mac_bytes(mac):
    return bytes.fromhex(mac.replace(":", ""))


def build_cases(fid):
    """fid: first fragment id of this run (distinct per run, so no run sees another's)."""
    R = lambda label, action="allow": (label, action)  # noqa: E731
    c = []

    def add(*args, **kw):
        c.append(Case(*args, **kw))

    def tcp4(src, dst, dport, **kw):
        return IP(src=src, dst=dst) / TCP(sport=40000, dport=dport, flags="S", **kw)

    def tcp6(src, dst, dport):
        return IPv6(src=src, dst=dst) / TCP(sport=40000, dport=dport, flags="S")

    # --- non-IP ------------------------------------------------------------------------------
    add("arp who-has (broadcast)", "non_ip",
        Ether(dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, psrc=OUT4, pdst=NOBODY4), "non_ip")
    add("lldp (01:80:c2:00:00:0e, 0x88cc)", "non_ip",
        Ether(dst="01:80:c2:00:00:0e", type=0x88CC) /
        Raw(bytes.fromhex("020704000000005301040403") + b"eth0" + bytes(2)), "non_ip")
    add("made-up ethertype 0x88b5", "non_ip", Ether(type=0x88B5) / Raw(b"\x45" * 40), "non_ip")
    add("802.3 length field + LLC", "non_ip",
        Ether() / LLC(dsap=0x42, ssap=0x42, ctrl=3) / Raw(b"x" * 40), "non_ip")
    add("arp inside one 802.1Q tag", "non_ip",
        Ether(dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=10) / ARP(psrc=OUT4, pdst=NOBODY4), "non_ip")
    add("arp inside 802.1ad + 802.1Q tags", "non_ip",
        Ether(dst="ff:ff:ff:ff:ff:ff") / Dot1AD(vlan=100) / Dot1Q(vlan=10) /
        ARP(psrc=OUT4, pdst=NOBODY4), "non_ip")
    add("IPv4 behind a 0x9100 tag (a tag neither xpf nor Linux unwraps)", "non_ip",
        Ether(type=0x9100) / Raw(b"\x00\x0a\x08\x00") / tcp4(CLI4, VIP4, 80), "non_ip")
    add("Ethernet header only, ethertype ARP (14 bytes)", "non_ip",
        bytes(12) + b"\x08\x06", "non_ip")

    # --- NDP, PTB, frag-needed: any destination ---------------------------------------------
    sn77 = "ff02::1:ff00:77"     # solicited-node group of NOBODY6: not a local address
    add("ndp NS hop limit 255 to a solicited-node group", "icmp_essential",
        Ether(dst="33:33:ff:00:00:77") / IPv6(src="fe80::99", dst=sn77, hlim=255) /
        ICMPv6ND_NS(tgt=NOBODY6), "icmp")
    add("ndp NS hop limit 64 to a solicited-node group (forged NDP)", "icmp_essential",
        Ether(dst="33:33:ff:00:00:77") / IPv6(src="fe80::99", dst=sn77, hlim=64) /
        ICMPv6ND_NS(tgt=NOBODY6), "not_local")
    add("ndp NS hop limit 64 to the Director (other ICMPv6 to local)", "icmp_essential",
        IPv6(src=OUT6, dst=DIR6, hlim=64) / ICMPv6ND_NS(tgt=NOBODY6), "icmp")
    add("ndp RS hop limit 255 to ff02::2", "icmp_essential",
        Ether(dst="33:33:00:00:00:02") / IPv6(src="fe80::99", dst="ff02::2", hlim=255) /
        ICMPv6ND_RS(), "icmp")
    quoted6 = bytes(IPv6(src=NOBODY6, dst=OUT6) / UDP(sport=5000, dport=6000))
    add("ICMPv6 packet too big to a non-local address", "icmp_essential",
        IPv6(src=OUT6, dst=NOBODY6) / ICMPv6PacketTooBig(mtu=1280) / Raw(quoted6), "icmp")
    add("ICMPv6 packet too big to the VIP", "icmp_essential",
        IPv6(src=OUT6, dst=VIP6) / ICMPv6PacketTooBig(mtu=1280) / Raw(quoted6), "icmp")
    quoted4 = bytes(IP(src=NOBODY4, dst=OUT4) / UDP(sport=5000, dport=6000))
    add("ICMPv4 frag-needed to a non-local address", "icmp_essential",
        IP(src=OUT4, dst=NOBODY4) / ICMP(type=3, code=4, nexthopmtu=1400) / Raw(quoted4), "icmp")
    add("ICMPv4 frag-needed to the Director", "icmp_essential",
        IP(src=OUT4, dst=DIR4) / ICMP(type=3, code=4, nexthopmtu=1400) /
        Raw(bytes(IP(src=DIR4, dst=OUT4) / UDP(sport=5000, dport=6000))), "icmp")
    add("ICMPv4 port unreachable to a non-local address (not essential)", "icmp_essential",
        IP(src=OUT4, dst=NOBODY4) / ICMP(type=3, code=3) / Raw(quoted4), "not_local")
    add("ndp NA hop limit 255 to the Director", "icmp_essential",
        IPv6(src=OUT6, dst=DIR6, hlim=255) / ICMPv6ND_NA(tgt=NOBODY6), "icmp")
    add("MLDv2 report behind hop-by-hop (router alert) to ff02::16", "icmp_essential",
        Ether(dst="33:33:00:00:00:16") / IPv6(src="fe80::99", dst="ff02::16", hlim=1) /
        IPv6ExtHdrHopByHop(options=[RouterAlert()]) / ICMPv6MLReport2(), "not_local")

    # --- not local -------------------------------------------------------------------------
    add("TCP to an on-link address that is not local", "not_local",
        tcp4(OUT4, NOBODY4, 22), "not_local")
    add("UDP to the subnet broadcast 192.0.2.255", "not_local",
        Ether(dst="ff:ff:ff:ff:ff:ff") / IP(src=OUT4, dst="192.0.2.255") / UDP(dport=9), "not_local")
    add("UDP to 255.255.255.255", "not_local",
        Ether(dst="ff:ff:ff:ff:ff:ff") / IP(src=OUT4, dst="255.255.255.255") / UDP(dport=9),
        "not_local")
    add("UDP to multicast 239.1.2.3", "not_local",
        Ether(dst="01:00:5e:01:02:03") / IP(src=OUT4, dst="239.1.2.3", ttl=1) / UDP(dport=9),
        "not_local")
    add("UDP to ff02::1", "not_local",
        Ether(dst="33:33:00:00:00:01") / IPv6(src=OUT6, dst="ff02::1") / UDP(dport=9), "not_local")
    add("TCP to a non-local IPv6 address", "not_local", tcp6(OUT6, NOBODY6, 50001), "not_local")
    add("ICMP echo to the subnet broadcast", "not_local",
        Ether(dst="ff:ff:ff:ff:ff:ff") / IP(src=OUT4, dst="192.0.2.255") / ICMP(), "not_local")

    # --- other ICMP to local -----------------------------------------------------------------
    add("ICMP echo request to the Director", "icmp_local",
        IP(src=OUT4, dst=DIR4) / ICMP(type=8, id=7, seq=1) / Raw(b"ping"), "icmp")
    add("ICMPv6 echo request to the VIP", "icmp_local",
        IPv6(src=OUT6, dst=VIP6) / ICMPv6EchoRequest(id=7, seq=1), "icmp")
    add("ICMP time exceeded to the Director", "icmp_local",
        IP(src=OUT4, dst=DIR4) / ICMP(type=11, code=0) /
        Raw(bytes(IP(src=DIR4, dst=OUT4) / UDP(sport=5000, dport=6000))), "icmp")
    # ICMPv6's protocol number inside IPv4 (and ICMPv4's inside IPv6) is no ICMP the stack
    # knows: an unknown protocol, for policy default like any other.
    add("IPv4 protocol 58 (ICMPv6's number) to the Director", "icmp_local",
        IP(src=OUT4, dst=DIR4, proto=58) / Raw(b"\x80\x00\x00\x00" + b"x" * 12), "other_proto")
    add("IPv6 next header 1 (ICMPv4's number) to the Director", "icmp_local",
        IPv6(src=OUT6, dst=DIR6, nh=1) / Raw(b"\x08\x00\x00\x00" + b"x" * 12), "other_proto")

    # --- TCP/UDP rows, right and wrong roles --------------------------------------------------
    add("8080 proxy -> VIP", "rows", tcp4(PROXY4, VIP4, 8080), "rule", R("HTTP/TCP 8080"))
    add("8080 proxy -> VIP (v6)", "rows", tcp6(PROXY6, VIP6, 8080), "rule", R("HTTP/TCP 8080"))
    add("8080 edge -> VIP (wrong source)", "rows", tcp4(EDGE4, VIP4, 8080), "default")
    add("8080 proxy -> Director (wrong destination)", "rows", tcp4(PROXY4, DIR4, 8080), "default")
    add("4443 proxy -> VIP", "rows", tcp4(PROXY4, VIP4, 4443), "rule", R("HTTPS/TCP 4443"))
    add("4443 client -> VIP (wrong source)", "rows", tcp4(CLI4, VIP4, 4443), "default")
    add("444 front end -> Director, unsolicited (outbound row)", "rows",
        IP(src=FE4, dst=DIR4) / TCP(sport=444, dport=45678, flags="SA"), "default")
    add("80 client -> VIP", "rows", tcp4(CLI4, VIP4, 80), "rule", R("HTTP/TCP 80"))
    add("80 client -> VIP (v6)", "rows", tcp6(CLI6, VIP6, 80), "rule", R("HTTP/TCP 80"))
    add("80 outsider -> VIP (wrong source)", "rows", tcp4(OUT4, VIP4, 80), "default")
    add("443 client -> VIP", "rows", tcp4(CLI4, VIP4, 443), "rule", R("HTTPS/TCP 443"))
    add("443 client -> VIP (v6)", "rows", tcp6(CLI6, VIP6, 443), "rule", R("HTTPS/TCP 443"))
    add("443 quarantined client -> VIP (deny row)", "rows",
        tcp4(QUARANTINED4, VIP4, 443), "rule", R("HTTPS/TCP 443", "deny"))
    add("443 client -> Director (wrong destination)", "rows", tcp4(CLI4, DIR4, 443), "default")
    add("5061 edge -> Director", "rows", tcp4(EDGE4, DIR4, 5061), "rule", R("SIP/MTLS/TCP 5061"))
    add("5061 edge -> Director (v6)", "rows", tcp6(EDGE6, DIR6, 5061), "rule",
        R("SIP/MTLS/TCP 5061"))
    add("5061 proxy -> Director (wrong source)", "rows", tcp4(PROXY4, DIR4, 5061), "default")
    add("5061 edge -> VIP (wrong destination)", "rows", tcp4(EDGE4, VIP4, 5061), "default")
    add("50001 outsider -> Director", "rows", tcp4(OUT4, DIR4, 50001), "rule", R("MTLS/TCP/50001"))
    add("50002 outsider -> Director (v6)", "rows", tcp6(OUT6, DIR6, 50002), "rule",
        R("MTLS/TCP/50002"))
    add("50003 client -> Director", "rows", tcp4(CLI4, DIR4, 50003), "rule", R("MTLS/TCP/50003"))
    add("50003 outsider -> VIP (wrong destination)", "rows", tcp4(OUT4, VIP4, 50003), "default")
    add("50004 outsider -> Director (no row)", "rows", tcp4(OUT4, DIR4, 50004), "default")
    add("22 admin workstation -> Director", "rows", tcp4(ADMIN4, DIR4, 22), "rule", R("SSH/TCP 22"))
    add("22 outsider -> Director (outside the admin /28)", "rows", tcp4(OUT4, DIR4, 22), "default")
    add("UDP 8080 proxy -> VIP (the row is TCP)", "rows",
        IP(src=PROXY4, dst=VIP4) / UDP(sport=40001, dport=8080), "default")

    # --- other IP protocols to local -----------------------------------------------------------
    add("GRE to the Director", "other_proto", IP(src=OUT4, dst=DIR4) / GRE() / Raw(b"x" * 20),
        "other_proto")
    add("SCTP to the VIP", "other_proto", IP(src=CLI4, dst=VIP4) / SCTP(sport=1, dport=80),
        "other_proto")
    add("ESP to the Director (v6)", "other_proto",
        IPv6(src=OUT6, dst=DIR6, nh=50) / Raw(b"\0\0\0\1\0\0\0\1" + b"x" * 24), "other_proto")
    add("IPv6 no next header to the VIP", "other_proto",
        IPv6(src=OUT6, dst=VIP6, nh=59), "other_proto")

    # --- fragments -------------------------------------------------------------------------
    def frag4(src, dst, proto, data, off, mf, ident):
        return IP(src=src, dst=dst, id=ident, proto=proto, flags="MF" if mf else 0,
                  frag=off) / Raw(data)

    t80 = tcp_bytes(CLI4, VIP4, 80, payload=b"abcd")               # 24 bytes: 3 units
    add("first fragment 80 client -> VIP (admitted)", "fragments",
        frag4(CLI4, VIP4, 6, t80, 0, True, fid), "rule", R("HTTP/TCP 80"))
    add("... its second fragment (middle)", "fragments",
        frag4(CLI4, VIP4, 6, b"m" * 16, 3, True, fid), "fragment", action="pass")
    add("... its last fragment", "fragments",
        frag4(CLI4, VIP4, 6, b"z" * 10, 5, False, fid), "fragment", action="pass")
    add("... an overlapping fragment at offset 8 of it (RFC 3128)", "fragments",
        frag4(CLI4, VIP4, 6, tcp_bytes(CLI4, VIP4, 22)[:16], 1, True, fid), "malformed")
    t443 = tcp_bytes(QUARANTINED4, VIP4, 443, payload=b"abcd")
    add("first fragment 443 quarantined -> VIP (deny row)", "fragments",
        frag4(QUARANTINED4, VIP4, 6, t443, 0, True, fid + 1), "rule",
        R("HTTPS/TCP 443", "deny"))
    add("... its last fragment (denied)", "fragments",
        frag4(QUARANTINED4, VIP4, 6, b"z" * 10, 3, False, fid + 1), "fragment", action="drop")
    add("first fragment 9999 outsider -> Director (default)", "fragments",
        frag4(OUT4, DIR4, 6, tcp_bytes(OUT4, DIR4, 9999, payload=b"abcd"), 0, True, fid + 2),
        "default")
    add("... its last fragment (default-dropped)", "fragments",
        frag4(OUT4, DIR4, 6, b"z" * 10, 3, False, fid + 2), "fragment", action="drop")
    add("first fragment of GRE to the Director (other_proto)", "fragments",
        frag4(OUT4, DIR4, 47, b"\0\0\x08\0" + b"g" * 12, 0, True, fid + 3), "other_proto")
    add("... its last fragment", "fragments",
        frag4(OUT4, DIR4, 47, b"z" * 10, 2, False, fid + 3), "fragment", action="drop")
    add("orphan non-first fragment (first never seen)", "fragments",
        frag4(CLI4, VIP4, 6, b"z" * 16, 20, False, fid + 4), "fragment", action="drop")
    add("orphan TCP fragment at offset 8 (RFC 3128)", "fragments",
        frag4(CLI4, VIP4, 6, tcp_bytes(CLI4, VIP4, 80)[8:16], 1, True, fid + 5), "malformed")
    add("tiny first fragment: 8 bytes of TCP (RFC 1858)", "fragments",
        frag4(CLI4, VIP4, 6, tcp_bytes(CLI4, VIP4, 80)[:8], 0, True, fid + 6), "malformed")
    add("... its rest at offset 16, rewriting nothing (first not admitted)", "fragments",
        frag4(CLI4, VIP4, 6, b"z" * 16, 2, False, fid + 6), "fragment", action="drop")
    add("tiny first fragment: 4 bytes of UDP (RFC 1858)", "fragments",
        frag4(CLI4, DIR4, 17, udp_bytes(CLI4, DIR4, 53)[:4], 0, True, fid + 7), "malformed")
    t6 = tcp_bytes(CLI6, VIP6, 80, v6=True, payload=b"abcd")
    add("IPv6 first fragment 80 client -> VIP (admitted)", "fragments",
        IPv6(src=CLI6, dst=VIP6) / IPv6ExtHdrFragment(nh=6, offset=0, m=1, id=fid) / Raw(t6),
        "rule", R("HTTP/TCP 80"))
    add("... its last fragment (v6)", "fragments",
        IPv6(src=CLI6, dst=VIP6) / IPv6ExtHdrFragment(nh=6, offset=3, m=0, id=fid) /
        Raw(b"z" * 10), "fragment", action="pass")
    add("... an overlapping v6 fragment at offset 8 (RFC 3128)", "fragments",
        IPv6(src=CLI6, dst=VIP6) / IPv6ExtHdrFragment(nh=6, offset=1, m=1, id=fid) /
        Raw(b"y" * 16), "malformed")
    add("IPv6 orphan non-first fragment", "fragments",
        IPv6(src=CLI6, dst=VIP6) / IPv6ExtHdrFragment(nh=6, offset=40, m=0, id=fid + 1) /
        Raw(b"z" * 16), "fragment", action="drop")
    add("IPv6 first fragment ending inside a dest-options header (RFC 7112)", "fragments",
        IPv6(src=CLI6, dst=VIP6) / IPv6ExtHdrFragment(nh=60, offset=0, m=1, id=fid + 2) /
        Raw(bytes([6, 3]) + b"\x01\x04\0\0\0\0"), "malformed")
    add("IPv6 first fragment with 8 bytes of TCP (RFC 7112)", "fragments",
        IPv6(src=CLI6, dst=VIP6) / IPv6ExtHdrFragment(nh=6, offset=0, m=1, id=fid + 3) /
        Raw(t6[:8]), "malformed")
    t6d = bytes(IPv6ExtHdrDestOpt(nh=6)) + tcp_bytes(CLI6, VIP6, 80, v6=True, payload=b"abcd")
    add("IPv6 first fragment: dest-options then TCP 80 client -> VIP (admitted)", "fragments",
        IPv6(src=CLI6, dst=VIP6) / IPv6ExtHdrFragment(nh=60, offset=0, m=1, id=fid + 5) /
        Raw(t6d), "rule", R("HTTP/TCP 80"))
    add("... a fragment at offset 16: inside its TCP header behind the option (RFC 3128)",
        "fragments", IPv6(src=CLI6, dst=VIP6) /
        IPv6ExtHdrFragment(nh=60, offset=2, m=1, id=fid + 5) / Raw(b"y" * 16), "malformed")
    add("... its last fragment, at offset 32", "fragments",
        IPv6(src=CLI6, dst=VIP6) / IPv6ExtHdrFragment(nh=60, offset=4, m=0, id=fid + 5) /
        Raw(b"z" * 10), "fragment", action="pass")
    add("UDP first fragment whose UDP length covers the whole datagram (53 -> Director)",
        "fragments", frag4(CLI4, DIR4, 17, udp_bytes(CLI4, DIR4, 53, b"q" * 40)[:16], 0, True,
                           fid + 8), "default")
    add("ICMP echo in two fragments to the Director: first", "fragments",
        frag4(OUT4, DIR4, 1, bytes(ICMP(type=8, id=9, seq=1) / Raw(b"p" * 40))[:24], 0, True,
              fid + 9), "icmp")
    add("... its last fragment", "fragments",
        frag4(OUT4, DIR4, 1, b"p" * 24, 3, False, fid + 9), "fragment", action="pass")
    add("a rest with the id of an admitted datagram but another protocol (UDP)", "fragments",
        frag4(CLI4, VIP4, 17, b"z" * 16, 3, False, fid), "fragment", action="drop")
    add("a rest with the id of an admitted datagram but another source", "fragments",
        frag4("198.51.100.11", VIP4, 6, b"z" * 16, 3, False, fid), "fragment", action="drop")
    add("a non-first fragment to a non-local address", "fragments",
        frag4(CLI4, NOBODY4, 6, b"z" * 16, 3, False, fid + 10), "not_local")
    add("ICMPv6 packet too big as a non-first fragment to the Director", "fragments",
        IPv6(src=OUT6, dst=DIR6) / IPv6ExtHdrFragment(nh=58, offset=10, m=0, id=fid + 6) /
        Raw(bytes(ICMPv6PacketTooBig(mtu=1280))), "fragment", action="drop")
    add("IPv6 atomic fragment (offset 0, M=0): a whole packet", "fragments",
        IPv6(src=CLI6, dst=VIP6) / IPv6ExtHdrFragment(nh=6, offset=0, m=0, id=fid + 4) /
        Raw(tcp_bytes(CLI6, VIP6, 80, v6=True)), "rule", R("HTTP/TCP 80"))

    # --- malformed -------------------------------------------------------------------------
    def raw(pkt):
        """Bytes of a whole frame (the driver writes its MAC addresses over the first 12)."""
        if not pkt.haslayer(Ether):
            pkt = Ether(dst=ANY_MAC, src=ANY_MAC) / pkt
        return bytes(pkt)

    f = raw(tcp4(CLI4, VIP4, 80))
    add("IPv4 IHL 4", "malformed", patch(f, ETH, b"\x44"), "malformed")
    add("IPv4 IHL 0", "malformed", patch(f, ETH, b"\x40"), "malformed")
    add("IPv4 total length beyond the frame", "malformed",
        patch(f, ETH + 2, struct.pack("!H", 200)), "malformed")
    add("IPv4 total length shorter than its header", "malformed",
        patch(f, ETH + 2, struct.pack("!H", 16)), "malformed")
    add("Ethernet header only, ethertype IPv4 (14 bytes)", "malformed",
        bytes(12) + b"\x08\x00", "malformed")
    add("an 802.1Q tag then 2 bytes of IPv4 header (20 bytes)", "malformed",
        bytes(12) + b"\x81\x00\x00\x0a\x08\x00\x45\x00", "malformed")
    add("IPv4 header cut short (frame ends at byte 10 of it)", "malformed",
        f[:ETH + 10], "malformed")
    add("version 6 header under ethertype IPv4", "malformed",
        bytes(Ether(dst=ANY_MAC, src=ANY_MAC, type=0x0800) / tcp6(CLI6, VIP6, 80)), "malformed")
    add("TCP data offset 4", "malformed", patch(f, ETH + 20 + 12, b"\x40"), "malformed")
    add("TCP data offset 15 past the packet", "malformed", patch(f, ETH + 20 + 12, b"\xf0"),
        "malformed")
    add("TCP header truncated (10 bytes)", "malformed",
        raw(IP(src=CLI4, dst=VIP4, proto=6) / Raw(tcp_bytes(CLI4, VIP4, 80)[:10])), "malformed")
    add("TCP with no header at all (total length 20)", "malformed",
        raw(IP(src=CLI4, dst=VIP4, proto=6)), "malformed")
    u = raw(IP(src=CLI4, dst=DIR4) / UDP(sport=40001, dport=53) / Raw(b"q" * 12))
    add("UDP length 4", "malformed", patch(u, ETH + 20 + 4, struct.pack("!H", 4)), "malformed")
    add("UDP length past the IP packet", "malformed",
        patch(u, ETH + 20 + 4, struct.pack("!H", 100)), "malformed")
    add("UDP header truncated (6 bytes)", "malformed",
        raw(IP(src=CLI4, dst=DIR4, proto=17) / Raw(udp_bytes(CLI4, DIR4, 53)[:6])), "malformed")
    add("ICMP header truncated (1 byte) to the Director", "malformed",
        raw(IP(src=OUT4, dst=DIR4, proto=1) / Raw(b"\x08")), "malformed")
    add("ICMPv6 header truncated (1 byte) to the Director", "malformed",
        raw(IPv6(src=OUT6, dst=DIR6, nh=58) / Raw(b"\x80")), "malformed")
    add("ICMP header truncated (1 byte) to a non-local address", "malformed",
        raw(IP(src=OUT4, dst=NOBODY4, proto=1) / Raw(b"\x08")), "not_local")
    g = raw(tcp6(CLI6, VIP6, 80))
    add("IPv6 payload length beyond the frame", "malformed",
        patch(g, ETH + 4, struct.pack("!H", 300)), "malformed")
    add("IPv6 header cut short (frame ends at byte 30 of it)", "malformed", g[:ETH + 30],
        "malformed")
    add("IPv6 hop-by-hop header running past the packet", "malformed",
        IPv6(src=CLI6, dst=VIP6, nh=0) / Raw(bytes([6, 5]) + b"\x01\x04\0\0\0\0" + b"\0" * 8),
        "malformed")
    add("IPv6 routing header cut after 1 byte", "malformed",
        IPv6(src=CLI6, dst=VIP6, nh=43) / Raw(b"\x06"), "malformed")
    chain = lambda n, nh=6: IPv6(src=CLI6, dst=VIP6, nh=60) / b"".join(  # noqa: E731
        bytes([60 if i < n - 1 else nh, 0]) + b"\x01\x04\0\0\0\0" for i in range(n))
    add("9 chained IPv6 extension headers", "malformed",
        chain(9) / Raw(tcp_bytes(CLI6, VIP6, 80, v6=True)), "malformed")
    add("8 chained IPv6 extension headers (the limit) then TCP 80", "ipv6_ext",
        chain(8) / Raw(tcp_bytes(CLI6, VIP6, 80, v6=True)), "rule", R("HTTP/TCP 80"))
    add("hop-by-hop + routing + dest-options then TCP 5061 edge -> Director", "ipv6_ext",
        IPv6(src=EDGE6, dst=DIR6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrRouting() /
        IPv6ExtHdrDestOpt() / TCP(sport=40000, dport=5061, flags="S"), "rule",
        R("SIP/MTLS/TCP 5061"))
    add("AH then TCP 22 outsider -> Director (v6, no row)", "ipv6_ext",
        IPv6(src=OUT6, dst=DIR6, nh=51) / Raw(bytes([6, 4, 0, 0]) + b"\0" * 20) /
        Raw(tcp_bytes(OUT6, DIR6, 22, v6=True)), "default")
    add("3 VLAN tags (802.1ad, 802.1Q, 802.1Q) around TCP 80", "malformed",
        Ether() / Dot1AD(vlan=100) / Dot1Q(vlan=10) / Dot1Q(vlan=20) / tcp4(CLI4, VIP4, 80),
        "malformed")
    add("3 VLAN tags around ARP", "malformed",
        Ether(dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=1) / Dot1Q(vlan=2) / Dot1Q(vlan=3) /
        ARP(psrc=OUT4, pdst=NOBODY4), "malformed")
    add("2 VLAN tags then a third cut short", "malformed",
        bytes(Ether(dst=ANY_MAC, src=ANY_MAC) / Dot1AD(vlan=100) / Dot1Q(vlan=10, type=0x8100) / Raw(b"\x00\x14")),
        "malformed")

    # --- VLAN-tagged (skipped up to two tags) -----------------------------------------------
    add("802.1Q tag: 80 client -> VIP", "vlan",
        Ether() / Dot1Q(vlan=10) / tcp4(CLI4, VIP4, 80), "rule", R("HTTP/TCP 80"))
    add("802.1ad tag alone: 443 client -> VIP", "vlan",
        Ether() / Dot1AD(vlan=100) / tcp4(CLI4, VIP4, 443), "rule", R("HTTPS/TCP 443"))
    add("802.1Q tag: 8080 outsider -> VIP", "vlan",
        Ether() / Dot1Q(vlan=10) / tcp4(OUT4, VIP4, 8080), "default")
    add("802.1ad + 802.1Q tags: 5061 edge -> Director", "vlan",
        Ether() / Dot1AD(vlan=100) / Dot1Q(vlan=10) / tcp4(EDGE4, DIR4, 5061), "rule",
        R("SIP/MTLS/TCP 5061"))
    add("802.1Q + 802.1Q tags: 4443 proxy -> VIP (v6)", "vlan",
        Ether() / Dot1Q(vlan=10) / Dot1Q(vlan=20) / tcp6(PROXY6, VIP6, 4443), "rule",
        R("HTTPS/TCP 4443"))
    add("802.1Q tag: IPv4 total length beyond the frame", "vlan",
        patch(raw(Ether(dst=ANY_MAC, src=ANY_MAC) / Dot1Q(vlan=10) / tcp4(CLI4, VIP4, 80)), ETH + 4 + 2,
              struct.pack("!H", 60)), "malformed")

    # --- IPv4 options ------------------------------------------------------------------------
    add("IPv4 options (NOPs, IHL 6): 80 client -> VIP", "ipv4_options",
        IP(src=CLI4, dst=VIP4, options=[b"\x01\x01\x01\x00"]) /
        TCP(sport=40000, dport=80, flags="S"), "rule", R("HTTP/TCP 80"))
    add("IPv4 options (record route, IHL 15): 5061 edge -> Director", "ipv4_options",
        IP(src=EDGE4, dst=DIR4, options=[b"\x07\x27\x04" + b"\0" * 36 + b"\x00"]) /
        TCP(sport=40000, dport=5061, flags="S"), "rule", R("SIP/MTLS/TCP 5061"))
    add("IPv4 options with a bogus option length: 8080 outsider -> VIP", "ipv4_options",
        IP(src=OUT4, dst=VIP4, options=[b"\x07\x00\x00\x00"]) /
        TCP(sport=40000, dport=8080, flags="S"), "default")
    add("IPv4 IHL 15, total length 60: the TCP header lies past the packet", "ipv4_options",
        patch(raw(IP(src=CLI4, dst=VIP4, options=[b"\x01" * 40]) /
                  TCP(sport=40000, dport=80, flags="S")), ETH + 2, struct.pack("!H", 60)),
        "malformed")

    # --- Ethernet padding ------------------------------------------------------------------
    add("padding to 60 bytes: 80 client -> VIP", "padding",
        raw(tcp4(CLI4, VIP4, 80)) + b"\0" * 6, "rule", R("HTTP/TCP 80"))
    add("200 bytes of garbage after the IP packet: 50001 outsider -> Director", "padding",
        raw(tcp4(OUT4, DIR4, 50001)) + b"\xff" * 200, "rule", R("MTLS/TCP/50001"))
    add("padding after an IPv6 packet: 5061 edge -> Director", "padding",
        raw(tcp6(EDGE6, DIR6, 5061)) + b"\xee" * 18, "rule", R("SIP/MTLS/TCP 5061"))
    add("UDP with padding after it: 53 client -> Director", "padding",
        raw(IP(src=CLI4, dst=DIR4) / UDP(sport=40001, dport=53) / Raw(b"q")) + b"\0" * 20,
        "default")
    add("padding does not complete a TCP header (data offset 6, 4 bytes of padding)", "padding",
        patch(raw(tcp4(CLI4, VIP4, 80)), ETH + 20 + 12, b"\x60") + b"\0\0\0\0", "malformed")
    add("padding does not complete a UDP datagram (length 20, 8 in the packet)", "padding",
        patch(raw(IP(src=CLI4, dst=DIR4) / UDP(sport=40001, dport=53)), ETH + 20 + 4,
              struct.pack("!H", 20)) + b"\0" * 12, "malformed")
    return c


# --- the driver -----------------------------------------------------------------------------

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def enter_netns(name):
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), f"setns {name}")
    os.close(fd)


def packet_socket(ns, iface="eth0"):
    enter_netns(ns)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    s.bind((iface, 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    s.setblocking(False)
    return s


def iface_mac(ns, iface="eth0"):
    out = subprocess.run(["ip", "-n", ns, "-j", "link", "show", iface], capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)[0]["address"]


TAGS = (b"\x81\x00", b"\x88\xa8")


def untagged(frame):
    """The frame without its VLAN tags: what the Director's tap sees depends on offloads."""
    while len(frame) >= 18 and frame[12:14] in TAGS:
        frame = frame[:12] + frame[16:]
    return frame


class Driver:
    def __init__(self, args):
        self.args = args
        self.failures = 0
        self.dmac = iface_mac(args.director)
        self.senders = {}
        for ns in args.peers.split(","):
            self.senders[ns] = (packet_socket(ns), iface_mac(ns))
        self.tap = packet_socket(args.director)
        self.prefix = args.prefix

    def say(self, ok, text):
        print(("ok   " if ok else "FAIL ") + f"{self.prefix}{text}", flush=True)
        if not ok:
            self.failures += 1

    def stats(self):
        r = subprocess.run(["ip", "netns", "exec", self.args.director, self.args.xpf, "stats",
                            "-j", "eth0"], capture_output=True, text=True, timeout=20)
        if r.returncode != 0:
            raise RuntimeError(f"xpf stats: {r.stderr.strip()}")
        d = json.loads(r.stdout)["interfaces"][0]
        reasons = {k: v["packets"] for k, v in d["reasons"].items()}
        rules = {r["id"]: r["packets"] for r in d["rules"]}
        self.rule_ids = {(r["label"], r["action"]): r["id"] for r in d["rules"]}
        self.rule_names = {r["id"]: f'{r["label"]} ({r["action"]}, {r["origin"]}:{r["line"]})'
                           for r in d["rules"]}
        return reasons, rules

    def drain(self):
        got = []
        while True:
            try:
                data, addr = self.tap.recvfrom(65536)
            except BlockingIOError:
                return got
            if addr[2] != socket.PACKET_OUTGOING:
                got.append(untagged(data))

    def frame_of(self, case, smac):
        """Unicast to the Director's MAC unless the case names a group address."""
        f = case.frame
        if isinstance(f, bytes):
            return mac_bytes(self.dmac) + mac_bytes(smac) + f[12:]
        f = f.copy() if f.haslayer(Ether) else Ether() / f
        if "dst" not in f[Ether].fields:
            f[Ether].dst = self.dmac
        f[Ether].src = smac
        return bytes(f)

    def sender_for(self, case):
        src = None
        f = case.frame
        if not isinstance(f, bytes):
            if f.haslayer(IP):
                src = f[IP].src
            elif f.haslayer(IPv6):
                src = f[IPv6].src
        ns = self.args.lab + "-" + PEER_OF.get(src, "out")
        return self.senders[ns]

    def run_case(self, case, before):
        sock, smac = self.sender_for(case)
        frame = self.frame_of(case, smac)
        self.drain()
        sock.send(frame)
        deadline = time.monotonic() + 1.5
        while True:
            after = self.stats()
            moved = sum(after[0].values()) - sum(before[0].values())
            if moved >= 1 or time.monotonic() > deadline:
                break
            time.sleep(0.003)
        after = self.stats()   # anything counted late shows here
        rd = {k: after[0][k] - before[0].get(k, 0) for k in after[0]
              if after[0][k] != before[0].get(k, 0)}
        ud = {k: after[1][k] - before[1].get(k, 0) for k in after[1]
              if after[1][k] != before[1].get(k, 0)}
        want_rd = {case.reason: 1}
        want_ud = {}
        if case.rule:
            want_ud = {self.rule_ids[case.rule]: 1}
        want = self.describe(want_rd, want_ud)
        got = self.describe(rd, ud)
        # pass/drop: the Director's tap
        target = untagged(frame)
        seen = False
        deadline = time.monotonic() + (1.0 if case.action == "pass" else 0.02)
        while not seen:
            seen = target in self.drain()
            if seen or time.monotonic() > deadline:
                break
            time.sleep(0.005)
        verdict = "pass" if seen else "drop"
        ok = rd == want_rd and ud == want_ud and verdict == case.action
        text = f"[{case.category}] {case.name}: expected {case.action} {want}"
        if not ok:
            text += f", got {verdict} {got or 'nothing counted'}"
        self.say(ok, text)
        return after, rd

    def describe(self, rd, ud):
        parts = [f"{k}+{v}" for k, v in sorted(rd.items())]
        parts += [f"rule '{self.rule_names.get(k, k)}'+{v}" for k, v in sorted(ud.items())]
        return ", ".join(parts)

    def run(self, cases):
        start = self.stats()
        before = start
        per_category = {}
        for case in cases:
            before, rd = self.run_case(case, before)
            cat = per_category.setdefault(case.category, [{}, {}])
            cat[0][case.reason] = cat[0].get(case.reason, 0) + 1
            for k, v in rd.items():
                cat[1][k] = cat[1].get(k, 0) + v
        end = self.stats()
        for name, (want, got) in per_category.items():
            n = sum(want.values())
            self.say(want == got, f"category {name}: {n} sent, counted "
                     f"{', '.join(f'{k} {v}' for k, v in sorted(got.items()))}"
                     + ("" if want == got else
                        f" (expected {', '.join(f'{k} {v}' for k, v in sorted(want.items()))})"))
        expected = {}
        for case in cases:
            expected[case.reason] = expected.get(case.reason, 0) + 1
        total = {k: end[0][k] - start[0][k] for k in end[0] if end[0][k] != start[0][k]}
        self.say(total == expected, f"totals over the run: {len(cases)} sent, reasons "
                 f"{', '.join(f'{k} {v}' for k, v in sorted(total.items()))}"
                 + ("" if total == expected else f" (expected {sorted(expected.items())})"))
        want_rules = {}
        for case in cases:
            if case.rule:
                i = self.rule_ids[case.rule]
                want_rules[i] = want_rules.get(i, 0) + 1
        got_rules = {k: end[1][k] - start[1][k] for k in end[1] if end[1][k] != start[1][k]}
        self.say(got_rules == want_rules, "per-rule totals: " + self.describe({}, got_rules))
        self.say(end[0]["unconfigured"] == 0,
                 f"nothing counted as unconfigured ({end[0]['unconfigured']})")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--list", action="store_true")
    p.add_argument("--lab")
    p.add_argument("--director")
    p.add_argument("--peers")
    p.add_argument("--xpf")
    p.add_argument("--prefix", default="")
    p.add_argument("--id-base", type=int, default=1000)
    p.add_argument("--only")
    args = p.parse_args()
    cases = build_cases(args.id_base)
    if args.only:
        cases = [c for c in cases if args.only in c.name or args.only == c.category]
    if args.list:
        for c in cases:
            print(f"{c.category:15} {c.action:4} {c.reason:11} {c.rule or ''} {c.name}")
        print(f"{len(cases)} cases, {len({c.category for c in cases})} categories")
        return 0
    d = Driver(args)
    d.run(cases)
    return 1 if d.failures else 0


if __name__ == "__main__":
    sys.exit(main())
