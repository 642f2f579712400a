# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Shared by the e2e tests (sourced, never run): a time bound, a cleanup trap, assertions that
# say what failed, a JSON reader, the lab (scripts/lab.sh) and the conversations run across it.
#
#   . tests/e2e/lib.sh
#   e2e_init NAME [SECONDS]    temp dir in $E2E_TMP, cleanup on exit, the whole test bounded
#   e2e_on_exit 'command'      run at exit, last registered first
#   ...assertions...
#   e2e_finish                 exit status: 0 when every assertion held
#
# Run from the repository root with XPF pointing at the binary (scripts/run-tests.sh does).
set -uo pipefail

E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../../scripts/lab.sh
. "$E2E_ROOT/scripts/lab.sh"

XPF=${XPF:-build/xpf}
case $XPF in /*) ;; *) XPF=$E2E_ROOT/$XPF ;; esac
PY=/usr/bin/python3		# python3 on PATH may be a build without the system's modules

E2E_FAILURES=0
E2E_CHECKS=0
E2E_EXIT_HOOKS=()

e2e_log() { echo "--- $*"; }

e2e_cleanup() {
	local status=$? i
	trap - EXIT TERM INT
	for ((i = ${#E2E_EXIT_HOOKS[@]} - 1; i >= 0; i--)); do
		eval "${E2E_EXIT_HOOKS[i]}" >/dev/null 2>&1
	done
	lab_down
	[ -n "${E2E_TMP:-}" ] && rm -rf "$E2E_TMP"
	exit "$status"
}

e2e_on_exit() { E2E_EXIT_HOOKS+=("$1"); }

# e2e_init NAME [SECONDS]: the test re-runs itself under `timeout` (default 240 s) so a hang
# ends in the cleanup trap (SIGTERM), not in leftover namespaces.
e2e_init() {
	local name=$1 seconds=${2:-240}
	if [ -z "${E2E_BOUNDED:-}" ]; then
		E2E_BOUNDED=1 exec timeout --kill-after=10 "$seconds" bash "$0"
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "$name: needs root (network namespaces, BPF)" >&2
		exit 1
	fi
	if [ ! -x "$XPF" ]; then
		echo "$name: no xpf binary at $XPF (make build/xpf)" >&2
		exit 1
	fi
	E2E_NAME=$name
	E2E_TMP=$(mktemp -d "/tmp/xpf-e2e-$name.XXXXXX")
	trap e2e_cleanup EXIT
	trap 'echo "$E2E_NAME: timed out or interrupted" >&2; exit 124' TERM INT
	# Unique per run: two runs (or two tests) never share a namespace name.
	E2E_LAB=$name-$$
	E2E_LAB=${E2E_LAB:0:20}
	E2E_START=$SECONDS
}

e2e_finish() {
	local elapsed=$((SECONDS - E2E_START))
	if [ "$E2E_FAILURES" -eq 0 ]; then
		echo "PASS $E2E_NAME: $E2E_CHECKS checks (${elapsed}s)"
		exit 0
	fi
	echo "FAIL $E2E_NAME: $E2E_FAILURES of $E2E_CHECKS checks failed (${elapsed}s)"
	exit 1
}

# Fatal: the test cannot go on (the lab did not come up, the filter did not load).
die() {
	echo "FATAL: $*" >&2
	E2E_FAILURES=$((E2E_FAILURES + 1))
	e2e_finish
}

ok() { E2E_CHECKS=$((E2E_CHECKS + 1)); echo "ok   $*"; }
fail() { E2E_CHECKS=$((E2E_CHECKS + 1)); E2E_FAILURES=$((E2E_FAILURES + 1)); echo "FAIL $*"; }

# check DESC CONDITION-COMMAND...: ok when the command succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else fail "$desc"; fi
}

# e2e_poll SECONDS COMMAND...: until COMMAND succeeds, tried every 50 ms for at most SECONDS;
# its status. For what the test waits to happen: never a fixed sleep that hopes it did.
e2e_poll() {
	local deadline=$((SECONDS + $1 + 1)) tries=$(($1 * 20)) _
	shift
	for _ in $(seq "$tries"); do
		"$@" && return 0
		sleep 0.05
		[ "$SECONDS" -lt "$deadline" ] || break
	done
	"$@"
}

assert_eq() {
	local desc=$1 expected=$2 actual=$3
	if [ "$expected" = "$actual" ]; then
		ok "$desc"
	else
		fail "$desc: expected '$expected', got '$actual'"
	fi
}

# assert_match DESC REGEX TEXT (extended regex, anywhere in TEXT)
assert_match() {
	local desc=$1 regex=$2 text=$3
	if grep -Eq -- "$regex" <<<"$text"; then
		ok "$desc"
	else
		fail "$desc: /$regex/ not in: $(head -c 600 <<<"$text")"
	fi
}

assert_no_match() {
	local desc=$1 regex=$2 text=$3
	if grep -Eq -- "$regex" <<<"$text"; then
		fail "$desc: /$regex/ found in: $(grep -E -- "$regex" <<<"$text" | head -3)"
	else
		ok "$desc"
	fi
}

# run_xpf NS ARGS...: runs `xpf ARGS` under `ip netns exec NS` (a fresh mount namespace each
# time, no bpffs), bounded; sets OUT (stdout), ERR (stderr) and RC.
# shellcheck disable=SC2034
run_xpf() {
	local ns=$1
	shift
	capture ip netns exec "$ns" timeout 30 "$XPF" "$@"
}

# run_xpf_pinned NS ARGS...: xpf in NS's network namespace but the host's mount namespace,
# where bpffs and the pins are; sets OUT, ERR and RC like run_xpf.
run_xpf_pinned() {
	local ns=$1
	shift
	capture nsenter --net="/run/netns/$ns" timeout 30 "$XPF" "$@"
}

# shellcheck disable=SC2034
capture() {
	"$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
	RC=$?
	OUT=$(cat "$E2E_TMP/out")
	ERR=$(cat "$E2E_TMP/err")
}

# e2e_count_checks FILE: counts the `ok   `/`FAIL ` lines a case runner (a Python script)
# wrote to FILE as this test's own checks; other lines are echoed.
e2e_count_checks() {
	local line
	while IFS= read -r line; do
		case $line in
		"ok   "*) ok "${line#ok   }" ;;
		"FAIL "*) fail "${line#FAIL }" ;;
		*) echo "$line" ;;
		esac
	done <"$1"
}

# e2e_scratch_netns SHORT: a namespace NS of the test's own and an interface name IFACE for it
# (the test makes the interface); PIN_DIR is where xpf pins IFACE's filter there. On exit the
# filter is unloaded, the namespace deleted and pins left by a deleted interface removed.
# shellcheck disable=SC2034
e2e_scratch_netns() {
	NS=xpf-$1$$${XPF_LAB_TAG:-}
	IFACE=x$1$$
	e2e_on_exit e2e_scratch_cleanup
	ip netns add "$NS" || die "ip netns add $NS"
	PIN_DIR=/sys/fs/bpf/xpf/netns-$(stat -L -c %i "/run/netns/$NS")/$IFACE
}

# xdp_id NS IF: the id of the XDP program attached to IF in NS, empty when none is.
xdp_id() {
	ip -n "$1" link show "$2" | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p'
}

# map_memory NS IFACE: the bytes the kernel charges (bpftool's bytes_memlock) for the maps of
# the XDP program on IFACE, and for the inner maps its arrays of maps hold.
map_memory() {
	"$PY" - "$(xdp_id "$1" "$2")" <<'EOF'
import json, subprocess, sys

def bpftool(*command):
    return json.loads(subprocess.run(("bpftool", "-j") + command, capture_output=True,
                                     text=True, check=True, timeout=20).stdout)

total = 0
for map_id in bpftool("prog", "show", "id", sys.argv[1])["map_ids"]:
    info = bpftool("map", "show", "id", str(map_id))
    total += info["bytes_memlock"]
    if info["type"] == "array_of_maps":
        for entry in bpftool("map", "dump", "id", str(map_id)):
            inner = int.from_bytes(bytes(int(b, 16) for b in entry["value"]), "little")
            total += bpftool("map", "show", "id", str(inner))["bytes_memlock"]
print(total)
EOF
}

# e2e_scratch_veth: the veth pair IFACE / IFACEp in NS, both up.
e2e_scratch_veth() {
	ip -n "$NS" link add "$IFACE" type veth peer name "${IFACE}p" || die "veth"
	ip -n "$NS" link set "$IFACE" up
	ip -n "$NS" link set "${IFACE}p" up
}

# e2e_stream_pair SHORT [QUEUES]: a sender namespace NS_GEN and a receiver NS_RX joined by
# the veth gen0 / rx0 (QUEUES queues each, default 1), both up, RX_MAC rx0's address. Neither
# namespace has IPv6 or an address: the stacks send nothing of their own (router
# solicitations, MLD, ARP) into the counters. On exit xpf is unloaded from rx0 and both go.
e2e_stream_pair() {
	local queues=${2:-1} ns
	NS_GEN=xpf-$1g$$${XPF_LAB_TAG:-}
	NS_RX=xpf-$1r$$${XPF_LAB_TAG:-}
	e2e_on_exit e2e_stream_pair_cleanup
	ip netns add "$NS_GEN" || die "ip netns add $NS_GEN"
	ip netns add "$NS_RX" || die "ip netns add $NS_RX"
	for ns in "$NS_GEN" "$NS_RX"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 || die "sysctl in $ns"
	done
	ip -n "$NS_GEN" link add gen0 numtxqueues "$queues" numrxqueues "$queues" type veth \
		peer name rx0 netns "$NS_RX" numtxqueues "$queues" numrxqueues "$queues" ||
		die "veth"
	ip -n "$NS_GEN" link set gen0 up
	ip -n "$NS_RX" link set rx0 up
	RX_MAC=$(ip -n "$NS_RX" link show rx0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
}

e2e_stream_pair_cleanup() {
	# From the host's mount namespace: it finds and removes pins as well.
	nsenter --net="/run/netns/$NS_RX" timeout 10 "$XPF" unload rx0
	ip netns del "$NS_GEN"
	ip netns del "$NS_RX"
}

e2e_scratch_cleanup() {
	[ -e "/run/netns/$NS" ] || return 0
	nsenter --net="/run/netns/$NS" timeout 10 "$XPF" unload "$IFACE"
	ip netns del "$NS"
	[ -d /sys/fs/bpf/xpf ] && find /sys/fs/bpf/xpf -depth -name "$IFACE" -exec rm -rf {} +
	return 0
}

# interface_json: the one entry of $OUT's "interfaces" array, as JSON (what `xpf stats -j IFACE`
# says of IFACE); nothing, and non-zero, when OUT is not such a document.
interface_json() {
	"$PY" -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["interfaces"][0]))' \
		<<<"$OUT"
}

# json FILE EXPR: prints the Python expression EXPR evaluated with d = the JSON document in
# FILE (jq may not be installed; the system Python is). Non-zero if FILE is not JSON.
json() {
	"$PY" - "$1" "$2" <<'EOF'
import json, sys
with open(sys.argv[1]) as f:
    d = json.load(f)
v = eval(sys.argv[2], {"d": d})
if isinstance(v, (list, dict)):
    print(json.dumps(v, sort_keys=True))
elif isinstance(v, bool):
    print("true" if v else "false")
elif v is None:
    print("null")
else:
    print(v)
EOF
}

# xdp_attached NS: the Director's eth0 carries an XDP program (any mode).
xdp_attached() {
	ip -n "$1" -d link show "$LAB_IFACE" | grep -Eq '(^| )(xdp|xdpgeneric|xdpdrv|xdpoffload)( |$)|prog/xdp'
}

# --- a quiet lab: only what a test sends reaches the Director --------------------------------

E2E_NOWHERE_MAC=00:00:5e:00:53:01	# RFC 7042 documentation MAC: the Director answers into the void

# e2e_quiet_lab: nothing but the test's frames reaches the Director's eth0, so every
# counter that moves is the case's. The lab itself sends nothing of its own (scripts/lab.sh:
# no IPv6 in the switch, no router solicitations, no DAD); on top of that:
#  - the Director has permanent neighbour entries, pointing nowhere, for every address the
#    cases use as a source: its answers (RSTs, echo replies) go out without an ARP or NDP
#    exchange whose replies would come back in, and nobody answers them.
#  - the switch does not validate IP headers on the way (br_netfilter, when the host has it,
#    drops bad IPv4/IPv6 headers and trims Ethernet padding before the Director sees them);
#  - LLDP's group address is forwarded by the bridge (802.1D does not, by default);
#  - the Director's switch port does not offload VLAN tags: they reach the Director's eth0 in
#    the frame, as on a wire, instead of in the skb's metadata where XDP does not see them.
e2e_quiet_lab() {
	local addr
	for addr in "$LAB_PROXY4" "$LAB_PROXY6" "$LAB_EDGE4" "$LAB_EDGE6" "$LAB_FRONTEND4" \
		    "$LAB_FRONTEND6" "$LAB_CLIENT4" "$LAB_CLIENT6" "$LAB_OUTSIDER4" "$LAB_OUTSIDER6" \
		    203.0.113.5 198.51.100.66 fe80::99; do
		ip -n "$LAB_DIRECTOR" neigh replace "$addr" lladdr "$E2E_NOWHERE_MAC" nud permanent \
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

# e2e_reasons: the reason counters, one line.
e2e_reasons() {
	run_xpf "$LAB_DIRECTOR" stats -j "$LAB_IFACE"
	interface_json >"$E2E_TMP/quiet.json"
	json "$E2E_TMP/quiet.json" "sorted((k, v['packets']) for k, v in d['reasons'].items())"
}

# e2e_wait_quiet: no counter moves for a second (a quiet lab moves none before the test
# sends); else says what moved, and fails: a source of frames the test did not send.
e2e_wait_quiet() {
	local before after
	before=$(e2e_reasons)
	sleep 1
	after=$(e2e_reasons)
	[ "$after" = "$before" ] && return 0
	echo "counters moved with nothing sent: $before -> $after" >&2
	return 1
}

# --- servers and conversations across the lab -------------------------------------------------

# e2e_cert: a self-signed P-256 certificate for the TLS servers, in $E2E_TMP.
e2e_cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=lab \
		-days 1 -keyout "$E2E_TMP/key.pem" -out "$E2E_TMP/cert.pem" >/dev/null 2>&1
}

# http_server NS PORT: a small HTTP server on every address of NS (v4 and v6), serving a page
# whose content the client checks. Dies with the lab.
http_server() {
	local ns=$1 port=$2
	mkdir -p "$E2E_TMP/www"
	echo "xpf-lab-page" >"$E2E_TMP/www/index.html"
	ip netns exec "$ns" "$PY" -m http.server --bind :: --directory "$E2E_TMP/www" "$port" \
		>"$E2E_TMP/http-$ns-$port.log" 2>&1 &
	lab_wait_listen "$ns" "$port"
}

# tls_server NS PORT: openssl s_server on every address of NS; -rev echoes each line
# reversed and closes the connection on CLOSE.
tls_server() {
	local ns=$1 port=$2
	ip netns exec "$ns" openssl s_server -accept "$port" -cert "$E2E_TMP/cert.pem" \
		-key "$E2E_TMP/key.pem" -rev -quiet >"$E2E_TMP/tls-$ns-$port.log" 2>&1 </dev/null &
	lab_wait_listen "$ns" "$port"
}

# dns_server NS: a DNS-like server on UDP 53 of every address of NS (v4 and v6): each datagram
# answered with the line dns-answer, from port 53. One resident process answers all: a server
# that forks a process for each datagram (socat's fork with SYSTEM) loses answers when a busy
# machine runs the child's command to its end before the child hands it the datagram.
# SO_REUSEADDR, so that a test can send from port 53 beside it (udp_send). Dies with the lab.
dns_server() {
	local ns=$1
	ip netns exec "$ns" "$PY" -c "
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('::', 53))
while True:
    query, peer = s.recvfrom(512)
    s.sendto(b'dns-answer\\n', peer)" >"$E2E_TMP/dns-$ns.log" 2>&1 &
	e2e_poll 5 eval "ip netns exec '$ns' ss -Hlun 'sport = :53' | grep -q ." && return 0
	echo "nothing listens on $ns UDP port 53: $(tail -3 "$E2E_TMP/dns-$ns.log")" >&2
	return 1
}

url_host() { case $1 in *:*) echo "[$1]" ;; *) echo "$1" ;; esac; }

# http_get NS ADDR PORT: a whole HTTP exchange (the page arrives) within 3 s.
http_get() {
	local body
	body=$(ip netns exec "$1" timeout 5 curl -sS --connect-timeout 3 --max-time 3 \
		"http://$(url_host "$2"):$3/" 2>/dev/null) || return 1
	[ "$body" = "xpf-lab-page" ]
}

# tls_talk NS ADDR PORT: a TLS handshake and one line each way within 3 s.
tls_talk() {
	local reply
	reply=$(printf 'hello-xpf\nCLOSE\n' | ip netns exec "$1" timeout 3 \
		openssl s_client -connect "$(url_host "$2"):$3" -quiet 2>/dev/null) || return 1
	grep -q '^fpx-olleh' <<<"$reply"
}
