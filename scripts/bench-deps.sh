#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# What scripts/bench needs beyond the build: installs the missing Debian packages (as root).
set -eu
missing=
need() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }
need gnuplot gnuplot-nox
need nft nftables
need xdp-filter xdp-tools
need bpftool bpftool
need ethtool ethtool
need jq jq
need sysctl procps
[ -x /usr/bin/time ] || missing="$missing time"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "bench-deps: missing:$missing (run as root to install)" >&2
	exit 1
fi
apt-get install -y --no-install-recommends $missing >/dev/null ||
	{ apt-get update >/dev/null && apt-get install -y --no-install-recommends $missing >/dev/null; }
