#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The build's own checks, on a build directory of the test's own:
#  - `make` where headers are missing stops before compiling anything, in one line naming the
#    Debian packages and `make deps`: the headers hidden from the compiler by a sysroot that
#    lacks them (scripts/build-deps.sh asks the compiler); a missing clang by CLANG;
#  - with every header in the sysroot, the check passes;
#  - CPPFLAGS, CFLAGS and LDFLAGS given to make (Debian's hardening flags) reach the compile and
#    the link, and the project's own flags stay.
. "$(dirname "$0")/lib.sh"
e2e_init build 120

# sysroot DIR HIDDEN...: DIR/usr/include holds every entry of /usr/include but HIDDEN
sysroot() {
	local dir=$1 entry
	shift
	mkdir -p "$dir/usr/include"
	for entry in /usr/include/*; do
		[[ " $* " == *" ${entry##*/} "* ]] || ln -s "$entry" "$dir/usr/include/"
	done
}
# make_in BUILD ARGS...: make in the tree, its output in OUT, its status in RC
make_in() {
	local build=$1
	shift
	capture make --no-print-directory -C "$E2E_ROOT" BUILD="$build" "$@"
}

sysroot "$E2E_TMP/lacking" json-c microhttpd.h
make_in "$E2E_TMP/b1" CC="gcc --sysroot=$E2E_TMP/lacking" all
check "headers missing: make fails (exit $RC)" test "$RC" -ne 0
assert_match "headers missing: one line names both packages and make deps" \
	'^Makefile:[0-9]+: \*\*\* xpf needs the Debian packages libjson-c-dev libmicrohttpd-dev: `sudo make deps` installs them\.  Stop\.$' \
	"$OUT$ERR"
assert_eq "headers missing: one line" 1 "$(printf '%s%s\n' "$OUT" "$ERR" | wc -l)"
assert_eq "headers missing: nothing compiled" "" "$(find "$E2E_TMP/b1" -name '*.o' 2>/dev/null)"

make_in "$E2E_TMP/b2" CLANG=/nonexistent/clang all
assert_match "clang missing: named" 'the Debian packages clang: `sudo make deps`' "$ERR"

sysroot "$E2E_TMP/complete"
make_in "$E2E_TMP/b3" CC="gcc --sysroot=$E2E_TMP/complete" "$E2E_TMP/b3/build-deps.ok"
assert_eq "every header there: the check passes ($ERR)" 0 "$RC"
check "every header there: the check is recorded" test -f "$E2E_TMP/b3/build-deps.ok"

# The commands make would run, with flags as dpkg-buildflags gives them.
make_in "$E2E_TMP/b4" -n CPPFLAGS=-D_FORTIFY_SOURCE=2 CFLAGS="-O2 -fstack-protector-strong" \
	LDFLAGS="-Wl,-z,relro -Wl,-z,now" "$E2E_TMP/b4/xpf"
assert_eq "make -n: exit 0 ($ERR)" 0 "$RC"
LINK=$(grep -E -- "-o $E2E_TMP/b4/xpf( |$)" <<<"$OUT")
check "LDFLAGS reach the link" grep -q -- '-Wl,-z,relro -Wl,-z,now' <<<"$LINK"
check "CFLAGS reach the link" grep -q -- '-fstack-protector-strong' <<<"$LINK"
COMPILE=$(grep -E -- "-c user/cli/main.c " <<<"$OUT")
check "CPPFLAGS and CFLAGS reach the compile: $COMPILE" \
	grep -q -- '-D_FORTIFY_SOURCE=2.*-O2 -fstack-protector-strong' <<<"$COMPILE"
check "the project's flags stay" grep -q -- '-std=gnu11 .*-Iinclude' <<<"$COMPILE"
e2e_finish
