#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Differential test: random frames classified by xpf (BPF_PROG_TEST_RUN, tests/diff/
# xpf_classify.c) and by nftables (an independent oracle: a rule set generated from the same
# compiled site by tests/diff/nft_ruleset.py, on the netdev ingress hook of a veth in a
# namespace of its own, frames sent from the peer over AF_PACKET). Every disagreement must be
# one of the documented semantic differences (tests/diff/compare.py, docs/testing.md "The
# differential oracle"), else the test fails and prints the frames with the seed that
# reproduces them.
#
#   XPF_DIFF_SEED=N      reproduce a run (default: a new seed, printed)
#   XPF_DIFF_FRAMES=N    frames per site (default 60000; two sites)
. "$(dirname "$0")/lib.sh"
e2e_init differential 150

SEED=${XPF_DIFF_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
FRAMES=${XPF_DIFF_FRAMES:-60000}
DIFF=$E2E_ROOT/tests/diff
CLASSIFY=$(dirname "$XPF")/tests/diff/xpf_classify
VLAN_POP=$(dirname "$XPF")/tests/diff/vlan_pop.bpf.o
NS=xpf-diff${XPF_LAB_TAG:-}-$$
SITES=("$E2E_ROOT/examples/director.site" "$DIFF/edges.site")

for tool in "$CLASSIFY" "$VLAN_POP"; do
	[ -e "$tool" ] || die "$tool missing (make tests)"
done
command -v nft >/dev/null || die "nft missing (scripts/deps.sh installs nftables)"

# The oracle's receiving end: dfB gets the rule set; dfA is where the frames are sent from.
# IPv6 is off in the namespace, so the kernel sends nothing of its own across the pair.
diff_namespace() {
	ip netns add "$NS" || return 1
	e2e_on_exit "ip netns del $NS"
	ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 || return 1
	ip -n "$NS" link add dfA type veth peer name dfB || return 1
	ip -n "$NS" link set dfA up && ip -n "$NS" link set dfB up || return 1
	ip netns exec "$NS" tc qdisc add dev dfB clsact || return 1
	ip netns exec "$NS" tc filter add dev dfB ingress bpf direct-action \
		obj "$VLAN_POP" sec tc || return 1
}

diff_namespace || die "the namespace did not come up"
echo "--- seed $SEED ($FRAMES frames per site; XPF_DIFF_SEED=$SEED reproduces the run)"

total=0
disagreements=0
unexplained=0
site_number=0
for site in "${SITES[@]}"; do
	name=$(basename "$site" .site)
	work=$E2E_TMP/$name
	mkdir -p "$work"
	start=$SECONDS
	"$XPF" check -j -c "$site" >"$work/rules.json" 2>"$work/check.err" ||
		die "xpf check -j -c $site: $(cat "$work/check.err")"
	"$PY" "$DIFF/gen_packets.py" "$work/rules.json" $((SEED + site_number)) "$FRAMES" \
		"$work/frames" "$work/meta" || die "$name: generating frames"
	"$CLASSIFY" "$site" "$work/frames" >"$work/xpf" 2>"$work/xpf.err" ||
		die "$name: xpf_classify: $(cat "$work/xpf.err")"
	"$PY" "$DIFF/nft_ruleset.py" "$work/rules.json" dfB >"$work/ruleset.nft" ||
		die "$name: generating the nft rule set"
	ip netns exec "$NS" nft flush ruleset
	ip netns exec "$NS" nft -f "$work/ruleset.nft" 2>"$work/nft.err" ||
		die "$name: nft -f: $(cat "$work/nft.err")"
	ip netns exec "$NS" "$PY" "$DIFF/nft_classify.py" "$work/frames" dfA >"$work/nft" \
		2>"$work/nft.err" || die "$name: nft_classify: $(cat "$work/nft.err")"
	echo "--- $name: $(tail -1 "$work/nft.err")"
	if "$PY" "$DIFF/compare.py" "$work/meta" "$work/xpf" "$work/nft" \
		$((SEED + site_number)) >"$work/report"; then
		ok "$name: every disagreement is a documented difference ($((SECONDS - start))s)"
	else
		fail "$name: disagreements no documented difference explains"
	fi
	sed 's/^/    /' "$work/report"
	# The comparison must catch a verdict that changes: flip xpf's verdict on the first rule
	# hit of a plain frame (no property a documented difference names) and the frame must be
	# reported as unexplained.
	flipped=$(paste "$work/meta" "$work/xpf" | awk -F'\t' \
		'$2 ~ /^proto-(6|17)(,chain-0)?$/ && $5 ~ / rule$/ { print NR; exit }')
	awk -v n="$flipped" 'NR == n { $1 = ($1 == "pass") ? "drop" : "pass" } { print }' \
		"$work/xpf" >"$work/xpf.flipped"
	"$PY" "$DIFF/compare.py" "$work/meta" "$work/xpf.flipped" "$work/nft" 0 \
		>"$work/report.flipped"
	check "$name: a flipped verdict (frame $((flipped - 1))) is caught" \
		grep -q "^  #$((flipped - 1)) " "$work/report.flipped"
	total=$((total + $(wc -l <"$work/meta")))
	disagreements=$((disagreements + $(sed -n 's/.* agree, \([0-9]*\) disagree$/\1/p' "$work/report")))
	unexplained=$((unexplained + $(awk '$1 == "unexplained" { print $2 }' "$work/report")))
	site_number=$((site_number + 1))
done
echo "--- seed $SEED: $total frames compared, $disagreements disagreements," \
	"$((disagreements - unexplained)) of them documented differences, $unexplained unexplained"
check "at least 100,000 frames compared ($total)" [ "$total" -ge 100000 ]
e2e_finish
