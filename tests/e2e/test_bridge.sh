#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# xpf on a transparent Linux bridge in front of a Director (docs/operations.md, "On a
# transparent bridge"): attached to the bridge's outside port, `protect Director, ...`, in
# native and in skb mode, IPv4 and IPv6. The bridge has no address; one LAN on each side:
#
#   client, outsider, Front End ── switch ── wan [xpf] ─ br0 ─ lan ── Director (+ VIP)
#
#  - the client's HTTP and TLS to the VIP pass, counted on their rows;
#  - the outsider's TLS to the VIP is dropped (default), its TLS to the Director's Any port
#    passes;
#  - the Director's own TLS to the Front End on 444 and its UDP query get their answers
#    (learned as the bridge forwards them out through wan, counted on the outbound rows); a
#    datagram nobody asked for is dropped.
. "$(dirname "$0")/lib.sh"
. "$E2E_ROOT/tests/e2e/topology.sh"
e2e_init bridge 180

topo_names br
TOPO_FILTER_NS=$TOPO_BASE-bump
SWITCH=$TOPO_BASE-sw
IF_CLI=wan IF_OUT=wan IF_FE=wan
TOPO_ATTACHED+=("$TOPO_FILTER_NS wan")

# bridge NS NAME: a bridge without STP, its ports forwarding as soon as they are up.
bridge() {
	ip -n "$1" link add "$2" type bridge stp_state 0 forward_delay 0 &&
		ip -n "$1" link set "$2" up
}

e2e_log "the bridge, the switch outside it and the peers"
for ns in "$SWITCH" "$TOPO_FILTER_NS" "$TOPO_DIR" "$TOPO_CLI" "$TOPO_OUT" "$TOPO_FE"; do
	topo_ns "$ns" || die "namespace $ns"
done
# No IPv6 on the bridges' own ports: their router solicitations and MLD reports would reach
# the peers.
for ns in "$SWITCH" "$TOPO_FILTER_NS"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 \
		net.ipv6.conf.all.disable_ipv6=1 || die "sysctl in $ns"
done
bridge "$SWITCH" sw0 || die "switch"
bridge "$TOPO_FILTER_NS" br0 || die "br0"
topo_veth "$SWITCH" uplink "$TOPO_FILTER_NS" wan || die "veth wan"
topo_veth "$TOPO_FILTER_NS" lan "$TOPO_DIR" eth0 || die "veth lan"
ip -n "$SWITCH" link set uplink master sw0 || die "uplink port"
ip -n "$TOPO_FILTER_NS" link set wan master br0 || die "wan port"
ip -n "$TOPO_FILTER_NS" link set lan master br0 || die "lan port"
for ns in "$TOPO_CLI" "$TOPO_OUT" "$TOPO_FE"; do
	topo_veth "$SWITCH" "p${ns##*-}" "$ns" eth0 || die "veth $ns"
	ip -n "$SWITCH" link set "p${ns##*-}" master sw0 || die "port $ns"
done
# One LAN: every peer reaches the others on-link.
topo_host "$TOPO_DIR" "$TOPO_DIR4/24" "$TOPO_DIR6/64" 198.51.100.0/24 203.0.113.0/24 \
	198.18.0.0/24 2001:db8:100::/64 2001:db8:ff::/64 2001:db8:20::/64 || die "Director"
topo_director_addrs || die "VIP"
for peer in "$TOPO_CLI $TOPO_CLI4/24 $TOPO_CLI6/64" "$TOPO_OUT $TOPO_OUT4/24 $TOPO_OUT6/64" \
	    "$TOPO_FE $TOPO_FE4/24 $TOPO_FE6/64"; do
	# shellcheck disable=SC2086
	topo_host $peer 192.0.2.0/24 2001:db8:1::/64 || die "peer ${peer%% *}"
done
assert_no_match "the bridge has no address" "inet" "$(ip -n "$TOPO_FILTER_NS" addr show br0)"
topo_servers || die "servers"
topo_unfiltered

SITE=$E2E_TMP/bridge.site
topo_site "$SITE"
topo_check_site "$SITE"

for mode in native skb; do
	e2e_log "$mode: on the bridge port wan"
	topo_load "$mode" "$SITE" wan
	for family in 4 6; do
		topo_conversations "$mode" "$family"
	done
	topo_unload wan
done
e2e_finish
