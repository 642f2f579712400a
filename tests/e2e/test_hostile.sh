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

NOWHERE_MAC=00:00:5e:00:53:01	# RFC 7042 documentation MAC: the Director answers into the void

lab_up "$E2E_LAB" || die "the lab did not come up"

# hostile_quiet_lab: nothing but the test's frames reaches the Director's eth0, so every
# counter that moves is the case's:
#  - the switch's bridge ports have no IPv6 (they would send router solicitations into the
#    Director's port), the hosts send no router solicitations;
#  - the Director has permanent neighbour entries, pointing nowhere, for every address the
#    cases use as a source: its answers (RSTs, echo replies) go out without an ARP or NDP
#    exchange whose replies would come back in, and nobody answers them.
#  - the switch does not validate IP headers on the way (br_netfilter, when the host has it,
#    drops bad IPv4/IPv6 headers and trims Ethernet padding before the Director sees them);
#  - LLDP's group address is forwarded by the bridge (802.1D does not, by default);
#  - the Director's switch port does not offload VLAN tags: they reach the Director's eth0 in
#    the frame, as on a wire, instead of in the skb's metadata where XDP does not see them.
hostile_quiet_lab() {
	local ns port addr
	for port in $(ip -n "$LAB_SWITCH" -o link show | awk -F'[:@ ]+' '/ sw-/ {print $2}'); do
		ip netns exec "$LAB_SWITCH" sysctl -qw "net.ipv6.conf.$port.disable_ipv6=1" || return 1
	done
	for ns in "$LAB_DIRECTOR" "$LAB_PROXY" "$LAB_EDGE" "$LAB_FRONTEND" "$LAB_CLIENT" \
		  "$LAB_OUTSIDER"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.router_solicitations=0 \
			net.ipv6.conf.default.router_solicitations=0 \
			net.ipv6.conf.eth0.router_solicitations=0 || return 1
	done
	for addr in "$LAB_PROXY4" "$LAB_PROXY6" "$LAB_EDGE4" "$LAB_EDGE6" "$LAB_FRONTEND4" \
		    "$LAB_FRONTEND6" "$LAB_CLIENT4" "$LAB_CLIENT6" "$LAB_OUTSIDER4" "$LAB_OUTSIDER6" \
		    203.0.113.5 198.51.100.66 fe80::99; do
		ip -n "$LAB_DIRECTOR" neigh replace "$addr" lladdr "$NOWHERE_MAC" nud permanent \
			dev "$LAB_IFACE" || return 1
	done
	if [ -e /proc/sys/net/bridge ]; then
		ip netns exec "$LAB_SWITCH" sysctl -qw net.bridge.bridge-nf-call-iptables=0 \
			net.bridge.bridge-nf-call-ip6tables=0 net.bridge.bridge-nf-call-arptables=0 ||
			return 1
	fi
	ip -n "$LAB_SWITCH" link set br0 type bridge group_fwd_mask 0x4000 || return 1
	ip netns exec "$LAB_SWITCH" ethtool -K sw-dir txvlan off tx-vlan-stag-hw-insert off \
		>/dev/null || return 1
}

# hostile_reasons: the reason counters, one line.
hostile_reasons() {
	run_xpf "$LAB_DIRECTOR" stats -j "$LAB_IFACE"
	echo "$OUT" >"$E2E_TMP/quiet.json"
	json "$E2E_TMP/quiet.json" "sorted((k, v['packets']) for k, v in d['reasons'].items())"
}

# hostile_wait_quiet: until no counter moves for a second (bounded: 8 s). What the lab sent
# while coming up (MLD reports, a last router solicitation) is over by then.
hostile_wait_quiet() {
	local prev now _
	prev=$(hostile_reasons)
	for _ in $(seq 1 16); do
		sleep 0.5
		now=$(hostile_reasons)
		[ "$now" = "$prev" ] && { sleep 0.5; [ "$(hostile_reasons)" = "$now" ] && return 0; }
		prev=$now
	done
	echo "counters still moving: $now" >&2
	return 1
}

# hostile_run MODE ID-BASE: load in MODE, send every case, unload.
hostile_run() {
	local mode=$1 line rc
	e2e_log "$mode mode"
	run_xpf "$LAB_DIRECTOR" load -c "$E2E_ROOT/examples/director.site" -m "$mode" "$LAB_IFACE"
	[ "$RC" = 0 ] || die "load -m $mode: $ERR"
	run_xpf "$LAB_DIRECTOR" stats -j "$LAB_IFACE"
	echo "$OUT" >"$E2E_TMP/stats.json"
	assert_eq "$mode: attached in $mode mode" "$mode" "$(json "$E2E_TMP/stats.json" "d['mode']")"
	hostile_wait_quiet || fail "$mode: the lab is quiet before the first case"
	timeout 60 "$PY" "$E2E_ROOT/tests/e2e/hostile_cases.py" \
		--lab "xpf-$LAB_NAME" --director "$LAB_DIRECTOR" --xpf "$XPF" --prefix "$mode: " \
		--id-base "$2" \
		--peers "$LAB_PROXY,$LAB_EDGE,$LAB_FRONTEND,$LAB_CLIENT,$LAB_OUTSIDER" \
		>"$E2E_TMP/cases-$mode.out" 2>"$E2E_TMP/cases-$mode.err"
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok   "*) ok "${line#ok   }" ;;
		"FAIL "*) fail "${line#FAIL }" ;;
		*) echo "$line" ;;
		esac
	done <"$E2E_TMP/cases-$mode.out"
	if [ "$rc" != 0 ] && ! grep -q '^FAIL ' "$E2E_TMP/cases-$mode.out"; then
		fail "$mode: the case driver failed (exit $rc): $(tail -5 "$E2E_TMP/cases-$mode.err")"
	fi
	run_xpf "$LAB_DIRECTOR" unload "$LAB_IFACE"
	assert_eq "$mode: unload" 0 "$RC"
}

hostile_quiet_lab || die "could not quiet the lab"
e2e_on_exit "ip netns exec $LAB_DIRECTOR $XPF unload $LAB_IFACE"
"$PY" "$E2E_ROOT/tests/e2e/hostile_cases.py" --list | tail -1
hostile_run native 1000
hostile_run skb 2000
e2e_finish
