#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Installs the Debian packages that building and testing xpf need; only those missing.
set -euo pipefail

packages=(
	make gcc clang llvm pkg-config libbpf-dev libxdp-dev bpftool libelf-dev zlib1g-dev
	libcmocka-dev libjson-c-dev cppcheck libclang-rt-14-dev
	iproute2 xdp-tools curl openssl socat python3-scapy tcpdump ethtool
	nftables gnuplot-nox jq time procps util-linux
	libncurses-dev libmicrohttpd-dev tmux prometheus groff-base man-db
	kamailio kamailio-tls-modules sip-tester
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
