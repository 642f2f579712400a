#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# libFuzzer targets of tests/fuzz/: build them into BUILD/fuzz/ and run each in turn, one job,
# from its seed corpus. Exits non-zero when a build fails or a target finds a crash; the input
# is then kept as BUILD/fuzz/crashes/TARGET/crash-*: once fixed, copy it to
# tests/fuzz/crashes/TARGET/, whose files every run replays first.
#
#   scripts/fuzz.sh [-b BUILD] [--ci | --long [SECONDS]] [TARGET...]
#
# --ci (the default): each target at most FUZZ_RUNS (20000) runs and 25 s, from the seeds
#   (nothing is written to tests/).
# --long: each target SECONDS (default 600), growing its corpus in BUILD/fuzz/corpus/TARGET
#   (seeded from tests/fuzz/corpus/TARGET).
# Targets: table site packet (all three by default), run one after another, one process each.
set -eu

cd "$(dirname "$0")/.."
BUILD=build
MODE=ci
SECONDS_EACH=600
while [ $# -gt 0 ]; do
	case "$1" in
	-b) BUILD=$2; shift 2 ;;
	--ci) MODE=ci; shift ;;
	--long)
		MODE=long; shift
		case "${1:-}" in [0-9]*) SECONDS_EACH=$1; shift ;; esac ;;
	-h|--help) sed -n '3,/^set/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	-*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
TARGETS=${*:-table site packet}

CLANG=${CLANG:-clang}
OUT=$BUILD/fuzz
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
CFLAGS="-g -O1 -fno-omit-frame-pointer -std=gnu11 -Wall -Wextra $SAN"
INCLUDES="-Iinclude -Iuser -Ibpf -Itests/fuzz -I/usr/include/$(uname -m)-linux-gnu"
DEFINES="-DXPF_TABLE_DIR=\"$PWD/tables\""
# The pure layers, as the Makefile's PURE_SRCS takes them: every file of user/core and user/lib.
PURE=$(cd user && ls core/*.c lib/*.c | sed 's/\.c$//')

mkdir -p "$OUT/obj"

# libFuzzer's runtime is its own Debian package (a Recommends of clang, not a Depends).
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
	$CLANG -x c -fsanitize=fuzzer - -o "$OUT/probe" 2>/dev/null; then
	echo "fuzz.sh: $CLANG cannot link -fsanitize=fuzzer (install libclang-rt-14-dev)" >&2
	exit 1
fi
rm -f "$OUT/probe"

# Pure user code, instrumented for coverage without a main (-fsanitize=fuzzer-no-link).
build_pure() {
	objs=""
	for f in $PURE; do
		o=$OUT/obj/${f##*/}.o
		if [ ! -e "$o" ] || [ "user/$f.c" -nt "$o" ] || \
		   [ -n "$(find user include -name '*.h' -newer "$o" 2>/dev/null)" ]; then
			# shellcheck disable=SC2086
			$CLANG $CFLAGS -fsanitize=fuzzer-no-link $INCLUDES $DEFINES -c "user/$f.c" -o "$o"
		fi
		objs="$objs $o"
	done
	echo "$objs"
}

build_target() {
	target=$1
	case "$target" in
	table|site) objs=$(build_pure) ;;
	# BPF reads packet bytes at any alignment (IP sits 2 bytes past a 4-byte boundary behind
	# Ethernet; x86 and arm64 JITs emit plain loads): -fsanitize=alignment would flag every
	# frame, so it is off for the parser, on for the rest.
	packet) objs="-fno-sanitize=alignment" ;;
	*) echo "fuzz.sh: no target '$target' (table, site, packet)" >&2; return 2 ;;
	esac
	# shellcheck disable=SC2086
	$CLANG $CFLAGS -fsanitize=fuzzer $INCLUDES $DEFINES "tests/fuzz/fuzz_$target.c" $objs \
		-o "$OUT/fuzz_$target"
}

run_target() {
	target=$1
	seeds=tests/fuzz/corpus/$target
	crashes=$OUT/crashes/$target
	dict=tests/fuzz/$target.dict
	mkdir -p "$crashes"
	set -- -artifact_prefix="$crashes/" -print_final_stats=1
	[ -f "$dict" ] && set -- "$@" -dict="$dict"
	# Inputs that once crashed (tests/fuzz/crashes/TARGET/) are replayed first, every mode.
	if [ -d "tests/fuzz/crashes/$target" ] && \
	   [ -n "$(ls -A "tests/fuzz/crashes/$target" 2>/dev/null)" ]; then
		"$OUT/fuzz_$target" "tests/fuzz/crashes/$target"/* || return 1
	fi
	if [ "$MODE" = ci ]; then
		# libFuzzer writes new inputs to the first directory: a scratch one, emptied
		# each run, so CI starts from the seeds alone and tests/ stays untouched.
		rm -rf "$OUT/ci-corpus/$target"
		mkdir -p "$OUT/ci-corpus/$target"
		set -- "$@" -runs="${FUZZ_RUNS:-20000}" -max_total_time=25
		"$OUT/fuzz_$target" "$@" "$OUT/ci-corpus/$target" "$seeds"
	else
		mkdir -p "$OUT/corpus/$target"
		set -- "$@" -max_total_time="$SECONDS_EACH"
		"$OUT/fuzz_$target" "$@" "$OUT/corpus/$target" "$seeds"
	fi
}

for t in $TARGETS; do
	build_target "$t"
done
status=0
for t in $TARGETS; do
	echo "== fuzz_$t ($MODE)"
	log=$OUT/fuzz_$t.log
	if run_target "$t" >"$log" 2>&1; then
		grep -E '^stat::number_of_executed_units|^Done [0-9]+ runs' "$log" || true
	else
		status=1
		tail -n 40 "$log"
		echo "fuzz_$t: FAILED, input kept in $OUT/crashes/$t/ (log: $log)" >&2
	fi
done
exit $status
