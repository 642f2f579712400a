#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Writes the seed corpus of tests/fuzz/corpus/: site files and tables as text, frames with
scapy. Run with Debian's python3 (it has python3-scapy), from anywhere:

    /usr/bin/python3 tests/fuzz/gen_corpus.py

The files are committed; run this again only to change them. Packet seeds start with the
2-byte (big endian) count of frame bytes beyond the first buffer that fuzz_packet.c reads.
"""
import os
import shutil
import struct

from scapy.layers.inet import ICMP, IP, TCP, UDP, IPOption_RR
from scapy.layers.ipsec import AH
from scapy.layers.inet6 import (ICMPv6EchoRequest, ICMPv6ND_NS, ICMPv6PacketTooBig,
                                ICMPv6DestUnreach, IPv6, IPv6ExtHdrDestOpt,
                                IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting)
from scapy.layers.l2 import ARP, Dot1AD, Dot1Q, Ether
from scapy.packet import Raw

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")

MAC = dict(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
V4 = dict(src="198.51.100.7", dst="192.0.2.101")
V6 = dict(src="2001:db8:100::7", dst="2001:db8:1::101")


def write(target, name, data):
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(CORPUS, target, name), "wb") as f:
        f.write(data)


def frame(name, pkt, beyond=0, padding=b""):
    write("packet", name, struct.pack(">H", beyond) + bytes(pkt) + padding)


def packets():
    e = Ether(**MAC)
    frame("v4_tcp_syn", e / IP(**V4) / TCP(sport=40000, dport=443, flags="S"))
    frame("v4_tcp_ack_payload", e / IP(**V4) / TCP(sport=40000, dport=5061, flags="PA") /
          Raw(b"x" * 16))
    frame("v4_udp", e / IP(**V4) / UDP(sport=53, dport=50000) / Raw(b"dns"))
    frame("v4_udp_padded", e / IP(**V4) / UDP(sport=53, dport=53),
          padding=b"\xee" * 18)  # to the 60-byte minimum: past the IP total length
    frame("v4_options", e / IP(**V4, options=[IPOption_RR(routers=["192.0.2.1"])]) /
          TCP(dport=22, flags="S"))
    frame("v4_first_fragment", e / IP(**V4, flags="MF", frag=0, id=7) /
          UDP(sport=1, dport=3478) / Raw(b"a" * 16))
    frame("v4_later_fragment", e / IP(**V4, proto=6, frag=1, id=7) / Raw(b"b" * 16))
    frame("v4_tiny_fragment", e / IP(**V4, flags="MF", proto=6, id=8) / Raw(b"\x9c\x40"))
    frame("v4_icmp_echo", e / IP(**V4) / ICMP(type=8))
    frame("v4_icmp_frag_needed", e / IP(**V4) / ICMP(type=3, code=4, nexthopmtu=1400) /
          IP(src=V4["dst"], dst=V4["src"]) / TCP(sport=444, dport=40000, flags="A"))
    frame("v4_icmp_unreach_udp", e / IP(**V4) / ICMP(type=3, code=3) /
          IP(src=V4["dst"], dst=V4["src"]) / UDP(sport=53000, dport=53))
    frame("v4_gre", e / IP(**V4, proto=47) / Raw(b"\0\0\x08\0"))
    frame("v4_jumbo_first_buffer", e / IP(**V4, len=20 + 20 + 3000) /
          TCP(dport=443, flags="A") / Raw(b"j" * 32), beyond=3000 - 32)
    frame("vlan_v4_tcp", e / Dot1Q(vlan=10) / IP(**V4) / TCP(dport=80, flags="S"))
    frame("qinq_v6_udp", Ether(**MAC, type=0x88A8) / Dot1AD(vlan=20, type=0x8100) /
          Dot1Q(vlan=10) / IPv6(**V6) / UDP(sport=5353, dport=5353))
    frame("three_vlan_tags", e / Dot1Q(vlan=1) / Dot1Q(vlan=2) / Dot1Q(vlan=3) / IP(**V4) /
          TCP())
    frame("v6_tcp_syn", e / IPv6(**V6) / TCP(sport=40000, dport=443, flags="S"))
    frame("v6_udp", e / IPv6(**V6) / UDP(sport=53, dport=50001))
    frame("v6_ext_chain", e / IPv6(**V6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() /
          IPv6ExtHdrRouting() / AH(nh=6, payloadlen=4, icv=b"\0" * 12) / TCP(dport=5061))
    frame("v6_first_fragment", e / IPv6(**V6) / IPv6ExtHdrFragment(id=9, m=1, offset=0) /
          TCP(dport=443, flags="S") / Raw(b"c" * 16))
    frame("v6_later_fragment", e / IPv6(**V6) / IPv6ExtHdrFragment(id=9, m=0, offset=4, nh=6) /
          Raw(b"d" * 16))
    frame("v6_atomic_fragment", e / IPv6(**V6) / IPv6ExtHdrFragment(id=10, m=0, offset=0) /
          UDP(dport=3478))
    frame("v6_ndp_ns", e / IPv6(src="fe80::1", dst="ff02::1:ff00:101", hlim=255) /
          ICMPv6ND_NS(tgt="2001:db8:1::101"))
    frame("v6_packet_too_big", e / IPv6(**V6) / ICMPv6PacketTooBig(mtu=1280) /
          IPv6(src=V6["dst"], dst=V6["src"]) / TCP(sport=444, dport=40000))
    frame("v6_unreach_udp", e / IPv6(**V6) / ICMPv6DestUnreach() /
          IPv6(src=V6["dst"], dst=V6["src"]) / UDP(sport=53000, dport=53))
    frame("v6_echo", e / IPv6(**V6) / ICMPv6EchoRequest())
    frame("arp", e / ARP(psrc="192.0.2.1", pdst="192.0.2.101"))


SITE_HEADER = ("table lync2013-director-dns-hlb\n"
               "local Director, Director Hardware Load Balancer VIP\n")

SITES = {
    # Every directive, every policy value other than the default.
    "every_directive.site": """\
table  lync2013-director-dns-hlb    # built in
local  Director, Director Hardware Load Balancer VIP
role   Director = 192.0.2.101, 2001:db8:1::101
role   Director Hardware Load Balancer VIP = 192.0.2.100/31, 2001:db8:1::100/127
role   Reverse proxy internal interface = 192.0.2.10
role   Edge Server internal interface = 192.0.2.50, 2001:db8:1::50
role   Front End pool or Front End Server = 192.0.2.21/30
role   Internal Clients = 10.0.0.0/8, 2001:db8:100::/48
allow  SSH/TCP 22 | 203.0.113.0/28 | Director | admin
allow  TCP/UDP 50,000-59,999 | Any | Director
deny   HTTPS/TCP 443 | 10.1.2.3 | Director Hardware Load Balancer VIP | quarantined |
allow  DNS/UDP 53 | Director | Any | outbound
allow  SQL/TCP 1433 | Edge Server internal interface | Internal Clients | not for this host
policy default pass
policy other drop
policy icmp drop
policy fragments drop
timeout tcp 600
timeout udp 30
log rate 250/s
flows max 65536
""",
    # A router: the pool behind it protected, its own management address local.
    "protect_and_local.site": """\
table   lync2013-director-dns-hlb
protect Director, Director Hardware Load Balancer VIP
local   Router management
role    Router management = 203.0.113.1, 2001:db8:ff::1
role    Director = 192.0.2.101, 2001:db8:1::101
role    Director Hardware Load Balancer VIP = 192.0.2.100, 2001:db8:1::100
role    Reverse proxy internal interface = 192.0.2.10
role    Edge Server internal interface = 192.0.2.50
role    Front End pool or Front End Server = 198.18.0.20
role    Internal Clients = 198.51.100.0/24
allow   SSH/TCP 22 | 203.0.113.0/28 | Router management | admin
""",
    "no_table.site": """\
local Host
role Host = 192.0.2.1, 2001:db8::1
allow HTTP/TCP 80 | Any | Host
allow MTLS/TCP/50001 | 198.51.100.0/24 | Host
deny TCP/UDP 1-65535 | 0.0.0.0/0 | Host | everything else
""",
    # A path, relative to the site file (fuzz_site.c uses the published table for any name).
    "table_path.site": """\
TABLE ../../../../tables/lync2013-director-dns-hlb.txt
LOCAL director ,  director hardware load balancer vip
ROLE DIRECTOR = 192.0.2.101
ROLE Director  Hardware Load Balancer VIP = 2001:db8:1::100
ROLE Reverse proxy internal interface = 192.0.2.10
ROLE Edge Server internal interface = 192.0.2.50
ROLE Front End pool or Front End Server = 192.0.2.20/30
ROLE Internal Clients = 198.51.100.0/24
Policy Default Drop
""",
    "local_prefix_256.site": """\
local Pool
role Pool = 192.0.2.0/24, 2001:db8::/120
allow SIP/MTLS/TCP 5061 | ::/0 | Pool
allow SIP/UDP 5060 | 0.0.0.0/0 | Pool
""",
    "role_after_use.site": SITE_HEADER + """\
allow RDP/TCP 3389 | Admin workstations | Director | remote administration
role Director = 192.0.2.101
role Director Hardware Load Balancer VIP = 192.0.2.100
role Admin workstations = 203.0.113.0/28
role Reverse proxy internal interface = 192.0.2.10
role Edge Server internal interface = 192.0.2.50
role Front End pool or Front End Server = 192.0.2.20/30
role Internal Clients = 198.51.100.0/24
""",
    "error_unknown_role.site": "local A\nrole A = 192.0.2.1\nallow TCP 1 | B | A\n",
    "error_bad_prefix.site": "local A\nrole A = 192.0.2.1/33\n",
}

TABLES = {
    "markdown.txt": """\
Some prose that mentions HTTP/TCP 8080 before the table.

| Protocol | Source | Destination | Notes |
| :--- | --- | --- | --- |
| HTTP/TCP 8080 | Reverse proxy | Director | web |
| TCP/UDP 50,000-59,999 | Any | Director | media |
| MTLS/TCP/50001 | 192.0.2.0/24 | Director | |
Prose after the table.
""",
    "wrapped_cells.txt": """\
Role/Protocol/TCP or UDP/Port | Source IP address | Destination IP address | Notes |
---|---|---|---|
SIP/MTLS/TCP 5061 |
Edge Server
  internal interface |
Director |
notes run
across lines |
DNS/UDP 53 | Director | Any | last notes without a bar""",
    "error_port.txt": ("Protocol | Source | Destination | Notes |\n---|---|---|---|\n"
                       "TCP 0 | A | B | x |\n"),
}


def text_seeds():
    shutil.copy(os.path.join(ROOT, "tables", "lync2013-director-dns-hlb.txt"),
                os.path.join(CORPUS, "table", "published.txt"))
    shutil.copy(os.path.join(ROOT, "examples", "director.site"),
                os.path.join(CORPUS, "site", "director.site"))
    for name, text in SITES.items():
        write("site", name, text)
    for name, text in TABLES.items():
        write("table", name, text)


if __name__ == "__main__":
    for target in ("table", "site", "packet"):
        shutil.rmtree(os.path.join(CORPUS, target), ignore_errors=True)
        os.makedirs(os.path.join(CORPUS, target))
    text_seeds()
    packets()
