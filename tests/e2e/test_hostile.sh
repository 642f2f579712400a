#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Hostile packets on a real veth. Over a hundred frames crafted with scapy (the cases, with
# their expected verdicts, are in hostile_cases.py), sent one at a time from the peers'
# namespaces to the Director's eth0 where xpf runs examples/director.site: non-IP, NDP/PTB/
# frag-needed, not local, other ICMP, every published row from the right and the wrong roles,
# the deny row, other protocols, fragments (RFC 1858, 3128, 7112), malformed headers, VLAN
# tags, IPv4 options, IPv6 extension headers, Ethernet padding. Once in native mode, once in
# skb mode. Each case must move exactly its reason (and rule) counter by one and nothing else,
# and must reach the Director's stack (an AF_PACKET tap on its eth0) exactly when its verdict
# is pass. Then per category and over the run, the counters must add up to what was sent, and
# nothing may be counted as unconfigured.
#
# Frames the lab cannot carry to the Director are not tested here: shorter than the 14-byte
# Ethernet header (AF_PACKET refuses to send them: EINVAL), a VLAN tag with fewer than 2 bytes
# after it (the switch's receive path drops it while untagging), longer than the MTU (the veth
# drops it before XDP); the BPF_PROG_TEST_RUN tests (tests/bpf/) are the place for those.
#
# VLAN: the Director's switch port has its tx VLAN offload turned off, so tags arrive inside
# the frame as on a wire. With the offload on (the veth default), the outer tag travels in the
# skb's metadata and XDP never sees it: three tags look like two (and pass on the inner
# verdict), one like none. A NIC with rx-vlan-offload does the same to XDP.
. "$(dirname "$0")/lib.sh"
e2e_init hostile 90

lab_up "$E2E_LAB" || die "the lab did not come up"

# hostile_run MODE ID-BASE: load in MODE, send every case, unload.
hostile_run() {
	local mode=$1 line rc
	e2e_log "$mode mode"
	run_xpf "$LAB_DIRECTOR" load -c "$E2E_ROOT/examples/director.site" -m "$mode" "$LAB_IFACE"
	[ "$RC" = 0 ] || die "load -m $mode: $ERR"
	run_xpf "$LAB_DIRECTOR" stats -j "$LAB_IFACE"
	interface_json >"$E2E_TMP/stats.json"
	assert_eq "$mode: attached in $mode mode" "$mode" "$(json "$E2E_TMP/stats.json" "d['mode']")"
	e2e_wait_quiet || fail "$mode: the lab is quiet before the first case"
	timeout 60 "$PY" "$E2E_ROOT/tests/e2e/hostile_cases.py" \
		--lab "xpf-$LAB_NAME" --director "$LAB_DIRECTOR" --xpf "$XPF" --prefix "$mode: " \
		--id-base "$2" \
		--peers "$LAB_PROXY,$LAB_EDGE,$LAB_FRONTEND,$LAB_CLIENT,$LAB_OUTSIDER" \
		>"$E2E_TMP/cases-$mode.out" 2>"$E2E_TMP/cases-$mode.err"
	rc=$?
	e2e_count_checks "$E2E_TMP/cases-$mode.out"
	if [ "$rc" != 0 ] && ! grep -q '^FAIL ' "$E2E_TMP/cases-$mode.out"; then
		fail "$mode: the case driver failed (exit $rc): $(tail -5 "$E2E_TMP/cases-$mode.err")"
	fi
	run_xpf "$LAB_DIRECTOR" unload "$LAB_IFACE"
	assert_eq "$mode: unload" 0 "$RC"
}

e2e_quiet_lab || die "could not quiet the lab"
e2e_on_exit "ip netns exec $LAB_DIRECTOR $XPF unload $LAB_IFACE"
"$PY" "$E2E_ROOT/tests/e2e/hostile_cases.py" --list | tail -1
hostile_run native 1000
hostile_run skb 2000
e2e_finish
