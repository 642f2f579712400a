# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Frames for tests/e2e/test_log.sh, sent from a lab namespace to the Director's MAC through an
AF_PACKET socket: TCP SYNs from SRC to DST:DPORT, COUNT of them with source ports counting up
from SPORT (a flood when COUNT is large), spread over SECONDS (0: as fast as they go).
Prints "sent N seconds S".

usage: log_sender.py --ns NS --director NS --src ADDR --dst ADDR --dport N --sport N
                     [--count N] [--seconds S]
"""
import argparse
import struct
import sys
import time

from hostile_cases import iface_mac, packet_socket
from scapy.all import IP, TCP, Ether, IPv6  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    for name in ("--ns", "--director", "--src", "--dst"):
        p.add_argument(name, required=True)
    p.add_argument("--dport", type=int, required=True)
    p.add_argument("--sport", type=int, required=True)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--seconds", type=float, default=0.0)
    a = p.parse_args()
    dmac, smac = iface_mac(a.director), iface_mac(a.ns)
    sock = packet_socket(a.ns)
    sock.setblocking(True)
    ip = IPv6(src=a.src, dst=a.dst) if ":" in a.src else IP(src=a.src, dst=a.dst)
    template = bytearray(bytes(Ether(dst=dmac, src=smac) / ip /
                               TCP(sport=a.sport, dport=a.dport, flags="S")))
    tcp = len(template) - 20
    start = time.monotonic()
    for i in range(a.count):
        # The checksum is left as it is: xpf never reads it, and these frames go nowhere else.
        struct.pack_into("!H", template, tcp, (a.sport + i) % 65536)
        sock.send(template)
        if a.seconds and i % 100 == 99:   # paced in batches of 100
            ahead = start + a.seconds * (i + 1) / a.count - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
    print(f"sent {a.count} seconds {time.monotonic() - start:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
