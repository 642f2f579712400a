#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# `sudo make demo`: builds the lab (scripts/lab.sh), loads the Director table of
# examples/director.site on the Director's interface, and sends real traffic — allowed and
# refused — between real peers: curl to HTTP on 8080 and 80 and HTTPS on 443, openssl TLS on
# 4443, and SIP over TLS on 5061 from sipp (the Edge Server) to kamailio (the Director,
# scripts/sip.sh). Then `xpf top --once` shows the counters moving on exactly the rows the
# traffic hits, and `xpf stats` the totals. Everything it made is gone when it ends.
# Usage: scripts/demo.sh [PATH-TO-XPF]     (default build/xpf; run from the repository root)
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
XPF=${1:-$ROOT/build/xpf}
case $XPF in /*) ;; *) XPF=$PWD/$XPF ;; esac
SITE=$ROOT/examples/director.site
PY=/usr/bin/python3
# shellcheck source=lab.sh
. "$ROOT/scripts/lab.sh"
# shellcheck source=sip.sh
. "$ROOT/scripts/sip.sh"

[ "$(id -u)" = 0 ] || { echo "demo: needs root: sudo make demo" >&2; exit 1; }
[ -x "$XPF" ] || { echo "demo: no xpf at $XPF (make)" >&2; exit 1; }
for tool in curl openssl "$PY" kamailio sipp socat; do
	command -v "$tool" >/dev/null || { echo "demo: needs $tool (scripts/deps.sh)" >&2; exit 1; }
done

TMP=$(mktemp -d /tmp/xpf-demo.XXXXXX)
cleanup() {
	trap - EXIT INT TERM
	echo
	echo "== teardown: unload, delete the lab's namespaces"
	[ -n "${LAB_DIRECTOR:-}" ] && [ -e "/run/netns/$LAB_DIRECTOR" ] &&
		ip netns exec "$LAB_DIRECTOR" "$XPF" unload "$LAB_IFACE" 2>/dev/null
	sip_director_down
	lab_down
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '\n== %s\n' "$*"; }
host() { case $1 in *:*) echo "[$1]" ;; *) echo "$1" ;; esac; }

# try WHO NS KIND ADDR PORT: one conversation, its outcome on one line.
try() {
	local who=$1 ns=$2 kind=$3 addr=$4 port=$5 result
	if [ "$kind" = http ] || [ "$kind" = https ]; then
		ip netns exec "$ns" timeout 5 curl -ksS --connect-timeout 2 --max-time 2 \
			-o /dev/null "$kind://$(host "$addr"):$port/index.html" 2>/dev/null && result=ok
	elif [ "$kind" = sip ]; then
		SIP_TIMEOUT=2 sip_edge_exchange "$ns" "$addr" "$TMP/sip-$ns-$addr" &&
			result="ok (OPTIONS 200, REGISTER 200)"
	else
		printf 'hello\nCLOSE\n' | ip netns exec "$ns" timeout 2 openssl s_client \
			-connect "$(host "$addr"):$port" -quiet 2>/dev/null | grep -q olleh && result=ok
	fi
	printf '   %-44s %-5s %-24s %s\n' "$who" "$kind" "$addr:$port" \
		"${result:-REFUSED (timed out)}"
}

say "lab: one namespace per role, joined by a bridge (documentation addresses)"
lab_up "demo$$" || exit 1
cat <<EOF
   Director         $LAB_DIRECTOR   $LAB_VIP4 (HLB VIP), $LAB_DIRECTOR4, $LAB_VIP6, $LAB_DIRECTOR6
   reverse proxy    $LAB_PROXY   $LAB_PROXY4, $LAB_PROXY6
   edge server      $LAB_EDGE   $LAB_EDGE4, $LAB_EDGE6
   front end        $LAB_FRONTEND   $LAB_FRONTEND4, $LAB_FRONTEND6
   internal client  $LAB_CLIENT   $LAB_CLIENT4, $LAB_CLIENT6
   outsider         $LAB_OUTSIDER   $LAB_OUTSIDER4, $LAB_OUTSIDER6 (no role)
EOF

say "servers: HTTP on 8080 and 80, HTTPS on 443, TLS on 4443 and 50001, SIP over TLS on 5061
   (kamailio) on the Director; TLS on 444 on the front end"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=lab \
	-days 1 -keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1 ||
	{ echo "demo: openssl could not make a certificate" >&2; exit 1; }
echo demo >"$TMP/index.html"
for port in 8080 80; do
	ip netns exec "$LAB_DIRECTOR" "$PY" -m http.server --bind :: --directory "$TMP" "$port" \
		>/dev/null 2>&1 &
done
for port in 4443 50001; do
	ip netns exec "$LAB_DIRECTOR" openssl s_server -accept "$port" -cert "$TMP/cert.pem" \
		-key "$TMP/key.pem" -rev -quiet >/dev/null 2>&1 </dev/null &
done
# -WWW serves files from its working directory
(cd "$TMP" && exec ip netns exec "$LAB_DIRECTOR" openssl s_server -accept 443 -WWW \
	-cert "$TMP/cert.pem" -key "$TMP/key.pem" -quiet) >/dev/null 2>&1 </dev/null &
sip_director_up "$LAB_DIRECTOR" "$LAB_DIRECTOR4" "$LAB_DIRECTOR6" "$TMP/kamailio" || exit 1
ip netns exec "$LAB_FRONTEND" openssl s_server -accept 444 -cert "$TMP/cert.pem" \
	-key "$TMP/key.pem" -rev -quiet >/dev/null 2>&1 </dev/null &
for port in 8080 80 443 4443 5061 50001; do lab_wait_listen "$LAB_DIRECTOR" "$port" || exit 1; done
lab_wait_listen "$LAB_FRONTEND" 444 || exit 1

say "xpf check -c examples/director.site"
"$XPF" check -c "$SITE" 2>&1 | sed 's/^/   /'

say "xpf load -c examples/director.site $LAB_IFACE   (in $LAB_DIRECTOR)"
ip netns exec "$LAB_DIRECTOR" "$XPF" load -c "$SITE" "$LAB_IFACE" || exit 1

say "conversations (allowed ones complete; refused ones time out after 2 s)"
try "reverse proxy -> HLB VIP (HTTP/TCP 8080)" "$LAB_PROXY" http "$LAB_VIP4" 8080
try "reverse proxy -> HLB VIP (HTTP/TCP 8080)" "$LAB_PROXY" http "$LAB_VIP6" 8080
try "internal client -> HLB VIP (HTTP/TCP 80)" "$LAB_CLIENT" http "$LAB_VIP4" 80
try "internal client -> HLB VIP (HTTP/TCP 80)" "$LAB_CLIENT" http "$LAB_VIP6" 80
try "internal client -> HLB VIP (HTTPS/TCP 443)" "$LAB_CLIENT" https "$LAB_VIP4" 443
try "reverse proxy -> HLB VIP (HTTPS/TCP 4443)" "$LAB_PROXY" tls "$LAB_VIP4" 4443
try "edge server -> Director (SIP/MTLS/TCP 5061)" "$LAB_EDGE" sip "$LAB_DIRECTOR4" 5061
try "edge server -> Director (SIP/MTLS/TCP 5061)" "$LAB_EDGE" sip "$LAB_DIRECTOR6" 5061
try "outsider -> Director (MTLS/TCP/50001, Any)" "$LAB_OUTSIDER" tls "$LAB_DIRECTOR4" 50001
try "Director -> front end (HTTPS/TCP 444, outbound)" "$LAB_DIRECTOR" tls "$LAB_FRONTEND4" 444
try "outsider -> HLB VIP 8080 (no row)" "$LAB_OUTSIDER" http "$LAB_VIP4" 8080
try "internal client -> HLB VIP 4443 (no row)" "$LAB_CLIENT" tls "$LAB_VIP4" 4443
try "front end -> Director 5061 (no row)" "$LAB_FRONTEND" sip "$LAB_DIRECTOR6" 5061
echo "   kamailio's log, the requests it answered:"
grep -o 'lab-sip: .*' "$TMP/kamailio/kamailio.log" | sed 's/^/     /'

say "xpf top --once --interval 4 $LAB_IFACE, while the reverse proxy fetches 8080 and the
   Edge Server sends SIP: packets/s and bits/s move on those two rows only"
ip netns exec "$LAB_DIRECTOR" "$XPF" top --once --interval 4 "$LAB_IFACE" >"$TMP/top" &
top_pid=$!
sleep 0.5
for i in 1 2 3 4 5 6; do
	ip netns exec "$LAB_PROXY" timeout 3 curl -sS -o /dev/null --max-time 2 \
		"http://$LAB_VIP4:8080/" 2>/dev/null
	sleep 0.2
done
sip_edge_exchange "$LAB_EDGE" "$LAB_DIRECTOR4" "$TMP/sip-top" >/dev/null 2>&1
wait "$top_pid"
sed 's/^/   /' "$TMP/top"

say "xpf stats $LAB_IFACE"
ip netns exec "$LAB_DIRECTOR" "$XPF" stats "$LAB_IFACE"

say "xpf unload $LAB_IFACE, then the outsider again"
ip netns exec "$LAB_DIRECTOR" "$XPF" unload "$LAB_IFACE"
try "outsider -> HLB VIP 8080 (no filter)" "$LAB_OUTSIDER" http "$LAB_VIP4" 8080
