#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Pins belong to one filter: two network namespaces with an interface of the same name, xpf
# run in each from the host's mount namespace (nsenter --net: bpffs is there, so xpf pins).
#  - each filter's pins hold its own program, never the other's;
#  - unloading one leaves the other whole: its pins and its egress program (the tcx link the
#    pin holds) stay.
# The interface name is unique to this run, so nothing pinned for a real interface is touched.
. "$(dirname "$0")/lib.sh"
e2e_init pins

SITE=$E2E_ROOT/examples/director.site
IFACE=xpfp$$
NS_A=xpf-pinA-$$
NS_B=xpf-pinB-$$

# in NS ARGS...: xpf ARGS in NS's network namespace, in the host's mount namespace (bpffs).
in_ns() {
	local ns=$1
	shift
	nsenter --net="/run/netns/$ns" timeout 30 "$XPF" "$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
	RC=$?
	OUT=$(cat "$E2E_TMP/out")
	ERR=$(cat "$E2E_TMP/err")
}

cleanup_pins() {
	local ns
	for ns in "$NS_A" "$NS_B"; do
		[ -e "/run/netns/$ns" ] || continue
		nsenter --net="/run/netns/$ns" timeout 10 "$XPF" unload "$IFACE"
		ip netns del "$ns"
	done
	# Whatever layout the pins have, only names made from this run's interface are ours.
	[ -d /sys/fs/bpf/xpf ] && find /sys/fs/bpf/xpf -depth -name "*$IFACE*" -exec rm -rf {} +
	return 0
}
e2e_on_exit cleanup_pins

for ns in "$NS_A" "$NS_B"; do
	ip netns add "$ns" || die "ip netns add $ns"
	ip -n "$ns" link add "$IFACE" type veth peer name "${IFACE}p" || die "veth in $ns"
	ip -n "$ns" link set "$IFACE" up
	ip -n "$ns" link set "${IFACE}p" up
done

# pin_of NS: the pin directory `xpf status` reports for NS ("" when not pinned).
pin_of() {
	in_ns "$1" status "$IFACE"
	sed -n 's/^ *pinned: \(\/.*\)$/\1/p' <<<"$OUT"
}

# pinned_id PATH: the id of the program pinned at PATH; else bpftool's error, which the
# assertion then shows.
pinned_id() {
	bpftool -j prog show pinned "$1" 2>&1 | "$PY" -c 'import json, sys
text = sys.stdin.read()
try:
    answer = json.loads(text)
except ValueError:
    answer = {}
print(answer["id"] if "id" in answer else "bpftool: " + answer.get("error", text.strip()))'
}

e2e_log "load in $NS_A and $NS_B, each from the host's mount namespace"
in_ns "$NS_A" load -c "$SITE" -m skb "$IFACE"
[ "$RC" = 0 ] || die "load in $NS_A: $ERR"
in_ns "$NS_B" load -c "$SITE" -m skb "$IFACE"
[ "$RC" = 0 ] || die "load in $NS_B: $ERR"
id_a=$(xdp_id "$NS_A" "$IFACE")
id_b=$(xdp_id "$NS_B" "$IFACE")
check "two filters, two programs ($id_a, $id_b)" test -n "$id_a" -a -n "$id_b" -a "$id_a" != "$id_b"

pin_a=$(pin_of "$NS_A")
pin_b=$(pin_of "$NS_B")
check "$NS_A: pinned (bpffs is mounted here): '$pin_a'" test -n "$pin_a"
check "$NS_B: pinned (bpffs is mounted here): '$pin_b'" test -n "$pin_b"
assert_eq "$NS_A: its pin holds its own program" "$id_a" "$(pinned_id "$pin_a/prog")"
assert_eq "$NS_B: its pin holds its own program" "$id_b" "$(pinned_id "$pin_b/prog")"
in_ns "$NS_A" status "$IFACE"
assert_match "$NS_A: egress program attached" "egress: remembers the host's flows" "$OUT"
in_ns "$NS_B" status "$IFACE"
assert_match "$NS_B: egress program attached" "egress: remembers the host's flows" "$OUT"

e2e_log "unload in $NS_B: $NS_A keeps everything"
in_ns "$NS_B" unload "$IFACE"
assert_eq "$NS_B: unload exit 0 ($ERR)" 0 "$RC"
in_ns "$NS_A" status "$IFACE"
assert_eq "$NS_A: still loaded ($ERR)" 0 "$RC"
assert_match "$NS_A: egress program still attached" "egress: remembers the host's flows" "$OUT"
assert_no_match "$NS_A: egress program not missing" "MISSING" "$OUT"
assert_eq "$NS_A: its pin still holds its program" "$id_a" "$(pinned_id "$pin_a/prog")"

e2e_log "unload in $NS_A: nothing left"
in_ns "$NS_A" unload "$IFACE"
assert_eq "$NS_A: unload exit 0 ($ERR)" 0 "$RC"
assert_eq "no pins left for $IFACE" "" \
	"$([ -d /sys/fs/bpf/xpf ] && find /sys/fs/bpf/xpf -name "*$IFACE*")"
e2e_finish
