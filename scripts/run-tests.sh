#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Runs every suite of `make check`: the cmocka binaries given as arguments, then the e2e
# scripts. Every suite runs even when one fails; prints "N passed, N failed" at the end.
# A suite that needs root and is not run as root counts as failed under CI, skipped elsewhere.
set -uo pipefail

build=$1
shift
passed=0
failed=0
failed_names=()

run_suite() {
	local name=$1
	shift
	echo "=== $name"
	if timeout --kill-after=10 "${XPF_SUITE_TIMEOUT:-300}" "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failed_names+=("$name")
	fi
}

for test in "$@"; do
	case $test in
	*/test_bpf_* | */test_verdict*)
		if [ "$(id -u)" != 0 ]; then
			if [ -n "${CI:-}" ]; then
				echo "=== $test: needs root"; failed=$((failed + 1)); failed_names+=("$test")
			else
				echo "=== $test: skipped (needs root)"
			fi
			continue
		fi
		;;
	esac
	run_suite "$test" "$test"
done

for script in tests/e2e/test_*.sh; do
	[ -e "$script" ] || continue
	if [ "$(id -u)" != 0 ]; then
		if [ -n "${CI:-}" ]; then
			echo "=== $script: needs root"; failed=$((failed + 1)); failed_names+=("$script")
		else
			echo "=== $script: skipped (needs root)"
		fi
		continue
	fi
	run_suite "$script" env XPF="$build/xpf" bash "$script"
done

echo
[ ${#failed_names[@]} -gt 0 ] && printf 'FAILED: %s\n' "${failed_names[@]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
