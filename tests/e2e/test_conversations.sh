#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Real TCP conversations (HTTP and TLS, IPv4 and IPv6) across the lab, with the Director table
# loaded from examples/director.site, in native and in skb mode:
#  - every conversation the table allows completes, every other one is refused (times out);
#  - the Director's own connection to a Front End on 444 (an outbound row) gets its replies;
#  - the per-rule counters moved exactly on the rows that were used, `default` counted the
#    refused attempts;
#  - native and skb mode give the same verdicts and the same set of rows with hits;
#  - without the filter every conversation completes (the filter is what refused them).
. "$(dirname "$0")/lib.sh"
e2e_init conv

SITE=$E2E_ROOT/examples/director.site

# name | kind | client namespace variable | destination variable | port | expected
CONVERSATIONS="
proxy-vip-8080       http LAB_PROXY    VIP       8080  ok
outsider-vip-8080    http LAB_OUTSIDER VIP       8080  refused
client-vip-80        http LAB_CLIENT   VIP       80    ok
proxy-vip-4443       tls  LAB_PROXY    VIP       4443  ok
client-vip-4443      tls  LAB_CLIENT   VIP       4443  refused
edge-director-5061   tls  LAB_EDGE     DIRECTOR  5061  ok
frontend-director-5061 tls LAB_FRONTEND DIRECTOR 5061  refused
outsider-director-50001 tls LAB_OUTSIDER DIRECTOR 50001 ok
director-frontend-444 tls LAB_DIRECTOR FRONTEND  444   ok
"

# The rows (label | source) these conversations must hit, and those nothing may hit.
ROWS_USED="HTTP/TCP 8080|Reverse proxy internal interface
HTTPS/TCP 4443|Reverse proxy internal interface
HTTP/TCP 80|Internal Clients
SIP/MTLS/TCP 5061|Edge Server internal interface
MTLS/TCP/50001|Any
HTTPS/TCP 444|Director"

# run_conversation DIR NAME KIND CLIENT DEST PORT FAMILY: records "NAME/FAMILY ok|refused".
run_conversation() {
	local dir=$1 name=$2 kind=$3 client=${!4} dest=$5 port=$6 family=$7 addr verdict=refused
	addr=LAB_${dest}${family#v}
	addr=${!addr}
	if [ "$kind" = http ]; then
		http_get "$client" "$addr" "$port" && verdict=ok
	else
		tls_talk "$client" "$addr" "$port" && verdict=ok
	fi
	echo "$name/$family $verdict" >"$dir/$name-$family"
}

# run_all DIR: every conversation, v4 and v6. Those expected to be refused run side by side
# (each waits out its 3 s timeout); the rest one after another. Verdicts land in DIR/verdicts.
run_all() {
	local dir=$1 name kind client dest port expected family pids=()
	mkdir -p "$dir"
	while read -r name kind client dest port expected; do
		[ -n "$name" ] || continue
		for family in v4 v6; do
			if [ "$expected" = refused ]; then
				run_conversation "$dir" "$name" "$kind" "$client" "$dest" "$port" "$family" &
				pids+=($!)
			else
				run_conversation "$dir" "$name" "$kind" "$client" "$dest" "$port" "$family"
			fi
		done
	done <<<"$CONVERSATIONS"
	wait "${pids[@]}"
	cat "$dir"/*-v4 "$dir"/*-v6 | sort >"$dir/verdicts"
}

expected_verdicts() {
	local name kind client dest port expected family
	while read -r name kind client dest port expected; do
		[ -n "$name" ] || continue
		for family in v4 v6; do echo "$name/$family $expected"; done
	done <<<"$CONVERSATIONS" | sort
}

# check_verdicts DIR WHAT: every conversation had the expected verdict.
check_verdicts() {
	local line name verdict expected
	while read -r line; do
		name=${line% *}
		verdict=$(grep -F "$name " "$1/verdicts" | cut -d' ' -f2)
		expected=${line#* }
		assert_eq "$2: $name $expected" "$expected" "${verdict:-none}"
	done < <(expected_verdicts)
}

mode_run() {
	local mode=$1 dir=$E2E_TMP/$1 stats=$E2E_TMP/$1/stats.json row packets refused
	e2e_log "$mode mode: load"
	run_xpf "$LAB_DIRECTOR" load -c "$SITE" -m "$mode" "$LAB_IFACE"
	[ "$RC" = 0 ] || die "$mode: xpf load failed ($RC): $ERR"
	ok "$mode: load: $OUT"
	check "$mode: XDP program attached to $LAB_IFACE" xdp_attached "$LAB_DIRECTOR"

	e2e_log "$mode mode: conversations"
	run_all "$dir"
	check_verdicts "$dir" "$mode"

	e2e_log "$mode mode: counters"
	run_xpf "$LAB_DIRECTOR" stats -j "$LAB_IFACE"
	interface_json >"$stats"
	if [ "$RC" != 0 ] || ! json "$stats" 'len(d["rules"])' >/dev/null; then
		die "$mode: xpf stats -j: exit $RC, not JSON: $ERR $(head -c 300 "$stats")"
	fi
	assert_eq "$mode: stats says the mode" "$mode" "$(json "$stats" 'd["mode"]')"
	while IFS= read -r row; do
		packets=$(json "$stats" "sum(r['packets'] for r in d['rules']
			if r['label'] + '|' + r['source'] == '''$row''')")
		check "$mode: row '$row' counted packets ($packets)" test "${packets:-0}" -gt 0
	done <<<"$ROWS_USED"
	# Every other row: no packets at all.
	json "$stats" "[r['label'] + '|' + r['source'] for r in d['rules'] if r['packets'] > 0]" |
		"$PY" -c 'import json,sys; print("\n".join(sorted(json.load(sys.stdin))))' \
		>"$dir/rows-hit"
	assert_eq "$mode: rows with hits are exactly the rows used" \
		"$(sort <<<"$ROWS_USED")" "$(cat "$dir/rows-hit")"
	refused=$(grep -c ' refused$' "$dir/verdicts")
	packets=$(json "$stats" 'd["reasons"]["default"]["packets"]')
	check "$mode: reason default counted the $refused refused attempts ($packets packets)" \
		test "${packets:-0}" -ge "$refused"
	packets=$(json "$stats" 'd["reasons"]["reply"]["packets"]')
	assert_eq "$mode: replies to the Director's 444 flows counted on the outbound row, not as reply" \
		0 "$packets"
	packets=$(json "$stats" 'd["reasons"]["malformed"]["packets"]')
	assert_eq "$mode: nothing counted as malformed" 0 "$packets"

	e2e_log "$mode mode: unload"
	run_xpf "$LAB_DIRECTOR" unload "$LAB_IFACE"
	assert_eq "$mode: unload exit status ($ERR)" 0 "$RC"
	check "$mode: no XDP program left on $LAB_IFACE" eval '! xdp_attached "$LAB_DIRECTOR"'
	check "$mode: after unload the outsider reaches 8080 (v4)" \
		http_get "$LAB_OUTSIDER" "$LAB_VIP4" 8080
	check "$mode: after unload the outsider reaches 8080 (v6)" \
		http_get "$LAB_OUTSIDER" "$LAB_VIP6" 8080
}

e2e_log "lab $E2E_LAB"
lab_up "$E2E_LAB" || die "the lab did not come up"
e2e_cert || die "openssl could not make a certificate"
for port in 8080 80; do http_server "$LAB_DIRECTOR" "$port" || die "HTTP server on $port"; done
for port in 4443 5061 50001; do tls_server "$LAB_DIRECTOR" "$port" || die "TLS server on $port"; done
tls_server "$LAB_FRONTEND" 444 || die "TLS server on the Front End"

# Without the filter, everything goes through: the lab itself refuses nothing.
e2e_log "no filter: every conversation completes"
run_all "$E2E_TMP/baseline"
assert_eq "no filter: every conversation completes" \
	"" "$(grep ' refused$' "$E2E_TMP/baseline/verdicts")"

mode_run native
mode_run skb

e2e_log "native vs skb"
assert_eq "native and skb: same verdicts" \
	"$(cat "$E2E_TMP/native/verdicts")" "$(cat "$E2E_TMP/skb/verdicts")"
assert_eq "native and skb: same rows with hits" \
	"$(cat "$E2E_TMP/native/rows-hit")" "$(cat "$E2E_TMP/skb/rows-hit")"
e2e_finish
