#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# xpf on a Linux router in front of a Director (docs/operations.md, "On a router"): one site
# file, `protect Director, ...`, loaded on each of the router's three outside interfaces,
# in native and in skb mode, IPv4 and IPv6:
#
#   client  ── o1 ┐
#   outsider ─ o2 ┤ router [xpf on o1, o2, o3] i0 ── Director (+ VIP)
#   Front End ─ o3┘
#
#  - the client's HTTP and TLS to the VIP pass, counted on their rows on o1;
#  - the outsider's TLS to the VIP is dropped (default, on o2), its TLS to the Director's
#    Any port passes; traffic to the router's own address is not the filter's (not_local);
#  - the Director's own TLS to the Front End on 444 and its UDP query get their answers
#    (learned as they leave through o3, counted on the outbound rows there); a datagram
#    nobody asked for is dropped.
. "$(dirname "$0")/lib.sh"
. "$E2E_ROOT/tests/e2e/topology.sh"
e2e_init router 180

topo_names rt
TOPO_FILTER_NS=$TOPO_BASE-rtr
IF_CLI=o1 IF_OUT=o2 IF_FE=o3
for iface in o1 o2 o3; do
	TOPO_ATTACHED+=("$TOPO_FILTER_NS $iface")
done

e2e_log "the router and its peers"
for ns in "$TOPO_FILTER_NS" "$TOPO_DIR" "$TOPO_CLI" "$TOPO_OUT" "$TOPO_FE"; do
	topo_ns "$ns" || die "namespace $ns"
done
ip netns exec "$TOPO_FILTER_NS" sysctl -qw net.ipv4.ip_forward=1 \
	net.ipv6.conf.all.forwarding=1 || die "forwarding"
topo_veth "$TOPO_FILTER_NS" o1 "$TOPO_CLI" eth0 || die "veth o1"
topo_veth "$TOPO_FILTER_NS" o2 "$TOPO_OUT" eth0 || die "veth o2"
topo_veth "$TOPO_FILTER_NS" o3 "$TOPO_FE" eth0 || die "veth o3"
topo_veth "$TOPO_FILTER_NS" i0 "$TOPO_DIR" eth0 || die "veth i0"
# router_addr IFACE ADDR4/LEN ADDR6/LEN
router_addr() {
	ip -n "$TOPO_FILTER_NS" addr add "$2" dev "$1" &&
		ip -n "$TOPO_FILTER_NS" addr add "$3" dev "$1" nodad
}
router_addr o1 198.51.100.1/24 2001:db8:100::1/64 || die "o1 addresses"
router_addr o2 203.0.113.1/24 2001:db8:ff::1/64 || die "o2 addresses"
router_addr o3 198.18.0.1/24 2001:db8:20::1/64 || die "o3 addresses"
router_addr i0 192.0.2.1/24 2001:db8:1::1/64 || die "i0 addresses"
topo_host "$TOPO_DIR" "$TOPO_DIR4/24" "$TOPO_DIR6/64" "default via 192.0.2.1" \
	"default via 2001:db8:1::1" || die "Director"
topo_director_addrs || die "VIP"
topo_host "$TOPO_CLI" "$TOPO_CLI4/24" "$TOPO_CLI6/64" "default via 198.51.100.1" \
	"default via 2001:db8:100::1" || die "client"
topo_host "$TOPO_OUT" "$TOPO_OUT4/24" "$TOPO_OUT6/64" "default via 203.0.113.1" \
	"default via 2001:db8:ff::1" || die "outsider"
topo_host "$TOPO_FE" "$TOPO_FE4/24" "$TOPO_FE6/64" "default via 198.18.0.1" \
	"default via 2001:db8:20::1" || die "Front End"
topo_servers || die "servers"
topo_unfiltered

SITE=$E2E_TMP/router.site
topo_site "$SITE"
topo_check_site "$SITE"
run_xpf "$TOPO_FILTER_NS" check -c "$E2E_ROOT/examples/director-pool-router.site"
assert_match "the router example: the router's management address is this host's" \
	"^  this host \(local\): 203\.0\.113\.1 \(Router management\), 2001:db8:ff::1 " "$OUT"
assert_match "the router example: the pool is protected" \
	"^  hosts it protects, behind it \(protect\): 192\.0\.2\.101 \(Director\), 192\.0\.2\.102 " \
	"$OUT"

for mode in native skb; do
	e2e_log "$mode: one site file on o1, o2 and o3"
	topo_load "$mode" "$SITE" o1 o2 o3
	run_xpf "$TOPO_FILTER_NS" status
	assert_eq "$mode: xpf status lists the three interfaces, with one site" 3 \
		"$(grep -c -E "^o[123]: xpf loaded \(program id [0-9]+, $mode mode" <<<"$OUT")"
	assert_eq "$mode: ... and the same site file on each" 3 \
		"$(grep -c -F "  site:   $SITE" <<<"$OUT")"
	for family in 4 6; do
		topo_conversations "$mode" "$family"
	done
	before=$(topo_reason o2 not_local)
	ip netns exec "$TOPO_OUT" timeout 5 curl -sS --connect-timeout 1 \
		http://203.0.113.1:443/ >/dev/null 2>&1
	assert_eq "$mode: the router's own address answers the outsider (RST: curl exit 7)" 7 $?
	after=$(topo_reason o2 not_local)
	check "$mode: counted as not_local on o2 ($before -> $after)" test "$after" -gt "$before"
	topo_unload o1 o2 o3
done
e2e_finish
