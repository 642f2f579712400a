#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""nft's side of the differential test: sends every frame of FRAMES out of DEVICE (one end of
a veth pair whose other end carries the rule set of nft_ruleset.py) and prints, per frame,
the outcome set nft recorded it in, or `unseen` when the kernel dropped it before the hook.

    nft_classify.py FRAMES DEVICE > OUTCOMES        (inside the test's network namespace)

The rule set keeps no state, so a frame the receive path lost (a full backlog) is sent again,
up to three rounds, whatever order that puts it in.
"""
import json
import socket
import struct
import subprocess
import sys
import time

TABLE = ("netdev", "xpfdiff")


def read_frames(path):
    frames = []
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        (length,) = struct.unpack_from("<I", data, pos)
        frames.append(data[pos + 4:pos + 4 + length])
        pos += 4 + length
    return frames


def recorded():
    """{frame index: outcome} from every set of the table."""
    out = subprocess.run(["nft", "-j", "list", "table", *TABLE], check=True,
                         capture_output=True, text=True).stdout
    seen = {}
    for obj in json.loads(out)["nftables"]:
        s = obj.get("set")
        if not s or s["name"] in ("local4", "local6"):
            continue
        for elem in s.get("elem", []):
            mac = elem if isinstance(elem, str) else elem["elem"]["val"]
            octets = bytes.fromhex(mac.replace(":", ""))
            if octets[:2] != b"\x02\x5d":
                continue  # the kernel's own frames (none expected: IPv6 is off)
            index = struct.unpack("!I", octets[2:])[0]
            if index in seen and seen[index] != s["name"]:
                sys.exit("nft_classify: frame %d in two sets: %s, %s" %
                         (index, seen[index], s["name"]))
            seen[index] = s["name"]
    return seen


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: nft_classify.py FRAMES DEVICE > OUTCOMES")
    frames = read_frames(sys.argv[1])
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((sys.argv[2], 0))
    pending = list(range(len(frames)))
    seen = {}
    rounds = []
    for _ in range(3):
        for index in pending:
            sock.send(frames[index])
        time.sleep(0.2)
        seen = recorded()
        rounds.append("%d sent" % len(pending))
        pending = [i for i in range(len(frames)) if i not in seen]
        if not pending:
            break
    print("nft_classify: %d frames, %s, %d never recorded (dropped before the hook)" %
          (len(frames), " then ".join(rounds), len(pending)), file=sys.stderr)
    for index in range(len(frames)):
        print(seen.get(index, "unseen"))


if __name__ == "__main__":
    main()
