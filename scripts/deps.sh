#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Installs the Debian packages that building and testing xpf need; only those missing.
# Every command the Makefile, scripts/ and tests/ run is here by its package, the Essential
# ones too, so that a minimal root (debootstrap --variant=minbase, scripts/fresh-root.sh)
# holds all of them after this script.
set -euo pipefail

packages=(
	# The build (Makefile): BPF objects and skeletons, the xpf command and its libraries.
	make gcc libc6-dev clang llvm pkg-config bpftool libbpf-dev libxdp-dev libelf-dev
	# The verifier check (make verifier): the BPF objects built by a second compiler too.
	clang-19
	zlib1g-dev libjson-c-dev libncurses-dev libmicrohttpd-dev
	# The policy digest's SHA-256 (nettle).
	nettle-dev
	# Unit and BPF tests (cmocka); the fuzzers' libFuzzer runtime (scripts/fuzz.sh); make lint.
	libcmocka-dev libclang-rt-14-dev cppcheck
	# Shell tools of every script: coreutils (timeout, nice, stat, od, seq), util-linux
	# (nsenter, setpriv, flock, taskset), mount, findutils, diffutils (cmp), mawk, sed, grep.
	coreutils util-linux mount findutils diffutils mawk sed grep
	# The lab and the e2e tests: ip/ss/bridge/tc, sysctl, ethtool -S/-K, nft (the
	# differential test's oracle), the frames (scapy under /usr/bin/python3), the servers and
	# clients of the conversations (python3 -m http.server, curl, openssl, socat).
	iproute2 procps ethtool nftables python3 python3-scapy curl openssl socat
	# test_top (tmux), test_metrics (promtool), test_install (systemd-analyze verify, groff,
	# man -l).
	tmux prometheus systemd groff-base man-db
	# test_prometheus_rules (the dashboard's check reads the rules: PyYAML), test_prometheus_pool
	# (the prometheus server), test_ansible_pool (ansible-playbook).
	python3-yaml ansible
	# test_sip and the demo: kamailio on the Director, sipp on the Edge Server.
	kamailio kamailio-tls-modules sip-tester
	# The benchmark (scripts/bench): the plots, JSON, peak RSS, xdp-filter.
	gnuplot-nox jq time xdp-tools
	# make deb and test_deb: dpkg-buildpackage, dh, lintian, readelf (the hardening), a clean
	# Debian root to install the package in (mmdebstrap).
	dpkg-dev debhelper lintian binutils mmdebstrap
)

missing=()
for package in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
