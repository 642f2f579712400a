#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Source lists at scale. A 1,000,000-line list (tests/bench/gen_list.py: 131,072 IPv4 /32s of
# 198.18.0.0/15, 868,928 IPv6 /128s below 2001:db8:8000::/33, a FireHOL header), denied by
# `deny-list` beside the Director table, loaded on a veth of the test's own namespace:
#  - a listed IPv4 and IPv6 source is dropped and counted on the list's rule, with its bytes,
#    and the denied view names the source;
#  - an unlisted source from Internal Clients gets the table's verdict (pass on its row);
#  - a reload carries the list rule's counts; a bad line of the list fails the reload with
#    FILE:LINE and leaves the rule set in force;
#  - a rule set past the limits (131,111 rules) fails `xpf check` and a fresh `xpf load` with
#    the need, the limit and the remedy, before anything is attached;
#  - `xpf status` reports the list's prefixes and the map memory.
. "$(dirname "$0")/lib.sh"
e2e_init lists 120

e2e_scratch_netns ls
e2e_scratch_veth
LIST_DIR=$E2E_TMP/site
mkdir -p "$LIST_DIR"
"$PY" "$E2E_ROOT/tests/bench/gen_list.py" 1000000 "$LIST_DIR" || die "gen_list.py"
SITE=$LIST_DIR/list-1000000.site
check "the list has 1,000,000 entries" \
	test "$(grep -cv '^#' "$LIST_DIR/list-1000000.txt")" = 1000000

run_xpf "$NS" load -c "$SITE" "$IFACE"
[ "$RC" = 0 ] || die "xpf load: $ERR"
MAC=$(ip -n "$NS" link show "$IFACE" | awk '/link\/ether/ { print $2 }')

# One scapy process for the whole test (its import takes seconds on a busy machine): it reads
# SRC,DST,DPORT,COUNT lines and sends COUNT TCP SYNs each into IFACE (on its peer), then says
# "sent".
coproc SENDER { ip netns exec "$NS" "$PY" -c '
import logging, sys
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import Ether, IP, IPv6, TCP, sendp
mac, iface = sys.argv[1:3]
print("ready", flush=True)
for line in sys.stdin:
    for frame in line.split():
        src, dst, port, count = frame.split(",")
        ip = IPv6(src=src, dst=dst) if ":" in src else IP(src=src, dst=dst)
        sendp(Ether(dst=mac) / ip / TCP(sport=40000, dport=int(port), flags="S"),
              iface=iface, count=int(count), verbose=0)
    print("sent", flush=True)
' "$MAC" "${IFACE}p" 2>"$E2E_TMP/sender.err"; }
read -r -t 50 line <&"${SENDER[0]}"
[ "$line" = ready ] || die "scapy did not start: $(tail -3 "$E2E_TMP/sender.err")"

# send SRC,DST,DPORT,COUNT...: sent before it returns.
send() {
	local reply
	echo "$*" >&"${SENDER[1]}"
	read -r -t 20 reply <&"${SENDER[0]}"
	[ "$reply" = sent ] || fail "scapy did not send $*: $(tail -3 "$E2E_TMP/sender.err")"
}

# stats NAME: `xpf stats -j` into $E2E_TMP/NAME.json.
stats() {
	run_xpf "$NS" stats -j "$IFACE"
	interface_json >"$E2E_TMP/$1.json"
	[ "$RC" = 0 ] || fail "xpf stats: $ERR"
}

LIST_RULE='[r for r in d["rules"] if r["source"] == "list-1000000.txt"][0]'
send 198.18.77.1,192.0.2.100,443,3 198.19.200.9,192.0.2.101,5061,2 \
	2001:db8:8000:1234::1,2001:db8:1::100,443,4 198.51.100.10,192.0.2.100,443,5
stats first
assert_eq "the list is one deny rule, first of the rule set" "1 deny ingress" \
	"$(json "$E2E_TMP/first.json" "' '.join(str($LIST_RULE[k]) for k in ('id', 'action', 'direction'))")"
assert_eq "listed sources (IPv4 to both addresses, IPv6) are counted on the list's rule" 9 \
	"$(json "$E2E_TMP/first.json" "$LIST_RULE['packets']")"
assert_eq "the unlisted Internal Clients source passes on the table's HTTPS row" 5 \
	"$(json "$E2E_TMP/first.json" "sum(r['packets'] for r in d['rules'] if r['source'] == 'Internal Clients' and r['port'] == 443 and r['action'] == 'allow')")"
assert_eq "the list's drops are rule drops, nothing default" 0 \
	"$(json "$E2E_TMP/first.json" "d['reasons']['default']['packets']")"
run_xpf "$NS" stats --denied -j "$IFACE"
printf '%s\n' "$OUT" >"$E2E_TMP/denied.json"
assert_eq "the denied view names the listed IPv4 source's /24" true \
	"$(json "$E2E_TMP/denied.json" "'198.18.77.0/24' in str(d)")"

e2e_log "reload: the list rule's counts carried"
run_xpf "$NS" reload -c "$SITE" "$IFACE"
[ "$RC" = 0 ] || fail "xpf reload: $ERR"
send 198.18.0.1,192.0.2.100,80,1
stats reloaded
assert_eq "after reload the list rule has its 9 packets and the new one" 10 \
	"$(json "$E2E_TMP/reloaded.json" "$LIST_RULE['packets']")"

e2e_log "a bad line fails the reload at FILE:LINE, nothing changes"
cp "$LIST_DIR/list-1000000.txt" "$LIST_DIR/good.txt"
sed -i '500000s/.*/198.18.300.1/' "$LIST_DIR/list-1000000.txt"
run_xpf "$NS" reload -c "$SITE" "$IFACE"
check "the reload fails" test "$RC" != 0
assert_match "the error names the list file and line" \
	"list-1000000.txt:500000: bad address '198.18.300.1'" "$ERR"
stats after_bad
assert_eq "the generation in force is the same" \
	"$(json "$E2E_TMP/reloaded.json" "d['generation']")" \
	"$(json "$E2E_TMP/after_bad.json" "d['generation']")"
send 198.18.0.2,192.0.2.100,80,1
stats still
assert_eq "the list still drops and counts" 11 "$(json "$E2E_TMP/still.json" "$LIST_RULE['packets']")"
mv "$LIST_DIR/good.txt" "$LIST_DIR/list-1000000.txt"

e2e_log "a rule set past the limits fails before anything is attached"
"$PY" "$E2E_ROOT/tests/bench/gen_rules.py" 131100 "$LIST_DIR" >/dev/null || die "gen_rules.py"
run_xpf "$NS" check -c "$LIST_DIR/gen-131100.site"
check "check fails on 131,111 rules" test "$RC" = 1
assert_match "check says the need, the limit and the remedy" \
	'131111 rules need as many rule ids; a filter has 131072 .*deny-list' "$ERR"
assert_match "check prints the needs and their limits" 'needs: +131111 rule ids \(limit 131072\)' \
	"$OUT"
ip -n "$NS" link add "${IFACE}b" type veth peer name "${IFACE}c" || die "second veth"
ip -n "$NS" link set "${IFACE}b" up
run_xpf "$NS" load -c "$LIST_DIR/gen-131100.site" "${IFACE}b"
check "a fresh load of it fails" test "$RC" = 1
assert_match "the load says the limit, never 'unload and load'" '131072.*deny-list' "$ERR"
assert_no_match "no 'unload and load' on a fresh load" 'unload and load' "$ERR"
assert_eq "nothing attached to the second veth" "" "$(xdp_id "$NS" "${IFACE}b")"

run_xpf "$NS" status -j "$IFACE"
printf '%s\n' "$OUT" >"$E2E_TMP/status.json"
assert_eq "status: the list's prefixes in force" 1000000 \
	"$(json "$E2E_TMP/status.json" "d['interfaces'][0]['list_prefixes']")"
assert_eq "status: map memory is the kernel's, inner maps (lists, rule labels) included" \
	"$(map_memory "$NS" "$IFACE")" \
	"$(json "$E2E_TMP/status.json" "d['interfaces'][0]['map_memory_bytes']")"

e2e_finish
