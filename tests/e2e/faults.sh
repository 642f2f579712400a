# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Crash safety, sourced by test_faults_pins.sh and test_faults_nopins.sh with FAULT_MODE set to
# one of the two ways xpf runs: pins — from the host's mount namespace (bpffs: pins, tcx egress
# link); nopins — under `ip netns exec` (no bpffs: tc egress filter, no pins).
# xpf is killed (SIGKILL, XPF_FAULT_AFTER) after every step of load, reload, reload --audit and
# unload — the steps are learnt from xpf itself (XPF_FAULT_TRACE). After each kill:
#  - enforcement: four crafted frames run through the attached program (BPF_PROG_TEST_RUN)
#    give the verdicts of one whole rule set (the old or the new; none only for load and
#    unload), never a mix; a program on the interface always has a rule set in force (load
#    writes it before it attaches);
#  - `xpf status` reports leftovers exactly when the interface is neither whole nor untouched
#    (seen from outside xpf: ip, tc, bpftool, bpffs — tests/e2e/xpf_state.py);
#  - running the verb again repairs: the interface ends whole with the new set (load, reload)
#    or untouched (unload), and status reports nothing left over.
# Prints "fault points: N injected, N recovered".
. "$(dirname "$0")/lib.sh"
e2e_init "faults_$FAULT_MODE" 280

FRAMES=$E2E_TMP/frames
e2e_scratch_netns flt
e2e_scratch_veth

. "$E2E_ROOT/tests/e2e/frames.sh"
frames_make "$FRAMES" || die "frames (scapy)"
SITE_A=$FRAMES/a.site
SITE_B=$FRAMES/b.site
SET_A=$FRAMES_SET_A
SET_B=$FRAMES_SET_B
SET_NONE=$FRAMES_SET_NONE

# xpf_in MODE ARGS...: pins: from the host's mount namespace (bpffs); nopins: ip netns exec.
xpf_in() {
	local mode=$1
	shift
	if [ "$mode" = pins ]; then
		run_xpf_pinned "$NS" "$@"
	else
		run_xpf "$NS" "$@"
	fi
}

# state MODE: sets STATE (xpf_state.py's line) and its fields.
state() {
	local pin_dir=-
	[ "$1" = pins ] && pin_dir=$PIN_DIR
	frames_state "$NS" "$IFACE" "$pin_dir" "$FRAMES"
	S_WANT_PINS=none
	[ "$1" = pins ] && S_WANT_PINS=ours
}
# whole: a filter with a rule set in force, no spare generation, its egress, its pins.
is_whole() { [ "$S_xdp" != 0 ] && [ "$S_loaded" = 1 ] && [ "$S_spare" = 0 ] && [ "$S_egress" = 1 ] && [ "$S_pins" = "$S_WANT_PINS" ]; }
is_untouched() { [ "$S_xdp" = 0 ] && [ "$S_egress" = 0 ] && [ "$S_pins" = none ]; }

# reset MODE START: the interface untouched, or whole with site A (enforcing) — from whatever
# the last step left, with as few commands as get there.
reset() {
	local mode=$1 start=$2
	state "$mode"
	if [ "$start" = A ] && is_whole; then
		[ "$S_verdicts" = "$SET_A" ] && return 0
		xpf_in "$mode" reload -c "$SITE_A" --enforce "$IFACE"
	else
		is_untouched || xpf_in "$mode" unload "$IFACE"
		[ "$start" = A ] && xpf_in "$mode" load -c "$SITE_A" -m native "$IFACE"
	fi
	state "$mode"
	if [ "$start" = A ]; then
		is_whole && [ "$S_verdicts" = "$SET_A" ] || die "reset to A: $ERR; $STATE"
	else
		is_untouched || die "reset: not untouched: $ERR; $STATE"
	fi
}

# The verbs under test: name, the state they start from, their arguments, the verdict sets
# allowed while interrupted, and the state they end in.
VERBS=(load reload audit unload)
declare -A START=([load]=untouched [reload]=A [audit]=A [unload]=A)
declare -A ARGS=([load]="load -c $SITE_A -m native $IFACE" [reload]="reload -c $SITE_B $IFACE"
		 [audit]="reload --audit $IFACE" [unload]="unload $IFACE")
declare -A ALLOWED=([load]="$SET_NONE $SET_A" [reload]="$SET_A $SET_B"
		    [audit]="$SET_A $SET_NONE" [unload]="$SET_A $SET_NONE")
declare -A FINAL=([load]=$SET_A [reload]=$SET_B [audit]=$SET_NONE [unload]=untouched)

final_reached() {
	local verb=$1
	if [ "${FINAL[$verb]}" = untouched ]; then is_untouched; else is_whole && [ "$S_verdicts" = "${FINAL[$verb]}" ]; fi
}

injected=0
recovered=0
for mode in $FAULT_MODE; do
	for verb in "${VERBS[@]}"; do
		# The steps, from a run without a fault.
		reset "$mode" "${START[$verb]}"
		rm -f "$E2E_TMP/trace"
		# shellcheck disable=SC2086
		XPF_FAULT_TRACE=$E2E_TMP/trace xpf_in "$mode" ${ARGS[$verb]}
		[ "$RC" = 0 ] || die "$mode $verb without a fault: $ERR"
		mapfile -t steps <"$E2E_TMP/trace"
		check "$mode $verb: xpf names its steps (${#steps[@]}: ${steps[*]})" test "${#steps[@]}" -ge 2

		for step in "${steps[@]}"; do
			what="$mode $step"
			reset "$mode" "${START[$verb]}"
			# shellcheck disable=SC2086
			XPF_FAULT_AFTER=$step xpf_in "$mode" ${ARGS[$verb]}
			injected=$((injected + 1))
			if [ "$RC" != 137 ] || ! grep -q "fault injected after $step" <<<"$ERR"; then
				fail "$what: not killed there (exit $RC: $ERR)"
				continue
			fi
			state "$mode"
			# No frame passes unjudged: a program on the interface always has a rule set.
			if [ "$S_xdp" != 0 ]; then
				check "$what: the attached program has its rule set ($STATE)" test "$S_loaded" = 1
			fi
			case " ${ALLOWED[$verb]} " in
			*" $S_verdicts "*) ok "$what: one whole rule set enforced ($S_verdicts)" ;;
			*) fail "$what: verdicts $S_verdicts are none of ${ALLOWED[$verb]}: $STATE" ;;
			esac
			# Status: leftovers reported exactly when the interface is neither whole nor
			# untouched.
			xpf_in "$mode" status "$IFACE"
			if is_whole || is_untouched; then
				assert_no_match "$what: status reports no leftovers ($STATE)" leftover "$OUT"
			else
				assert_match "$what: status reports the leftovers ($STATE)" leftover "$OUT"
			fi
			# Repair: the verb again, unless its end is already reached.
			if ! final_reached "$verb"; then
				# shellcheck disable=SC2086
				xpf_in "$mode" ${ARGS[$verb]}
				[ "$RC" = 0 ] || fail "$what: ${ARGS[$verb]%% *} again: exit $RC: $ERR"
				state "$mode"
			fi
			xpf_in "$mode" status "$IFACE"
			if final_reached "$verb" && ! grep -q leftover <<<"$OUT"; then
				ok "$what: recovered ($STATE)"
				recovered=$((recovered + 1))
			else
				fail "$what: not recovered: $STATE; status: $OUT"
			fi
		done
	done
done
reset "$FAULT_MODE" untouched
echo "fault points ($FAULT_MODE): $injected injected, $recovered recovered"
check "every fault point recovered ($recovered of $injected)" test "$injected" -gt 0 -a "$recovered" = "$injected"
e2e_finish
