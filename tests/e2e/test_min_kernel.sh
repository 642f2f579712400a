#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# `xpf load` on a kernel older than the oldest xpf runs on (user/core/kernel_release.h): one
# line names the release, the minimum and why, exit 1, nothing attached. uname() is made to
# say the release by a preloaded shim (build/tests/e2e/uname_shim.so); the kernel is this one.
. "$(dirname "$0")/lib.sh"
e2e_init min_kernel 60

SHIM=$(dirname "$XPF")/tests/e2e/uname_shim.so
[ -f "$SHIM" ] || die "no $SHIM (make tests)"
MIN=$(sed -n 's/^#define XPF_MIN_KERNEL "\(.*\)"$/\1/p' "$E2E_ROOT/user/core/kernel_release.h")
[ -n "$MIN" ] || die "no XPF_MIN_KERNEL in user/core/kernel_release.h"
e2e_scratch_netns mk
e2e_scratch_veth

# load_on RELEASE: xpf load on IFACE with uname() saying RELEASE
load_on() {
	capture ip netns exec "$NS" env LD_PRELOAD="$SHIM" XPF_TEST_UNAME_RELEASE="$1" \
		timeout 30 "$XPF" load -m skb -c "$E2E_ROOT/examples/director.site" "$IFACE"
}

load_on 5.15.0-100-generic
assert_eq "kernel 5.15: exit 1" 1 "$RC"
assert_eq "kernel 5.15: one line names the release, the minimum and why" \
	"xpf: kernel 5.15.0-100-generic is older than $MIN, the oldest xpf runs on (XDP multi-buffer programs, bpf_loop)" \
	"$ERR"
assert_eq "kernel 5.15: nothing attached" "" "$(xdp_id "$NS" "$IFACE")"

# The release just below the minimum, from the same definition.
load_on "${MIN%.*}.$((${MIN#*.} - 1)).9"
assert_eq "kernel ${MIN%.*}.$((${MIN#*.} - 1)): refused too" 1 "$RC"

load_on "$MIN.0"
assert_eq "kernel $MIN: loads ($ERR)" 0 "$RC"
check "kernel $MIN: attached" test -n "$(xdp_id "$NS" "$IFACE")"
run_xpf "$NS" unload "$IFACE"
assert_eq "unload" 0 "$RC"
e2e_finish
