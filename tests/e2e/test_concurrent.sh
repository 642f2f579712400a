#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Several xpf at once on one interface: two loops reloading site A and site B against each
# other, and a third asking for audit and enforce, while frames are run through the attached
# program. The interface lock makes them take turns: every sample gives the verdicts of one
# whole rule set (A or B, or everything passing in audit), no reload fails or finds another's
# half-written generation, and at the end the interface is whole with no leftovers.
. "$(dirname "$0")/lib.sh"
. "$E2E_ROOT/tests/e2e/frames.sh"
e2e_init concurrent 150

FRAMES=$E2E_TMP/frames
ROUNDS=${XPF_CONCURRENT_ROUNDS:-10}
e2e_scratch_netns cc
e2e_scratch_veth
# Hooks run last first: the lock is let go before the scratch cleanup's unload takes it.
release_lock() { [ -n "${lock_fd:-}" ] && exec {lock_fd}>&-; return 0; }
e2e_on_exit release_lock
frames_make "$FRAMES" || die "frames (scapy)"
x() { ip netns exec "$NS" timeout 60 "$XPF" "$@"; }
x load -c "$FRAMES/a.site" "$IFACE" >/dev/null || die "load"

# reloader NAME ARGS...: ROUNDS reloads; the failures counted in $E2E_TMP/NAME.failed.
reloader() {
	local name=$1 failed=0 _
	shift
	for _ in $(seq "$ROUNDS"); do
		x reload "$@" "$IFACE" >>"$E2E_TMP/$name.log" 2>&1 || failed=$((failed + 1))
	done
	echo "$failed" >"$E2E_TMP/$name.failed"
}
reloader a -c "$FRAMES/a.site" &
pid_a=$!
reloader b -c "$FRAMES/b.site" &
pid_b=$!
reloader audit --audit &
pid_audit=$!
reloader enforce --enforce &
pid_enforce=$!

# Each sample holds xpf's own lock of the interface, so that its four frames see one state
# between two operations (a flip of the audit flag between frames would look like a mix). A
# mix of A and B left in force by two reloads that did not take turns shows up there.
# xpf's lock file: in /run/lock, or /run where a system has none (user/lock.c).
LOCK_DIR=/run/lock
[ -d "$LOCK_DIR" ] || LOCK_DIR=/run
LOCK=$LOCK_DIR/xpf-$(stat -L -c %i "/run/netns/$NS")-$IFACE.lock
samples=0
mixed=0
while kill -0 "$pid_a" 2>/dev/null || kill -0 "$pid_b" 2>/dev/null; do
	exec {lock_fd}>>"$LOCK"
	flock "$lock_fd"
	frames_state "$NS" "$IFACE" - "$FRAMES"
	exec {lock_fd}>&-
	lock_fd=
	sleep 0.3	# the xpf waiting for the lock poll it every 100 ms: let them have it
	samples=$((samples + 1))
	case $S_verdicts in
	"$FRAMES_SET_A" | "$FRAMES_SET_B" | "$FRAMES_SET_NONE") ;;
	*) mixed=$((mixed + 1)); echo "mixed verdicts: $STATE" ;;
	esac
done
wait "$pid_a" "$pid_b" "$pid_audit" "$pid_enforce"
assert_eq "$samples samples while 4 × $ROUNDS operations ran: each one whole rule set" 0 "$mixed"
for name in a b audit enforce; do
	assert_eq "reloads ($name): none failed ($(grep -v '^xpf: ' "$E2E_TMP/$name.log" | head -2))" \
		0 "$(cat "$E2E_TMP/$name.failed")"
done
assert_no_match "no reload found another's half-written generation" "repairing" \
	"$(cat "$E2E_TMP"/*.log)"
x reload --enforce "$IFACE" >/dev/null
frames_state "$NS" "$IFACE" - "$FRAMES"
check "at the end: whole, no spare generation ($STATE)" test "$S_loaded" = 1 -a "$S_spare" = 0 -a "$S_egress" = 1
x status "$IFACE" >"$E2E_TMP/status"
assert_no_match "status: no leftovers" leftover "$(cat "$E2E_TMP/status")"
e2e_finish
