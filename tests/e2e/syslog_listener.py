#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""A syslog daemon's socket, for `xpf log --syslog` (tests/e2e/test_log.sh).

usage: syslog_listener.py PATH OUT

Binds PATH as a Unix datagram socket, as /dev/log is, and writes each message received to
OUT as one line, flushed at once, until it is killed.
"""
import socket
import sys


def main():
    path, out = sys.argv[1], sys.argv[2]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    with open(out, "a", encoding="utf-8") as f:
        while True:
            message = sock.recv(65536).decode("utf-8", errors="replace")
            f.write(message.rstrip("\n") + "\n")
            f.flush()


if __name__ == "__main__":
    main()
