#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The command line as its one source of truth, the verb tables (user/cli/), says it is:
#  - the man page's SYNOPSIS and the bash completion's tables are what the binary prints
#    (scripts/cli-docs.sh --check: `make cli-docs` after a change to a table);
#  - every verb takes -h and --help, and its help names each of its long options, which the
#    man page names too;
#  - every misuse says what is wrong, in one line naming the verb, and exits 2.
# Nothing here touches an interface.
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
misuse stats -j --prometheus -- "^xpf stats: -j and --prometheus exclude each other"
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
