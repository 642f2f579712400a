#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Generates a benchmark rule set: a port table (the Director table's rows, then N rows of
its own) and a site file that names it. Deterministic (seeded), so runs compare.

Shape (chosen to be hard for a tuple-space search, not kind to it):
  - sources: IPv4 prefixes /8-/32 and IPv6 prefixes /33-/128, every length used. IPv4 /15 and
    longer lie in 198.18.0.0/15 (RFC 2544); /8-/14 are the prefixes that contain it. IPv6 lie
    in 2001:db8:8000::/33 (/32 itself would contain the denied test sources).
  - ports: half the rows on a few popular ports (443 among them, so the denied test packet to
    443 walks a class with every prefix length), the rest spread over 1024-65535; one row in
    ten a short range.
  - destinations: the Director or its HLB VIP.
usage: gen_rules.py COUNT OUT_DIR   → OUT_DIR/gen-COUNT.txt, OUT_DIR/gen-COUNT.site
"""
import ipaddress
import os
import random
import sys

POPULAR = [443, 80, 22, 5061, 8080, 4443, 3389, 53]
DESTS = ["Director", "Director Hardware Load Balancer VIP"]


def v4_prefix(rng, length):
    base = int(ipaddress.IPv4Address("198.18.0.0"))
    if length < 15:
        net = ipaddress.IPv4Network((base, length), strict=False)
    else:
        net = ipaddress.IPv4Network((base | rng.getrandbits(17) << 0, length), strict=False)
    return str(net)


def v6_prefix(rng, length):
    base = int(ipaddress.IPv6Address("2001:db8:8000::"))
    host = rng.getrandbits(95)
    return str(ipaddress.IPv6Network((base | host, length), strict=False))


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(20240601 + count)
    here = os.path.dirname(os.path.abspath(__file__))
    director = os.path.join(here, "..", "..", "tables", "lync2013-director-dns-hlb.txt")
    with open(director) as f:
        published = f.read().rstrip("\n") + "\n"
    lines = [published]
    for i in range(count):
        if i % 3 == 2:
            source = v6_prefix(rng, rng.randint(33, 128))
        else:
            source = v4_prefix(rng, rng.randint(8, 32))
        if i % 2 == 0:
            port = str(POPULAR[i // 2 % len(POPULAR)])
        else:
            first = rng.randint(1024, 65000)
            port = str(first) if i % 10 != 1 else "%d-%d" % (first, first + rng.randint(1, 32))
        proto = "TCP" if i % 7 else "UDP"
        lines.append("GEN/%s %s |\n%s |\n%s |\ngenerated row %d |\n"
                     % (proto, port, source, DESTS[i // 2 % 2], i))
    table = os.path.join(out, "gen-%d.txt" % count)
    with open(table, "w") as f:
        f.writelines(lines)
    with open(os.path.join(here, "..", "..", "examples", "director.site")) as f:
        site = f.read()
    site = site.replace("table  lync2013-director-dns-hlb", "table  gen-%d.txt" % count)
    with open(os.path.join(out, "gen-%d.site" % count), "w") as f:
        f.write(site)


main()
