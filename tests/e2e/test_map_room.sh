#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The maps a load sizes from the site file, on a veth of the test's own namespace:
#  - `flows max 2048` makes the flow table 2,048 entries (the kernel's map), and `xpf check`
#    names it; a site file without the directive gets 16,384; the egress program records into
#    that same map either way;
#  - a bad `flows max` fails the load at FILE:LINE with nothing attached, and a reload with
#    nothing changed;
#  - diff names another `flows max`; a reload asking for another size goes on, says the flow table keeps its 2,048 until
#    unload and load, and the map keeps them;
#  - the Director table, whose IPv4 sources all have a span, has one element of source trie; a
#    reload with a class of nine sources goes on without the trie and says what it needs;
#  - a rule set without lists has one element of list roots; a reload that brings a
#    `deny-list` is refused before the flip, naming the need, the room and the remedy, and the
#    rule set in force stays; loaded anew with the list, the roots are every root of both
#    generations (196,608 elements).
. "$(dirname "$0")/lib.sh"
e2e_init map_room 90

e2e_scratch_netns mr
e2e_scratch_veth
SITE_DIR=$E2E_TMP/site
mkdir -p "$SITE_DIR"
DIRECTOR=$E2E_ROOT/examples/director.site
cp "$DIRECTOR" "$SITE_DIR/director.site"
{ cat "$SITE_DIR/director.site"; echo "flows max 2048"; } >"$SITE_DIR/small.site"
{ cat "$SITE_DIR/director.site"; echo "flows max 4096"; } >"$SITE_DIR/other.site"
{ cat "$SITE_DIR/director.site"; echo "flows max 1000"; } >"$SITE_DIR/bad.site"
{
	cat "$SITE_DIR/small.site"
	for i in 1 2 3 4 5 6 7 8 9; do
		echo "allow  ALT/TCP 2222 | 198.18.0.$i | Director | nine sources: no span"
	done
} >"$SITE_DIR/nine.site"
printf '198.18.5.0/24\n2001:db8:9::/48\n' >"$SITE_DIR/refused.txt"
{ cat "$SITE_DIR/director.site"; echo "deny-list refused.txt"; } >"$SITE_DIR/list.site"

# map_of PROGRAM NAME: "ID MAX_ENTRIES" of the map NAME of xpf's PROGRAM (xdp or egress, tcx or
# clsact) on IFACE.
map_of() {
	ip netns exec "$NS" "$PY" - "$IFACE" "$1" "$2" <<'PYEOF'
import json, subprocess, sys

def bpftool(*command):
    return json.loads(subprocess.run(("bpftool", "-j") + command, capture_output=True,
                                     text=True, check=True, timeout=20).stdout)

iface, hook, name = sys.argv[1:]
attached = bpftool("net", "show", "dev", iface)[0]
ids = [p["id"] for p in attached["xdp"]] if hook == "xdp" else \
      [p["id"] for p in attached["tc"] if p["name"].startswith("xpf_egress")]
for map_id in bpftool("prog", "show", "id", str(ids[0]))["map_ids"]:
    info = bpftool("map", "show", "id", str(map_id))
    if info.get("name") == name:
        print(map_id, info["max_entries"])
PYEOF
}

# map_entries NAME: max_entries of the map NAME of the XDP program on IFACE.
map_entries() {
	map_of xdp "$1" | cut -d' ' -f2
}

generation() {
	run_xpf "$NS" stats -j "$IFACE"
	interface_json >"$E2E_TMP/$1.json"
	json "$E2E_TMP/$1.json" "d['generation']"
}

e2e_log "flows max: the flow table's size, in check and in the kernel"
capture "$XPF" check -c "$SITE_DIR/small.site"
check "check passes ($ERR)" test "$RC" = 0
assert_match "check names the flows asked" "2048 flows remembered" "$OUT"
run_xpf "$NS" load -c "$SITE_DIR/small.site" "$IFACE"
[ "$RC" = 0 ] || die "xpf load: $ERR"
assert_eq "the flows map has 2,048 entries" 2048 "$(map_entries flows)"
assert_eq "the egress program's flows map is the XDP program's" "$(map_of xdp flows)" \
	"$(map_of egress flows)"
assert_eq "no lists: one element of list roots" 1 "$(map_entries list_roots)"
assert_eq "every IPv4 source in a span: one element of source trie" 1 \
	"$(map_entries source_trie)"
BEFORE=$(generation before)

e2e_log "a bad flows max: FILE:LINE, nothing changed"
ip -n "$NS" link add "${IFACE}b" type veth peer name "${IFACE}c"
ip -n "$NS" link set "${IFACE}b" up
run_xpf "$NS" load -c "$SITE_DIR/bad.site" "${IFACE}b"
check "the load fails" test "$RC" != 0
assert_match "the error names the file, the line and the bounds" \
	"bad.site:[0-9]+: flows max must be a number of flows from 1024 to 4194304, not '1000'" \
	"$ERR"
assert_eq "nothing attached to the second veth" "" "$(xdp_id "$NS" "${IFACE}b")"
run_xpf "$NS" reload -c "$SITE_DIR/bad.site" "$IFACE"
check "the reload fails" test "$RC" != 0
assert_match "the reload's error names the file and line" "bad.site:[0-9]+: flows max" "$ERR"
assert_eq "the generation in force is the same" "$BEFORE" "$(generation after_bad)"

e2e_log "a reload asking for another size keeps the flow table's"
run_xpf "$NS" diff -c "$SITE_DIR/other.site" "$IFACE"
check "diff says a change (exit 1: $RC)" test "$RC" = 1
assert_match "diff names the flows asked, in force and new" "flows max: 2048 -> 4096" "$OUT"
run_xpf "$NS" reload -c "$SITE_DIR/other.site" "$IFACE"
check "the reload goes on ($ERR)" test "$RC" = 0
assert_match "it says the flow table keeps its size until unload and load" \
	"asks for 4096 flows .*keeps its 2048 until unload and load" "$ERR"
assert_eq "the flows map still has 2,048 entries" 2048 "$(map_entries flows)"
RELOADED=$(generation reloaded)
check "the new rule set is in force" test "$RELOADED" != "$BEFORE"

e2e_log "a class past a span, reloaded to a filter without a trie: said, and it goes on"
run_xpf "$NS" reload -c "$SITE_DIR/nine.site" "$IFACE"
check "the reload goes on ($ERR)" test "$RC" = 0
assert_match "it says the trie it goes without" \
	"IPv4 sources need [0-9]+ source-trie chunks, room for 0: every prefix length is probed \(unload and load to size it\)" \
	"$ERR"
RELOADED=$(generation nine)

e2e_log "lists brought by a reload to a filter loaded without them: refused"
run_xpf "$NS" reload -c "$SITE_DIR/list.site" "$IFACE"
check "the reload fails" test "$RC" != 0
assert_match "it names the need, the room and the remedy" \
	"1 lists, whose roots need 1536 KiB; this filter was loaded without lists and has room for 0 KiB of them: unload and load it" \
	"$ERR"
assert_eq "the generation in force is the same" "$RELOADED" "$(generation after_list)"
assert_eq "no list rule in force" 0 \
	"$(json "$E2E_TMP/after_list.json" "sum(1 for r in d['rules'] if r['source'] == 'refused.txt')")"

e2e_log "loaded anew with the list: every root, the default flows"
run_xpf "$NS" unload "$IFACE"
[ "$RC" = 0 ] || die "xpf unload: $ERR"
run_xpf "$NS" load -c "$SITE_DIR/list.site" "$IFACE"
[ "$RC" = 0 ] || die "xpf load: $ERR"
assert_eq "list roots: both generations' (196,608 elements)" 196608 "$(map_entries list_roots)"
assert_eq "no flows max: 16,384 flows" 16384 "$(map_entries flows)"
assert_eq "the egress program's flows map is the XDP program's" "$(map_of xdp flows)" \
	"$(map_of egress flows)"
run_xpf "$NS" reload -c "$SITE_DIR/list.site" "$IFACE"
check "a reload with the list goes on ($ERR)" test "$RC" = 0
assert_no_match "and says nothing of the flow table" "flow table" "$ERR"

e2e_finish
