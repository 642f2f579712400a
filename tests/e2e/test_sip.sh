#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# A real SIP exchange over TLS through the filter, as `sudo make demo` runs it (scripts/sip.sh):
# kamailio on the Director (TLS 5061), sipp on the Edge Server sending OPTIONS and REGISTER.
#  - with the Director table loaded, the exchange succeeds over IPv4 and IPv6 (sipp exits 0
#    and kamailio logged both requests from the Edge's address, over tls);
#  - it is counted on the SIP/MTLS/TCP 5061 row and on no other row;
#  - the same exchange from the Front End (no row admits it) fails and kamailio never hears it.
. "$(dirname "$0")/lib.sh"
e2e_init sip 120
. "$E2E_ROOT/scripts/sip.sh"

for tool in kamailio sipp socat; do
	command -v "$tool" >/dev/null || die "needs $tool (scripts/deps.sh installs it)"
done
SITE=$E2E_ROOT/examples/director.site
e2e_on_exit sip_director_down

e2e_log "lab $E2E_LAB"
lab_up "$E2E_LAB" || die "the lab did not come up"
sip_director_up "$LAB_DIRECTOR" "$LAB_DIRECTOR4" "$LAB_DIRECTOR6" "$E2E_TMP/director" ||
	die "kamailio did not start"
run_xpf "$LAB_DIRECTOR" load -c "$SITE" "$LAB_IFACE"
[ "$RC" = 0 ] || die "xpf load failed ($RC): $ERR"

for family in 4 6; do
	addr=LAB_DIRECTOR$family
	sip_edge_exchange "$LAB_EDGE" "${!addr}" "$E2E_TMP/edge$family"
	status=$?
	assert_eq "edge -> Director (IPv$family): sipp got 200 to OPTIONS and REGISTER (exit status)" \
		0 "$status"
	[ "$status" = 0 ] || tail -20 "$E2E_TMP/edge$family/sipp.log"
	edge=LAB_EDGE$family
	for method in OPTIONS REGISTER; do
		assert_match "kamailio answered $method from the Edge (IPv$family) over tls" \
			"lab-sip: $method from ${!edge}:[0-9]+ over tls" \
			"$(cat "$E2E_TMP/director/kamailio.log")"
	done
done

e2e_log "the exchange from the Front End, which no row admits"
SIP_TIMEOUT=3 sip_edge_exchange "$LAB_FRONTEND" "$LAB_DIRECTOR4" "$E2E_TMP/frontend"
check "front end -> Director 5061: sipp fails" test $? != 0
assert_no_match "kamailio never heard the Front End" "from $LAB_FRONTEND4:" \
	"$(cat "$E2E_TMP/director/kamailio.log")"

run_xpf "$LAB_DIRECTOR" stats -j "$LAB_IFACE"
interface_json >"$E2E_TMP/stats.json"
[ "$RC" = 0 ] || die "xpf stats -j failed: $ERR"
packets=$(json "$E2E_TMP/stats.json" "sum(r['packets'] for r in d['rules']
	if r['label'] == 'SIP/MTLS/TCP 5061')")
check "the SIP/MTLS/TCP 5061 row counted the exchanges ($packets packets)" \
	test "${packets:-0}" -ge 8
assert_eq "no other row counted anything" "[]" \
	"$(json "$E2E_TMP/stats.json" "[r['label'] for r in d['rules']
		if r['packets'] and r['label'] != 'SIP/MTLS/TCP 5061']")"
packets=$(json "$E2E_TMP/stats.json" 'd["reasons"]["default"]["packets"]')
check "the Front End's attempt was refused by policy default ($packets packets)" \
	test "${packets:-0}" -ge 1
run_xpf "$LAB_DIRECTOR" unload "$LAB_IFACE"
e2e_finish
