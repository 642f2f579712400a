#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The Debian packages the build lacks, on one line (empty when none): the compilers and tools
# by their commands, the libraries by their headers as the compiler finds them, with the
# compiler and flags the build uses. The Makefile runs it before anything is compiled and stops
# on a non-empty answer (tests/e2e/test_build.sh hides headers from it to prove it).
#
#   scripts/build-deps.sh "CC [FLAGS...]" CLANG BPFTOOL
set -uo pipefail

read -r -a cc <<<"$1"
clang=$2
bpftool=$3
missing=()

need() {	# need PACKAGE: PACKAGE is missing (said once)
	[[ " ${missing[*]} " == *" $1 "* ]] || missing+=("$1")
}
has() { command -v "$1" >/dev/null 2>&1; }

has "${cc[0]}" || need gcc
has "$clang" || need clang
has "$bpftool" || need bpftool
has pkg-config || need pkg-config
if has "${cc[0]}"; then
	# HEADER:PACKAGE, for the xpf command and its BPF objects (bpf_helpers.h).
	for pair in stdio.h:libc6-dev linux/bpf.h:linux-libc-dev bpf/libbpf.h:libbpf-dev \
		bpf/bpf_helpers.h:libbpf-dev xdp/libxdp.h:libxdp-dev libelf.h:libelf-dev \
		zlib.h:zlib1g-dev json-c/json.h:libjson-c-dev ncurses.h:libncurses-dev \
		microhttpd.h:libmicrohttpd-dev; do
		printf '#include <%s>\n' "${pair%%:*}" |
			"${cc[@]}" -E -x c - -o /dev/null >/dev/null 2>&1 || need "${pair#*:}"
	done
fi
echo "${missing[*]}"
