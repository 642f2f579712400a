# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# shellcheck shell=bash disable=SC2034
# Shared by test_router.sh and test_bridge.sh (sourced after lib.sh, never run): a Director
# that xpf protects from another machine, real peers around it, and the conversations that
# prove the filter there. Documentation addresses only:
#
#   namespace   addresses                          serves
#   $TOPO_DIR   192.0.2.101, 2001:db8:1::101       HTTP 80, TLS 443 and 50001 (on every
#               VIP 192.0.2.100, 2001:db8:1::100   address); opens TLS to the Front End on
#                                                  444 and asks it UDP 53
#   $TOPO_CLI   198.51.100.10, 2001:db8:100::10    Internal Clients: admitted to the VIP
#   $TOPO_OUT   203.0.113.99, 2001:db8:ff::99      no role: refused, but for the Any rows
#   $TOPO_FE    198.18.0.20, 2001:db8:20::20       TLS 444, a DNS-like answer on UDP 53
#
# The test builds the machine in between, in namespace $TOPO_FILTER_NS, and sets
# IF_CLI, IF_OUT and IF_FE: the interfaces where each peer's packets arrive (and where the
# Director's packets to it leave), each with xpf attached.

TOPO_VIP4=192.0.2.100
TOPO_VIP6=2001:db8:1::100
TOPO_DIR4=192.0.2.101
TOPO_DIR6=2001:db8:1::101
TOPO_CLI4=198.51.100.10
TOPO_CLI6=2001:db8:100::10
TOPO_OUT4=203.0.113.99
TOPO_OUT6=2001:db8:ff::99
TOPO_FE4=198.18.0.20
TOPO_FE6=2001:db8:20::20

TOPO_NAMESPACES=()
TOPO_ATTACHED=()	# "NS IFACE" of every interface a filter may be on

# topo_names SHORT: the peers' namespace names, unique to this run.
topo_names() {
	local base=xpf-$1$$${XPF_LAB_TAG:-}
	TOPO_DIR=$base-dir
	TOPO_CLI=$base-cli
	TOPO_OUT=$base-out
	TOPO_FE=$base-fe
	TOPO_BASE=$base
	e2e_on_exit topo_down
}

# topo_ns NS: a namespace whose interfaces come up without DAD (addresses usable at once) and
# without router solicitations, which nothing answers.
topo_ns() {
	ip netns add "$1" || return 1
	TOPO_NAMESPACES+=("$1")
	ip -n "$1" link set lo up
	ip netns exec "$1" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.router_solicitations=0 \
		net.ipv6.conf.all.router_solicitations=0
}

# topo_veth NS_A IF_A NS_B IF_B: a veth pair between two namespaces, both ends up.
topo_veth() {
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" || return 1
	ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

# topo_host NS ADDR4/LEN ADDR6/LEN ROUTE...: addresses on NS's eth0; each ROUTE is
# "PREFIX" (on-link) or "PREFIX via GATEWAY".
topo_host() {
	local ns=$1 route
	ip -n "$ns" addr add "$2" dev eth0 || return 1
	ip -n "$ns" addr add "$3" dev eth0 nodad || return 1
	shift 3
	for route in "$@"; do
		# shellcheck disable=SC2086
		ip -n "$ns" route add $route dev eth0 || return 1
	done
}

# topo_director_addrs: the VIP beside the Director's own address. The VIP only receives: a
# secondary v4 address, a deprecated v6 one (never chosen as a source), so that the flows
# the Director opens come from its own address, as the outbound rows say.
topo_director_addrs() {
	ip -n "$TOPO_DIR" addr add "$TOPO_VIP4/24" dev eth0 &&
		ip -n "$TOPO_DIR" addr add "$TOPO_VIP6/64" dev eth0 nodad preferred_lft 0
}

topo_down() {
	local entry ns pids
	for entry in "${TOPO_ATTACHED[@]}"; do
		# From the host's mount namespace: it removes pins as well.
		# shellcheck disable=SC2086
		set -- $entry
		[ -e "/run/netns/$1" ] && nsenter --net="/run/netns/$1" timeout 10 "$XPF" unload "$2"
	done
	for ns in "${TOPO_NAMESPACES[@]}"; do
		[ -e "/run/netns/$ns" ] || continue
		pids=$(ip netns pids "$ns" 2>/dev/null)
		# shellcheck disable=SC2086
		[ -n "$pids" ] && kill $pids 2>/dev/null
		ip netns del "$ns"
	done
	return 0
}

# topo_site FILE: the Director table, protected from the machine in front of it.
topo_site() {
	cat >"$1" <<EOF
table   lync2013-director-dns-hlb
protect Director, Director Hardware Load Balancer VIP
role    Director                            = $TOPO_DIR4, $TOPO_DIR6
role    Director Hardware Load Balancer VIP = $TOPO_VIP4, $TOPO_VIP6
role    Front End pool or Front End Server  = $TOPO_FE4, $TOPO_FE6
role    Internal Clients                    = 198.51.100.0/24, 2001:db8:100::/64
role    Reverse proxy internal interface    = none
role    Edge Server internal interface      = none
role    DNS servers                         = $TOPO_FE4, $TOPO_FE6
allow   DNS/UDP 53 | Director | DNS servers | name resolution
EOF
}

# topo_check_site FILE: `xpf check` says that the Director's addresses are protected behind
# the interface, not this host's, and where replies are learned.
topo_check_site() {
	run_xpf "$TOPO_FILTER_NS" check -c "$1"
	[ "$RC" = 0 ] || echo "$ERR"
	assert_eq "check passes" 0 "$RC"
	assert_match "check lists the protected addresses" \
		"^  hosts it protects, behind it \(protect\): $TOPO_DIR4 \(Director\), $TOPO_DIR6 \(Director\), $TOPO_VIP4 \(Director Hardware Load Balancer VIP\)" \
		"$OUT"
	assert_no_match "check claims no address for this host" "this host \(local\)" "$OUT"
	assert_match "check says where replies are learned" \
		"^replies learned from the flows these addresses open, as they leave through the same interface" \
		"$OUT"
	run_xpf "$TOPO_FILTER_NS" check -j -c "$1"
	echo "$OUT" >"$E2E_TMP/check.json"
	assert_eq "check -j: four enforced addresses, each named by protect" \
		'[["protect", 4]]' \
		"$(json "$E2E_TMP/check.json" "[[k, sum(1 for l in d['locals'] if l['directive'] == k)] for k in sorted({l['directive'] for l in d['locals']})]")"
}

# topo_servers: the Director's and the Front End's servers, and the TLS certificate.
topo_servers() {
	e2e_cert || return 1
	http_server "$TOPO_DIR" 80 || return 1
	tls_server "$TOPO_DIR" 443 || return 1
	tls_server "$TOPO_DIR" 50001 || return 1
	tls_server "$TOPO_FE" 444 || return 1
	dns_server "$TOPO_FE"
}

# topo_stats IFACE EXPR: EXPR over `xpf stats -j IFACE` (d); empty when it fails.
topo_stats() {
	run_xpf "$TOPO_FILTER_NS" stats -j "$1"
	[ "$RC" = 0 ] || return 1
	interface_json >"$E2E_TMP/stats.json" || return 1
	json "$E2E_TMP/stats.json" "$2"
}
topo_reason() { topo_stats "$1" "d['reasons']['$2']['packets']"; }

# tcp_dropped NS ADDR PORT: a TCP connection that times out (exit 28): its SYNs were dropped.
# A refusal by the host itself (a RST, exit 7) is not a drop.
tcp_dropped() {
	ip netns exec "$1" timeout 5 curl -sS --connect-timeout 1 \
		"http://$(url_host "$2"):$3/" >/dev/null 2>&1
	[ $? = 28 ]
}

# udp_ask NS SOURCE SERVER SPORT: one datagram to SERVER port 53 from SOURCE:SPORT; prints
# the answer (at most 5 s).
udp_ask() {
	ip netns exec "$1" timeout 10 "$PY" -c "
import socket, sys
family = socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET
s = socket.socket(family, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[3])))
s.settimeout(5)
s.sendto(b'query\\n', (sys.argv[2], 53))
print(s.recv(512).decode().strip())" "$2" "$3" "$4" 2>/dev/null
}

# udp_send NS SOURCE SPORT DEST DPORT: one datagram nobody asked for. SO_REUSEADDR: from the
# DNS server's own port, beside the server (which sets it too).
udp_send() {
	ip netns exec "$1" "$PY" -c "
import socket, sys
family = socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET
s = socket.socket(family, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.sendto(b'unasked', (sys.argv[3], int(sys.argv[4])))" "$2" "$3" "$4" "$5"
}

# topo_unfiltered: with no filter, every peer reaches the Director, the outsider too (so the
# refusals below are the filter's), and the Director reaches the Front End.
topo_unfiltered() {
	local family vip dir fe
	for family in 4 6; do
		eval "vip=\$TOPO_VIP$family dir=\$TOPO_DIR$family fe=\$TOPO_FE$family"
		check "no filter, v$family: the client gets the page from the VIP" \
			http_get "$TOPO_CLI" "$vip" 80
		check "no filter, v$family: the outsider talks TLS to the VIP on 443" \
			tls_talk "$TOPO_OUT" "$vip" 443
		check "no filter, v$family: the Director talks TLS to the Front End on 444" \
			tls_talk "$TOPO_DIR" "$fe" 444
	done
}

# topo_load MODE SITE IFACE...: the same site on each interface, in MODE.
topo_load() {
	local mode=$1 site=$2 iface
	shift 2
	for iface in "$@"; do
		run_xpf "$TOPO_FILTER_NS" load -c "$site" -m "$mode" "$iface"
		[ "$RC" = 0 ] || die "load -m $mode on $iface: $ERR"
		assert_eq "$mode: $iface attached in $mode mode" "$mode" \
			"$(topo_stats "$iface" "d['mode']")"
	done
}

topo_unload() {
	local iface
	for iface in "$@"; do
		run_xpf "$TOPO_FILTER_NS" unload "$iface"
		assert_eq "unload $iface ($ERR)" 0 "$RC"
	done
}

# topo_snapshot NAME: `xpf stats -j` of IF_CLI, IF_OUT and IF_FE, in $E2E_TMP/NAME-IFACE.json.
topo_snapshot() {
	local iface
	for iface in $(printf '%s\n' "$IF_CLI" "$IF_OUT" "$IF_FE" | sort -u); do
		run_xpf "$TOPO_FILTER_NS" stats -j "$iface"
		interface_json >"$E2E_TMP/$1-$iface.json"
	done
}

# topo_row_moved DESC IFACE LABEL: the packets of the rows labelled LABEL on IFACE grew
# between the snapshots before and after.
topo_row_moved() {
	local expr="sum(r['packets'] for r in d['rules'] if r['label'] == '$3')" before after
	before=$(json "$E2E_TMP/before-$2.json" "$expr")
	after=$(json "$E2E_TMP/after-$2.json" "$expr")
	check "$1 on $2 ($before -> $after)" test "${after:-0}" -gt "${before:-0}"
}

# topo_conversations MODE FAMILY: admitted and refused clients, the Director's own TCP and
# UDP flows and their replies, unsolicited UDP; each seen on the counters of the interface
# where it arrived.
topo_conversations() {
	local tag="$1 v$2" vip dir fe before after
	eval "vip=\$TOPO_VIP$2 dir=\$TOPO_DIR$2 fe=\$TOPO_FE$2"

	topo_snapshot before
	check "$tag: the client gets the page from the VIP (curl, 80)" \
		http_get "$TOPO_CLI" "$vip" 80
	check "$tag: the client talks TLS to the VIP on 443" tls_talk "$TOPO_CLI" "$vip" 443
	check "$tag: the outsider talks TLS to the Director on 50001 (an Any row)" \
		tls_talk "$TOPO_OUT" "$dir" 50001
	check "$tag: the Director's own TLS connection to the Front End on 444 gets its answers" \
		tls_talk "$TOPO_DIR" "$fe" 444
	assert_eq "$tag: the Director's UDP query to the Front End gets its answer" dns-answer \
		"$(udp_ask "$TOPO_DIR" "$dir" "$fe" 5353)"
	topo_snapshot after
	topo_row_moved "$tag: the client's HTTP counted on the 80 row" "$IF_CLI" "HTTP/TCP 80"
	topo_row_moved "$tag: the client's TLS counted on the 443 row" "$IF_CLI" "HTTPS/TCP 443"
	topo_row_moved "$tag: the outsider's TLS counted on the 50001 row" "$IF_OUT" \
		"MTLS/TCP/50001"
	topo_row_moved "$tag: the Front End's answers counted on the outbound 444 row" "$IF_FE" \
		"HTTPS/TCP 444"
	topo_row_moved "$tag: the DNS answer counted on the DNS row" "$IF_FE" "DNS/UDP 53"
	run_xpf "$TOPO_FILTER_NS" flows -j "$IF_FE"
	echo "$OUT" >"$E2E_TMP/flows.json"
	assert_eq "$tag: xpf flows on $IF_FE lists the query's flow" 1 \
		"$(json "$E2E_TMP/flows.json" "sum(1 for f in d['flows'] if f['proto'] == 'udp' and f['local_port'] == 5353 and f['remote'] == '$fe')")"

	before=$(topo_reason "$IF_OUT" default)
	check "$tag: the outsider's connection to the VIP on 443 is dropped" \
		tcp_dropped "$TOPO_OUT" "$vip" 443
	after=$(topo_reason "$IF_OUT" default)
	check "$tag: its SYNs counted as default on $IF_OUT ($before -> $after)" \
		test "$after" -gt "$before"

	before=$(topo_reason "$IF_FE" default)
	udp_send "$TOPO_FE" "$fe" 53 "$dir" 5399
	check "$tag: a datagram from port 53 that nobody asked for is dropped as default" \
		e2e_poll 2 eval "[ \"\$(topo_reason '$IF_FE' default)\" = $((before + 1)) ]"
}
