#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Sends COUNT TCP SYNs or UDP datagrams (scapy) out of IFACE to DEST_MAC, one flow each
spec, in the calling network namespace: a stream whose counts a test knows exactly.

usage: send_frames.py IFACE DEST_MAC SPEC...   SPEC = tcp|udp,SRC,DST,DPORT,COUNT"""
import logging
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import IP, IPv6, TCP, UDP, Ether, sendp  # noqa: E402


def frames(spec, dest_mac):
    proto, src, dst, dport, count = spec.split(",")
    ip = IPv6(src=src, dst=dst) if ":" in dst else IP(src=src, dst=dst)
    l4 = TCP(sport=40000, dport=int(dport), flags="S") if proto == "tcp" else \
        UDP(sport=40000, dport=int(dport))
    return [Ether(dst=dest_mac) / ip / l4.__class__(**{**l4.fields, "sport": 40000 + i})
            for i in range(int(count))]


def main():
    iface, dest_mac, specs = sys.argv[1], sys.argv[2], sys.argv[3:]
    for spec in specs:
        sendp(frames(spec, dest_mac), iface=iface, verbose=False)


if __name__ == "__main__":
    main()
