#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# `make install DESTDIR=...` puts every file where the README says, and each one works:
#  - the binary (runs, same version), tables and example (identical to the tree), every unit
#    of dist/, the README and docs/;
#  - the systemd unit: load on start, reload on reload, unload on stop, oneshot; passes
#    `systemd-analyze verify`;
#  - the man page renders without a groff warning and covers every verb and every option
#    that `xpf VERB --help` lists;
#  - bash completion completes verbs, options, interfaces and site files;
#  - PREFIX=/usr moves the paths in the unit; `make uninstall` removes what install put.
. "$(dirname "$0")/lib.sh"
e2e_init install 120

BUILD_DIR=$(dirname "$XPF")
DEST=$E2E_TMP/root
install_to() {	# install_to DESTDIR [make variables...]
	local dest=$1
	shift
	make -s -C "$E2E_ROOT" install BUILD="$BUILD_DIR" DESTDIR="$dest" "$@" \
		>"$E2E_TMP/make.log" 2>&1
}
check "make install DESTDIR (exit status; $(tail -2 "$E2E_TMP/make.log" 2>/dev/null))" \
	install_to "$DEST"

P=$DEST/usr/local
for file in sbin/xpf share/xpf/tables/lync2013-director-dns-hlb.txt \
	share/xpf/examples/director.site share/man/man8/xpf.8 \
	share/bash-completion/completions/xpf lib/systemd/system/xpf@.service \
	lib/systemd/system/xpf-exporter@.service; do
	check "installed: \$PREFIX/$file" test -s "$P/$file"
done
check "installed: /etc/xpf/director.site.example" test -s "$DEST/etc/xpf/director.site.example"
for unit in "$E2E_ROOT"/dist/*.service.in; do
	unit=$(basename "$unit" .in)
	check "installed: the unit $unit of dist/" test -s "$P/lib/systemd/system/$unit"
done
check "installed: the README" cmp -s "$E2E_ROOT/README.md" "$P/share/doc/xpf/README.md"
for doc in "$E2E_ROOT"/docs/*.md; do
	check "installed: docs/${doc##*/}" cmp -s "$doc" "$P/share/doc/xpf/docs/${doc##*/}"
done
check "the binary is executable (0755)" test "$(stat -c %a "$P/sbin/xpf")" = 755
assert_eq "the installed binary runs" "$("$XPF" --version)" "$("$P/sbin/xpf" --version)"
for table in "$E2E_ROOT"/tables/*.txt; do
	check "table $(basename "$table") identical" cmp -s "$table" "$P/share/xpf/tables/${table##*/}"
done
check "example identical" cmp -s "$E2E_ROOT/examples/director.site" \
	"$P/share/xpf/examples/director.site"
check "the installed example checks" eval \
	'"$P/sbin/xpf" check -c "$P/share/xpf/examples/director.site" >/dev/null 2>&1'

e2e_log "systemd unit"
UNIT=$(cat "$P/lib/systemd/system/xpf@.service")
assert_match "unit: oneshot" '^Type=oneshot$' "$UNIT"
assert_match "unit: stays active after loading" '^RemainAfterExit=yes$' "$UNIT"
assert_match "unit: start loads /etc/xpf/IFACE.site" \
	'^ExecStart=/usr/local/sbin/xpf load -c /etc/xpf/%I\.site %I$' "$UNIT"
assert_match "unit: reload is xpf reload" \
	'^ExecReload=/usr/local/sbin/xpf reload -c /etc/xpf/%I\.site %I$' "$UNIT"
assert_match "unit: stop unloads" '^ExecStop=/usr/local/sbin/xpf unload %I$' "$UNIT"
assert_match "unit: a missing site file fails the unit" \
	'^AssertPathExists=/etc/xpf/%I\.site$' "$UNIT"
assert_no_match "unit: no condition that skips it silently" '^ConditionPathExists=' "$UNIT"
EXPORTER=$(cat "$P/lib/systemd/system/xpf-exporter@.service")
assert_match "exporter unit: serves the interface's counters" \
	'^ExecStart=/usr/local/sbin/xpf exporter --listen \$\{XPF_EXPORTER_LISTEN\} %I$' "$EXPORTER"
assert_match "exporter unit: after the filter's unit" '^After=xpf@%i\.service$' "$EXPORTER"
assert_no_match "exporter unit: no placeholder left" '@[A-Z]+@' "$EXPORTER"
assert_no_match "unit: no placeholder left" '@[A-Z]+@' "$UNIT"
if command -v systemd-analyze >/dev/null; then
	# An instance of the unit, its binary path pointed into DESTDIR (verify runs it).
	sed "s|/usr/local/sbin|$P/sbin|g" "$P/lib/systemd/system/xpf@.service" \
		>"$E2E_TMP/xpf@lo.service"
	VERIFY=$(MANPATH=$P/share/man systemd-analyze verify "$E2E_TMP/xpf@lo.service" 2>&1)
	check "systemd-analyze verify: ${VERIFY:-clean}" test -z "$VERIFY"
	sed "s|/usr/local/sbin|$P/sbin|g" "$P/lib/systemd/system/xpf-exporter@.service" \
		>"$E2E_TMP/xpf-exporter@lo.service"
	VERIFY=$(cd "$E2E_TMP" && MANPATH=$P/share/man \
		systemd-analyze verify "$E2E_TMP/xpf-exporter@lo.service" 2>&1)
	check "systemd-analyze verify exporter: ${VERIFY:-clean}" test -z "$VERIFY"
else
	fail "systemd-analyze not installed (scripts/deps.sh installs systemd)"
fi

e2e_log "man page"
WARNINGS=$(groff -man -Tutf8 -ww "$P/share/man/man8/xpf.8" 2>&1 >/dev/null)
check "groff -man -ww: no warnings${WARNINGS:+: $WARNINGS}" test -z "$WARNINGS"
MAN=$(MANWIDTH=200 man -l "$P/share/man/man8/xpf.8" 2>"$E2E_TMP/man.err")
check "man -l renders ($(head -c 200 "$E2E_TMP/man.err"))" test -n "$MAN" -a ! -s "$E2E_TMP/man.err"
# The verbs as `xpf --help` lists them: "  VERB  what it does".
VERBS=$("$XPF" --help | awk '/^  [a-z]+  / {print $1}')
check "xpf --help lists verbs ($(echo $VERBS))" test "$(wc -w <<<"$VERBS")" -ge 9
for verb in $VERBS; do
	assert_match "man: verb $verb described" "^ {7}$verb( |$)" "$MAN"
	for option in $("$XPF" "$verb" --help 2>&1 | grep -oE -- '--?[a-z][a-z-]*' | sort -u); do
		check "man: $verb's option $option" grep -qF -- "$option" <<<"$MAN"
	done
done
for section in "SITE FILE" "FILES" "EXIT STATUS"; do
	assert_match "man: section $section" "^$section" "$MAN"
done

e2e_log "bash completion"
# complete WORDS...: what _xpf offers for the last word, one per line, sorted
complete_words() {
	bash --norc --noprofile -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_xpf; printf "%s\n" "${COMPREPLY[@]}" | sort' \
		_ "$P/share/bash-completion/completions/xpf" "$@"
}
assert_eq "xpf <TAB>: every verb" "$(sort <<<"$VERBS")" "$(complete_words xpf '')"
assert_eq "xpf st<TAB>: stats, status" "$(printf 'stats\nstatus')" "$(complete_words xpf st)"
assert_eq "xpf -v rel<TAB>: reload" reload "$(complete_words xpf -v rel)"
assert_eq "xpf stats --pro<TAB>: --prometheus" --prometheus "$(complete_words xpf stats --pro)"
assert_eq "xpf stats --p<TAB>: the global --pretty too" "--pretty --prometheus" "$(complete_words xpf stats --p | sort | tr "\n" " " | sed "s/ $//")"
assert_eq "xpf top --o<TAB>: --once" --once "$(complete_words xpf top --o)"
assert_eq "xpf load -m <TAB>: modes" "$(printf 'auto\nnative\nskb')" "$(complete_words xpf load -m '')"
assert_match "xpf unload <TAB>: interfaces (lo)" '^lo$' "$(complete_words xpf unload '')"
mkdir -p "$E2E_TMP/sites"
touch "$E2E_TMP/sites/eth0.site" "$E2E_TMP/sites/notes.txt"
assert_eq "xpf load -c DIR/<TAB>: site files only" "$E2E_TMP/sites/eth0.site" \
	"$(complete_words xpf load -c "$E2E_TMP/sites/")"

e2e_log "PREFIX=/usr, uninstall"
check "make install PREFIX=/usr" install_to "$E2E_TMP/usr-root" PREFIX=/usr
assert_match "PREFIX=/usr: the unit runs /usr/sbin/xpf with /etc/xpf" \
	'^ExecStart=/usr/sbin/xpf load -c /etc/xpf/%I\.site %I$' \
	"$(cat "$E2E_TMP/usr-root/usr/lib/systemd/system/xpf@.service" 2>/dev/null)"
check "make uninstall" make -s -C "$E2E_ROOT" uninstall DESTDIR="$DEST"
assert_eq "uninstall leaves no file" "" "$(find "$DEST" -type f)"
e2e_finish
