#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Change review on real counts: a peer namespace sends exactly counted frames (send_frames.py)
# into a filter in audit mode, then
#  - suggest proposes the allow rows for what would have been dropped, with their counts, and
#    leaves out what a deny row drops (text and -j); it applies nothing;
#  - diff -c of the site with those rows pasted in: exit 1, the rows as added; the reload of it
#    admits the same stream on the new rows (their counts); diff then: exit 0;
#  - diff of a changed and a removed row: both shown, with the counts in force;
#  - save: the rule set in force as a site file that, loaded on another interface, makes the
#    same rules, and that diff finds equal to the one in force;
#  - diff's exit status on trouble: 2.
. "$(dirname "$0")/lib.sh"
e2e_init change_review 120

SEND=$E2E_ROOT/tests/e2e/send_frames.py
e2e_stream_pair cr
ip -n "$NS_RX" link add sv0 type veth peer name sv1 || die "veth sv0"
ip -n "$NS_RX" link set sv0 up
ip -n "$NS_RX" link set sv1 up
e2e_on_exit 'ip netns exec "$NS_RX" timeout 10 "$XPF" unload sv0 >/dev/null 2>&1'

A=$E2E_TMP/a.site
{ cat "$E2E_ROOT/examples/director.site"; echo "allow TCP 5999 | 198.51.100.0/24 | Director"; } >"$A"
chmod 0644 "$A"
x() { run_xpf "$NS_RX" "$@"; }
STREAM=(tcp,203.0.113.9,192.0.2.101,3389,40 udp,198.51.100.77,192.0.2.100,5070,25
	tcp,198.51.100.66,192.0.2.100,443,7 tcp,198.51.100.9,192.0.2.101,5999,5)
send() { ip netns exec "$NS_GEN" "$PY" "$SEND" gen0 "$RX_MAC" "${STREAM[@]}" || die "send_frames.py"; }
# rule_field FIELD PORT: FIELD of the rules on PORT, summed, from stats -j
rule_sum() {
	x stats -j rx0
	interface_json >"$E2E_TMP/stats.json"
	json "$E2E_TMP/stats.json" "sum(r['$1'] for r in d['rules'] if r['port'] == $2)"
}

x load --audit -c "$A" rx0
[ "$RC" = 0 ] || die "load: $ERR"
send

e2e_log "suggest"
x suggest rx0
assert_eq "suggest: exit 0 ($ERR)" 0 "$RC"
echo "$OUT"
ROWS=$(grep '^allow' <<<"$OUT")
assert_eq "suggest: two rows" 2 "$(grep -c . <<<"$ROWS")"
assert_match "suggest: 3389 from 203.0.113.0/24 to Director, 40 packets first" \
	'^allow TCP 3389 \| 203\.0\.113\.0/24 \| Director +# 40 packets, ' "$(head -1 <<<"$ROWS")"
assert_match "suggest: UDP 5070 from 198.51.100.0/24 to the VIP, 25 packets" \
	'^allow UDP 5070 \| 198\.51\.100\.0/24 \| Director Hardware Load Balancer VIP +# 25 packets, ' \
	"$(tail -1 <<<"$ROWS")"
assert_match "suggest: what the deny row drops is left out, counted" \
	'left out: 7 packets that deny rows drop' "$OUT"
x suggest -j rx0
echo "$OUT" >"$E2E_TMP/suggest.json"
assert_eq "suggest -j: rows and counts" '[["allow TCP 3389 | 203.0.113.0/24 | Director", 40], ["allow UDP 5070 | 198.51.100.0/24 | Director Hardware Load Balancer VIP", 25]]' \
	"$(json "$E2E_TMP/suggest.json" "[[r['row'], r['packets']] for r in d['rows']]")"
assert_eq "suggest applied nothing: still 12 rules" 12 \
	"$(x stats -j rx0; interface_json >"$E2E_TMP/s.json"; json "$E2E_TMP/s.json" "len(d['rules'])")"

e2e_log "diff, reload of the suggested rows"
B=$E2E_TMP/b.site
{ cat "$A"; sed 's/ *#.*//' <<<"$ROWS"; } >"$B"
chmod 0644 "$B"
x diff -c "$B" rx0
assert_eq "diff with the suggested rows: exit 1" 1 "$RC"
assert_match "diff: 3389 row added" '^\+ allow TCP 3389 \| 203\.0\.113\.0/24 \| Director$' "$OUT"
assert_match "diff: 5070 row added" '^\+ allow UDP 5070 \| 198\.51\.100\.0/24 \| Director Hardware Load Balancer VIP$' "$OUT"
assert_match "diff: summary" '^2 added, 0 removed, 0 changed, 12 unchanged rules' "$OUT"
x diff -j -c "$B" rx0
echo "$OUT" >"$E2E_TMP/diff.json"
assert_eq "diff -j: added rows" '["allow TCP 3389 | 203.0.113.0/24 | Director", "allow UDP 5070 | 198.51.100.0/24 | Director Hardware Load Balancer VIP"]' \
	"$(json "$E2E_TMP/diff.json" "[r['new']['row'] for r in d['rules'] if r['change'] == 'added']")"
x reload -c "$B" rx0
[ "$RC" = 0 ] || die "reload: $ERR"
send
assert_eq "the suggested 3389 row admits the stream's 40" 40 "$(rule_sum packets 3389)"
assert_eq "the suggested 5070 row admits the stream's 25" 25 "$(rule_sum packets 5070)"
x diff -c "$B" rx0
assert_eq "diff after the reload: exit 0 ($OUT)" 0 "$RC"

e2e_log "diff of a changed and a removed row"
C=$E2E_TMP/c.site
sed 's/^deny   HTTPS\/TCP 443 /allow  HTTPS\/TCP 443 /; /^allow TCP 5999 /d' "$B" >"$C"
chmod 0644 "$C"
x diff -c "$C" rx0
assert_eq "diff: exit 1" 1 "$RC"
assert_match "diff: the deny row in force, with its counts (14 would-drops)" \
	'^- deny HTTPS/TCP 443 \| 198\.51\.100\.66 \| Director Hardware Load Balancer VIP  # 14 packets, [0-9]+ bytes, 14 would drop$' "$OUT"
assert_match "diff: ... and what it becomes" \
	'^\+ allow HTTPS/TCP 443 \| 198\.51\.100\.66 \| Director Hardware Load Balancer VIP  # changed: action$' "$OUT"
assert_match "diff: the removed row, with its counts" \
	'^- allow TCP 5999 \| 198\.51\.100\.0/24 \| Director  # 10 packets, ' "$OUT"
assert_match "diff: summary" '^0 added, 1 removed, 1 changed, 12 unchanged rules' "$OUT"

e2e_log "save"
x save rx0
assert_eq "save: exit 0 ($ERR)" 0 "$RC"
assert_match "save: the mode in force as its audit line" '^audit on$' "$OUT"
echo "$OUT" >"$E2E_TMP/saved.site"
chmod 0644 "$E2E_TMP/saved.site"
x diff -c "$E2E_TMP/saved.site" rx0
assert_eq "diff of the saved file against the rule set in force: exit 0 ($OUT)" 0 "$RC"
x load -c "$E2E_TMP/saved.site" sv0
assert_eq "the saved file loads on another interface ($ERR)" 0 "$RC"
RULE_FIELDS="[(r['label'], r['source'], r['destination'], r['proto'], r['port'], r['port_last'], r['action'], r['direction'], r['origin']) for r in d['rules']]"
x stats -j rx0
interface_json >"$E2E_TMP/rx0.json"
x stats -j sv0
interface_json >"$E2E_TMP/sv0.json"
assert_eq "saved and loaded elsewhere: the same rules" "$(json "$E2E_TMP/rx0.json" "$RULE_FIELDS")" \
	"$(json "$E2E_TMP/sv0.json" "$RULE_FIELDS")"
assert_eq "... 14 of them" 14 "$(json "$E2E_TMP/sv0.json" "len(d['rules'])")"

e2e_log "trouble"
x diff -c "$E2E_TMP/none.site" rx0
assert_eq "diff of a missing file: exit 2" 2 "$RC"
x diff -c "$B" sv1
assert_eq "diff on an interface without xpf: exit 2" 2 "$RC"
e2e_finish
