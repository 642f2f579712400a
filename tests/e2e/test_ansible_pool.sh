#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The Ansible role (dist/ansible/) run for real by ansible-playbook against two boxes this
# machine holds: two inventory hosts on the local connection, each its own network namespace
# (the interface xpf judges, the addresses `local auto` reads) and its own root directory
# (where the role installs xpf, from a `make install DESTDIR=` tree, and places the site).
#  - the playbook audits box A alone first (serial), then box B, then enforces each in turn
#    within the confirm window and confirms it (no revert left pending); the install
#    is a tarball of a `make install DESTDIR=` tree (`make deb` is the other way in);
#  - afterwards both boxes enforce, show one digest and each its own address; the installed
#    binary and the site file are where the role put them, the site file root's alone;
#  - a site file with an error stops the rollout at the check, before anything changes.
. "$(dirname "$0")/lib.sh"
e2e_init ansible_pool 290

command -v ansible-playbook >/dev/null || die "ansible-playbook not installed (scripts/deps.sh)"
NS_A=xpf-aa$$ NS_B=xpf-ab$$ NS_C=xpf-ac$$
A=192.0.2.101 B=192.0.2.102
PLAYBOOK=$E2E_ROOT/dist/ansible/pool.yml
SITE=$E2E_TMP/pool.site
TREE=$E2E_TMP/tree

e2e_on_exit "ip netns del $NS_A; ip netns del $NS_B; ip netns del $NS_C"
for ns in "$NS_A" "$NS_B" "$NS_C"; do
	ip netns add "$ns" || die "ip netns add $ns"
	ip -n "$ns" link set lo up
done
ip -n "$NS_C" link add br0 type bridge && ip -n "$NS_C" link set br0 up || die "bridge"
for box in a b; do
	ns=$NS_A addr=$A
	[ $box = b ] && ns=$NS_B addr=$B
	ip -n "$NS_C" link add "c$box" type veth peer name eth0 netns "$ns" || die "veth $box"
	ip -n "$NS_C" link set "c$box" master br0 up
	ip -n "$ns" link set eth0 up
	ip -n "$ns" addr add "$addr/24" dev eth0
done

cat >"$SITE" <<'EOS'
local  auto
role   Director = 192.0.2.101, 192.0.2.102
role   Internal Clients = 198.51.100.0/24
allow  HTTPS/TCP 443 | Internal Clients | Director | the pool's service
EOS
e2e_log "the install tree: make install DESTDIR=$TREE PREFIX=/usr"
make -s -C "$E2E_ROOT" BUILD="$(dirname "$XPF")" DESTDIR="$TREE" PREFIX=/usr install \
	>"$E2E_TMP/install.log" 2>&1 || die "make install: $(tail -3 "$E2E_TMP/install.log")"
tar -C "$TREE" -czf "$E2E_TMP/xpf.tar.gz" . || die "tar of the install tree"

cat >"$E2E_TMP/inventory.ini" <<EOI
[xpf_pool]
box-a xpf_netns=$NS_A xpf_root=$E2E_TMP/root-a
box-b xpf_netns=$NS_B xpf_root=$E2E_TMP/root-b

[xpf_pool:vars]
ansible_connection=local
ansible_python_interpreter=/usr/bin/python3
xpf_interface=eth0
xpf_tarball=$E2E_TMP/xpf.tar.gz
xpf_site=$SITE
xpf_confirm_seconds=90
xpf_systemd=false
EOI

# playbook NAME ARGS...: ansible-playbook on the inventory, its output in $E2E_TMP/NAME.log
# (each task's host results as JSON lines, by the json callback); its status in RC.
playbook() {
	local name=$1
	shift
	ANSIBLE_STDOUT_CALLBACK=json ANSIBLE_NOCOLOR=1 ANSIBLE_LOCAL_TEMP=$E2E_TMP/ansible \
		ANSIBLE_HOME=$E2E_TMP/ansible ANSIBLE_PIPELINING=1 timeout 200 \
		ansible-playbook -i "$E2E_TMP/inventory.ini" "$PLAYBOOK" "$@" >"$E2E_TMP/$name.log" 2>&1
	RC=$?
}
# order NAME TASK: the hosts TASK ran on in log NAME, in the order the plays ran them.
order() {
	jq -r --arg task "$2" '.plays[] | .tasks[] | select(.task.name | endswith($task)) |
		.hosts | to_entries[] | select(.value.skipped != true) | .key' \
		"$E2E_TMP/$1.log" | tr '\n' ' '
}

e2e_log "the rollout"
playbook rollout
check "ansible-playbook ran the rollout (exit $RC): $(jq -c '.stats' "$E2E_TMP/rollout.log" 2>/dev/null || tail -5 "$E2E_TMP/rollout.log")" \
	test "$RC" = 0
assert_eq "box A audited first, alone, then box B" "box-a box-b " "$(order rollout 'Load in audit')"
PLAYS=$(jq -r '.plays[] | "\(.play.name): \(.tasks[0].hosts | keys | join(","))"' \
	"$E2E_TMP/rollout.log" | tr '\n' ';')
assert_eq "one play a batch: audit [a] [b], enforce [a] [b], the pool's digest" \
	"Audit on one box first, then on the rest: box-a;Audit on one box first, then on the rest: box-b;Enforce, one box at a time, within the confirm window: box-a;Enforce, one box at a time, within the confirm window: box-b;One policy across the pool: box-a;" \
	"$PLAYS"
if "$XPF" reload --help | grep -q -- --confirm; then
	assert_eq "each box enforced within the window, then confirmed" "box-a box-b " \
		"$(order rollout 'Keep the enforcing rule set')"
	CONFIRM=1
else
	assert_eq "no --confirm in this xpf: enforced without the window" "box-a box-b " \
		"$(order rollout 'Enforce (this xpf has no confirm window)')"
	CONFIRM=0
fi

for box in a b; do
	ns=$NS_A addr=$A root=$E2E_TMP/root-a
	[ $box = b ] && ns=$NS_B addr=$B root=$E2E_TMP/root-b
	check "box $box: xpf installed in its root" test -x "$root/usr/sbin/xpf"
	assert_eq "box $box: the site file, root's, 0644" "root root 644" \
		"$(stat -c '%U %G %a' "$root/etc/xpf/eth0.site")"
	check "box $box: the site file is the pool's" cmp -s "$SITE" "$root/etc/xpf/eth0.site"
	run_xpf "$ns" status eth0
	assert_match "box $box: enforcing" "xpf loaded .*enforcing\)" "$OUT"
	assert_match "box $box: its own address" "^  local:  $addr$" "$OUT"
	eval "DIGEST_$box=\$(sed -n 's/^  digest: //p' <<<\"\$OUT\")"
done
assert_match "box A's digest" '^[0-9a-f]{64}$' "$DIGEST_a"
assert_eq "one digest for the pool" "$DIGEST_a" "$DIGEST_b"
if [ "$CONFIRM" = 1 ]; then
	for box in a b; do
		ns=$NS_A
		[ $box = b ] && ns=$NS_B
		run_xpf "$ns" status eth0
		assert_no_match "box $box: confirmed, no revert pending" "^  confirm: " "$OUT"
	done
fi

e2e_log "a broken site file stops at the check"
cp "$SITE" "$E2E_TMP/good.site"
echo "allow  HTTPS/TCP 443 | Nobody | Director" >>"$SITE"
playbook broken
check "ansible-playbook fails (exit $RC)" test "$RC" != 0
assert_eq "it fails at the check on the first box" "box-a" \
	"$(jq -r '.plays[] | .tasks[] | select(.task.name | endswith("Check the site file on this box")) |
		.hosts | to_entries[] | select(.value.failed == true) | .key' "$E2E_TMP/broken.log")"
assert_eq "nothing was loaded or reloaded after it" "" "$(order broken 'Reload in audit')"
for box in a b; do
	ns=$NS_A
	[ $box = b ] && ns=$NS_B
	run_xpf "$ns" status eth0
	assert_match "box $box: still enforcing the good policy" \
		"  digest: $DIGEST_a" "$OUT"
done
cp "$E2E_TMP/good.site" "$SITE"

for ns in "$NS_A" "$NS_B"; do run_xpf "$ns" unload eth0; done
e2e_finish
