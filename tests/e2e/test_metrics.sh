#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Prometheus metrics of a loaded filter (audit mode, with real traffic across the lab):
#  - `xpf stats --prometheus` passes `promtool check metrics` and a strict reader
#    (prometheus_check.py), and every value equals `xpf stats -j` read just before and after;
#    labels as node_exporter's: `device`; `xpf_up{device}` 1 where loaded, 0 where asked and
#    not loaded; with nothing loaded, an exposition without samples and exit 0;
#  - a reload that inserts a row keeps every unchanged row's `rule` label (and its counts);
#  - a role name with a double quote and a backslash comes out escaped, and reads back intact;
#  - `xpf exporter --listen` serves the same on /metrics (IPv4 and IPv6 loopback), reads the
#    counters anew per scrape, answers 404 elsewhere and 405 to POST, and SIGTERM ends it
#    (exit 0, port closed).
. "$(dirname "$0")/lib.sh"
e2e_init metrics 120

SITE=$E2E_TMP/director.site
CHECK=$E2E_ROOT/tests/e2e/prometheus_check.py
PORT=9469
# The Director's site with a row whose source role needs escaping in a label value.
cp "$E2E_ROOT/examples/director.site" "$SITE"
cat >>"$SITE" <<'EOS'
role   Lab "ops" \ desk = 203.0.113.16/28
allow  SSH/TCP 2222 | Lab "ops" \ desk | Director | a name to escape
EOS

e2e_log "lab $E2E_LAB"
lab_up "$E2E_LAB" || die "the lab did not come up"
ip -n "$LAB_DIRECTOR" link set lo up
http_server "$LAB_DIRECTOR" 8080 || die "HTTP server on 8080"
run_xpf "$LAB_DIRECTOR" load --audit -c "$SITE" "$LAB_IFACE"
[ "$RC" = 0 ] || die "xpf load failed ($RC): $ERR"

http_get "$LAB_PROXY" "$LAB_VIP4" 8080 || die "HTTP from the reverse proxy failed"
http_get "$LAB_OUTSIDER" "$LAB_VIP6" 8080 || die "HTTP from the outsider failed (audit passes it)"

# snapshot NAME ARGS...: xpf ARGS in the Director's namespace, stdout to $E2E_TMP/NAME
snapshot() {
	local name=$1
	shift
	run_xpf "$LAB_DIRECTOR" "$@"
	printf '%s\n' "$OUT" >"$E2E_TMP/$name"
	[ "$RC" = 0 ] || fail "xpf $*: exit $RC: $ERR"
}
snapshot before.json stats -j "$LAB_IFACE"
snapshot stats.prom stats --prometheus "$LAB_IFACE"
snapshot after.json stats -j "$LAB_IFACE"

command -v promtool >/dev/null || die "promtool not installed (scripts/deps.sh installs prometheus)"
check "promtool check metrics: $(promtool check metrics <"$E2E_TMP/stats.prom" 2>&1 | head -3)" \
	promtool check metrics <"$E2E_TMP/stats.prom"
RESULT=$("$PY" "$CHECK" "$E2E_TMP/stats.prom" "$E2E_TMP/before.json" "$E2E_TMP/after.json")
check "stats --prometheus equals stats -j: $RESULT" test $? = 0
assert_match "the quote and backslash are escaped" \
	'source="Lab \\"ops\\" \\\\ desk"' "$(cat "$E2E_TMP/stats.prom")"
packets=$(grep -E '^xpf_rule_packets_total\{.*port="8080"' "$E2E_TMP/stats.prom" | awk '{print $NF}')
check "the 8080 row counted the reverse proxy's conversation ($packets)" test "${packets:-0}" -gt 0
would=$(grep -E '^xpf_reason_would_drop_total\{device="eth0",reason="default"\}' \
	"$E2E_TMP/stats.prom" | awk '{print $NF}')
check "audit: the outsider's packets are would-drop on reason default ($would)" \
	test "${would:-0}" -gt 0
assert_match "xpf_flows is a gauge" '^# TYPE xpf_flows gauge$' "$(cat "$E2E_TMP/stats.prom")"
assert_match "xpf_up 1 on the interface" '^xpf_up\{device="eth0"\} 1$' "$(cat "$E2E_TMP/stats.prom")"
assert_no_match "no label named iface" 'iface=' "$(cat "$E2E_TMP/stats.prom")"

# promtool_ok NAME FILE: `promtool check metrics` passes on FILE
promtool_ok() {
	check "promtool check metrics, $1: $(promtool check metrics <"$2" 2>&1 | head -3)" \
		promtool check metrics <"$2"
}
# samples FILE: the lines that are not comments
samples() { grep -v '^#' "$1"; }

e2e_log "nothing loaded"
# The reverse proxy's namespace: no xpf there.
run_xpf "$LAB_PROXY" stats --prometheus
printf '%s\n' "$OUT" >"$E2E_TMP/empty.prom"
assert_eq "nothing loaded: exit 0 ($ERR)" 0 "$RC"
promtool_ok "nothing loaded" "$E2E_TMP/empty.prom"
assert_eq "nothing loaded: no sample" "" "$(samples "$E2E_TMP/empty.prom")"
assert_match "nothing loaded: the families still declared" '^# TYPE xpf_up gauge$' "$OUT"
run_xpf "$LAB_PROXY" stats --prometheus "$LAB_IFACE"
printf '%s\n' "$OUT" >"$E2E_TMP/down.prom"
assert_eq "not loaded on the interface named: exit 0" 0 "$RC"
promtool_ok "not loaded on the interface named" "$E2E_TMP/down.prom"
assert_eq "not loaded on the interface named: xpf_up 0 alone" "xpf_up{device=\"eth0\"} 0" \
	"$(samples "$E2E_TMP/down.prom")"
assert_match "not loaded on the interface named: said on stderr" "eth0" "$ERR"

e2e_log "a reload that renumbers the rows"
# rule_of FILE PORT: the rule label of the packets sample of the row on PORT
rule_of() {
	grep -E "^xpf_rule_packets_total\{.*port=\"$2\"" "$1" | grep -oE 'rule="[^"]*"'
}
# packets_of FILE RULE: that row's packets, by its rule label
packets_of() { grep -F "$2" "$1" | grep '^xpf_rule_packets_total' | awk '{print $NF}'; }
RULE8080=$(rule_of "$E2E_TMP/stats.prom" 8080)
check "the 8080 row's rule label names the table ($RULE8080)" \
	grep -qE '^rule="lync2013-director-dns-hlb:[0-9a-f]{16}"$' <<<"$RULE8080"
RULE2222=$(rule_of "$E2E_TMP/stats.prom" 2222)
check "the site row's rule label names the site file ($RULE2222)" \
	grep -qE "^rule=\"$SITE:[0-9a-f]{16}\"\$" <<<"$RULE2222"
# The site file edited in place, as `systemctl reload xpf@eth0` takes it: a row inserted first.
{ echo 'allow  SSH/TCP 2223 | Admin workstations | Director | inserted first'; cat "$SITE"; } \
	>"$SITE.new"
mv "$SITE.new" "$SITE"
cp "$E2E_TMP/stats.prom" "$E2E_TMP/renumber-before.prom"
run_xpf "$LAB_DIRECTOR" reload -c "$SITE" "$LAB_IFACE"
[ "$RC" = 0 ] || die "xpf reload failed ($RC): $ERR"
snapshot renumber-after.prom stats --prometheus "$LAB_IFACE"
promtool_ok "after the reload" "$E2E_TMP/renumber-after.prom"
assert_eq "the table's 8080 row keeps its rule label" "$RULE8080" \
	"$(rule_of "$E2E_TMP/renumber-after.prom" 8080)"
before=$(packets_of "$E2E_TMP/renumber-before.prom" "$RULE8080")
after=$(packets_of "$E2E_TMP/renumber-after.prom" "$RULE8080")
check "... and its series goes on ($before -> $after packets)" test "${after:-0}" -ge "${before:-1}" -a "${before:-0}" -gt 0
assert_eq "the site row 2222 keeps its rule label" \
	"$RULE2222" "$(rule_of "$E2E_TMP/renumber-after.prom" 2222)"
check "the inserted row has a label of its own" test -n "$(rule_of "$E2E_TMP/renumber-after.prom" 2223)"

e2e_log "exporter"
run_xpf "$LAB_DIRECTOR" exporter --listen 192.0.2.1 "$LAB_IFACE"
assert_eq "--listen without a port: usage error" 2 "$RC"
assert_match "--listen without a port: says what is wrong" "not ADDR:PORT" "$ERR"

ip netns exec "$LAB_DIRECTOR" "$XPF" exporter --listen "*:$PORT" >"$E2E_TMP/exporter.log" 2>&1 &
EXPORTER=$!
e2e_on_exit "kill $EXPORTER"
lab_wait_listen "$LAB_DIRECTOR" "$PORT" || die "the exporter does not listen on $PORT"
scrape() {	# scrape URL FILE: HTTP status on stdout, body in FILE
	ip netns exec "$LAB_DIRECTOR" timeout 5 curl -sS -g -o "$2" -w '%{http_code} %{content_type}' "$1"
}
snapshot before.json stats -j "$LAB_IFACE"
assert_eq "GET /metrics: 200, the format's content type" \
	"200 text/plain; version=0.0.4; charset=utf-8" \
	"$(scrape "http://127.0.0.1:$PORT/metrics" "$E2E_TMP/scrape1.prom")"
snapshot after.json stats -j "$LAB_IFACE"
RESULT=$("$PY" "$CHECK" "$E2E_TMP/scrape1.prom" "$E2E_TMP/before.json" "$E2E_TMP/after.json")
check "/metrics equals stats -j: $RESULT" test $? = 0
promtool_ok "/metrics" "$E2E_TMP/scrape1.prom"

http_get "$LAB_PROXY" "$LAB_VIP6" 8080 || fail "HTTP from the reverse proxy (IPv6) failed"
assert_eq "GET /metrics over IPv6 loopback: 200" "200" \
	"$(scrape "http://[::1]:$PORT/metrics" "$E2E_TMP/scrape2.prom" | cut -d' ' -f1)"
row8080() { grep -E '^xpf_rule_packets_total\{.*port="8080"' "$1" | awk '{print $NF}'; }
check "each scrape reads the counters anew ($(row8080 "$E2E_TMP/scrape1.prom") -> $(row8080 "$E2E_TMP/scrape2.prom"))" \
	test "$(row8080 "$E2E_TMP/scrape2.prom")" -gt "$(row8080 "$E2E_TMP/scrape1.prom")"
assert_eq "GET / : 404" 404 "$(scrape "http://127.0.0.1:$PORT/" /dev/null | cut -d' ' -f1)"
assert_eq "GET /metricsx : 404" 404 \
	"$(scrape "http://127.0.0.1:$PORT/metricsx" /dev/null | cut -d' ' -f1)"
assert_eq "POST /metrics : 405" 405 "$(ip netns exec "$LAB_DIRECTOR" timeout 5 curl -s -o /dev/null \
	-w '%{http_code}' -X POST "http://127.0.0.1:$PORT/metrics")"

kill -TERM "$EXPORTER"
for i in $(seq 30); do kill -0 "$EXPORTER" 2>/dev/null || break; sleep 0.1; done
check "SIGTERM: the exporter exits within 3 s" eval '! kill -0 $EXPORTER 2>/dev/null'
wait "$EXPORTER"
assert_eq "SIGTERM: exit status 0 ($(head -c 200 "$E2E_TMP/exporter.log"))" 0 "$?"
check "SIGTERM: port $PORT closed" eval \
	'! ip netns exec "$LAB_DIRECTOR" ss -Htln "sport = :$PORT" | grep -q .'

ip netns exec "$LAB_DIRECTOR" "$XPF" exporter --listen "127.0.0.1:$PORT" >/dev/null 2>&1 &
EXPORTER=$!
lab_wait_listen "$LAB_DIRECTOR" "$PORT" || die "the exporter does not listen again"
kill -INT "$EXPORTER"
wait "$EXPORTER"
assert_eq "SIGINT: exit status 0" 0 "$?"

run_xpf "$LAB_DIRECTOR" unload "$LAB_IFACE"
run_xpf "$LAB_DIRECTOR" stats --prometheus "$LAB_IFACE"
assert_eq "after unload: exit 0, xpf_up 0" "0 xpf_up{device=\"eth0\"} 0" "$RC $(grep -v '^#' <<<"$OUT")"
e2e_finish
