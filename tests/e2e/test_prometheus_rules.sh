#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The pool's Prometheus rules and Grafana dashboard (dist/prometheus/, dist/grafana/):
#  - `promtool check rules` accepts the rules;
#  - `promtool test rules` runs their unit tests (tests/prometheus/*.test.yml): the pool's
#    summed rate per rule, the digest count, and each alert firing when it should, not before;
#  - every series the dashboard's panels and the rules select is one xpf exports or a rule
#    records (tests/prometheus/check_dashboard.py), and the panels are well formed.
# Needs no root and no kernel: promtool and Python alone.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
failures=0
run() {	# run DESC COMMAND...: ok when the command succeeds, its output shown when it fails
	local out
	if out=$(timeout 60 "$@" 2>&1); then
		echo "ok   $*"
	else
		echo "FAIL $*"
		printf '%s\n' "$out" | head -40
		failures=$((failures + 1))
	fi
}
if ! command -v promtool >/dev/null; then
	echo "FAIL promtool not installed (scripts/deps.sh installs prometheus)"
	exit 1
fi
run promtool check rules dist/prometheus/xpf.rules.yml
tests=(tests/prometheus/*.test.yml)
[ -e "${tests[0]}" ] || { echo "FAIL no tests/prometheus/*.test.yml"; exit 1; }
for test in "${tests[@]}"; do
	run promtool test rules "$test"
done
run /usr/bin/python3 tests/prometheus/check_dashboard.py dist/grafana/xpf-pool.json \
	dist/prometheus/xpf.rules.yml user/cli/prometheus.c
if [ "$failures" -eq 0 ]; then
	echo "PASS prometheus_rules: $((${#tests[@]} + 2)) checks"
	exit 0
fi
echo "FAIL prometheus_rules: $failures failed"
exit 1
