#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The Debian package, as an administrator gets it:
#  - `make deb` builds BUILD/deb/xpf_VERSION_ARCH.deb (dpkg-buildpackage, debian/), and lintian
#    finds no error in it;
#  - it holds the binary, both man pages, the completion, every unit of dist/, the examples,
#    the tables, the README and docs/; its Depends name the libraries xpf links, and
#    libmicrohttpd, which only `xpf exporter` opens (dlopen: not linked, not in every command);
#  - its binary carries Debian's hardening flags: PIE, stack protector, fortified calls, RELRO
#    and BIND_NOW (LDFLAGS reached the link);
#  - a clean Debian 12 root is made (mmdebstrap --variant=apt), and apt installs the package
#    in it with its dependencies from the mirror; there `xpf --version` says VERSION and
#    `xpf check` passes on the shipped examples; `apt-get purge` removes it. The packages apt
#    downloads are kept under BUILD for the next run; the root is a tmpfs, unmounted after.
# Each step's time is printed.
. "$(dirname "$0")/lib.sh"
e2e_init deb 900

BUILD_DIR=$(cd "$(dirname "$XPF")" && pwd)
VERSION=$(cat "$E2E_ROOT/VERSION")
ARCH=$(dpkg-architecture -qDEB_HOST_ARCH)
DEB=$BUILD_DIR/deb/xpf_${VERSION}_$ARCH.deb
MIRROR=${XPF_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${XPF_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
ROOT=$E2E_TMP/root
STEP_START=$SECONDS
step() { e2e_log "$* (at $((SECONDS - STEP_START)) s)"; }

step "make deb"
rm -f "$DEB"
make -s -C "$E2E_ROOT" deb BUILD="$BUILD_DIR" >"$E2E_TMP/deb.log" 2>&1
check "make deb ($(grep -iE 'error|warning' "$E2E_TMP/deb.log" | head -3))" test -s "$DEB"
[ -s "$DEB" ] || { tail -20 "$E2E_TMP/deb.log"; die "no $DEB"; }

# lintian takes a while: it runs while the root is made, and is read at the end.
lintian --fail-on error "$DEB" >"$E2E_TMP/lintian.log" 2>&1 &
LINTIAN_PID=$!
e2e_on_exit "kill $LINTIAN_PID"

step "contents"
CONTENTS=$(dpkg-deb -c "$DEB" | awk '{print $6}')
for file in usr/sbin/xpf usr/share/man/man8/xpf.8.gz usr/share/man/man5/xpf.site.5.gz \
	usr/share/bash-completion/completions/xpf usr/share/xpf/examples/director.site \
	usr/share/xpf/tables/lync2013-director-dns-hlb.txt usr/share/xpf/tables/SOURCES.md \
	usr/share/doc/xpf/README.md.gz usr/share/doc/xpf/docs/operations.md.gz \
	usr/share/doc/xpf/copyright etc/xpf/director.site.example; do
	check "the package holds /$file" grep -qxF "./$file" <<<"$CONTENTS"
done
for unit in "$E2E_ROOT"/dist/*.service.in; do
	unit=$(basename "$unit" .in)
	check "the package holds the unit $unit" grep -qxF "./lib/systemd/system/$unit" <<<"$CONTENTS"
done
for table in "$E2E_ROOT"/tables/*.txt; do
	check "the package holds the table ${table##*/}" \
		grep -qxF "./usr/share/xpf/tables/${table##*/}" <<<"$CONTENTS"
done
DEPENDS=$(dpkg-deb -f "$DEB" Depends)
for library in libbpf1 libxdp1 libjson-c5 libmicrohttpd12 libncurses6 libc6; do
	assert_match "Depends names $library" "(^|, )$library( |,|$)" "$DEPENDS"
done
assert_eq "Version is VERSION's" "$VERSION" "$(dpkg-deb -f "$DEB" Version)"

dpkg-deb -x "$DEB" "$E2E_TMP/unpacked"
BIN=$E2E_TMP/unpacked/usr/sbin/xpf
DYNAMIC=$(readelf -dW "$BIN")
assert_match "hardening: PIE" 'FLAGS_1.*PIE' "$DYNAMIC"
assert_match "hardening: BIND_NOW (-z now)" 'BIND_NOW' "$DYNAMIC"
assert_match "hardening: RELRO (-z relro)" 'GNU_RELRO' "$(readelf -lW "$BIN")"
SYMBOLS=$(readelf --dyn-syms -W "$BIN")
assert_match "hardening: stack protector" '__stack_chk_fail' "$SYMBOLS"
assert_match "hardening: fortified calls" '__[a-z]+_chk' "$SYMBOLS"
assert_no_match "libmicrohttpd not linked: xpf exporter opens it" 'NEEDED.*libmicrohttpd' \
	"$DYNAMIC"
# The library's name as the binary opens it, for the root below.
MHD_SONAME=$(grep -aoE 'libmicrohttpd\.so\.[0-9]+' "$BIN" | head -1)
check "the binary names the libmicrohttpd it opens ($MHD_SONAME)" test -n "$MHD_SONAME"

step "a clean Debian 12 root, the package installed by apt (mmdebstrap)"
# The root on a tmpfs of its own: dpkg writes to memory, and the teardown is one umount.
# Whatever a killed mmdebstrap leaves mounted in it goes first.
mkdir "$ROOT" && mount -t tmpfs -o size=2G,mode=0755 xpf-deb-root "$ROOT" || die "tmpfs on $ROOT"
e2e_on_exit 'findmnt -rn -o TARGET | awk -v r="$ROOT" "\$0 == r || index(\$0, r \"/\") == 1" |
	sort -r | xargs -r -n1 umount -l'
# --variant=apt: the Essential packages and apt, as a Debian 12 root has at the least; then
# apt installs the package, resolving its Depends against the mirror. No service starts
# (mmdebstrap's policy-rc.d); no fsync (force-unsafe-io): the root is thrown away.
# The packages apt downloads are kept in BUILD/deb-root-cache for the next run (apt checks
# each against the mirror's lists before using it).
CACHE=$BUILD_DIR/deb-root-cache
mkdir -p "$CACHE"
mmdebstrap --variant=apt --mode=root --dpkgopt=force-unsafe-io --skip=essential/unlink \
	--setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
	--setup-hook="sync-in $CACHE /var/cache/apt/archives/" \
	--customize-hook="sync-out /var/cache/apt/archives $CACHE" \
	--hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount --include="$DEB" \
	bookworm "$ROOT" "deb $MIRROR bookworm main" "deb $MIRROR bookworm-updates main" \
	"deb $SECURITY_MIRROR bookworm-security main" >"$E2E_TMP/mmdebstrap.log" 2>&1
status=$?
check "apt installs the package and its dependencies ($(grep -E '^E:' "$E2E_TMP/mmdebstrap.log" | head -3 | tr '\n' ' '))" \
	test "$status" = 0
in_root() {
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
		timeout 120 chroot "$ROOT" "$@"
}
assert_eq "in the root: the package is installed" "install ok installed" \
	"$(in_root dpkg-query -W -f='${Status}' xpf 2>&1)"
assert_eq "in the root: xpf --version" "xpf $VERSION" "$(in_root xpf --version 2>&1)"
for site in /usr/share/xpf/examples/director.site /etc/xpf/director.site.example; do
	OUT=$(in_root xpf check -c "$site" 2>&1)
	status=$?
	check "in the root: xpf check -c $site ($(tail -1 <<<"$OUT"))" test "$status" = 0
done
check "in the root: the man page is there" test -s "$ROOT/usr/share/man/man8/xpf.8.gz"
assert_match "in the root: $MHD_SONAME, which xpf exporter opens, came with the package" \
	"$MHD_SONAME " "$(in_root ldconfig -p 2>&1)"

step "apt-get purge xpf"
in_root apt-get purge -y -qq xpf >"$E2E_TMP/apt.log" 2>&1
status=$?
check "apt-get purge ($(tail -1 "$E2E_TMP/apt.log"))" test "$status" = 0
check "purged: no /usr/sbin/xpf" test ! -e "$ROOT/usr/sbin/xpf"
check "purged: no /etc/xpf/director.site.example" test ! -e "$ROOT/etc/xpf/director.site.example"
step "lintian"
wait "$LINTIAN_PID"
LINTIAN=$(grep -v 'running with root privileges' "$E2E_TMP/lintian.log")
check "lintian: no error$(grep '^E:' <<<"$LINTIAN" | head -5 | sed 's/^/; /' | tr -d '\n')" \
	eval '! grep -q "^E:" <<<"$LINTIAN"'
step "done"
e2e_finish
