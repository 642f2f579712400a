#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The published family's other pages, enforced across the lab with the example site files
# (docs/tables.md), each loaded on the host it is for:
#  - examples/edge-internal.site on the Edge (one table of its page): the Front End pool's SIP
#    to 5061 passes (an "Any (can be defined as ...)" cell narrowed by the site's roles), an
#    outsider's is refused, logging on 50001 passes from anywhere;
#  - examples/edge.site on the Edge (two tables of one page, with the external services'
#    addresses added): rows of both tables admit their traffic, each rule's counters name
#    its table and caption;
#  - examples/reverse-proxy.site on the reverse proxy: the connections it opens to the pools
#    (rows whose destination cell names five roles) get their replies, nothing comes in;
#  - examples/front-end.site on a Front End (the server ports table): its listeners pass, the
#    DCOM row that the page gives no transport for is reported and its port refused;
#  - without the filter every refused conversation completes (the filter refused them).
. "$(dirname "$0")/lib.sh"
e2e_init family 300

EX=$E2E_ROOT/examples
ACCESS4=192.0.2.51	# edge.site's Access Edge service
ACCESS6=2001:db8:1::51
WEBCONF4=192.0.2.52

# talk KIND NS ADDR PORT: ok or refused.
talk() {
	if [ "$1" = http ]; then http_get "$2" "$3" "$4"; else tls_talk "$2" "$3" "$4"; fi &&
		echo ok || echo refused
}

# expect DESC VERDICT KIND NS ADDR PORT
expect() {
	assert_eq "$1" "$2" "$(talk "$3" "$4" "$5" "$6")"
}

# load NS SITE WHAT: the site loaded on NS's eth0, or the test stops.
load() {
	run_xpf "$1" load -c "$2" "$LAB_IFACE"
	[ "$RC" = 0 ] || die "$3: xpf load failed ($RC): $ERR"
	ok "$3: loaded"
}

unload() {
	run_xpf "$1" unload "$LAB_IFACE"
	assert_eq "$2: unload ($ERR)" 0 "$RC"
}

# stats_json NS FILE
stats_json() {
	run_xpf "$1" stats -j "$LAB_IFACE"
	interface_json >"$2"
	json "$2" 'len(d["rules"])' >/dev/null || die "xpf stats -j: exit $RC, not JSON: $ERR"
}

# packets FILE LABEL SOURCE DESTINATION: the rule's packets.
packets() {
	json "$1" "sum(r['packets'] for r in d['rules'] if r['label'] == '''$2''' and
		r['source'] == '''$3''' and r['destination'] == '''$4''')"
}

# caption FILE LABEL SOURCE DESTINATION: the table the rule came from, "PAGE: CAPTION".
caption() {
	json "$1" "[t['table'] + ': ' + t['caption'] for r in d['rules'] if r['label'] == '''$2'''
		and r['source'] == '''$3''' and r['destination'] == '''$4''' for t in r['tables']][:1]"
}

e2e_log "lab $E2E_LAB"
lab_up "$E2E_LAB" || die "the lab did not come up"
e2e_cert || die "openssl could not make a certificate"
# The lab's servers answer the client's and the outsider's networks; the Edge carries its
# external services' addresses beside its internal one (edge.site).
for ns in "$LAB_EDGE" "$LAB_FRONTEND" "$LAB_PROXY"; do
	for net in 198.51.100.0/24 203.0.113.0/24 2001:db8:100::/64 2001:db8:ff::/64; do
		ip -n "$ns" route add "$net" dev eth0 || die "route to $net in $ns"
	done
done
for addr in "$ACCESS4/24" "$WEBCONF4/24" 192.0.2.53/24; do
	ip -n "$LAB_EDGE" addr add "$addr" dev eth0 || die "address $addr on the Edge"
done
ip -n "$LAB_EDGE" addr add "$ACCESS6/64" dev eth0 nodad preferred_lft 0 || die "$ACCESS6"
for port in 5061 50001 443; do tls_server "$LAB_EDGE" "$port" || die "TLS server, Edge $port"; done
tls_server "$LAB_FRONTEND" 4443 || die "TLS server, Front End 4443"
tls_server "$LAB_FRONTEND" 5061 || die "TLS server, Front End 5061"
tls_server "$LAB_FRONTEND" 135 || die "TLS server, Front End 135"
http_server "$LAB_FRONTEND" 80 || die "HTTP server, Front End 80"
http_server "$LAB_DIRECTOR" 8080 || die "HTTP server, Director 8080"
http_server "$LAB_PROXY" 8080 || die "HTTP server, reverse proxy 8080"

e2e_log "no filter: what the sites refuse goes through"
expect "no filter: outsider -> Edge internal 5061" ok tls "$LAB_OUTSIDER" "$LAB_EDGE4" 5061
expect "no filter: outsider -> Web Conferencing 5061" ok tls "$LAB_OUTSIDER" "$WEBCONF4" 5061
expect "no filter: outsider -> reverse proxy 8080" ok http "$LAB_OUTSIDER" "$LAB_PROXY4" 8080
expect "no filter: client -> Front End 135" ok tls "$LAB_CLIENT" "$LAB_FRONTEND4" 135

# --- the Edge's internal interface: one table of a page ---------------------------------------
e2e_log "edge-internal.site"
run_xpf "$LAB_EDGE" check -c "$EX/edge-internal.site"
assert_eq "edge-internal: check passes ($ERR)" 0 "$RC"
assert_match "edge-internal: check names the roles that would narrow Any" \
	"'Director pool IP address' \(2 rows\)" "$OUT"
load "$LAB_EDGE" "$EX/edge-internal.site" edge-internal
expect "edge-internal: Front End pool -> 5061 (v4)" ok tls "$LAB_FRONTEND" "$LAB_EDGE4" 5061
expect "edge-internal: Front End pool -> 5061 (v6)" ok tls "$LAB_FRONTEND" "$LAB_EDGE6" 5061
expect "edge-internal: outsider -> 5061 refused" refused tls "$LAB_OUTSIDER" "$LAB_EDGE4" 5061
expect "edge-internal: outsider -> 50001 (Any)" ok tls "$LAB_OUTSIDER" "$LAB_EDGE4" 50001
stats_json "$LAB_EDGE" "$E2E_TMP/edge-internal.json"
n=$(packets "$E2E_TMP/edge-internal.json" SIP/MTLS/TCP/5061 "Front End pool IP address" \
	"Edge Server internal interface")
check "edge-internal: the Front End pool's 5061 rule counted ($n)" test "${n:-0}" -gt 0
assert_eq "edge-internal: its table and caption" \
	'["lync2013-edge-single-nat: Firewall Summary for Single Consolidated Edge with Private IP Addresses Using NAT: Internal Interface"]' \
	"$(caption "$E2E_TMP/edge-internal.json" SIP/MTLS/TCP/5061 "Front End pool IP address" \
		"Edge Server internal interface")"
unload "$LAB_EDGE" edge-internal

# --- the Edge with two tables of its page -----------------------------------------------------
e2e_log "edge.site: two tables"
load "$LAB_EDGE" "$EX/edge.site" edge
expect "edge: outsider -> Access Edge 443 (External Interface)" ok tls "$LAB_OUTSIDER" "$ACCESS4" 443
expect "edge: outsider -> Access Edge 443 (v6)" ok tls "$LAB_OUTSIDER" "$ACCESS6" 443
expect "edge: outsider -> Access Edge 5061 (External Interface)" ok tls "$LAB_OUTSIDER" "$ACCESS4" 5061
expect "edge: Front End pool -> internal 5061 (Internal Interface)" ok tls "$LAB_FRONTEND" "$LAB_EDGE4" 5061
expect "edge: outsider -> internal 5061 refused" refused tls "$LAB_OUTSIDER" "$LAB_EDGE4" 5061
expect "edge: outsider -> Web Conferencing 5061 refused" refused tls "$LAB_OUTSIDER" "$WEBCONF4" 5061
stats_json "$LAB_EDGE" "$E2E_TMP/edge.json"
n=$(packets "$E2E_TMP/edge.json" "Access/SIP(TLS)/TCP/443" Any "Edge Server Access Edge service")
check "edge: the Access Edge 443 rule counted ($n)" test "${n:-0}" -gt 0
assert_eq "edge: ... and names the external table" \
	'["lync2013-edge-single-nat: Firewall Summary for Single Consolidated Edge with Private IP Addresses using NAT: External Interface"]' \
	"$(caption "$E2E_TMP/edge.json" "Access/SIP(TLS)/TCP/443" Any "Edge Server Access Edge service")"
n=$(packets "$E2E_TMP/edge.json" SIP/MTLS/TCP/5061 "Front End pool IP address" \
	"Edge Server internal interface")
check "edge: the internal 5061 rule counted ($n)" test "${n:-0}" -gt 0
assert_match "edge: ... and names the internal table" "Using NAT: Internal Interface" \
	"$(caption "$E2E_TMP/edge.json" SIP/MTLS/TCP/5061 "Front End pool IP address" \
		"Edge Server internal interface")"
run_xpf "$LAB_EDGE" stats "$LAB_IFACE"
assert_match "edge: xpf stats lists both tables" \
	"t2: lync2013-edge-single-nat: .*Internal Interface" "$OUT"
assert_match "edge: xpf stats gives a rule's origin" "t2:83" "$OUT"
run_xpf "$LAB_EDGE" explain "$LAB_IFACE" tcp "$LAB_OUTSIDER4" "$ACCESS4" 443
assert_match "edge: xpf explain names the row's table and caption" \
	"from +table line 28 \(lync2013-edge-single-nat: .*External Interface\)" "$OUT"
run_xpf "$LAB_EDGE" stats --prometheus "$LAB_IFACE"
assert_match "edge: the Prometheus counters name the caption" \
	'xpf_rule_packets_total\{.*table="lync2013-edge-single-nat",caption="[^"]*External Interface"\} [1-9]' "$OUT"
unload "$LAB_EDGE" edge

# --- the reverse proxy's internal side ------------------------------------------------------
e2e_log "reverse-proxy.site"
run_xpf "$LAB_PROXY" check -c "$EX/reverse-proxy.site"
assert_eq "reverse-proxy: check passes ($ERR)" 0 "$RC"
assert_match "reverse-proxy: check says nothing is admitted to the proxy" \
	"reverse-proxy.site:[0-9]+: 'Internal reverse proxy interface'" "$OUT"
assert_match "reverse-proxy: check names the parts the site leaves out" \
	"'Office Web Apps for conferencing' \(2 rows\)" "$OUT"
load "$LAB_PROXY" "$EX/reverse-proxy.site" reverse-proxy
expect "reverse-proxy: proxy -> Front End pool 4443" ok tls "$LAB_PROXY" "$LAB_FRONTEND4" 4443
expect "reverse-proxy: proxy -> Director 8080" ok http "$LAB_PROXY" "$LAB_DIRECTOR4" 8080
expect "reverse-proxy: outsider -> proxy 8080 refused" refused http "$LAB_OUTSIDER" "$LAB_PROXY4" 8080
stats_json "$LAB_PROXY" "$E2E_TMP/proxy.json"
n=$(packets "$E2E_TMP/proxy.json" HTTPS/TCP/4443 "Internal reverse proxy interface" "Front End pool")
check "reverse-proxy: the replies from the Front End pool counted on its row ($n)" \
	test "${n:-0}" -gt 0
unload "$LAB_PROXY" reverse-proxy

# --- a Front End: the server ports table ----------------------------------------------------
e2e_log "front-end.site"
run_xpf "$LAB_FRONTEND" check -c "$EX/front-end.site"
assert_eq "front-end: check passes" 0 "$RC"
assert_match "front-end: the DCOM row is reported, with its line" \
	"lync2013-internal-servers:33: row not compiled: no transport .*DCOM" "$ERR"
load "$LAB_FRONTEND" "$EX/front-end.site" front-end
expect "front-end: client -> 80 (HTTP)" ok http "$LAB_CLIENT" "$LAB_FRONTEND4" 80
expect "front-end: client -> 5061 (TCP (TLS))" ok tls "$LAB_CLIENT" "$LAB_FRONTEND6" 5061
expect "front-end: client -> 135 refused (the DCOM row names no transport)" refused \
	tls "$LAB_CLIENT" "$LAB_FRONTEND4" 135
stats_json "$LAB_FRONTEND" "$E2E_TMP/fe.json"
n=$(packets "$E2E_TMP/fe.json" "HTTP 80" Any "Front End Servers")
check "front-end: the HTTP 80 rule counted ($n)" test "${n:-0}" -gt 0
assert_eq "front-end: ... and names its table" \
	'["lync2013-internal-servers: Required Server Ports (by Server Role)"]' \
	"$(caption "$E2E_TMP/fe.json" "HTTP 80" Any "Front End Servers")"
unload "$LAB_FRONTEND" front-end

e2e_finish
