#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# scripts/function-lengths.py against copies of user/ and bpf/ given a function of a chosen
# length, excused or not: the check must reject each long one that is not excused, naming
# file:line:function:lines, and let the others pass. Run by `make lint`.
set -uo pipefail

cd "$(dirname "$0")/../.."
check=scripts/function-lengths.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

# Fresh copies of user/ and bpf/ in $work, changed by the commands that follow, and of the
# check itself, whose temporary list some cases add to.
fresh() {
	rm -rf "$work/user" "$work/bpf"
	cp -r user bpf "$work/"
	cp "$check" "$work/check.py"
	cp scripts/c_code.py "$work/"
}

# Appends @2 to the file @1 of the copy; prints the number of the first line appended.
append() {
	local first=$(($(wc -l < "$work/$1") + 1))

	printf '%s\n' "$2" >> "$work/$1"
	echo "$first"
}

# A function @1 whose body, from its opening brace to its closing one, is @2 lines; @3, if
# given, its return type and qualifiers (int).
function_of() {
	local body=$(($2 - 4))

	echo "${3:-int} $1(void)"
	echo "{"
	echo "	int x = 0;"
	for ((i = 0; i < body; i++)); do
		echo "	x++;"
	done
	echo "	return x;"
	echo "}"
}

# Adds (file, function) to the copy's temporary list.
pending() {
	sed -i "s|^PENDING_SPLIT = {\$|&\n    (\"$1\", \"$2\"),|" "$work/check.py"
}

run() {
	(cd "$work" && python3 check.py user bpf 2>&1)
}

# The check must fail on the copy with a message containing @2 (@1 names the case).
expect() {
	local output
	output=$(run)
	if [ $? -ne 0 ] && grep -qF -- "$2" <<< "$output"; then
		passed=$((passed + 1))
	else
		echo "FAIL: $1: expected a failure naming '$2', got:" >&2
		sed 's/^/    /' <<< "$output" >&2
		failed=$((failed + 1))
	fi
}

# The check must pass on the copy (@1 names the case).
expect_pass() {
	local output
	output=$(run)
	if [ $? -eq 0 ]; then
		passed=$((passed + 1))
	else
		echo "FAIL: $1: expected the check to pass, got:" >&2
		sed 's/^/    /' <<< "$output" >&2
		failed=$((failed + 1))
	fi
}

fresh
line=$(append user/lib/fault.c "$(function_of xpf_probe_long 61)")
expect "a 61-line function" "user/lib/fault.c:$line:xpf_probe_long:61: over 60 lines"

fresh
append user/lib/fault.c "$(function_of xpf_probe_long 60)" > /dev/null
expect_pass "a 60-line function"

fresh
line=$(append user/kernel/install.c "$(function_of xpf_probe_long 90 'static struct xpf_meta *')")
expect "a long function returning a struct pointer" \
	"user/kernel/install.c:$line:xpf_probe_long:90: over 60 lines"

fresh
line=$(append bpf/parse.h "$(function_of probe_long 61 'static __always_inline int')")
expect "a long BPF helper" "bpf/parse.h:$line:probe_long:61: over 60 lines"

fresh
append user/cli/cmd_top.c "/* long function: a table of cases, one per line. */
$(function_of xpf_probe_long 61)" > /dev/null
expect_pass "a long function excused on the line above"

fresh
append bpf/xpf.bpf.c "/*
 * The whole walk in one body. Long function: the verifier
 * proves the bounds only within one function.
 */
SEC(\"xdp\")
$(function_of probe_long 80)" > /dev/null
expect_pass "a long BPF program excused in its leading comment block, above SEC()"

fresh
line=$(append user/core/probe.c "// long function: a table of cases.

$(function_of xpf_probe_long 61)")
expect "an excuse a blank line away" "user/core/probe.c:$((line + 2)):xpf_probe_long:61"

fresh
line=$(append user/core/probe.c "/* long function: */
$(function_of xpf_probe_long 61)")
expect "an excuse without a reason" "user/core/probe.c:$((line + 1)):xpf_probe_long:61"

fresh
line=$(append user/core/probe.c "/* A long function. */
$(function_of xpf_probe_long 61)")
expect "a comment that is not an excuse" "user/core/probe.c:$((line + 1)):xpf_probe_long:61"

# An excuse for one function covers no other.
fresh
append user/lib/lock.c "/* long function: a table of cases. */
$(function_of xpf_probe_long 61)" > /dev/null
line=$(append user/lib/lock.c "$(function_of xpf_probe_longer 61)")
expect "an excuse above the function before" "user/lib/lock.c:$line:xpf_probe_longer:61"

# A struct, an initializer and a long macro are not functions.
fresh
append user/lib/fault.c "struct xpf_probe_table {
$(for ((i = 0; i < 70; i++)); do echo "	int field$i;"; done)
};
static const int xpf_probe_values[] = {
$(for ((i = 0; i < 70; i++)); do echo "	$i,"; done)
};
#define XPF_PROBE_MACRO(x) \\
$(for ((i = 0; i < 70; i++)); do echo "	(x) + \\"; done)
	0" > /dev/null
expect_pass "long types, initializers and macros"

# The temporary list: an entry holds back a long function, and one no longer over fails.
fresh
append user/lib/fault.c "$(function_of xpf_probe_long 61)" > /dev/null
pending user/lib/fault.c xpf_probe_long
expect_pass "a long function on the temporary list"

fresh
pending user/lib/fault.c xpf_probe_gone
expect "a stale entry of the temporary list" \
	"user/lib/fault.c:xpf_probe_gone: within 60 lines or gone: take it out of PENDING_SPLIT"

# And the tree as it is passes.
fresh
expect_pass "the unchanged copy of user/ and bpf/"

echo "test_function_lengths: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
