#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The command line as its one source of truth, the verb tables (user/cli/), says it is:
#  - the man page's SYNOPSIS and the bash completion's tables are what the binary prints
#    (scripts/cli-docs.sh --check: `make cli-docs` after a change to a table);
#  - every verb takes -h and --help, and its help names each of its long options, which the
#    man page names too;
#  - every misuse says what is wrong, in one line naming the verb, and exits 2;
#  - -j (one line) and -p (indented), before or after the verb, print one JSON object with
#    "schema_version"; a failure under -j is such an object on stdout, with the exit status;
#  - with nothing loaded, status and stats answer "nowhere" (exit 0; an empty "interfaces"
#    under -j), and an interface named that has no filter is a failure (exit 1).
# Nothing here touches an interface but those of a namespace of its own.
. "$(dirname "$0")/lib.sh"
e2e_init cli 60

capture "$E2E_ROOT/scripts/cli-docs.sh" --check "$XPF"
assert_eq "man/xpf.8 and dist/xpf.bash are what the verb tables give ($ERR)" 0 "$RC"

MAN=$(MANWIDTH=200 man -l "$E2E_ROOT/man/xpf.8" 2>/dev/null)
# The verbs and their options, as the completion's tables (from the binary) list them.
eval "$("$XPF" help --completion)"
for verb in $_xpf_verbs; do
	for flag in -h --help; do
		capture "$XPF" "$verb" "$flag"
		check "$verb $flag: exit 0 and its usage ($RC)" test "$RC" = 0
		assert_match "$verb $flag: usage line" "^usage: xpf $verb" "$OUT"
	done
	for option in $(_xpf_verb_options "$verb"); do
		case $option in --help | -?) continue ;; esac
		assert_match "$verb --help names $option" "(^| )$option( |$)" "$OUT"
		assert_match "man/xpf.8 names $verb's $option" "$option" "$MAN"
	done
	assert_match "man/xpf.8 has $verb in its synopsis" "xpf $verb" "$MAN"
done

# misuse ARGS... -- REGEX: exit 2 and REGEX in the one line that says why.
misuse() {
	local args=() regex
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	regex=$2
	capture "$XPF" "${args[@]}"
	check "xpf ${args[*]}: exit 2 ($RC)" test "$RC" = 2
	assert_match "xpf ${args[*]}: says why" "$regex" "$(head -1 <<<"$ERR")"
}
misuse load eth0 -- "^xpf load: -c SITE is required"
misuse load -c -- "^xpf load: -c needs an argument"
misuse load -c x.site -m fast eth0 -- "^xpf load: mode must be native, skb or auto, not 'fast'"
misuse reload eth0 -- "^xpf reload: nothing to do"
misuse reload --audit --enforce eth0 -- "^xpf reload: --audit and --enforce exclude each other"
misuse stats --by foo -- "^xpf stats: --by is rule or port, not 'foo'"
misuse stats --top 5 -- "^xpf stats: --top goes with --denied"
misuse stats --top 0 --denied -- "^xpf stats: --top takes a number"
misuse stats --prometheus --by port -- "^xpf stats: --prometheus counts by rule only"
misuse stats --denied --by port -- "^xpf stats: --denied takes neither --by nor --prometheus"
misuse explain eth0 tcp 192.0.2.1 2001:db8::1 22 -- "^xpf explain: SRC and DST must both be IPv4"
misuse explain eth0 tcp 192.0.2.1 192.0.2.2 99999 -- "^xpf explain: DPORT must be a port"
misuse status a b -- "^xpf status: unexpected argument 'b'"
misuse unload -- "^xpf unload: missing IFACE"
misuse check --nope -- "^xpf check: unknown option '--nope'"
misuse flows -x eth0 -- "^xpf flows: unknown option '-x'"
misuse top --interval 0 -- "^xpf top: --interval 0: seconds"
misuse explain eth0 tcp -- "^xpf explain: missing IFACE PROTO SRC DST"
misuse help nope -- "^xpf help: no verb 'nope'"
misuse frobnicate -- "^xpf: unknown verb 'frobnicate'"

capture "$XPF" check --json --config "$E2E_ROOT/examples/director.site"
check "check --json --config: exit 0 ($ERR)" test "$RC" = 0
echo "$OUT" >"$E2E_TMP/check.json"
assert_eq "check --json: JSON with its rules" true "$(json "$E2E_TMP/check.json" 'len(d["rules"]) > 0')"
assert_eq "check --json: one line" 1 "$(wc -l <"$E2E_TMP/check.json")"
assert_eq "check --json: schema_version 1" 1 "$(json "$E2E_TMP/check.json" 'd["schema_version"]')"
assert_eq "check --json: rows and policy say allow or deny, as stats and the metrics do" \
	"['allow', 'deny']" "$(json "$E2E_TMP/check.json" \
	'sorted({r["action"] for r in d["rules"]} | {d["policy"][k] for k in ("default", "other", "icmp")})' |
	tr '"' "'")"
capture "$XPF" -p check -c "$E2E_ROOT/examples/director.site"
echo "$OUT" >"$E2E_TMP/pretty.json"
check "-p before the verb: indented JSON, the same document" \
	cmp -s <(json "$E2E_TMP/pretty.json" d) <(json "$E2E_TMP/check.json" d)
check "-p: more than one line" test "$(wc -l <"$E2E_TMP/pretty.json")" -gt 1
capture "$XPF" tables -j
echo "$OUT" >"$E2E_TMP/tables.json"
assert_eq "tables -j: schema_version, the tables" true \
	"$(json "$E2E_TMP/tables.json" 'd["schema_version"] == 1 and len(d["tables"]) > 0')"

# json_failure ARGS... -- STATUS REGEX: under -j, the failure is a JSON object on stdout (its
# first message matching REGEX), nothing on stderr, exit STATUS.
json_failure() {
	local args=()
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	capture "$XPF" "${args[@]}"
	echo "$OUT" >"$E2E_TMP/failure.json"
	assert_eq "xpf ${args[*]}: exit $2" "$2" "$RC"
	assert_eq "xpf ${args[*]}: nothing on stderr" "" "$ERR"
	assert_match "xpf ${args[*]}: the error object says why" "$3" \
		"$(json "$E2E_TMP/failure.json" 'str(d["schema_version"]) + " " + d["error"]')"
	assert_eq "xpf ${args[*]}: its exit status in it" "$2" \
		"$(json "$E2E_TMP/failure.json" 'd["exit_status"]')"
}
json_failure stats --by foo -j -- 2 "^1 xpf stats: --by is rule or port, not 'foo'$"
json_failure -j stats --top 5 -- 2 "^1 xpf stats: --top goes with --denied$"
json_failure stats -j --prometheus -- 2 "^1 xpf stats: -j and --prometheus exclude each other$"
json_failure -j frobnicate -- 2 "^1 unknown verb 'frobnicate'"
json_failure -j --nope -- 2 "^1 unknown option '--nope'"
json_failure top -j -- 2 "^1 xpf top: -j/-p: this verb prints no JSON$"
json_failure -p exporter -l 127.0.0.1:9 -- 2 "^1 xpf exporter: -j/-p: this verb prints no JSON$"
# A failure said by a layer below the verb (the privilege check) is the error object too.
capture setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$XPF" -j status
echo "$OUT" >"$E2E_TMP/failure.json"
assert_eq "-j status without privileges: exit 1, the error object says why" \
	"1 needs root (CAP_BPF and CAP_NET_ADMIN); run it with sudo" \
	"$RC $(json "$E2E_TMP/failure.json" 'd["error"]')"
printf 'role A = 192.0.2.1\nallow A -> B tcp 22 ssh\n' >"$E2E_TMP/bad.site"
chmod 644 "$E2E_TMP/bad.site"
json_failure check -j -c "$E2E_TMP/bad.site" -- 1 "^1 $E2E_TMP/bad.site:2: "

e2e_log "site file errors name the real problem; check refuses what load refuses"
# site_error LINES... -- REGEX: check of a site file of LINES (after `local A` and A's role)
# exits 1 with one line on stderr matching REGEX.
site_error() {
	local lines=() file=$E2E_TMP/error.site
	while [ "$1" != -- ]; do lines+=("$1"); shift; done
	printf '%s\n' "local A" "role A = 192.0.2.1" "${lines[@]}" >"$file"
	chmod 644 "$file"
	capture "$XPF" check -c "$file"
	assert_eq "check of '${lines[*]}': exit 1" 1 "$RC"
	assert_match "check of '${lines[*]}': says why" "$2" "$ERR"
}
site_error "allow SSH/TCP 22 | 10.0.0.1, 10.0.0.2 | A" -- \
	"error.site:3: '10.0.0.1, 10.0.0.2' is a list of addresses: .*define a role"
site_error "allow SSH/TCP 22,80 | Any | A" -- \
	"error.site:3: a list of ports '22,80' is not allowed here: write one row per port, or a range"
site_error "table nosuch" -- \
	"error.site:3: table 'nosuch' is neither built in nor readable .*; built in: lync2013-"
mkdir "$E2E_TMP/dir.site"
capture "$XPF" check -c "$E2E_TMP/dir.site"
assert_eq "check of a directory: exit 1, errno named" "1 $E2E_TMP/dir.site: cannot read: Is a directory" \
	"$RC $ERR"
printf '%s\n' "local A" "role A = 192.0.2.1" "allow TCP 50,000-59,999 | Any | A" \
	"allow SSH/TCP 22 | Any | A" "allow SSH/TCP 22 | any | a" "deny TCP 22 | Any | A" \
	>"$E2E_TMP/overlap.site"
chmod 666 "$E2E_TMP/overlap.site"
capture "$XPF" check -c "$E2E_TMP/overlap.site"
assert_match "check refuses a file every user may write, as load does" \
	"^$E2E_TMP/overlap.site: writable by every user \(mode 0666\).*pass --force" "$ERR"
assert_eq "... exit 1" 1 "$RC"
capture "$XPF" check --force -c "$E2E_TMP/overlap.site"
assert_eq "check --force reads it (a thousands separator is no port list)" 0 "$RC"
assert_match "a row written twice: warned, naming the first" \
	"^warning: $E2E_TMP/overlap.site:5: the same row as $E2E_TMP/overlap.site:4, which decides" "$ERR"
assert_match "a row shadowed by an earlier one: warned, naming it" \
	"^warning: $E2E_TMP/overlap.site:6: never decides: the row at $E2E_TMP/overlap.site:4, earlier.*its deny never applies" \
	"$ERR"

e2e_log "status and stats in a namespace of their own (no bpffs, nothing loaded)"
e2e_scratch_netns cli
in_ns() { capture ip netns exec "$NS" timeout 20 "$XPF" "$@"; }
for verb in status stats; do
	in_ns "$verb"
	assert_eq "$verb, nothing loaded: exit 0 ($ERR)" 0 "$RC"
	assert_eq "$verb, nothing loaded: says so" "xpf: not loaded on any interface" "$OUT"
	for flag in -j -p; do
		in_ns "$verb" "$flag"
		echo "$OUT" >"$E2E_TMP/nothing.json"
		assert_eq "$verb $flag, nothing loaded: exit 0, an empty interfaces array" \
			"0 {'interfaces': [], 'schema_version': 1}" \
			"$RC $(json "$E2E_TMP/nothing.json" 'd' | tr '"' "'")"
	done
	in_ns -j "$verb" nosuch0
	echo "$OUT" >"$E2E_TMP/nosuch.json"
	assert_eq "$verb -j IFACE without it: exit 1, the error object" \
		"1 no interface named 'nosuch0'" "$RC $(json "$E2E_TMP/nosuch.json" 'd["error"]')"
done
in_ns status -v
assert_eq "-v after the verb: accepted ($ERR)" 0 "$RC"
in_ns -v -v status
assert_eq "-v twice before the verb: accepted" 0 "$RC"
for args in "-V" "--version"; do
	capture "$XPF" $args
	assert_match "xpf $args: the version" "^xpf [0-9]" "$OUT"
done
capture "$XPF" help
check "xpf help: exit 0" test "$RC" = 0
assert_match "xpf help: lists the verbs" "^  explain " "$OUT"
capture "$XPF" help stats
assert_match "xpf help stats: the verb's usage" "^usage: xpf stats" "$OUT"
e2e_finish
