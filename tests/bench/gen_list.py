#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Generates a source list of COUNT prefixes and a site file that denies it beside the Director
table: the large-list case of the benchmark and of tests/e2e/test_lists.sh.

Shape: the file starts as a FireHOL .netset does (a '#' header); then every IPv4 /32 of
198.18.0.0/15 (RFC 2544), up to COUNT, in a shuffled order, then IPv6 /128s, each in a /64 of
its own, in 2001:db8:8000::/33 (2001:db8::/32 itself would hold the test's unlisted sources).
Deterministic (seeded), so runs compare.
usage: gen_list.py COUNT OUT_DIR [SITE]   → OUT_DIR/list-COUNT.txt, OUT_DIR/list-COUNT.site
(SITE: the site file the list is added to; examples/director.site by default)
"""
import os
import random
import sys

V4_COUNT = 1 << 17          # the /32s of 198.18.0.0/15


def v4_entries(count, rng):
    hosts = list(range(min(count, V4_COUNT)))
    rng.shuffle(hosts)
    # Formatted by hand: ipaddress takes seconds for a million.
    return [f"198.{18 + (h >> 16)}.{h >> 8 & 255}.{h & 255}" for h in hosts]


def v6_entries(count):
    # Entry k: the ::1 of the k-th /64 below 2001:db8:8000::/33.
    assert count < 1 << 31
    return [f"2001:db8:{0x8000 + (k >> 16):x}:{k & 0xffff:x}::1" for k in range(count)]


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    count, out = int(sys.argv[1]), sys.argv[2]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    site = sys.argv[3] if len(sys.argv) == 4 else os.path.join(root, "examples",
                                                               "director.site")
    rng = random.Random(24)
    v4 = v4_entries(count, rng)
    v6 = v6_entries(count - len(v4))
    name = f"list-{count}.txt"
    with open(os.path.join(out, name), "w") as f:
        f.write(f"#\n# xpf benchmark list: {count} prefixes\n# ipv4 hash:net ipset\n#\n")
        f.write("\n".join(v4 + v6))
        f.write("\n")
    with open(site) as f:
        text = f.read()
    with open(os.path.join(out, f"list-{count}.site"), "w") as f:
        f.write(text)
        f.write(f"\ndeny-list {name}\n")
    for path in (name, f"list-{count}.site"):
        os.chmod(os.path.join(out, path), 0o644)


if __name__ == "__main__":
    main()
