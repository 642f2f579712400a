#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Rolling out without locking anyone out, on a veth whose peer namespace sends exactly counted
# frames (send_frames.py):
#  - the site file's `audit` directive sets the mode a load takes; --enforce and --audit win
#    over it; a reload without either keeps the mode unless the new file says `audit off`;
#  - the lockout guard: with SSH_CONNECTION naming a client the rule set drops, load and
#    reload --enforce refuse, change nothing and name the row the session needs (the kernel's
#    own verdict, `xpf explain`, agrees); --audit and --force go through;
#  - reload --confirm 5 that nobody confirms is back on the rule set and mode before it within
#    6 s (measured), with the counters of its rules carried; one that is confirmed stays, and
#    its watcher ends; the shell that ran the reload killed (its whole process group) does not
#    stop the revert; a second --confirm while one waits is refused, a plain reload confirms.
. "$(dirname "$0")/lib.sh"
e2e_init rollout 240

SEND=$E2E_ROOT/tests/e2e/send_frames.py
e2e_stream_pair ro

# site FILE [LINES...]: the example site, plus a counted row, plus LINES.
site() {
	local file=$E2E_TMP/$1
	shift
	{
		cat "$E2E_ROOT/examples/director.site"
		echo "allow TCP 5999 | 198.51.100.0/24 | Director | counted"
		printf '%s\n' "$@"
	} >"$file"
	chmod 0644 "$file"
	echo "$file"
}
A=$(site a.site)
A_AUDIT=$(site a-audit.site audit)
A_ENFORCE=$(site a-enforce.site "audit off")
B=$(site b.site "allow TCP 8443 | Any | Director | new")

x() { run_xpf "$NS_RX" "$@"; }
mode() { x status rx0; sed -n 's/.*mode, \([a-z]*\)).*/\1/p' <<<"$OUT" | head -1; }
# send N: N SYNs 198.51.100.7 -> 192.0.2.101:5999 (the counted row)
send() {
	ip netns exec "$NS_GEN" "$PY" "$SEND" gen0 "$RX_MAC" "tcp,198.51.100.7,192.0.2.101,5999,$1" ||
		die "send_frames.py"
}
# counted: packets on the counted row
counted() {
	x stats -j rx0
	interface_json >"$E2E_TMP/stats.json"
	json "$E2E_TMP/stats.json" "sum(r['packets'] for r in d['rules'] if r['port'] == 5999)"
}
has_8443() { x save rx0; grep -c '^allow TCP 8443' <<<"$OUT"; }
# in_force_ms: when the rule set in force was put there (the kernel's time, from save), in ms
in_force_ms() {
	x save rx0
	date -d "$(sed -n '1s/.* in force since \([^ ]*\) .*/\1/p' <<<"$OUT")" +%s%3N
}
reverted() { x save rx0; [ "$RC" = 0 ] && ! grep -q '^allow TCP 8443' <<<"$OUT"; }
gone() { ! kill -0 "$1" 2>/dev/null; }

e2e_log "audit directive"
x load -c "$A_AUDIT" rx0
assert_eq "load, site says audit: exit 0 ($ERR)" 0 "$RC"
assert_eq "load, site says audit: audit mode" audit "$(mode)"
x unload rx0
x load --enforce -c "$A_AUDIT" rx0
assert_eq "load --enforce beats the site file's audit" enforcing "$(mode)"
x reload --audit rx0
x reload -c "$A" rx0
assert_eq "reload of a file without the directive keeps audit" audit "$(mode)"
x reload -c "$A_ENFORCE" rx0
assert_eq "reload of a file that says audit off enforces" enforcing "$(mode)"
x reload --audit -c "$A_ENFORCE" rx0
assert_eq "reload --audit beats audit off" audit "$(mode)"
x unload rx0

e2e_log "lockout guard"
OUTSIDER="198.51.100.7 50022 192.0.2.101 22"
capture ip netns exec "$NS_RX" env SSH_CONNECTION="$OUTSIDER" timeout 30 "$XPF" load -c "$A" rx0
assert_eq "load with a session the rules drop: exit 1" 1 "$RC"
assert_match "load: names the row the session needs" \
	'allow TCP 22 \| 198\.51\.100\.7/32 \| Director' "$ERR"
assert_match "load: says why" 'dropped by `policy default drop`' "$ERR"
assert_eq "load refused: no XDP program on rx0" "" "$(xdp_id "$NS_RX" rx0)"
capture ip netns exec "$NS_RX" env SSH_CONNECTION="203.0.113.3 50022 192.0.2.101 22" \
	timeout 30 "$XPF" load -c "$A" rx0
assert_eq "load with an admitted session (Admin workstations): exit 0 ($ERR)" 0 "$RC"
x explain rx0 tcp 198.51.100.7 192.0.2.101 22
assert_match "the loaded program drops the refused session's packet too" 'drop' "$OUT"
x unload rx0
capture ip netns exec "$NS_RX" env SSH_CONNECTION="$OUTSIDER" timeout 30 "$XPF" load --audit \
	-c "$A" rx0
assert_eq "load --audit with that session: exit 0 ($ERR)" 0 "$RC"
capture ip netns exec "$NS_RX" env SSH_CONNECTION="$OUTSIDER" timeout 30 "$XPF" reload \
	--enforce rx0
assert_eq "reload --enforce with that session: exit 1" 1 "$RC"
assert_match "reload --enforce: names the row" 'allow TCP 22 \| 198\.51\.100\.7/32 \| Director' \
	"$ERR"
assert_eq "reload --enforce refused: still audit" audit "$(mode)"
capture ip netns exec "$NS_RX" env SSH_CONNECTION="$OUTSIDER" timeout 30 "$XPF" reload \
	--enforce --force rx0
assert_eq "reload --enforce --force: exit 0 ($ERR)" 0 "$RC"
assert_eq "reload --enforce --force: enforcing" enforcing "$(mode)"
x unload rx0

e2e_log "reload --confirm 5, not confirmed"
x load --audit -c "$A" rx0
[ "$RC" = 0 ] || die "load: $ERR"
send 30
x reload --enforce --confirm 5 -c "$B" rx0
start=$(date +%s%N)
reloaded_at=$(in_force_ms)
assert_eq "reload --confirm: exit 0 ($ERR)" 0 "$RC"
assert_match "reload --confirm: says when it reverts" 'reverts to the rule set and mode in force before \(audit\) in 5 s' "$OUT"
watcher=$(sed -n 's/.*watcher pid \([0-9]*\).*/\1/p' <<<"$OUT")
assert_eq "the new rule set is in force" 1 "$(has_8443)"
assert_eq "... enforcing" enforcing "$(mode)"
x status rx0
assert_match "status shows the pending revert" 'confirm: reverts to the rule set before at' "$OUT"
x reload --confirm 5 -c "$B" rx0
assert_eq "a second --confirm while one waits: exit 1" 1 "$RC"
assert_match "... says one waits" 'already waits for confirmation' "$ERR"
send 20
assert_eq "counts on the new rule set carried from the old one" 50 "$(counted)"
# The revert's time is the kernel's (the generation's load time), measured from the reload's;
# the wait for it is generous, since a busy host slows the polling, not the revert.
if e2e_poll 15 reverted; then
	reverted_ms=$(($(in_force_ms) - reloaded_at))
	echo "reverted ${reverted_ms} ms after the reload (seen after $((($(date +%s%N) - start) / 1000000)) ms)"
fi
check "reverted to the old rule set within 6 s (${reverted_ms:-never} ms)" \
	test -n "${reverted_ms:-}" -a "${reverted_ms:-99999}" -le 6000
check "not before its 5 s (${reverted_ms:-never} ms)" test "${reverted_ms:-0}" -ge 5000
assert_eq "reverted to the old mode" audit "$(mode)"
assert_eq "counters carried over the revert" 50 "$(counted)"
send 5
assert_eq "the old rule set counts on" 55 "$(counted)"
if e2e_poll 5 gone "$watcher"; then ok "the watcher ended"; else fail "watcher $watcher still runs"; fi

e2e_log "reload --confirm, confirmed"
x reload --confirm 3 -c "$B" rx0
watcher=$(sed -n 's/.*watcher pid \([0-9]*\).*/\1/p' <<<"$OUT")
x confirm rx0
assert_eq "confirm: exit 0 ($ERR)" 0 "$RC"
if e2e_poll 5 gone "$watcher"; then ok "the watcher ended at the confirm"; else
	fail "watcher $watcher still runs"; fi
sleep 3.5
assert_eq "confirmed: the new rule set stays past its time" 1 "$(has_8443)"
x status rx0
assert_no_match "confirmed: status shows no pending revert" 'confirm:' "$OUT"
x confirm rx0
assert_eq "confirm with nothing waiting: exit 1" 1 "$RC"
assert_match "... says so" 'no reload waits for confirmation' "$ERR"

e2e_log "reload --confirm, then a plain reload"
x reload -c "$A" rx0
x reload --confirm 3 -c "$B" rx0
watcher=$(sed -n 's/.*watcher pid \([0-9]*\).*/\1/p' <<<"$OUT")
x reload -c "$B" rx0
assert_eq "a plain reload while one waits: exit 0 ($ERR)" 0 "$RC"
if e2e_poll 5 gone "$watcher"; then ok "the watcher ended: the plain reload confirmed"; else
	fail "watcher $watcher still runs"; fi
sleep 3.5
assert_eq "confirmed by the plain reload: the rule set stays past its time" 1 "$(has_8443)"

e2e_log "reload --confirm, the shell that ran it killed"
x reload -c "$A" rx0
# The reload runs in a shell of its own process group, which is then killed whole: the
# watcher has a session of its own and goes on.
ip netns exec "$NS_RX" setsid bash -c '"$1" reload --confirm 3 -c "$2" rx0 >"$3" 2>&1; sleep 60' \
	_ "$XPF" "$B" "$E2E_TMP/killed.out" &
shell=$!
e2e_poll 5 grep -qs 'watcher pid' "$E2E_TMP/killed.out" || die "no reload: $(cat "$E2E_TMP/killed.out")"
disown "$shell"
kill -KILL -- "-$shell" 2>/dev/null || kill -KILL "$shell"
e2e_poll 5 gone "$shell" || fail "the shell $shell outlived SIGKILL"
assert_eq "the reloaded rule set is in force" 1 "$(has_8443)"
if e2e_poll 15 reverted; then ok "reverted although the shell was killed"; else
	fail "not reverted after the shell was killed"; fi
x unload rx0
e2e_finish
