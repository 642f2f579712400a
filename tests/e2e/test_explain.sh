#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# `xpf explain` agrees with real traffic. With examples/director.site loaded on the Director
# (native mode) in a quiet lab, explain_cases.py explains, as JSON and as text, every ingress
# row of the rule set from its source role (pass naming the row; the deny row: drop naming it)
# and from an address in no role (drop, default), plus not_local, default, other_proto, icmp,
# fragment and a VLAN-tagged packet, IPv4 and IPv6; the counters of `xpf stats -j` must not
# move while it explains. Then each case is sent as a real frame and must be counted exactly
# where explain said. Then: --reply answers as a reply to a flow the Director opened; the
# answer follows a reload, a site file changed since load is said so, audit mode says "would
# drop", and bad arguments are misuses: the reason, then the synopsis.
. "$(dirname "$0")/lib.sh"
e2e_init explain 150

SITE=$E2E_ROOT/examples/director.site

lab_up "$E2E_LAB" || die "the lab did not come up"
e2e_quiet_lab || die "could not quiet the lab"
e2e_on_exit "ip netns exec $LAB_DIRECTOR $XPF unload $LAB_IFACE"

run_xpf "$LAB_DIRECTOR" load -c "$SITE" -m native "$LAB_IFACE"
[ "$RC" = 0 ] || die "xpf load: $ERR"
e2e_wait_quiet || fail "the lab is quiet before the first case"

e2e_log "explain every row and reason, then send each as a real frame"
timeout 100 "$PY" "$E2E_ROOT/tests/e2e/explain_cases.py" --director "$LAB_DIRECTOR" \
	--sender "$LAB_OUTSIDER" --xpf "$XPF" >"$E2E_TMP/cases.out" 2>"$E2E_TMP/cases.err"
rc=$?
e2e_count_checks "$E2E_TMP/cases.out"
if [ "$rc" != 0 ] && ! grep -q '^FAIL ' "$E2E_TMP/cases.out"; then
	fail "the case driver failed (exit $rc): $(tail -5 "$E2E_TMP/cases.err")"
fi

e2e_log "a reply to a flow the Director opened (--reply)"
ip netns exec "$LAB_DIRECTOR" "$PY" -c "import socket
s = socket.socket(); s.bind(('$LAB_DIRECTOR4', 45678)); s.settimeout(0.3)
s.connect_ex(('$LAB_FRONTEND4', 444))"
run_xpf "$LAB_DIRECTOR" explain -j --reply "$LAB_IFACE" tcp "$LAB_FRONTEND4" "$LAB_DIRECTOR4" 45678 444
echo "$OUT" >"$E2E_TMP/reply.json"
assert_eq "--reply: the answer to the Director's 444 flow passes on the outbound row" \
	"pass rule HTTPS/TCP 444 outbound" "$(json "$E2E_TMP/reply.json" \
	'" ".join([d["verdict"], d["reason"], d["rule"]["label"], d["rule"]["direction"]])')"
run_xpf "$LAB_DIRECTOR" explain -j "$LAB_IFACE" tcp "$LAB_FRONTEND4" "$LAB_DIRECTOR4" 45678 444
echo "$OUT" >"$E2E_TMP/syn.json"
assert_eq "without --reply (a SYN answers nothing): drop default" "drop default" \
	"$(json "$E2E_TMP/syn.json" 'd["verdict"] + " " + d["reason"]')"
run_xpf "$LAB_DIRECTOR" explain -j --reply "$LAB_IFACE" tcp "$LAB_FRONTEND4" "$LAB_DIRECTOR4" 45679 444
echo "$OUT" >"$E2E_TMP/noflow.json"
assert_eq "--reply to a port the Director never used: drop default" "drop default" \
	"$(json "$E2E_TMP/noflow.json" 'd["verdict"] + " " + d["reason"]')"

e2e_log "a site file changed since load is said so"
cp "$SITE" "$E2E_TMP/changed.site"
sed -i "s|^table .*|table $E2E_ROOT/tables/lync2013-director-dns-hlb.txt|" "$E2E_TMP/changed.site"
run_xpf "$LAB_DIRECTOR" reload -c "$E2E_TMP/changed.site" "$LAB_IFACE"
[ "$RC" = 0 ] || die "xpf reload: $ERR"
run_xpf "$LAB_DIRECTOR" explain -j "$LAB_IFACE" tcp "$LAB_OUTSIDER4" "$LAB_DIRECTOR4" 22
echo "$OUT" >"$E2E_TMP/before.json"
assert_eq "after reload: roles from the reloaded site file" "$E2E_TMP/changed.site" \
	"$(json "$E2E_TMP/before.json" 'd["roles"]["site"]')"
assert_eq "after reload: 22 from the outsider drops (not an admin workstation)" \
	"drop default" "$(json "$E2E_TMP/before.json" 'd["verdict"] + " " + d["reason"]')"
sleep 1.1	# file times have the kernel's tick resolution: be past the load time
sed -i 's|^role   Admin workstations .*|role   Admin workstations = 203.0.113.0/24|' \
	"$E2E_TMP/changed.site"
run_xpf "$LAB_DIRECTOR" explain -j "$LAB_IFACE" tcp "$LAB_OUTSIDER4" "$LAB_DIRECTOR4" 22
echo "$OUT" >"$E2E_TMP/changed.json"
assert_eq "edited site: explain says the file changed since load" true \
	"$(json "$E2E_TMP/changed.json" 'd["roles"]["changed_since_load"]')"
assert_eq "edited site: the roles are the file's now (the outsider is an admin workstation)" \
	'["Admin workstations", "Any"]' "$(json "$E2E_TMP/changed.json" 'd["roles"]["source"]')"
assert_eq "edited site: the verdict is still the loaded rule set's" "drop default" \
	"$(json "$E2E_TMP/changed.json" 'd["verdict"] + " " + d["reason"]')"
run_xpf "$LAB_DIRECTOR" explain "$LAB_IFACE" tcp "$LAB_OUTSIDER4" "$LAB_DIRECTOR4" 22
assert_match "edited site: the text says so" '^roles from .*CHANGED since the rule set was loaded' \
	"$OUT"
run_xpf "$LAB_DIRECTOR" reload -c "$E2E_TMP/changed.site" "$LAB_IFACE"
run_xpf "$LAB_DIRECTOR" explain -j "$LAB_IFACE" tcp "$LAB_OUTSIDER4" "$LAB_DIRECTOR4" 22
echo "$OUT" >"$E2E_TMP/reloaded.json"
assert_eq "reloaded: 22 from the outsider passes on the SSH row" "pass SSH/TCP 22" \
	"$(json "$E2E_TMP/reloaded.json" 'd["verdict"] + " " + d["rule"]["label"]')"

e2e_log "audit mode: would drop"
run_xpf "$LAB_DIRECTOR" unload "$LAB_IFACE"
run_xpf "$LAB_DIRECTOR" load --audit -c "$SITE" "$LAB_IFACE"
[ "$RC" = 0 ] || die "xpf load --audit: $ERR"
run_xpf "$LAB_DIRECTOR" explain "$LAB_IFACE" udp "$LAB_OUTSIDER6" "$LAB_DIRECTOR6" 9999
assert_match "audit: the verdict line says would drop" '^verdict +pass \(would drop: audit mode\)' \
	"$OUT"
run_xpf "$LAB_DIRECTOR" explain -j "$LAB_IFACE" udp "$LAB_OUTSIDER6" "$LAB_DIRECTOR6" 9999
echo "$OUT" >"$E2E_TMP/audit.json"
assert_eq "audit: JSON verdict pass, would_drop, default" "pass True default" \
	"$(json "$E2E_TMP/audit.json" 'd["verdict"] + " " + str(d["would_drop"]) + " " + d["reason"]')"

e2e_log "bad arguments: a misuse (its reason, then the synopsis), exit 2"
for args in "$LAB_IFACE tcp 300.1.2.3 $LAB_DIRECTOR4 22" "$LAB_IFACE tcp $LAB_OUTSIDER4 $LAB_DIRECTOR4" \
	    "$LAB_IFACE tcp $LAB_OUTSIDER4 $LAB_DIRECTOR6 22" "$LAB_IFACE sctp $LAB_OUTSIDER4 $LAB_DIRECTOR4" \
	    "--frag middle $LAB_IFACE tcp $LAB_OUTSIDER4 $LAB_DIRECTOR4 22" \
	    "--vlan 1 --vlan 2 --vlan 3 $LAB_IFACE tcp $LAB_OUTSIDER4 $LAB_DIRECTOR4 22"; do
	# shellcheck disable=SC2086
	run_xpf "$LAB_DIRECTOR" explain $args
	assert_eq "explain $args: exit 2" 2 "$RC"
	assert_match "explain $args: the first line names the verb and says why" \
		"^xpf explain: .*(address|DPORT|IPv4|PROTO|--frag|--vlan)" "$(head -1 <<<"$ERR")"
	assert_match "explain $args: then the synopsis" "^usage: xpf explain" "$(sed -n 2p <<<"$ERR")"
done
run_xpf "$LAB_DIRECTOR" explain nosuch0 tcp "$LAB_OUTSIDER4" "$LAB_DIRECTOR4" 22
assert_eq "explain on a missing interface: exit 1" 1 "$RC"
assert_match "... says so" "no interface named 'nosuch0'" "$ERR"
e2e_finish
