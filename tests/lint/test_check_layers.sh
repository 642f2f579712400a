#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# scripts/check-layers.py against trees broken on purpose: a copy of user/ with one fault each,
# which the check must reject, naming the file and line. Run by `make lint`.
set -uo pipefail

cd "$(dirname "$0")/../.."
check=scripts/check-layers.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

# A fresh copy of user/ in $work/user, broken by the commands that follow.
fresh() {
	rm -rf "$work/user"
	cp -r user "$work/user"
}

# Appends @2 to the file @1 of the copy; prints the line number it landed on.
append() {
	printf '%s\n' "$2" >> "$work/user/$1"
	wc -l < "$work/user/$1"
}

# The check must fail on the broken copy with a message containing @2 (@1 names the fault).
expect() {
	local output
	output=$(cd "$work" && python3 "$OLDPWD/$check" user 2>&1)
	if [ $? -ne 0 ] && grep -qF -- "$2" <<< "$output"; then
		passed=$((passed + 1))
	else
		echo "FAIL: $1: expected a failure naming '$2', got:" >&2
		sed 's/^/    /' <<< "$output" >&2
		failed=$((failed + 1))
	fi
}

fresh
line=$(append lib/fault.c '#include "core/config.h"')
expect "lib includes core" "user/lib/fault.c:$line: lib/ includes core/config.h: upward"

fresh
line=$(append core/site.c '#include "kernel/map_batch.h"')
expect "core includes kernel" "user/core/site.c:$line: core/ includes kernel/map_batch.h: upward"

fresh
line=$(append kernel/map_batch.c '#include "cli/commands.h"')
expect "kernel includes cli" "user/kernel/map_batch.c:$line: kernel/ includes cli/commands.h"

fresh
line=$(append core/site.c '#include <bpf/bpf.h>')
expect "core includes libbpf" "user/core/site.c:$line: core/ includes <bpf/bpf.h>"

fresh
line=$(append lib/beside.c '#include <xdp/libxdp.h>')
expect "lib includes libxdp" "user/lib/beside.c:$line: lib/ includes <xdp/libxdp.h>"

fresh
line=$(append core/compile.c '#include "xpf.skel.h"')
expect "core includes a skeleton" "user/core/compile.c:$line: core/ includes the skeleton"

fresh
line=$(append core/site.c '#include "config.h"')
expect "include without its folder" "user/core/site.c:$line: \"config.h\" is not a header"

fresh
cp user/lib/fault.c "$work/user/stray.c"
expect "a file outside the layers" "user/stray.c:1: outside the layers"

# Two headers of one layer that include each other.
fresh
sed -i 's|^#define XPF_FAULT_H$|&\n#include "lib/beside.h"|' "$work/user/lib/fault.h"
sed -i 's|^#define XPF_BESIDE_H$|&\n#include "lib/fault.h"|' "$work/user/lib/beside.h"
expect "an include cycle" "cycle lib/beside -> lib/fault -> lib/beside"

# Two files that call each other through a third header: no include cycle, a call cycle.
fresh
printf '%s\n' '/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */' \
	'int xpf_probe_a(void);' 'int xpf_probe_b(void);' > "$work/user/lib/probe_calls.h"
append lib/fault.c '#include "lib/probe_calls.h"
int xpf_probe_a(void)
{
	return xpf_probe_b();
}' > /dev/null
line=$(append lib/lock.c '#include "lib/probe_calls.h"
int xpf_probe_b(void)
{')
append lib/lock.c '	return xpf_probe_a();
}' > /dev/null
expect "a call cycle" "cycle lib/fault -> lib/lock -> lib/fault"
expect "a call cycle, where" "user/lib/lock.c:$((line + 1)): uses xpf_probe_a()"

# A lower layer's header that declares what a higher layer defines, and its caller.
fresh
line=$(append core/compile.h 'int xpf_probe_c(void);')
append kernel/map_batch.c 'int xpf_probe_c(void)
{
	return 0;
}' > /dev/null
call=$(append core/compile.c 'int xpf_probe_d(void)
{
	return xpf_probe_c();
}')
expect "a declaration in another layer" \
	"user/core/compile.h:$line: declares xpf_probe_c(), defined in user/kernel/map_batch.c"
expect "a call upward" \
	"user/core/compile.c:$((call - 1)): uses xpf_probe_c() of user/kernel/map_batch.c: upward"

# And the tree as it is passes.
fresh
if (cd "$work" && python3 "$OLDPWD/$check" user); then
	passed=$((passed + 1))
else
	echo "FAIL: the unbroken copy of user/ fails the check" >&2
	failed=$((failed + 1))
fi

echo "test_check_layers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
