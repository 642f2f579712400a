#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# State lives in the kernel: every xpf command runs on its own under `ip netns exec` (a fresh
# mount namespace each time, no bpffs, nothing pinned) and finds the filter the previous
# command left on the interface: load, status, stats -j, reload (counters carry over, a bad
# site file changes nothing), a second load, unload, a second unload. A bad site file makes
# `load` fail with FILE:LINE and leaves the interface without an XDP program.
. "$(dirname "$0")/lib.sh"
e2e_init state

SITE=$E2E_ROOT/examples/director.site
STATS=$E2E_TMP/stats.json

# stats_json WHAT: `xpf stats -j` into $STATS; fatal unless it is JSON.
stats_json() {
	run_xpf "$LAB_DIRECTOR" stats -j "$LAB_IFACE"
	interface_json >"$STATS"
	if [ "$RC" = 0 ] && json "$STATS" 'd["interface"]' >/dev/null 2>&1; then
		ok "$1: stats -j is valid JSON"
	else
		die "$1: stats -j: exit $RC, stderr '$ERR', output '$(head -c 300 "$STATS")'"
	fi
}

# row_packets LABEL SOURCE: packets counted on that row, from $STATS.
row_packets() {
	json "$STATS" "sum(r['packets'] for r in d['rules']
		if r['label'] == '''$1''' and r['source'] == '''$2''')"
}

# one_line WHAT: stderr ($ERR) is exactly one line.
one_line() {
	assert_eq "$1: one line on stderr ('$ERR')" 1 "$(grep -c . <<<"$ERR")"
}

e2e_log "lab $E2E_LAB"
lab_up "$E2E_LAB" || die "the lab did not come up"
http_server "$LAB_DIRECTOR" 8080 || die "HTTP server on 8080"

e2e_log "before load"
run_xpf "$LAB_DIRECTOR" status "$LAB_IFACE"
check "status on a bare interface: exit != 0" test "$RC" != 0
assert_match "status on a bare interface: says not loaded" "not loaded on $LAB_IFACE" "$ERR"

e2e_log "load"
run_xpf "$LAB_DIRECTOR" load -c "$SITE" "$LAB_IFACE"
[ "$RC" = 0 ] || die "load: exit $RC: $ERR"
assert_match "load: says where and what" "loaded on $LAB_IFACE .*11 rules" "$OUT"
check "load: XDP program on $LAB_IFACE" xdp_attached "$LAB_DIRECTOR"
prog_id=$(ip -n "$LAB_DIRECTOR" -d link show "$LAB_IFACE" | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p')

e2e_log "status"
run_xpf "$LAB_DIRECTOR" status "$LAB_IFACE"
assert_eq "status: exit 0 ($ERR)" 0 "$RC"
assert_match "status: says loaded, with the program id" "xpf loaded \(program id $prog_id" "$OUT"
assert_match "status: says not pinned (no bpffs here)" "pinned: no" "$OUT"
assert_match "status: names the site file" "site: +$SITE" "$OUT"
for args in "status -j $LAB_IFACE" "-j status"; do
	# shellcheck disable=SC2086
	run_xpf "$LAB_DIRECTOR" $args
	echo "$OUT" >"$E2E_TMP/status.json"
	assert_eq "$args: exit 0, one interface, the text's facts" \
		"0 1 1 $LAB_IFACE True $prog_id False 11 $SITE None" \
		"$RC $(json "$E2E_TMP/status.json" '" ".join(str(x) for x in [d["schema_version"],
			len(d["interfaces"])] + [d["interfaces"][0][k] for k in ("interface", "loaded",
			"program_id", "audit", "rules", "site", "pinned")])')"
done
run_xpf "$LAB_DIRECTOR" status
assert_eq "status without IFACE: exit 0 ($ERR)" 0 "$RC"
assert_match "status without IFACE: lists $LAB_IFACE" "^$LAB_IFACE: xpf loaded" "$OUT"

e2e_log "stats"
stats_json "after load"
assert_eq "stats -j: 11 rules for examples/director.site" 11 "$(json "$STATS" 'len(d["rules"])')"
assert_eq "stats -j: interface" "$LAB_IFACE" "$(json "$STATS" 'd["interface"]')"
assert_eq "stats -j: table" lync2013-director-dns-hlb "$(json "$STATS" 'd["table"]')"
assert_eq "stats -j: not audit" false "$(json "$STATS" 'd["audit"]')"
generation=$(json "$STATS" 'd["generation"]')
# A rule's id is the number `xpf check` and `xpf stats` show for it: 1..N, in row order.
assert_eq "stats -j: rule ids are the row numbers of xpf check / xpf stats" \
	"$(seq -s' ' 1 11)" "$(json "$STATS" '" ".join(str(r["id"]) for r in d["rules"])')"
run_xpf "$LAB_DIRECTOR" stats "$LAB_IFACE"
assert_eq "stats (text): exit 0 ($ERR)" 0 "$RC"
assert_match "stats (text): shows the 8080 row" "HTTP/TCP 8080" "$OUT"

e2e_log "traffic, then reload"
check "the proxy reaches 8080 on the HLB VIP" http_get "$LAB_PROXY" "$LAB_VIP4" 8080
stats_json "after traffic"
before=$(row_packets "HTTP/TCP 8080" "Reverse proxy internal interface")
check "the 8080 row counted the conversation ($before packets)" test "${before:-0}" -gt 0

run_xpf "$LAB_DIRECTOR" reload -c "$SITE" "$LAB_IFACE"
assert_eq "reload: exit 0 ($ERR)" 0 "$RC"
assert_match "reload: says so" "reloaded $LAB_IFACE" "$OUT"
stats_json "after reload"
assert_eq "after reload: 11 rules" 11 "$(json "$STATS" 'len(d["rules"])')"
assert_eq "after reload: rule ids are still the row numbers" \
	"$(seq -s' ' 1 11)" "$(json "$STATS" '" ".join(str(r["id"]) for r in d["rules"])')"
check "after reload: the generation flipped" \
	test "$(json "$STATS" 'd["generation"]')" != "$generation"
after=$(row_packets "HTTP/TCP 8080" "Reverse proxy internal interface")
# DESIGN.md: "Counters of unchanged rules carry over."
check "after reload: the 8080 row kept its counter ($before -> $after)" \
	test "${after:-0}" -ge "${before:-1}"
check "after reload: still the same XDP program" \
	eval 'ip -n "$LAB_DIRECTOR" link show "$LAB_IFACE" | grep -q "prog/xdp id $prog_id "'
check "after reload: the proxy still reaches 8080" http_get "$LAB_PROXY" "$LAB_VIP4" 8080
stats_json "after traffic after reload"
later=$(row_packets "HTTP/TCP 8080" "Reverse proxy internal interface")
check "after reload: the 8080 row counts on ($after -> $later)" test "${later:-0}" -gt "${after:-0}"

# Between a reload's flip and the carry of its counts (once the old generation has settled),
# and for as long as a reload killed there leaves it (lib/fault.h): the rows listed are the
# old generation's, whose counts hold everything so far. The new rows, before the carry, would
# show only what they counted since the flip: a counter reset to anyone reading.
XPF_FAULT_AFTER=reload:flipped run_xpf "$LAB_DIRECTOR" reload -c "$SITE" "$LAB_IFACE"
assert_eq "a reload killed after its flip: killed there ($ERR)" 137 "$RC"
check "a reload killed after its flip: the proxy still reaches 8080" \
	http_get "$LAB_PROXY" "$LAB_VIP4" 8080
stats_json "after a reload killed after its flip"
killed=$(row_packets "HTTP/TCP 8080" "Reverse proxy internal interface")
check "a reload killed after its flip: the 8080 row does not fall back ($later -> $killed)" \
	test "${killed:-0}" -ge "${later:-1}"
run_xpf "$LAB_DIRECTOR" reload -c "$SITE" "$LAB_IFACE"
assert_eq "the reload again repairs it: exit 0 ($ERR)" 0 "$RC"
stats_json "after the repairing reload"
repaired=$(row_packets "HTTP/TCP 8080" "Reverse proxy internal interface")
check "after the repairing reload: the 8080 row holds both generations' counts ($killed -> $repaired)" \
	test "${repaired:-0}" -gt "${killed:-0}"

# A reload that adds a row takes effect: the outsider may now use 8080.
cp "$SITE" "$E2E_TMP/wider.site"
echo "allow  HTTP/TCP 8080 | 203.0.113.99 | Director Hardware Load Balancer VIP | lab" \
	>>"$E2E_TMP/wider.site"
run_xpf "$LAB_DIRECTOR" reload -c "$E2E_TMP/wider.site" "$LAB_IFACE"
assert_eq "reload with a new row: exit 0 ($ERR)" 0 "$RC"
check "reload with a new row: the outsider reaches 8080" \
	http_get "$LAB_OUTSIDER" "$LAB_VIP4" 8080
stats_json "after the wider reload"
assert_eq "reload with a new row: 12 rules" 12 "$(json "$STATS" 'len(d["rules"])')"
generation=$(json "$STATS" 'd["generation"]')

# A bad site file on reload changes nothing.
cp "$E2E_TMP/wider.site" "$E2E_TMP/bad-reload.site"
echo "allow  HTTP/TCP 70000 | Any | Director | bad" >>"$E2E_TMP/bad-reload.site"
line=$(wc -l <"$E2E_TMP/bad-reload.site")
run_xpf "$LAB_DIRECTOR" reload -c "$E2E_TMP/bad-reload.site" "$LAB_IFACE"
check "reload with a bad site file: exit != 0" test "$RC" != 0
assert_match "reload with a bad site file: names FILE:LINE" "bad-reload\.site:$line: " "$ERR"
one_line "reload with a bad site file"
stats_json "after the bad reload"
assert_eq "after the bad reload: still 12 rules" 12 "$(json "$STATS" 'len(d["rules"])')"
assert_eq "after the bad reload: same generation" "$generation" \
	"$(json "$STATS" 'd["generation"]')"

e2e_log "reload and unload under -j: one JSON object of what they did"
run_xpf "$LAB_DIRECTOR" reload -j -c "$E2E_TMP/bad-reload.site" "$LAB_IFACE"
echo "$OUT" >"$E2E_TMP/reload.json"
assert_match "reload -j with a bad site file: exit 1, the error object names FILE:LINE" \
	"^1 .*bad-reload\.site:$line: " "$RC $(json "$E2E_TMP/reload.json" 'd["error"]')"
run_xpf "$LAB_DIRECTOR" reload -c "$SITE" -j "$LAB_IFACE"
echo "$OUT" >"$E2E_TMP/reload.json"
assert_eq "reload -j back to the site: reloaded, 11 rules, the wider row removed with its count" \
	"0 1 $LAB_IFACE reloaded 11 False ['HTTP/TCP 8080']" \
	"$RC $(json "$E2E_TMP/reload.json" '" ".join(str(x) for x in [d["schema_version"],
		d["interfaces"][0]["interface"], d["interfaces"][0]["action"],
		d["interfaces"][0]["rules"], d["interfaces"][0]["audit"],
		[r["label"] for r in d["interfaces"][0]["removed_rules"]]])' | tr '"' "'")"
for flag in --audit --enforce; do
	run_xpf "$LAB_DIRECTOR" -j reload "$flag" "$LAB_IFACE"
	echo "$OUT" >"$E2E_TMP/audit.json"
	assert_eq "reload -j $flag: the audit flag as set" \
		"0 reloaded $([ "$flag" = --audit ] && echo True || echo False)" \
		"$RC $(json "$E2E_TMP/audit.json" 'd["interfaces"][0]["action"] + " " + str(d["interfaces"][0]["audit"])')"
done

e2e_log "second load"
run_xpf "$LAB_DIRECTOR" load -c "$SITE" "$LAB_IFACE"
check "second load: exit != 0" test "$RC" != 0
assert_match "second load: says already loaded" "already loaded on $LAB_IFACE" "$ERR"
one_line "second load"
check "second load: the running filter is untouched" \
	eval 'ip -n "$LAB_DIRECTOR" link show "$LAB_IFACE" | grep -q "prog/xdp id $prog_id "'
run_xpf "$LAB_DIRECTOR" status "$LAB_IFACE"
assert_eq "second load: status still exit 0 ($ERR)" 0 "$RC"

e2e_log "unload"
run_xpf "$LAB_DIRECTOR" unload -j "$LAB_IFACE"
assert_eq "unload -j: exit 0 ($ERR)" 0 "$RC"
echo "$OUT" >"$E2E_TMP/unload.json"
assert_eq "unload -j: says so" "$LAB_IFACE unloaded" \
	"$(json "$E2E_TMP/unload.json" 'd["interfaces"][0]["interface"] + " " + d["interfaces"][0]["action"]')"
check "unload: no XDP program on $LAB_IFACE" eval '! xdp_attached "$LAB_DIRECTOR"'
check "unload: no xpf filter left on tc egress" \
	eval '! tc -n "$LAB_DIRECTOR" filter show dev "$LAB_IFACE" egress | grep -q xpf'
check "unload: the outsider reaches 8080 again" http_get "$LAB_OUTSIDER" "$LAB_VIP4" 8080
run_xpf "$LAB_DIRECTOR" status "$LAB_IFACE"
check "status after unload: exit != 0" test "$RC" != 0
assert_match "status after unload: says not loaded" "not loaded on $LAB_IFACE" "$ERR$OUT"
run_xpf "$LAB_DIRECTOR" unload "$LAB_IFACE"
check "second unload: exit != 0" test "$RC" != 0
assert_match "second unload: says not loaded" "not loaded on $LAB_IFACE" "$ERR"
one_line "second unload"
run_xpf "$LAB_DIRECTOR" stats -j "$LAB_IFACE"
check "stats after unload: exit != 0" test "$RC" != 0

e2e_log "bad site files: load fails with FILE:LINE, nothing attached"
bad_load() {
	local name=$1 directive=$2 expect=$3 file=$E2E_TMP/$1.site line
	cp "$SITE" "$file"
	echo "$directive" >>"$file"
	line=$(wc -l <"$file")
	run_xpf "$LAB_DIRECTOR" load -c "$file" "$LAB_IFACE"
	check "$name: load exit != 0" test "$RC" != 0
	assert_match "$name: names FILE:LINE and the problem" "$name\.site:$line: .*$expect" "$ERR"
	one_line "$name"
	check "$name: no XDP program on $LAB_IFACE" eval '! xdp_attached "$LAB_DIRECTOR"'
}
bad_load port-70000 "allow  HTTP/TCP 70000 | Any | Director | x" "70000"
bad_load unknown-role "allow  HTTP/TCP 8081 | Nobody here | Director | x" "Nobody here"
bad_load bad-address "role   Lab hosts = 192.0.2.0/24, 300.1.2.3" "300\.1\.2\.3"
run_xpf "$LAB_DIRECTOR" status "$LAB_IFACE"
check "after the bad loads: status says not loaded (exit != 0)" test "$RC" != 0
e2e_finish
