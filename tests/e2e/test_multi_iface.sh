#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Two interfaces, two site files, one network namespace: each filter enforces its own rule
# set (crafted frames through each attached program), `xpf status` and `xpf stats` without an
# interface show both, and reloading or unloading one leaves the other as it was.
. "$(dirname "$0")/lib.sh"
. "$E2E_ROOT/tests/e2e/frames.sh"
e2e_init multi_iface 120

NS=xpf-mi$$${XPF_LAB_TAG:-}
IF_A=xmia$$
IF_B=xmib$$
FRAMES=$E2E_TMP/frames
cleanup_multi() {
	[ -e "/run/netns/$NS" ] || return 0
	nsenter --net="/run/netns/$NS" timeout 10 "$XPF" unload "$IF_A"
	nsenter --net="/run/netns/$NS" timeout 10 "$XPF" unload "$IF_B"
	ip netns del "$NS"
}
e2e_on_exit cleanup_multi
ip netns add "$NS" || die "ip netns add"
for iface in "$IF_A" "$IF_B"; do
	ip -n "$NS" link add "$iface" type veth peer name "${iface}p" || die "veth $iface"
	ip -n "$NS" link set "$iface" up
	ip -n "$NS" link set "${iface}p" up
done
frames_make "$FRAMES" || die "frames (scapy)"
PIN_ROOT=/sys/fs/bpf/xpf/netns-$(stat -L -c %i "/run/netns/$NS")

# in_ns ARGS...: xpf from the host's mount namespace in the lab's network namespace.
in_ns() {
	nsenter --net="/run/netns/$NS" timeout 30 "$XPF" "$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
	RC=$?
	OUT=$(cat "$E2E_TMP/out")
	ERR=$(cat "$E2E_TMP/err")
}

e2e_log "site A on $IF_A, site B on $IF_B"
in_ns load -c "$FRAMES/a.site" "$IF_A"
[ "$RC" = 0 ] || die "load A: $ERR"
in_ns load -c "$FRAMES/b.site" -m skb "$IF_B"
[ "$RC" = 0 ] || die "load B: $ERR"
frames_state "$NS" "$IF_A" "$PIN_ROOT/$IF_A" "$FRAMES"
assert_eq "$IF_A enforces site A" "$FRAMES_SET_A" "$S_verdicts"
id_a=$S_xdp
frames_state "$NS" "$IF_B" "$PIN_ROOT/$IF_B" "$FRAMES"
assert_eq "$IF_B enforces site B" "$FRAMES_SET_B" "$S_verdicts"
id_b=$S_xdp
check "two programs ($id_a, $id_b)" test "$id_a" != 0 -a "$id_b" != 0 -a "$id_a" != "$id_b"

in_ns status
assert_eq "status without IFACE: exit 0 ($ERR)" 0 "$RC"
assert_match "status shows $IF_A with site A (native)" \
	"^$IF_A: xpf loaded \(program id $id_a, native mode, enforcing\)" "$OUT"
assert_match "status shows $IF_B (skb)" "^$IF_B: xpf loaded \(program id $id_b, skb mode, enforcing\)" "$OUT"
assert_eq "status: each its own site file" "$FRAMES/a.site $FRAMES/b.site" \
	"$(sed -n 's/^  site: *//p' <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')"
assert_no_match "status: no leftovers" leftover "$OUT"

in_ns stats -j
echo "$OUT" >"$E2E_TMP/stats.json"
assert_eq "stats -j without IFACE: one object per interface" "$IF_A $IF_B" \
	"$(json "$E2E_TMP/stats.json" '" ".join(sorted(o["interface"] for o in d["interfaces"]))')"
assert_eq "stats: the rule counts of A and B (11, 13)" "11 13" \
	"$(json "$E2E_TMP/stats.json" '" ".join(str(len(o["rules"])) for o in sorted(d["interfaces"], key=lambda o: o["interface"]))')"
in_ns stats
assert_eq "stats (text) without IFACE: a header per interface" 2 "$(grep -c '^xpf on ' <<<"$OUT")"

e2e_log "reload $IF_A with B, then audit on $IF_B: each change stays on its interface"
in_ns reload -c "$FRAMES/b.site" "$IF_A"
assert_eq "reload $IF_A: exit 0 ($ERR)" 0 "$RC"
frames_state "$NS" "$IF_A" "$PIN_ROOT/$IF_A" "$FRAMES"
assert_eq "$IF_A now enforces site B" "$FRAMES_SET_B" "$S_verdicts"
in_ns reload --audit "$IF_B"
frames_state "$NS" "$IF_A" "$PIN_ROOT/$IF_A" "$FRAMES"
assert_eq "$IF_A still enforcing after audit on $IF_B" "$FRAMES_SET_B" "$S_verdicts"
frames_state "$NS" "$IF_B" "$PIN_ROOT/$IF_B" "$FRAMES"
assert_eq "$IF_B in audit: everything passes" "$FRAMES_SET_NONE" "$S_verdicts"
in_ns stats -j "$IF_B"
interface_json >"$E2E_TMP/b.json"
assert_eq "$IF_B: frame 2 (and only it of the four) counted as would_drop on its reason" 1 \
	"$(json "$E2E_TMP/b.json" 'd["reasons"]["default"]["would_drop"]')"

e2e_log "back to site A on $IF_A: the rows only B had are reported once, with their counts"
# Frames 3 and 4 ran twice through $IF_A under B (the two frames_state above): 2 × 54 bytes.
in_ns reload -c "$FRAMES/a.site" "$IF_A"
assert_eq "reload $IF_A back to A: exit 0 ($ERR)" 0 "$RC"
assert_match "reload reports the removed deny row and its count" \
	"removed rule HTTPS/TCP 443 \| 198.51.100.7 -> Director Hardware Load Balancer VIP: 2 packets, 108 bytes" "$OUT"
assert_match "reload reports the removed allow row and its count" \
	"removed rule RDP/TCP 3389 \| Admin workstations -> Director: 2 packets, 108 bytes" "$OUT"
assert_eq "two rules removed, no more" 2 "$(grep -c 'removed rule' <<<"$OUT")"
in_ns stats -j "$IF_A"
interface_json >"$E2E_TMP/a.json"
assert_eq "$IF_A: back to 11 rules, the removed ones gone from stats" 11 \
	"$(json "$E2E_TMP/a.json" 'len(d["rules"])')"
in_ns reload -c "$FRAMES/a.site" "$IF_A"
assert_no_match "a second reload with A reports nothing removed" "removed rule" "$OUT"

e2e_log "unload $IF_A: $IF_B stays whole"
in_ns unload "$IF_A"
assert_eq "unload $IF_A: exit 0 ($ERR)" 0 "$RC"
frames_state "$NS" "$IF_B" "$PIN_ROOT/$IF_B" "$FRAMES"
assert_eq "$IF_B: same program" "$id_b" "$S_xdp"
assert_eq "$IF_B: pins and egress intact" "pins=ours egress=1" "pins=$S_pins egress=$S_egress"
in_ns status
assert_no_match "status: $IF_A gone" "^$IF_A" "$OUT"
assert_match "status: $IF_B there" "^$IF_B: xpf loaded" "$OUT"
e2e_finish
