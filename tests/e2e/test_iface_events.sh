#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The interface under a loaded filter changes:
#  - down and up: both programs stay attached and the rule set stays in force;
#  - its XDP program removed by another tool (ip link set xdp off): status reports the egress
#    program left without it and the stale pins; unload removes them;
#  - deleted: the programs go with it; the pins stay (bpffs outlives the interface), status
#    without IFACE reports them and unload IFACE removes them; without bpffs nothing remains;
#  - another version's xpf there (maps of its own): status, load and unload say so and how to
#    remove it, and leave it alone.
. "$(dirname "$0")/lib.sh"
. "$E2E_ROOT/tests/e2e/frames.sh"
e2e_init iface_events 120

FRAMES=$E2E_TMP/frames
e2e_scratch_netns ie
frames_make "$FRAMES" || die "frames (scapy)"

in_ns() { run_xpf_pinned "$NS" "$@"; }
# check_whole_a DESC: the interface's state now (STATE, in DESC's line): site A in force,
# egress attached, pinned.
check_whole_a() {
	frames_state "$NS" "$IFACE" "$PIN_DIR" "$FRAMES"
	check "$1 ($STATE)" test "$S_verdicts" = "$FRAMES_SET_A" -a "$S_egress" = 1 \
		-a "$S_pins" = ours -a "$S_loaded" = 1
}

e2e_scratch_veth
in_ns load -c "$FRAMES/a.site" "$IFACE"
[ "$RC" = 0 ] || die "load: $ERR"
check_whole_a "loaded: site A in force, egress attached, pinned"
id=$S_xdp

e2e_log "down and up"
ip -n "$NS" link set "$IFACE" down
check_whole_a "down: still whole"
assert_eq "down: same program" "$id" "$S_xdp"
ip -n "$NS" link set "$IFACE" up
check_whole_a "up again: still whole"
assert_eq "up: same program" "$id" "$S_xdp"
in_ns status "$IFACE"
assert_no_match "status after down/up: no leftovers" "leftover|MISSING" "$OUT"

e2e_log "the XDP program removed by another tool"
ip -n "$NS" link set dev "$IFACE" xdp off
frames_state "$NS" "$IFACE" "$PIN_DIR" "$FRAMES"
assert_eq "xdp off: no XDP program, the egress program and pins left" "xdp=0 egress=1 pins=stale" \
	"xdp=$S_xdp egress=$S_egress pins=$S_pins"
in_ns status "$IFACE"
assert_eq "status: exit 1 (not loaded)" 1 "$RC"
assert_match "status reports the egress program without XDP" \
	"leftover: egress program \(id [0-9]+\) without xpf's XDP program" "$OUT"
assert_match "status reports the stale pins" "leftover: stale pins in $PIN_DIR" "$OUT"
in_ns status
assert_match "status without IFACE reports them too" "^$IFACE: xpf not loaded" "$OUT"
in_ns unload "$IFACE"
assert_eq "unload removes them: exit 0 ($ERR)" 0 "$RC"
frames_state "$NS" "$IFACE" "$PIN_DIR" "$FRAMES"
assert_eq "nothing left" "xdp=0 egress=0 pins=none" "xdp=$S_xdp egress=$S_egress pins=$S_pins"
in_ns load -c "$FRAMES/a.site" "$IFACE"
assert_eq "load again: exit 0 ($ERR)" 0 "$RC"
check_whole_a "loaded again: whole"

e2e_log "the interface deleted while loaded (bpffs: pins stay)"
ip -n "$NS" link del "$IFACE"
check "the pin directory outlives the interface" test -d "$PIN_DIR"
in_ns status
assert_match "status without IFACE reports the deleted interface's pins" \
	"^$IFACE: xpf not loaded \(no such interface\); leftovers" "$OUT"
in_ns unload "$IFACE"
assert_eq "unload of the deleted interface removes its pins: exit 0 ($ERR)" 0 "$RC"
check "no pin directory left" test ! -e "$PIN_DIR"
in_ns status
assert_eq "status: nothing anywhere" "xpf: not loaded on any interface" "$OUT"

e2e_log "the interface deleted while loaded without bpffs (ip netns exec)"
e2e_scratch_veth
run_xpf "$NS" load -c "$FRAMES/a.site" "$IFACE"
assert_eq "load under ip netns exec: exit 0 ($ERR)" 0 "$RC"
ip -n "$NS" link del "$IFACE"
run_xpf "$NS" status
assert_eq "status: nothing remains" "xpf: not loaded on any interface" "$OUT"
check "no pins were made" test ! -e "$PIN_DIR"

e2e_log "another version's filter: a program of xpf's name with maps that are not this version's"
e2e_scratch_veth
ip -n "$NS" link set dev "$IFACE" xdpdrv obj "$(dirname "$XPF")/tests/e2e/other_version.bpf.o" sec xdp ||
	die "attach the other version's program"
other=$(xdp_id "$NS" "$IFACE")
[ -n "$other" ] || die "the other version's program is not attached"
for verb in status load unload; do
	if [ $verb = load ]; then in_ns load -c "$FRAMES/a.site" "$IFACE"; else in_ns $verb "$IFACE"; fi
	assert_eq "$verb: exit 1" 1 "$RC"
	assert_match "$verb: says the filter is another version's and how to remove it" \
		"the xpf filter there is another version's \(its maps differ\): unload it with that version, or detach it with \`ip link set dev $IFACE xdp off\`" \
		"$ERR"
done
in_ns status
assert_eq "status without IFACE: exit 1" 1 "$RC"
assert_match "status without IFACE names it too" \
	"xpf: status on $IFACE: the xpf filter there is another version's" "$ERR"
assert_eq "the other version's program stays, untouched" "$other" \
	"$(xdp_id "$NS" "$IFACE")"
ip -n "$NS" link set dev "$IFACE" xdp off
in_ns load -c "$FRAMES/a.site" "$IFACE"
assert_eq "once detached, load: exit 0 ($ERR)" 0 "$RC"
check_whole_a "loaded: whole"
in_ns unload "$IFACE"
ip -n "$NS" link del "$IFACE"

e2e_log "another version's filter: this version's map names, one map laid out otherwise"
e2e_scratch_veth
ip -n "$NS" link set dev "$IFACE" xdpdrv obj "$(dirname "$XPF")/tests/e2e/other_layout.bpf.o" \
	sec xdp.frags || die "attach the program whose reply_hints map is laid out otherwise"
other=$(xdp_id "$NS" "$IFACE")
[ -n "$other" ] || die "the program whose reply_hints map is laid out otherwise is not attached"
for verb in status reload unload; do
	if [ $verb = reload ]; then in_ns reload -c "$FRAMES/a.site" "$IFACE"; else in_ns $verb "$IFACE"; fi
	assert_eq "$verb: exit 1" 1 "$RC"
	assert_match "$verb: says the filter is another version's" \
		"the xpf filter there is another version's \(its maps differ\)" "$ERR"
done
assert_eq "that program stays, untouched" "$other" "$(xdp_id "$NS" "$IFACE")"
ip -n "$NS" link set dev "$IFACE" xdp off
e2e_finish
