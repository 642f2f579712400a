#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# `xpf log`: drops reach it from the kernel's ring buffer with the right fields, passes never
# do, and a flood is cut to the site's `log rate`. In a quiet lab with examples/director.site
# plus `log rate 50/s` on the Director (native mode):
#  - `xpf log -j` in the background reports a crafted denied packet (default) and a packet of
#    the deny row (rule, with its row) with the right fields, and nothing for an allowed one;
#  - the text form prints the same drop on one line;
#  - a flood of 20,000 denied packets, at once and spread over 2 s, yields at most the bucket
#    (50) plus 50 a second of the flood's duration, and at least 80% of that; all 20,000 are
#    still counted;
#  - SIGINT and SIGTERM end it at once, exit 0;
#  - `xpf stats --denied` ranks the denied ports and source prefixes by packets; the flood
#    at once is recorded by sampling (bpf/record.h), so its counts are within 5% and said to
#    be estimated;
#  - in audit mode a would-drop is logged, flagged;
#  - `xpf log --syslog` sends each event through syslog(3) as one key=value line (read from a
#    /dev/log socket the test makes in a mount namespace of xpf's own).
. "$(dirname "$0")/lib.sh"
e2e_init log 120

RATE=50
FLOOD=20000

lab_up "$E2E_LAB" || die "the lab did not come up"
e2e_quiet_lab || die "could not quiet the lab"
e2e_on_exit "ip netns exec $LAB_DIRECTOR $XPF unload $LAB_IFACE"
cp "$E2E_ROOT/examples/director.site" "$E2E_TMP/director.site"
echo "log rate $RATE/s" >>"$E2E_TMP/director.site"

# send NS SRC DST DPORT SPORT [COUNT [SECONDS]]: SYNs to the Director's MAC, spread over
# SECONDS; prints "sent N seconds S".
send() {
	timeout 60 "$PY" "$E2E_ROOT/tests/e2e/log_sender.py" --ns "$1" --director "$LAB_DIRECTOR" \
		--src "$2" --dst "$3" --dport "$4" --sport "$5" --count "${6:-1}" --seconds "${7:-0}"
}

# start_log FILE ARGS...: `xpf log ARGS` in the background, its pid in LOG_PID; returns once
# it catches SIGINT and SIGTERM, which it does just before it follows the ring buffer (what
# is written there before it reads stays until it does).
start_log() {
	local file=$1
	shift
	ip netns exec "$LAB_DIRECTOR" "$XPF" log "$@" "$LAB_IFACE" >"$file" 2>"$file.err" &
	LOG_PID=$!
	e2e_on_exit "kill $LOG_PID"
	e2e_poll 5 log_catches_signals ||
		fail "xpf log $*: not following within 5 s ($(head -c 200 "$file.err"))"
}

# log_catches_signals: LOG_PID has handlers for SIGINT (bit 1) and SIGTERM (bit 14).
log_catches_signals() {
	local caught
	caught=$(awk '$1 == "SigCgt:" { print $2 }' "/proc/$LOG_PID/status" 2>/dev/null)
	[ -n "$caught" ] && (((16#$caught & 0x4002) == 0x4002))
}

# wait_logged FILE REGEX: until FILE has a line that matches (bounded: 5 s). Events come in
# the order they were written: once a drop's line is there, so is every earlier drop's.
wait_logged() {
	e2e_poll 5 grep -Eq -- "$2" "$1" || fail "xpf log: no line /$2/ within 5 s"
}

# stop_log SIGNAL: sends it, waits (bounded: 2 s); sets LOG_RC.
stop_log() {
	local _
	kill -"$1" "$LOG_PID"
	for _ in $(seq 1 40); do
		kill -0 "$LOG_PID" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$LOG_PID" 2>/dev/null; then
		LOG_RC=still-running
		kill -KILL "$LOG_PID"
	else
		wait "$LOG_PID"
		LOG_RC=$?
	fi
}

# events FILE EXPR: a Python expression over the JSON lines of FILE (as `e`, a list).
events() {
	"$PY" - "$1" "$2" <<'PYEOF'
import json, sys
e = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
print(eval(sys.argv[2], {"e": e}))
PYEOF
}

# event FILE DPORT FIELD...: the fields of the first event to DPORT, on one line; a rule's
# fields as rule.NAME.
event() {
	"$PY" - "$@" <<'PYEOF'
import json, sys
e = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
d = next((v for v in e if v["dest_port"] == int(sys.argv[2])), None)
if d is None:
    print("no event")
else:
    print(" ".join(str(d["rule"][f[5:]] if f.startswith("rule.") else d[f]) for f in sys.argv[3:]))
PYEOF
}

run_xpf "$LAB_DIRECTOR" load -c "$E2E_TMP/director.site" -m native "$LAB_IFACE"
[ "$RC" = 0 ] || die "xpf load: $ERR"
e2e_wait_quiet || fail "the lab is quiet before the first packet"

e2e_log "a denied packet, a deny-row packet and an allowed one"
start_log "$E2E_TMP/log.json" -j
t0=$(date +%s.%N)
send "$LAB_OUTSIDER" "$LAB_OUTSIDER4" "$LAB_DIRECTOR4" 9999 40404 >/dev/null
send "$LAB_CLIENT" 198.51.100.66 "$LAB_VIP4" 443 40405 >/dev/null
send "$LAB_PROXY" "$LAB_PROXY6" "$LAB_VIP6" 8080 40406 >/dev/null
send "$LAB_OUTSIDER" "$LAB_OUTSIDER6" "$LAB_DIRECTOR6" 9998 40407 >/dev/null
t1=$(date +%s.%N)
wait_logged "$E2E_TMP/log.json" '"dest_port":9998[,}]'
stop_log INT
assert_eq "xpf log -j: SIGINT ends it, exit 0" 0 "$LOG_RC"
check "xpf log -j: nothing on stderr ($(head -c 200 "$E2E_TMP/log.json.err"))" \
	test ! -s "$E2E_TMP/log.json.err"
assert_eq "three drops logged, the allowed packet not" 3 \
	"$(events "$E2E_TMP/log.json" 'len(e)')"
assert_eq "the default drop: addresses, ports, proto, reason, no rule" \
	"eth0 4 $LAB_OUTSIDER4 $LAB_DIRECTOR4 tcp 40404 9999 default None False" \
	"$(event "$E2E_TMP/log.json" 9999 interface family source destination proto source_port \
		dest_port reason rule would_drop)"
assert_eq "the deny row's drop: reason rule, its row and line" \
	"198.51.100.66 443 rule HTTPS/TCP 443 198.51.100.66 16" \
	"$(event "$E2E_TMP/log.json" 443 source dest_port reason rule.label rule.source rule.line)"
assert_eq "the IPv6 drop" "6 $LAB_OUTSIDER6 $LAB_DIRECTOR6 40407" \
	"$(event "$E2E_TMP/log.json" 9998 family source destination source_port)"
assert_eq "event times lie between the first send and the last (wall clock)" True \
	"$(events "$E2E_TMP/log.json" "all($t0 - 0.01 <= v['time_ns'] / 1e9 <= $t1 + 0.01 for v in e)")"

e2e_log "the text form"
start_log "$E2E_TMP/log.txt"
send "$LAB_OUTSIDER" "$LAB_OUTSIDER4" "$LAB_VIP4" 8080 40500 >/dev/null
wait_logged "$E2E_TMP/log.txt" ":40500 -> "
stop_log TERM
assert_eq "xpf log: SIGTERM ends it, exit 0" 0 "$LOG_RC"
assert_match "xpf log: one line with time, interface, verdict, addresses, ports, reason" \
	"^20[0-9-]{8}T[0-9:.]{12}Z eth0 drop tcp $LAB_OUTSIDER4:40500 -> $LAB_VIP4:8080 default\$" \
	"$(cat "$E2E_TMP/log.txt")"

e2e_log "--syslog: one key=value line an event, through syslog(3) to /dev/log"
# start_syslog_log: `xpf log --syslog` in the background (LOG_PID), in a mount namespace of its
# own whose /dev (a tmpfs) holds the test's /dev/log: syslog_listener.py reads it into
# $E2E_TMP/syslog.txt, as a syslog daemon or the journal would read theirs.
start_syslog_log() {
	unshare --mount --propagation private bash -c '
		mount -t tmpfs -o mode=0755 xpf-test-dev /dev && mknod -m 666 /dev/null c 1 3 ||
			exit 97
		"$1" "$2" /dev/log "$3" </dev/null &
		echo $! >"$3.listener"
		for _ in $(seq 1 50); do [ -S /dev/log ] && break; sleep 0.1; done
		exec nsenter --net="/run/netns/$4" "$5" log --syslog "$6"' _ \
		"$PY" "$E2E_ROOT/tests/e2e/syslog_listener.py" "$E2E_TMP/syslog.txt" "$LAB_DIRECTOR" \
		"$XPF" "$LAB_IFACE" >"$E2E_TMP/syslog.out" 2>"$E2E_TMP/syslog.err" &
	LOG_PID=$!
	e2e_on_exit "kill $LOG_PID; kill \$(cat $E2E_TMP/syslog.txt.listener)"
	e2e_poll 5 log_catches_signals ||
		fail "xpf log --syslog: not following within 5 s ($(head -c 200 "$E2E_TMP/syslog.err"))"
}
start_syslog_log
send "$LAB_OUTSIDER" "$LAB_OUTSIDER4" "$LAB_DIRECTOR4" 9999 40700 >/dev/null
send "$LAB_CLIENT" 198.51.100.66 "$LAB_VIP4" 443 40701 >/dev/null
wait_logged "$E2E_TMP/syslog.txt" " source_port=40701 "
stop_log TERM
kill "$(cat "$E2E_TMP/syslog.txt.listener")"
assert_eq "xpf log --syslog: SIGTERM ends it, exit 0, nothing on stdout or stderr" "0  " \
	"$LOG_RC $(cat "$E2E_TMP/syslog.out") $(cat "$E2E_TMP/syslog.err")"
assert_eq "--syslog: one message an event" 2 "$(wc -l <"$E2E_TMP/syslog.txt")"
# <29>: facility daemon (3 * 8), severity notice (5); then syslog's time, ident and pid.
SYSLOG_HEAD='^<29>[A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} xpf\[[0-9]+\]: '
assert_match "--syslog: the default drop as key=value, the JSON form's keys" \
	"${SYSLOG_HEAD}time=20[0-9-]{8}T[0-9:.]{12}Z interface=eth0 family=4 source=$LAB_OUTSIDER4 destination=$LAB_DIRECTOR4 proto=tcp source_port=40700 dest_port=9999 reason=default would_drop=0 bytes=[0-9]+\$" \
	"$(sed -n 1p "$E2E_TMP/syslog.txt")"
assert_match "--syslog: the deny row's drop, its label quoted" \
	"${SYSLOG_HEAD}.* source=198\.51\.100\.66 .* reason=rule rule_id=[0-9]+ rule_label=\"HTTPS/TCP 443\" rule_source=198\.51\.100\.66 rule_destination=\"Director Hardware Load Balancer VIP\" rule_line=16 would_drop=0 bytes=[0-9]+\$" \
	"$(sed -n 2p "$E2E_TMP/syslog.txt")"

# flood SECONDS: $FLOOD denied packets spread over SECONDS (0: as fast as they go) while
# `xpf log -j` runs; at most the bucket ($RATE) plus $RATE a second of the flood's duration may
# be logged, and the bucket at least mostly (a refill of $RATE a second). Source ports 1024
# and up; then a last drop from port 60000, whose line says every line of the flood is in.
flood() {
	local spread=$1 counted logged sent seconds bound floor
	sleep 1.1	# the bucket is full again
	run_xpf "$LAB_DIRECTOR" stats -j "$LAB_IFACE"
	interface_json >"$E2E_TMP/before.json"
	start_log "$E2E_TMP/flood.json" -j
	read -r _ sent _ seconds < <(send "$LAB_OUTSIDER" "$LAB_OUTSIDER4" "$LAB_DIRECTOR4" 7777 1024 \
		"$FLOOD" "$spread")
	sleep 0.1	# the flood emptied the bucket: 0.1 s at $RATE/s refills it with 5 tokens
	send "$LAB_OUTSIDER" "$LAB_OUTSIDER4" "$LAB_DIRECTOR4" 7777 60000 >/dev/null
	wait_logged "$E2E_TMP/flood.json" '"source_port":60000[,}]'
	stop_log INT
	run_xpf "$LAB_DIRECTOR" stats -j "$LAB_IFACE"
	interface_json >"$E2E_TMP/after.json"
	logged=$(events "$E2E_TMP/flood.json" \
		'len([v for v in e if v["dest_port"] == 7777 and v["source_port"] != 60000])')
	counted=$(( $(json "$E2E_TMP/after.json" 'd["reasons"]["default"]["packets"]') -
		    $(json "$E2E_TMP/before.json" 'd["reasons"]["default"]["packets"]') ))
	# The packets reach XDP while they are sent: 50 ms of slack for the last ones.
	bound=$("$PY" -c "import math; print($RATE + math.ceil($RATE * ($seconds + 0.05)))")
	floor=$("$PY" -c "print(int(0.8 * ($RATE + $RATE * $seconds)))")
	e2e_log "flood: $sent packets in ${seconds}s, $counted counted as default, $logged logged" \
		"(allowed $floor..$bound)"
	assert_eq "flood ${spread}s: every packet counted as default (and the last drop)" \
		"$((FLOOD + 1))" "$counted"
	check "flood ${spread}s: at most the bucket plus the rate ($logged <= $bound)" \
		test "$logged" -le "$bound"
	check "flood ${spread}s: the bucket and its refill were used ($logged >= $floor)" \
		test "$logged" -ge "$floor"
}

e2e_log "floods of $FLOOD denied packets at log rate $RATE/s"
flood 0
flood 2

e2e_log "the denied record: xpf stats --denied"
run_xpf "$LAB_DIRECTOR" stats --denied --top 3 -j "$LAB_IFACE"
interface_json >"$E2E_TMP/denied.json"
# Past its first 256 drops, a CPU's 4 ms window counts each group of 128 drops by its middle
# one: a window's count is off by at most 64, so 40,000 flooded drops are within 5% (2,000)
# unless more than 31 windows on one CPU were cut short alike; a weight gone wrong (every
# drop counted 128 times, or sampled drops once) is off by far more.
assert_eq "denied ports: the flooded port first, both floods within 5% (sampled)" "7777/tcp True" \
	"$(json "$E2E_TMP/denied.json" '(d["ports"][0]["key"] + " " +
		str(abs(d["ports"][0]["packets"] - 2 * '"$FLOOD"') <= 2 * '"$FLOOD"' * 0.05))')"
assert_eq "denied: said to be estimated, no more packets estimated than counted" "True True" \
	"$(json "$E2E_TMP/denied.json" '(str(d["estimated"]) + " " +
		str(0 < d["estimated_packets"] <= d["ports"][0]["packets"]))')"
assert_eq "denied ports: --top 3 lists 3 of the 5 denied ports" "3 5" \
	"$(json "$E2E_TMP/denied.json" 'str(len(d["ports"])) + " " + str(d["ports_tracked"])')"
assert_eq "denied sources: the outsider's /24 first (floods and the two v4 drops, within 5%)" \
	"203.0.113.0/24 True" \
	"$(json "$E2E_TMP/denied.json" '(d["sources"][0]["key"] + " " +
		str(abs(d["sources"][0]["packets"] - 2 * '"$FLOOD"' - 2) <= 2 * '"$FLOOD"' * 0.05))')"
assert_eq "denied sources: the v6 /64 and the quarantined client's /24 too" \
	"['198.51.100.0/24', '2001:db8:ff::/64']" \
	"$(json "$E2E_TMP/denied.json" 'str(sorted(s["key"] for s in d["sources"][1:]))')"
run_xpf "$LAB_DIRECTOR" stats --denied --top 1 "$LAB_IFACE"
assert_match "denied (text): the top port and how many more" "^7777/tcp +[0-9]+ +[0-9]+\$" "$OUT"
assert_match "denied (text): says the counts are estimated" \
	"^estimated: [0-9]+ packets were counted by sampling 1 drop in 128 under a flood\$" "$OUT"
assert_match "denied (text): ... (4 more)" "^\\(4 more\\)\$" "$OUT"

e2e_log "audit mode: would-drops logged, flagged"
run_xpf "$LAB_DIRECTOR" unload "$LAB_IFACE"
run_xpf "$LAB_DIRECTOR" load --audit -c "$E2E_TMP/director.site" -m native "$LAB_IFACE"
[ "$RC" = 0 ] || die "xpf load --audit: $ERR"
start_log "$E2E_TMP/audit.json" -j
send "$LAB_OUTSIDER" "$LAB_OUTSIDER4" "$LAB_DIRECTOR4" 9999 40600 >/dev/null
wait_logged "$E2E_TMP/audit.json" '"source_port":40600[,}]'
stop_log TERM
assert_eq "audit: the would-drop is logged as one" "1 True default" \
	"$(events "$E2E_TMP/audit.json" '" ".join(str(x) for x in [len(e), e[0]["would_drop"],
		e[0]["reason"]]) if e else "none"')"
e2e_finish
