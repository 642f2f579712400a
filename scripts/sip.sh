# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# A real SIP exchange across the lab (sourced by scripts/demo.sh and tests/e2e/test_sip.sh):
# kamailio as the Director, listening on TLS 5061 only; sipp as the Edge Server sending OPTIONS
# and REGISTER (scripts/sip/options.xml) over TLS and expecting 200 to both.
#
#   sip_director_up NS ADDR4 ADDR6 DIR   kamailio in NS on both addresses, port 5061; its
#                                        files and log (kamailio.log) in DIR
#   sip_edge_exchange NS ADDR DIR  sipp in NS to ADDR:5061; 0 when both answers came (bounded)
#   sip_director_down              stops that kamailio (also safe when none runs)

SIP_FILES=$(cd "$(dirname "${BASH_SOURCE[0]}")/sip" && pwd)
SIP_MODULES=${SIP_MODULES:-/usr/lib/$(uname -m)-linux-gnu/kamailio/modules}
SIP_DIRECTOR_PID=

# sip_cert DIR: a throwaway self-signed certificate for kamailio's and sipp's TLS.
sip_cert() {
	[ -s "$1/cert.pem" ] && return 0
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=lab \
		-days 1 -keyout "$1/key.pem" -out "$1/cert.pem" >/dev/null 2>&1
}

sip_director_up() {
	local ns=$1 addr4=$2 addr6=$3 dir=$4
	mkdir -p "$dir"
	sip_cert "$dir" || { echo "sip: openssl could not make a certificate" >&2; return 1; }
	sed -e "s|SIP_ADDR4|$addr4|; s|SIP_ADDR6|$addr6|; s|SIP_MODULES|$SIP_MODULES|; s|SIP_DIR|$dir|" \
		"$SIP_FILES/kamailio.cfg" >"$dir/kamailio.cfg"
	sed -e "s|SIP_DIR|$dir|" "$SIP_FILES/tls.cfg" >"$dir/tls.cfg"
	# -DD: stay in the foreground (no daemon to chase); -E: log to stderr. Started from a
	# subshell, not as a job of ours, so stopping it prints no job notice; its pid is in
	# the pid file it writes.
	rm -f "$dir/kamailio.pid"
	(ip netns exec "$ns" kamailio -DD -E -f "$dir/kamailio.cfg" -m 32 -M 8 \
		-Y "$dir" -P "$dir/kamailio.pid" >"$dir/kamailio.log" 2>&1 &)
	if sip_wait_listen "$ns" 5061 && [ -s "$dir/kamailio.pid" ]; then
		SIP_DIRECTOR_PID=$(cat "$dir/kamailio.pid")
		# Listening, and this kamailio is alive (its pid file is new): not one left over.
		kill -0 "$SIP_DIRECTOR_PID" 2>/dev/null && return 0
	fi
	echo "sip: kamailio did not listen on $addr4:5061: $(tail -5 "$dir/kamailio.log")" >&2
	return 1
}

sip_edge_exchange() {
	local ns=$1 addr=$2 dir=$3 tunnel status listen=TCP4-LISTEN:5070,bind=127.0.0.1 loop=127.0.0.1
	# sipp wants its local and remote addresses of one family: the tunnel's is ADDR's.
	case $addr in *:*) listen=TCP6-LISTEN:5070,bind=[::1] loop=::1 ;; esac
	mkdir -p "$dir"
	sip_cert "$dir" || return 1
	# Debian's sipp is built without OpenSSL (`-t l1` says so), so its TLS is socat's: sipp
	# speaks SIP over TCP to a socat on the Edge's loopback, which carries it over TLS from
	# the Edge's address to ADDR:5061. On the wire: SIP over TLS, Edge Server -> Director.
	ip netns exec "$ns" ip link set lo up
	ip netns exec "$ns" socat "$listen,reuseaddr" \
		"OPENSSL:$(sip_host "$addr"):5061,verify=0" >"$dir/socat.log" 2>&1 &
	tunnel=$!
	sip_wait_listen "$ns" 5070 || { kill "$tunnel" 2>/dev/null; return 1; }
	# -m 1: one exchange; -timeout: sipp gives up (exit non-zero) rather than hang.
	# -rsa: the bytes go to the tunnel; the SIP requests name the Director (ADDR).
	(cd "$dir" && ip netns exec "$ns" timeout 20 sipp "$(sip_host "$addr"):5061" \
		-rsa "$(sip_host "$loop"):5070" -t t1 -i "$loop" \
		-sf "$SIP_FILES/options.xml" -m 1 -timeout "${SIP_TIMEOUT:-10}s" -timeout_error -nostdin \
		-trace_err -trace_msg >"$dir/sipp.log" 2>&1)
	status=$?
	kill "$tunnel" 2>/dev/null
	{ wait "$tunnel"; } 2>/dev/null
	return $status
}

sip_host() { case $1 in *:*) echo "[$1]" ;; *) echo "$1" ;; esac; }

sip_wait_listen() {
	local i
	for i in $(seq 50); do
		ip netns exec "$1" ss -Htln "sport = :$2" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

sip_director_down() {
	local i
	[ -n "$SIP_DIRECTOR_PID" ] || return 0
	kill "$SIP_DIRECTOR_PID" 2>/dev/null
	for i in $(seq 30); do
		kill -0 "$SIP_DIRECTOR_PID" 2>/dev/null || break
		sleep 0.1
	done
	SIP_DIRECTOR_PID=
}
