#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# `xpf top` driven as a person would, in a tmux terminal, with real traffic across the lab:
#  - every rule's row appears with its published label and its source -> destination;
#  - the counters and rates move on the row the traffic hits (HTTP/TCP 8080), not elsewhere;
#  - r, t, p, n sort by rate, total, port and rule number (checked on the numbers shown);
#  - space freezes the screen while traffic goes on, space again resumes; q quits (exit 0);
#  - `--once` (and no terminal) prints one snapshot whose totals are `xpf stats -j`'s;
#    `--count 3 --interval 0.3` prints three, with rates over each interval;
#  - without IFACE, every interface where xpf is loaded, each row tagged with its interface.
. "$(dirname "$0")/lib.sh"
e2e_init top 150

command -v tmux >/dev/null || die "needs tmux (scripts/deps.sh installs it)"
SITE=$E2E_ROOT/examples/director.site
TMUX_SOCKET=xpf-top-$$
tmux_() { tmux -L "$TMUX_SOCKET" "$@"; }
e2e_on_exit "tmux -L $TMUX_SOCKET kill-server"

e2e_log "lab $E2E_LAB"
lab_up "$E2E_LAB" || die "the lab did not come up"
e2e_cert || die "openssl could not make a certificate"
http_server "$LAB_DIRECTOR" 8080 || die "HTTP server on 8080"
tls_server "$LAB_DIRECTOR" 4443 || die "TLS server on 4443"
run_xpf "$LAB_DIRECTOR" load -c "$SITE" "$LAB_IFACE"
[ "$RC" = 0 ] || die "xpf load failed ($RC): $ERR"

# --- plain output -------------------------------------------------------------------------
# Traffic first, then --once and stats -j with nothing in between: the same totals.
for i in 1 2 3; do tls_talk "$LAB_PROXY" "$LAB_VIP4" 4443 || die "TLS to 4443 failed"; done
http_get "$LAB_PROXY" "$LAB_VIP4" 8080 || die "HTTP to 8080 failed"
# Denied: the outsider is no role of the 8080 row; its SYNs fall to policy default drop.
ip netns exec "$LAB_OUTSIDER" timeout 5 curl -s --max-time 1.5 -o /dev/null \
	"http://$LAB_VIP4:8080/" && die "the outsider reached 8080"
run_xpf "$LAB_DIRECTOR" top --once --interval 0.2 "$LAB_IFACE"
ONCE=$OUT
assert_eq "--once: exit status ($ERR)" 0 "$RC"
run_xpf "$LAB_DIRECTOR" stats -j "$LAB_IFACE"
interface_json >"$E2E_TMP/stats.json"
assert_eq "--once: one snapshot" 1 "$(grep -c '^xpf top: ' <<<"$ONCE")"
# label_and_route LINE NUMBER LABEL ROUTE: the row starts with its number, then its label,
# then its source -> destination.
label_and_route() {
	[[ $1 =~ ^$2\ +(.*)$ ]] || return 1
	local rest=${BASH_REMATCH[1]}
	[[ $rest == "$3 "* ]] || return 1
	rest=${rest#"$3"}
	rest=${rest#"${rest%%[! ]*}"}
	[[ $rest == "$4 "* ]]
}
# packets of a row in plain or captured output: the field after PROTO/PORT.
packets_of() { awk -v p="$1" '{for (i = 1; i < NF; i++) if ($i == p) { print $(i + 1); exit }}'; }
while IFS='|' read -r number label source destination proto port packets; do
	line=$(grep -E "^$number +" <<<"$ONCE" | head -1)
	check "--once: rule $number: $label, $source -> $destination" \
		label_and_route "$line" "$number" "$label" "$source -> $destination"
	assert_eq "--once: rule $number ($label) packets as stats -j" "$packets" \
		"$(packets_of "$proto/$port" <<<"$line")"
done < <(json "$E2E_TMP/stats.json" "'\n'.join('|'.join(str(x) for x in (r['id'], r['label'],
	r['source'], r['destination'], r['proto'], r['port'], r['packets'])) for r in d['rules'])")
check "--once: the 4443 row has packets" test "$(packets_of tcp/4443 <<<"$ONCE")" -gt 0
check "--once: the 8080 row has packets" test "$(packets_of tcp/8080 <<<"$ONCE")" -gt 0
assert_match "--once: the reasons below" "^REASON +PACKETS +PKT/S +WOULD DROP" "$ONCE"
assert_match "--once: the denied pane" "^DENIED PORT +PACKETS +DENIED SOURCE +PACKETS" "$ONCE"
assert_match "--once: the outsider's SYNs on 8080, from its /24" \
	"^8080/tcp +[1-9][0-9]* +203\.0\.113\.0/24 +[1-9][0-9]*$" "$ONCE"

run_xpf "$LAB_DIRECTOR" top --interval 0.3 --count 3 "$LAB_IFACE"
assert_eq "--count 3 without a terminal: three snapshots" 3 "$(grep -c '^xpf top: ' <<<"$OUT")"
run_xpf "$LAB_DIRECTOR" top --interval 0 "$LAB_IFACE"
assert_eq "--interval 0 is refused" 2 "$RC"
run_xpf "$LAB_DIRECTOR" top --once nosuch0
assert_match "an interface without xpf: one clear line" "no interface named 'nosuch0'" "$ERR"

# Without IFACE: a second interface (a veth in the Director's namespace) joins the view.
ip -n "$LAB_DIRECTOR" link add xtop0 type veth peer name xtop1 &&
	ip -n "$LAB_DIRECTOR" link set xtop0 up && ip -n "$LAB_DIRECTOR" link set xtop1 up ||
	die "could not add a second interface"
run_xpf "$LAB_DIRECTOR" load -c "$SITE" -m skb xtop0
[ "$RC" = 0 ] || die "xpf load on xtop0 failed ($RC): $ERR"
run_xpf "$LAB_DIRECTOR" top --once --interval 0.2
RULES=$(json "$E2E_TMP/stats.json" 'len(d["rules"])')
assert_match "no IFACE: both interfaces" "^xpf top: 2 interfaces" "$OUT"
assert_eq "no IFACE: eth0's rows tagged eth0" "$RULES" "$(grep -cE '^eth0 +[0-9]+ ' <<<"$OUT")"
assert_eq "no IFACE: xtop0's rows tagged xtop0" "$RULES" "$(grep -cE '^xtop0 +[0-9]+ ' <<<"$OUT")"
check "no IFACE: eth0's 8080 row keeps its packets, xtop0's has none" test \
	"$(grep -E '^eth0 ' <<<"$OUT" | packets_of tcp/8080)" -gt 0 -a \
	"$(grep -E '^xtop0 ' <<<"$OUT" | packets_of tcp/8080)" = 0
assert_match "no IFACE: the reasons of each" "^reasons on xtop0:" "$OUT"
run_xpf "$LAB_DIRECTOR" unload xtop0
assert_eq "unload xtop0" 0 "$RC"

# --- the terminal -------------------------------------------------------------------------
# steady HTTP from the reverse proxy to 8080 while the screen runs
traffic() {
	while :; do
		http_get "$LAB_PROXY" "$LAB_VIP4" 8080
		sleep 0.1
	done
}
traffic >/dev/null 2>&1 &
TRAFFIC=$!
e2e_on_exit "kill $TRAFFIC"

tmux_ new-session -d -s top -x 220 -y 50 \
	"ip netns exec $LAB_DIRECTOR $XPF top --interval 0.5 $LAB_IFACE; echo \$? >$E2E_TMP/top.rc"
screen() { tmux_ capture-pane -p -t top; }
# the data rows of a captured screen: the lines after the column heading, up to the blank one
rows() { awk '/^NO +ROW/ {on = 1; next} on && /^$/ {exit} on'; }
# wait_screen REGEX: until the screen shows it (5 s at most)
screen_shows() { screen | grep -Eq -- "$1"; }
wait_screen() { e2e_poll 5 screen_shows "$1"; }
# busy_8080_first: the first row is the 8080 row, with a rate (the traffic has been seen for
# a refresh, whatever the machine's load).
busy_8080_first() {
	rows <<<"$(screen)" | head -1 |
		awk '{ for (i = 1; i < NF; i++) if ($i == "tcp/8080") f = ($(i + 3) + 0 > 0) } END { exit !f }'
}
# packets_8080_past N: the screen's 8080 counter is past N.
packets_8080_past() { [ "$(screen | packets_of tcp/8080)" -gt "$1" ] 2>/dev/null; }

check "the screen comes up" wait_screen '^xpf top: eth0'
e2e_poll 10 busy_8080_first
SCREEN=$(screen)
assert_eq "one row per rule" "$(json "$E2E_TMP/stats.json" 'len(d["rules"])')" \
	"$(rows <<<"$SCREEN" | grep -c .)"
while IFS='|' read -r number label source destination; do
	line=$(rows <<<"$SCREEN" | grep -E "^$number +" | head -1)
	check "screen: rule $number: $label, $source -> $destination" \
		label_and_route "$line" "$number" "$label" "$source -> $destination"
done < <(json "$E2E_TMP/stats.json" "'\n'.join('|'.join(str(x) for x in (r['id'], r['label'],
	r['source'], r['destination'])) for r in d['rules'])")
first=$(rows <<<"$SCREEN" | head -1)
assert_match "sorted by rate: the busy 8080 row first" "HTTP/TCP 8080 .*tcp/8080" "$first"
rate=$(awk '{for (i = 1; i < NF; i++) if ($i == "tcp/8080") print $(i + 3)}' <<<"$first")
check "the 8080 row has a rate ($rate packets/s)" awk -v r="$rate" 'BEGIN {exit !(r + 0 > 0)}'
before=$(packets_of tcp/8080 <<<"$SCREEN")
e2e_poll 5 packets_8080_past "$before"
after=$(screen | packets_of tcp/8080)
check "the 8080 counter moves with the traffic ($before -> $after)" test "$after" -gt "$before"
assert_eq "the 4443 row stays still (no traffic there)" "$(packets_of tcp/4443 <<<"$SCREEN")" \
	"$(screen | packets_of tcp/4443)"
assert_match "the reasons below the rules" "^REASON +PACKETS" "$SCREEN"

# column N of the data rows (1-based field after PROTO/PORT: 1 packets, 3 pkt/s)
column_after_port() {
	awk -v k="$1" '{for (i = 1; i < NF; i++) if ($i ~ /^(tcp|udp|tcp\+udp)\//) { print $(i + k); break }}'
}
check_sorted() {	# DESC FIELD SORT-FLAGS...
	local desc=$1 field=$2
	shift 2
	rows <<<"$(screen)" | column_after_port "$field" | sed 's/^-$/0/' >"$E2E_TMP/col"
	if [ "$(sort "$@" "$E2E_TMP/col")" = "$(cat "$E2E_TMP/col")" ]; then
		ok "$desc"
	else
		fail "$desc: $(tr '\n' ' ' <"$E2E_TMP/col")"
	fi
}

tmux_ send-keys -t top t
check "t: the title says sort: total" wait_screen 'sort: total'
check_sorted "t: rows by total packets, most first" 1 -s -k1,1nr
tmux_ send-keys -t top p
check "p: the title says sort: port" wait_screen 'sort: port'
rows <<<"$(screen)" | grep -oE '(tcp|udp|tcp\+udp)/[0-9]+' | cut -d/ -f2 >"$E2E_TMP/col"
check "p: rows by port, lowest first" test "$(sort -s -n "$E2E_TMP/col")" = "$(cat "$E2E_TMP/col")"
assert_match "p: port 22 first" "tcp/22 " "$(rows <<<"$(screen)" | head -1)"
tmux_ send-keys -t top n
check "n: the title says sort: rule" wait_screen 'sort: rule'
assert_eq "n: rows in rule order" "$(seq "$(json "$E2E_TMP/stats.json" 'len(d["rules"])')")" \
	"$(rows <<<"$(screen)" | awk '{print $1}')"
tmux_ send-keys -t top r
check "r: the title says sort: rate" wait_screen 'sort: rate'
check_sorted "r: rows by packets/s, highest first" 3 -s -k1,1gr

tmux_ send-keys -t top ' '
check "space: paused" wait_screen '\[paused\]'
frozen=$(screen)
sleep 1.6	# three refreshes' worth of traffic
assert_eq "paused: the screen does not change while traffic goes on" "$frozen" "$(screen)"
tmux_ send-keys -t top ' '
check "space again: running" e2e_poll 5 eval '! screen | grep -q "\[paused\]"'
e2e_poll 5 packets_8080_past "$(packets_of tcp/8080 <<<"$frozen")"
check "resumed: the 8080 counter moved on ($(packets_of tcp/8080 <<<"$frozen") -> $(screen | packets_of tcp/8080))" \
	test "$(screen | packets_of tcp/8080)" -gt "$(packets_of tcp/8080 <<<"$frozen")"

tmux_ send-keys -t top q
e2e_poll 3 test -s "$E2E_TMP/top.rc"
assert_eq "q quits, exit status 0" 0 "$(cat "$E2E_TMP/top.rc" 2>/dev/null)"
kill "$TRAFFIC" 2>/dev/null
run_xpf "$LAB_DIRECTOR" unload "$LAB_IFACE"
e2e_finish
