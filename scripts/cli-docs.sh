#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The man page's SYNOPSIS (man/xpf.8) and the bash completion's tables (dist/xpf.bash) come from
# the verb tables in user/cli/: this writes them from `xpf help --man` and `xpf help
# --completion` between their markers (`make cli-docs`), or with --check fails, naming the
# file, when either differs from what the binary says (tests/e2e/test_cli.sh).
#
# usage: scripts/cli-docs.sh [--check] XPF_BINARY
set -euo pipefail

check=0
if [ "${1:-}" = --check ]; then check=1; shift; fi
xpf=${1:?usage: scripts/cli-docs.sh [--check] XPF_BINARY}
cd "$(dirname "$0")/.."

# splice FILE BEGIN END CONTENT_FILE: FILE with the lines between the marker lines replaced.
splice() {
	# The markers through the environment: awk -v would read the backslash of '.\"'.
	BEGIN_LINE=$2 END_LINE=$3 awk -v content="$4" '
		BEGIN { begin = ENVIRON["BEGIN_LINE"]; end = ENVIRON["END_LINE"] }
		$0 == begin { print; while ((getline line < content) > 0) print line; skip = 1; next }
		$0 == end { skip = 0; found = 1 }
		!skip { print }
		END { if (!found) { print FILENAME ": no marker line \"" end "\"" > "/dev/stderr"; exit 1 } }
	' "$1"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$xpf" help --man >"$tmp/synopsis"
"$xpf" help --completion >"$tmp/completion"
splice man/xpf.8 '.\" generated synopsis: begin (make cli-docs)' '.\" generated synopsis: end' \
	"$tmp/synopsis" >"$tmp/xpf.8"
splice dist/xpf.bash '# generated tables: begin (make cli-docs)' '# generated tables: end' \
	"$tmp/completion" >"$tmp/xpf.bash"

status=0
for file in man/xpf.8 dist/xpf.bash; do
	if [ $check = 1 ]; then
		if ! diff -u "$file" "$tmp/${file##*/}" >"$tmp/diff"; then
			echo "cli-docs: $file differs from the verb tables (make cli-docs):" >&2
			cat "$tmp/diff" >&2
			status=1
		fi
	elif ! cmp -s "$file" "$tmp/${file##*/}"; then
		cp "$tmp/${file##*/}" "$file"
		echo "cli-docs: wrote $file"
	fi
done
exit $status
