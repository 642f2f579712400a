#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Replies to the Director's own flows, through a default-deny xpf (IPv4 and IPv6):
#  - the Director opens TLS to a Front End on 444 (the table's outbound row) and sends a UDP
#    query to a DNS-like server on 53 (a site row): both get their answers, counted on their
#    outbound rows, and `xpf flows` lists the flows;
#  - a crafted SYN-ACK from the Front End's address to a port the Director never used, and a
#    datagram from port 53 to a closed port, are dropped (counted as default);
#  - a crafted answer on a flow the Director opened passes while the flow is fresh and is
#    dropped once it has been idle past its timeout (set to 4 s here).
. "$(dirname "$0")/lib.sh"
e2e_init replies

# The crafted answer is ready to go before the flow exists (craft_ready): the time between
# the query and the answer is the query's own, however long scapy takes to start.
TIMEOUT=4
SITE=$E2E_TMP/director.site
{
	cat "$E2E_ROOT/examples/director.site"
	echo "role   DNS servers = $LAB_FRONTEND4, $LAB_FRONTEND6"
	echo "allow  DNS/UDP 53 | Director | DNS servers | name resolution"
	echo "timeout tcp $TIMEOUT"
	echo "timeout udp $TIMEOUT"
} >"$SITE"

lab_up "$E2E_LAB" || die "the lab did not come up"
e2e_cert
tls_server "$LAB_FRONTEND" 444 || die "TLS server on the Front End"
dns_server "$LAB_FRONTEND" || die "DNS server on the Front End"

run_xpf "$LAB_DIRECTOR" load -c "$SITE" -m native "$LAB_IFACE"
[ "$RC" = 0 ] || die "load: $ERR"

# stats_value EXPR: a number from `xpf stats -j`.
stats_value() {
	run_xpf "$LAB_DIRECTOR" stats -j "$LAB_IFACE"
	interface_json >"$E2E_TMP/stats.json"
	json "$E2E_TMP/stats.json" "$1"
}
row_packets() {
	stats_value "sum(r['packets'] for r in d['rules'] if r['label'] == '$1')"
}
reason_packets() { stats_value "d['reasons']['$1']['packets']"; }

# dns_query FAMILY SPORT: the Director asks from port SPORT; prints the answer as soon as it
# comes, nothing if none within 10 s (one later than the flow's $TIMEOUT s is dropped anyway).
dns_query() {
	local server=$LAB_FRONTEND4 source=$LAB_DIRECTOR4
	[ "$1" = v6 ] && server=$LAB_FRONTEND6 source=$LAB_DIRECTOR6
	ip netns exec "$LAB_DIRECTOR" timeout 15 "$PY" -c "
import socket, sys
family = socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET
s = socket.socket(family, socket.SOCK_DGRAM)
s.bind((sys.argv[2], int(sys.argv[3])))
s.settimeout(10)
s.sendto(b'query\\n', (sys.argv[1], 53))
print(s.recv(512).decode().strip())" "$server" "$source" "$2" 2>/dev/null
}

DIRECTOR_MAC=$(ip -n "$LAB_DIRECTOR" link show "$LAB_IFACE" | awk '/link\/ether/ { print $2 }')

# craft_ready NS PYTHON-EXPR: a scapy process in NS with the packet built (an IP packet,
# framed for the Director's MAC: no ARP or NDP exchange before it goes), waiting for
# craft_send to send it from NS's eth0.
craft_ready() {
	local line
	coproc CRAFT { ip netns exec "$1" timeout 60 "$PY" -c "
import logging, sys
logging.getLogger('scapy.runtime').setLevel(logging.ERROR)
from scapy.all import IP, IPv6, TCP, UDP, Ether, sendp
frame = Ether(dst='$DIRECTOR_MAC') / $2
print('ready', flush=True)
sys.stdin.readline()
sendp(frame, iface='eth0', verbose=0)
print('sent', flush=True)" 2>"$E2E_TMP/craft.err"; }
	read -r -t 30 line <&"${CRAFT[0]}"
	[ "$line" = ready ] || fail "scapy did not start in $1: $(tail -3 "$E2E_TMP/craft.err")"
}

craft_send() {
	local line
	echo send >&"${CRAFT[1]}"
	read -r -t 10 line <&"${CRAFT[0]}"
	wait "$CRAFT_PID"
	[ "$line" = sent ] || fail "scapy could not send: $(tail -3 "$E2E_TMP/craft.err")"
}

# craft NS PYTHON-EXPR: sends one packet built with scapy from NS's eth0.
craft() {
	craft_ready "$@"
	craft_send
}

for family in v4 v6; do
	if [ $family = v4 ]; then
		fe=$LAB_FRONTEND4 dir=$LAB_DIRECTOR4 ip=IP
	else
		fe=$LAB_FRONTEND6 dir=$LAB_DIRECTOR6 ip=IPv6
	fi
	e2e_log "$family: the Director's own conversations"
	before_444=$(row_packets "HTTPS/TCP 444")
	check "$family: TLS from the Director to the Front End on 444 gets its answer" \
		tls_talk "$LAB_DIRECTOR" "$fe" 444
	check "$family: the 444 answers are counted on the outbound row" \
		test "$(row_packets "HTTPS/TCP 444")" -gt "$before_444"

	before_dns=$(row_packets "DNS/UDP 53")
	answer=$(dns_query $family 5353)
	assert_eq "$family: the UDP query from the Director gets its answer" "dns-answer" "$answer"
	check "$family: the DNS answer is counted on the DNS row" \
		test "$(row_packets "DNS/UDP 53")" -gt "$before_dns"
	run_xpf "$LAB_DIRECTOR" flows -j "$LAB_IFACE"
	echo "$OUT" >"$E2E_TMP/flows.json"
	assert_eq "$family: xpf flows lists the query's flow" 1 \
		"$(json "$E2E_TMP/flows.json" "sum(1 for f in d['flows'] if f['proto'] == 'udp' and f['local_port'] == 5353 and f['remote_port'] == 53 and f['remote'] == '$fe')")"

	e2e_log "$family: unsolicited packets from the same peers"
	before_default=$(reason_packets default)
	before_444=$(row_packets "HTTPS/TCP 444")
	craft "$LAB_FRONTEND" "$ip(src='$fe', dst='$dir')/TCP(sport=444, dport=45678, flags='SA', seq=1, ack=1)"
	craft "$LAB_FRONTEND" "$ip(src='$fe', dst='$dir')/UDP(sport=53, dport=5399)/b'unasked'"
	assert_eq "$family: unsolicited SYN-ACK and UDP from port 53 dropped as default" \
		$((before_default + 2)) "$(reason_packets default)"
	assert_eq "$family: neither counted on the 444 row" "$before_444" \
		"$(row_packets "HTTPS/TCP 444")"

	e2e_log "$family: a flow idle past its timeout ($TIMEOUT s)"
	craft_ready "$LAB_FRONTEND" "$ip(src='$fe', dst='$dir')/UDP(sport=53, dport=5400)/b'late'"
	dns_query $family 5400 >/dev/null
	before_dns=$(row_packets "DNS/UDP 53")
	craft_send
	assert_eq "$family: an answer on the fresh flow passes" $((before_dns + 1)) \
		"$(row_packets "DNS/UDP 53")"
	sleep $((TIMEOUT + 1))
	before_default=$(reason_packets default)
	craft "$LAB_FRONTEND" "$ip(src='$fe', dst='$dir')/UDP(sport=53, dport=5400)/b'too late'"
	assert_eq "$family: the same answer after the idle timeout is dropped" \
		$((before_default + 1)) "$(reason_packets default)"
done

run_xpf "$LAB_DIRECTOR" unload "$LAB_IFACE"
assert_eq "unload" 0 "$RC"
e2e_finish
