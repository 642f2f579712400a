#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Who may say what is enforced, and who may run xpf:
#  - a site file, or the table file it names, owned by a non-root user or writable by others
#    or by a group other than root's is refused with "FILE: problem" and nothing is loaded or
#    changed; --force takes it;
#  - without CAP_BPF/CAP_SYS_ADMIN or CAP_NET_ADMIN (capsh --drop, setpriv to nobody) every verb
#    that touches the kernel fails with one line on stderr and changes nothing.
. "$(dirname "$0")/lib.sh"
e2e_init security 120

e2e_scratch_netns sec
e2e_scratch_veth
chmod 0755 "$E2E_TMP"	# nobody reads the site files in the capability checks
# ... and runs xpf: a copy, since the tree may be in a home directory nobody may enter
# (root's is 0700, and so are the homes Debian 12 makes).
RUN_XPF=$E2E_TMP/xpf
cp "$XPF" "$RUN_XPF" || die "cp $XPF $RUN_XPF"

# xpf_as PREFIX... -- ARGS: xpf ARGS in the namespace, run through PREFIX (empty: as root).
xpf_as() {
	local prefix=()
	while [ "$1" != -- ]; do prefix+=("$1"); shift; done
	shift
	ip netns exec "$NS" timeout 30 "${prefix[@]}" "$RUN_XPF" "$@" >"$E2E_TMP/out" \
		2>"$E2E_TMP/err"
	RC=$?
	OUT=$(cat "$E2E_TMP/out")
	ERR=$(cat "$E2E_TMP/err")
}
lines() { [ -z "$1" ] && echo 0 || wc -l <<<"$1"; }

SITE=$E2E_TMP/director.site
cp "$E2E_ROOT/examples/director.site" "$SITE"
chmod 0644 "$SITE"

e2e_log "untrusted site files are refused"
refused() {	# refused DESC EXPECTED-MESSAGE-REGEX ARGS...
	local desc=$1 regex=$2
	shift 2
	xpf_as -- "$@"
	assert_eq "$desc: exit 1" 1 "$RC"
	assert_match "$desc: says which file and why" "$regex" "$ERR"
	assert_eq "$desc: one line" 1 "$(lines "$ERR")"
}
chown nobody "$SITE"
refused "site owned by nobody" "^$SITE: owned by nobody \(uid [0-9]+\), not root.*--force" \
	load -c "$SITE" "$IFACE"
assert_eq "site owned by nobody: nothing attached" "" "$(xdp_id "$NS" "$IFACE")"
xpf_as -- load --force -c "$SITE" "$IFACE"
assert_eq "site owned by nobody, --force: loaded ($ERR)" 0 "$RC"
xpf_as -- unload "$IFACE"
chown root "$SITE"
chmod 0666 "$SITE"
refused "site writable by everyone" "^$SITE: writable by every user \(mode 0666\)" \
	load -c "$SITE" "$IFACE"
chmod 0664 "$SITE"
chgrp nogroup "$SITE"
refused "site writable by group nogroup" "^$SITE: writable by group nogroup" \
	load -c "$SITE" "$IFACE"
chgrp root "$SITE"
xpf_as -- load -c "$SITE" "$IFACE"
assert_eq "site root:root 0664: loaded ($ERR)" 0 "$RC"
id_before=$(xdp_id "$NS" "$IFACE")

e2e_log "a table file named by a trusted site file is checked too"
TABLE=$E2E_TMP/table.txt
cp "$E2E_ROOT/tables/lync2013-director-dns-hlb.txt" "$TABLE"
chown nobody "$TABLE"
sed "s|^table .*|table  table.txt|" "$SITE" >"$E2E_TMP/b.site"
chmod 0644 "$E2E_TMP/b.site"
refused "reload, table owned by nobody" "^$TABLE: owned by nobody" \
	reload -c "$E2E_TMP/b.site" "$IFACE"
xpf_as -- status "$IFACE"
assert_match "refused reload: the rule set in force is unchanged" "site: +$SITE\$" "$OUT"
assert_eq "refused reload: same program" "$id_before" "$(xdp_id "$NS" "$IFACE")"
xpf_as -- reload --force -c "$E2E_TMP/b.site" "$IFACE"
assert_eq "reload --force with that table: done ($ERR)" 0 "$RC"

e2e_log "without the capabilities: one line, nothing changed"
no_caps() {	# no_caps DESC PREFIX... -- ARGS
	local desc=$1
	shift
	xpf_as "$@"
	assert_eq "$desc: exit 1" 1 "$RC"
	assert_match "$desc: says what is missing" "needs root \(CAP_BPF and CAP_NET_ADMIN\)" "$ERR"
	assert_eq "$desc: one line ($ERR)" 1 "$(lines "$ERR")"
}
NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all)
for verb in "status $IFACE" "stats $IFACE" "unload $IFACE" "reload --audit $IFACE" \
	    "reload -c $SITE $IFACE" "flows $IFACE"; do
	# shellcheck disable=SC2086
	no_caps "as nobody: xpf $verb" "${NOBODY[@]}" -- $verb
done
# shellcheck disable=SC2086
no_caps "as nobody: xpf load" "${NOBODY[@]}" -- load -c "$SITE" "${IFACE}p"
# Root, with capabilities taken out of the bounding set (what `capsh --drop` does).
for drop in bpf,sys_admin net_admin; do
	DROP=(setpriv --bounding-set=-"${drop//,/,-}" --inh-caps=-"${drop//,/,-}")
	no_caps "root without $drop: xpf unload" "${DROP[@]}" -- unload "$IFACE"
	no_caps "root without $drop: xpf reload --enforce" "${DROP[@]}" -- reload --enforce "$IFACE"
	no_caps "root without $drop: xpf load" "${DROP[@]}" -- load -c "$SITE" "${IFACE}p"
done
assert_eq "still loaded on $IFACE, same program" "$id_before" "$(xdp_id "$NS" "$IFACE")"
assert_eq "nothing loaded on ${IFACE}p" "" \
	"$(ip -n "$NS" -d link show "${IFACE}p" | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p')"
e2e_finish
