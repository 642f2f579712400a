#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The xpf lab: one namespace per role of the Director table, all joined to a Linux bridge in a
# switch namespace. Documentation addresses only (RFC 5737, RFC 3849), the same as
# examples/director.site. Nothing is created in the root namespace: every veth is made inside
# the switch namespace with its peer moved straight into the role's namespace.
#
#   role        namespace          eth0 addresses
#   Director    $LAB_DIRECTOR      192.0.2.101, 2001:db8:1::101 (its own, the source of what
#                                  it opens); 192.0.2.100, 2001:db8:1::100 (HLB VIP)
#   rev. proxy  $LAB_PROXY         192.0.2.10,    2001:db8:1::10
#   edge        $LAB_EDGE          192.0.2.50,    2001:db8:1::50
#   front end   $LAB_FRONTEND      192.0.2.20,    2001:db8:1::20
#   int. client $LAB_CLIENT        198.51.100.10, 2001:db8:100::10   (on-link routes)
#   outsider    $LAB_OUTSIDER      203.0.113.99,  2001:db8:ff::99    (on-link routes, no role)
#
# Sourced:   . scripts/lab.sh; lab_up NAME; ...; lab_down   (lab_down is safe to call twice)
# Directly:  scripts/lab.sh up NAME | down NAME
# NAME makes the namespace names unique (xpf-NAME-dir, ...): use the PID or a random suffix.

LAB_VIP4=192.0.2.100
LAB_VIP6=2001:db8:1::100
LAB_DIRECTOR4=192.0.2.101
LAB_DIRECTOR6=2001:db8:1::101
LAB_PROXY4=192.0.2.10
LAB_PROXY6=2001:db8:1::10
LAB_EDGE4=192.0.2.50
LAB_EDGE6=2001:db8:1::50
LAB_FRONTEND4=192.0.2.20
LAB_FRONTEND6=2001:db8:1::20
LAB_CLIENT4=198.51.100.10
LAB_CLIENT6=2001:db8:100::10
LAB_OUTSIDER4=203.0.113.99
LAB_OUTSIDER6=2001:db8:ff::99
LAB_IFACE=eth0		# the Director's interface, where xpf attaches

lab_log() { echo "lab: $*" >&2; }

# Sets LAB_NAME, LAB_SWITCH and one LAB_<ROLE> variable per namespace. XPF_LAB_TAG, when set,
# is appended to the name, so that two checkouts can run the same test at once.
lab_names() {
	LAB_NAME=$1${XPF_LAB_TAG:-}
	LAB_SWITCH=xpf-$LAB_NAME-sw
	LAB_DIRECTOR=xpf-$LAB_NAME-dir
	LAB_PROXY=xpf-$LAB_NAME-rp
	LAB_EDGE=xpf-$LAB_NAME-edge
	LAB_FRONTEND=xpf-$LAB_NAME-fe
	LAB_CLIENT=xpf-$LAB_NAME-cli
	LAB_OUTSIDER=xpf-$LAB_NAME-out
}

# lab_host ROLE ADDR4/LEN ADDR6/LEN [ROUTES...]: a namespace joined to the bridge by a veth pair
# whose switch end is named sw-ROLE and whose host end is eth0. ROUTES are on-link prefixes.
lab_host() {
	local role=$1 addr4=$2 addr6=$3 ns=xpf-$LAB_NAME-$1 route
	shift 3
	ip netns add "$ns" || return 1
	ip -n "$ns" link set lo up
	# Before eth0 exists, so that it comes up this way: no DAD, so that the addresses are
	# usable at once; no router solicitations, which nothing answers; MLD reports repeated
	# within a millisecond, not a second (the bridge floods them to every port while no
	# querier is heard). Else they would reach the Director seconds later, while a test
	# counts its own frames.
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.router_solicitations=0 \
		net.ipv6.conf.all.router_solicitations=0 \
		net.ipv6.conf.default.mldv1_unsolicited_report_interval=1 \
		net.ipv6.conf.default.mldv2_unsolicited_report_interval=1 || return 1
	ip -n "$LAB_SWITCH" link add "sw-$role" type veth peer name eth0 netns "$ns" || return 1
	ip -n "$LAB_SWITCH" link set "sw-$role" master br0 up
	ip -n "$ns" link set eth0 up
	ip -n "$ns" addr add "$addr4" dev eth0
	ip -n "$ns" addr add "$addr6" dev eth0 nodad
	for route in "$@"; do
		ip -n "$ns" route add "$route" dev eth0 || return 1
	done
}

lab_up() {
	lab_names "${1:?lab_up NAME}"
	ip netns add "$LAB_SWITCH" || return 1
	# No IPv6 in the switch, before its bridge and ports exist: a port's own router
	# solicitations, MLD reports and DAD probes would go straight to the host behind it.
	ip netns exec "$LAB_SWITCH" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 \
		net.ipv6.conf.all.disable_ipv6=1 || return 1
	ip -n "$LAB_SWITCH" link set lo up
	# No STP: the ports forward as soon as they are up.
	ip -n "$LAB_SWITCH" link add br0 type bridge stp_state 0 forward_delay 0 || return 1
	ip -n "$LAB_SWITCH" link set br0 up

	# The Director's own address first (primary): connections it opens come from it, as the
	# outbound row (Director -> Front End, 444) says. The VIP only receives: a secondary v4
	# address, and a deprecated v6 one (valid, never chosen as a source).
	lab_host dir "$LAB_DIRECTOR4/24" "$LAB_DIRECTOR6/64" \
		198.51.100.0/24 203.0.113.0/24 2001:db8:100::/64 2001:db8:ff::/64 || return 1
	ip -n "$LAB_DIRECTOR" addr add "$LAB_VIP4/24" dev eth0
	ip -n "$LAB_DIRECTOR" addr add "$LAB_VIP6/64" dev eth0 nodad preferred_lft 0
	lab_host rp "$LAB_PROXY4/24" "$LAB_PROXY6/64" || return 1
	lab_host edge "$LAB_EDGE4/24" "$LAB_EDGE6/64" || return 1
	lab_host fe "$LAB_FRONTEND4/24" "$LAB_FRONTEND6/64" || return 1
	lab_host cli "$LAB_CLIENT4/24" "$LAB_CLIENT6/64" 192.0.2.0/24 2001:db8:1::/64 || return 1
	lab_host out "$LAB_OUTSIDER4/24" "$LAB_OUTSIDER6/64" 192.0.2.0/24 2001:db8:1::/64 || return 1
	lab_wait_ready
}

# Ready: every bridge port forwards, every eth0 has carrier, no tentative address, and its
# link-local address: IPv6 has seen the carrier (a moment after LOWER_UP), joined its groups
# and sent its MLD reports. Reachability itself is proven by the first conversation of each
# test.
lab_ready() {
	local ns
	bridge -n "$LAB_SWITCH" link show | grep -q 'state forwarding' || return 1
	bridge -n "$LAB_SWITCH" link show | grep -v -q 'state forwarding' && return 1
	for ns in "$LAB_DIRECTOR" "$LAB_PROXY" "$LAB_EDGE" "$LAB_FRONTEND" "$LAB_CLIENT" \
		  "$LAB_OUTSIDER"; do
		ip -n "$ns" link show eth0 | grep -q LOWER_UP || return 1
		ip -n "$ns" addr show dev eth0 tentative | grep -q inet && return 1
		ip -n "$ns" -6 addr show dev eth0 scope link | grep -q inet6 || return 1
	done
	return 0
}

lab_wait_ready() {
	local _
	for _ in $(seq 1 100); do
		lab_ready && return 0
		sleep 0.05
	done
	lab_log "the lab did not come up within 5 s"
	return 1
}

# lab_down [NAME]: deletes every namespace of the lab (their veths go with them). Kills what
# still runs inside them first, so no server outlives the lab.
lab_down() {
	[ -n "${1:-}" ] && lab_names "$1"
	[ -n "${LAB_NAME:-}" ] || return 0
	local ns pids
	for ns in "$LAB_DIRECTOR" "$LAB_PROXY" "$LAB_EDGE" "$LAB_FRONTEND" "$LAB_CLIENT" \
		  "$LAB_OUTSIDER" "$LAB_SWITCH"; do
		[ -e "/run/netns/$ns" ] || continue
		pids=$(ip netns pids "$ns" 2>/dev/null)
		# shellcheck disable=SC2086
		[ -n "$pids" ] && kill $pids 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}

# lab_wait_listen NS PORT: until something listens on TCP PORT in NS (bounded: 5 s).
lab_wait_listen() {
	local _
	for _ in $(seq 1 100); do
		ip netns exec "$1" ss -Htln "sport = :$2" 2>/dev/null | grep -q . && return 0
		sleep 0.05
	done
	lab_log "nothing listens on $1 port $2"
	return 1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -u
	case ${1:-} in
	up)
		[ -n "${2:-}" ] || { echo "usage: $0 up|down NAME" >&2; exit 2; }
		lab_up "$2" || { lab_down; exit 1; }
		echo "lab $2 up: namespaces $LAB_SWITCH $LAB_DIRECTOR $LAB_PROXY $LAB_EDGE" \
		     "$LAB_FRONTEND $LAB_CLIENT $LAB_OUTSIDER; xpf attaches to $LAB_IFACE in $LAB_DIRECTOR"
		;;
	down)
		[ -n "${2:-}" ] || { echo "usage: $0 up|down NAME" >&2; exit 2; }
		lab_down "$2"
		;;
	*)
		echo "usage: $0 up|down NAME" >&2
		exit 2
		;;
	esac
fi
