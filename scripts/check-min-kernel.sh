#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The minimum kernel is defined once, in user/core/kernel_release.h (XPF_MIN_KERNEL); every
# "Linux X.Y or later" of the README, docs/, man/ and debian/ must say the same, and the
# README must say it. Run by `make lint`.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

min=$(sed -n 's/^#define XPF_MIN_KERNEL "\([0-9]*\.[0-9]*\)"$/\1/p' user/core/kernel_release.h)
[ -n "$min" ] || { echo "check-min-kernel: no XPF_MIN_KERNEL in user/core/kernel_release.h"; exit 1; }
status=0
grep -q "Linux $min or later" README.md ||
	{ echo "README.md: does not say 'Linux $min or later' (user/core/kernel_release.h)"; status=1; }
while IFS= read -r hit; do
	echo "$hit: not the minimum kernel of user/core/kernel_release.h ($min)"
	status=1
done < <(grep -rnoE "Linux [0-9]+\.[0-9]+ or (later|newer)" README.md docs man debian 2>/dev/null |
	grep -v "Linux $min or later$")
exit $status
