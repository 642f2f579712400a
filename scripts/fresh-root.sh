#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# CI from nothing: a minimal Debian 12 root (debootstrap --variant=minbase, plus make and git),
# the project cloned into it, and .ci/run (scripts/deps.sh, make lint, make check: what the
# README's `sudo make check` does, with the lint) run there as root. Whatever the build or a
# test needs beyond a minimal system must come from scripts/deps.sh, or this run fails.
#
#   scripts/fresh-root.sh [-d DIR] [-r REPO] [-c COMMIT] [-t SECONDS] [-k] [--cache DIR]
#                         [-- COMMAND...]
#   -d DIR       where the root is made: a directory that does not exist or is empty
#                (default: a new /tmp/xpf-root.XXXXXX)
#   -r REPO      the git repository to clone (default: the one this script is in)
#   -c COMMIT    the commit to check out (default: HEAD of REPO)
#   -t SECONDS   bound on the whole run, teardown included (default 3600; a run takes about
#                10 minutes on a 2-CPU machine)
#   -k           keep the root afterwards (it is unmounted either way)
#   --cache DIR  keep the downloaded packages in DIR for the next run (faster; the default
#                downloads everything, as a fresh machine does)
#   COMMAND      run in the clone instead of .ci/run
#
# The root shares the host's kernel and network namespace (tests make namespaces of their
# own); what is mounted in it, and why:
#  - DIR itself, bound onto itself and private: `ip netns exec` makes "/" a slave mount in
#    its new mount namespace, which fails unless "/" is a mount point; private, so that
#    nothing mounted inside (ip netns's /run/netns, bpffs) propagates to the host;
#  - /proc, and a sysfs of its own (`ip netns exec` mounts one anyway in its namespace);
#  - bpffs on /sys/fs/bpf, a new instance: a booted Debian 12 has one there (systemd mounts
#    it), xpf pins into it (test_pins, test_faults_pins); a new instance holds none of the
#    host's pins, and whatever a test leaves in it goes when it is unmounted;
#  - /dev, bound from the host with its submounts (/dev/pts for tmux in test_top, /dev/shm),
#    as a slave so that unmounting it changes nothing on the host;
#  - /run stays the root's own directory: `ip netns add` makes /run/netns a mount point there,
#    with a bind mount per namespace; the teardown unmounts them, which deletes any namespace
#    a test left behind.
# Services installed in the root are not started (usr/sbin/policy-rc.d): they would run in the
# host's network namespace. On exit, even on failure or timeout: every process whose root is
# DIR is killed, everything mounted under DIR unmounted, and DIR removed unless -k. Each step
# and every line of the command's output carry the time since the start; the total is printed
# last.
set -uo pipefail

SUITE=bookworm
MIRROR=${XPF_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${XPF_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

usage() {	# usage STATUS
	sed -n '/^#   scripts\/fresh-root.sh/,/^#   COMMAND/s/^# \{0,1\}//p' "$SELF" >&2
	exit "$1"
}

ROOT=
REPO=$(dirname "$SELF")/..
COMMIT=HEAD
LIMIT=3600
KEEP=0
CACHE=
while [ $# -gt 0 ]; do
	case $1 in
	-d) ROOT=${2:?}; shift 2 ;;
	-r) REPO=${2:?}; shift 2 ;;
	-c) COMMIT=${2:?}; shift 2 ;;
	-t) LIMIT=${2:?}; shift 2 ;;
	-k) KEEP=1; shift ;;
	--cache) CACHE=${2:?}; shift 2 ;;
	--) shift; break ;;
	-h | --help) usage 0 ;;
	*) echo "fresh-root: unknown argument '$1'" >&2; usage 2 ;;
	esac
done
COMMAND=("$@")
[ ${#COMMAND[@]} -gt 0 ] || COMMAND=(.ci/run)

if [ "$(id -u)" != 0 ]; then
	echo "fresh-root: needs root (debootstrap, mount, chroot)" >&2
	exit 1
fi
case $LIMIT in '' | *[!0-9]*) echo "fresh-root: -t wants seconds, not '$LIMIT'" >&2; exit 2 ;; esac

# The whole run under `timeout`: on expiry the TERM trap tears down (the wait below is
# interruptible), and --kill-after leaves the teardown time to finish.
if [ -z "${XPF_FRESH_ROOT_BOUNDED:-}" ]; then
	args=(-r "$REPO" -c "$COMMIT" -t "$LIMIT")
	[ -n "$ROOT" ] && args+=(-d "$ROOT")
	[ "$KEEP" = 1 ] && args+=(-k)
	[ -n "$CACHE" ] && args+=(--cache "$CACHE")
	XPF_FRESH_ROOT_BOUNDED=1 exec timeout --kill-after=120 "$LIMIT" "$SELF" "${args[@]}" \
		-- "${COMMAND[@]}"
fi

START=$SECONDS
elapsed() { printf '%d:%02d' $(((SECONDS - START) / 60)) $(((SECONDS - START) % 60)); }
say() { echo "== [$(elapsed)] fresh-root: $*"; }
die() { say "FAILED: $*" >&2; exit 1; }

# --- teardown ----------------------------------------------------------------------------

CREATED=0		# 1: ROOT did not exist before (else it was empty, and is left so)
LOG=

# root_pids: processes whose root directory is ROOT (everything started in the chroot).
root_pids() {
	local proc
	for proc in /proc/[0-9]*; do
		[ "$(readlink "$proc/root" 2>/dev/null)" = "$ROOT" ] && echo "${proc#/proc/}"
	done
}

# mounts_under: every mount point under ROOT, ROOT included, deepest first.
mounts_under() {
	findmnt -rn -o TARGET | awk -v r="$ROOT" '$0 == r || index($0, r "/") == 1' | sort -r
}

teardown() {
	local status=$? pids mount _
	trap - EXIT TERM INT
	[ -n "$ROOT" ] || exit "$status"
	pids=$(root_pids)
	if [ -n "$pids" ]; then
		say "stopping what still runs in the root: $(tr '\n' ' ' <<<"$pids")"
		# shellcheck disable=SC2086
		kill -TERM $pids 2>/dev/null
		for _ in $(seq 50); do
			[ -z "$(root_pids)" ] && break
			sleep 0.1
		done
		pids=$(root_pids)
		# shellcheck disable=SC2086
		[ -n "$pids" ] && kill -KILL $pids 2>/dev/null && sleep 0.5
	fi
	for mount in $(mounts_under); do
		umount "$mount" 2>/dev/null || umount -l "$mount" ||
			echo "fresh-root: could not unmount $mount" >&2
	done
	[ -n "$LOG" ] && rm -f "$LOG"
	if [ -n "$(mounts_under)" ]; then
		echo "fresh-root: $ROOT left in place, still mounted: $(mounts_under | xargs)" >&2
		status=1
	elif [ "$KEEP" = 1 ]; then
		say "root kept in $ROOT"
	else
		# --one-file-system: should anything of the host still be reachable, it stays.
		rm -rf --one-file-system "$ROOT"
		[ "$CREATED" = 1 ] || mkdir "$ROOT"
	fi
	say "done, exit $status (total $(elapsed))"
	exit "$status"
}
trap teardown EXIT
trap 'say "timed out or interrupted" >&2; exit 124' TERM INT

# --- the root ----------------------------------------------------------------------------

SHA=$(git -C "$REPO" rev-parse --verify --quiet "$COMMIT^{commit}") ||
	die "$COMMIT is no commit of $REPO"
GIT_DIR_OF_REPO=$(cd "$REPO" && cd "$(git rev-parse --git-common-dir)" && pwd) ||
	die "$REPO: no git repository"

if [ -z "$ROOT" ]; then
	ROOT=$(mktemp -d /tmp/xpf-root.XXXXXX) || die "mktemp"
	CREATED=1
	chmod 0755 "$ROOT"	# it is /: every user walks through it
else
	if [ -e "$ROOT" ] && [ -n "$(ls -A "$ROOT")" ]; then
		echo "fresh-root: $ROOT is not empty" >&2
		ROOT=
		exit 2
	fi
	[ -e "$ROOT" ] || CREATED=1
	mkdir -p "$ROOT" || die "mkdir $ROOT"
	chmod 0755 "$ROOT" || die "chmod $ROOT"
	ROOT=$(cd "$ROOT" && pwd -P)
fi
say "root $ROOT, $(git -C "$REPO" log -1 --format='%h %s' "$SHA" | cut -c1-80)"

if ! command -v debootstrap >/dev/null; then
	say "installing debootstrap on the host"
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap; } \
		>/dev/null || die "could not install debootstrap"
fi

mount --bind "$ROOT" "$ROOT" || die "bind $ROOT onto itself"
mount --make-private "$ROOT" || die "make $ROOT private"

cache_args=()
if [ -n "$CACHE" ]; then
	mkdir -p "$CACHE/debootstrap" "$CACHE/apt" || die "mkdir $CACHE"
	cache_args=(--cache-dir="$(cd "$CACHE/debootstrap" && pwd)")
fi
say "debootstrap --variant=minbase --include=make,git $SUITE"
LOG=$(mktemp /tmp/xpf-fresh-root-log.XXXXXX) || die "mktemp"
debootstrap --variant=minbase --include=make,git "${cache_args[@]}" "$SUITE" "$ROOT" \
	"$MIRROR" >"$LOG" 2>&1 || { tail -20 "$LOG" >&2; die "debootstrap"; }
say "debootstrap done ($(du -sxh "$ROOT" | cut -f1))"

# The sources of an installed Debian 12 (debootstrap writes the first line only).
cat >"$ROOT/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY_MIRROR $SUITE-security main
EOF
cat >"$ROOT/usr/sbin/policy-rc.d" <<'EOF'
#!/bin/sh
# No service starts in this root: it shares the host's network.
exit 101
EOF
chmod 0755 "$ROOT/usr/sbin/policy-rc.d"

mount -t proc proc "$ROOT/proc" || die "mount proc"
mount -t sysfs sysfs "$ROOT/sys" || die "mount sysfs"
mount -t bpf -o mode=0700 bpf "$ROOT/sys/fs/bpf" || die "mount bpffs"
mount --rbind /dev "$ROOT/dev" || die "bind /dev"
mount --make-rslave "$ROOT/dev" || die "make $ROOT/dev a slave"
if [ -n "$CACHE" ]; then
	mount --bind "$CACHE/apt" "$ROOT/var/cache/apt/archives" || die "bind the apt cache"
fi

in_root() {
	env -i HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 CI=true \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		chroot "$ROOT" "$@"
}

say "cloning $SHA"
mkdir -p "$ROOT/mnt/xpf.git"
mount --bind -o ro "$GIT_DIR_OF_REPO" "$ROOT/mnt/xpf.git" || die "bind $GIT_DIR_OF_REPO"
in_root git clone --quiet --no-checkout /mnt/xpf.git /root/xpf &&
	in_root git -C /root/xpf -c advice.detachedHead=false checkout --quiet "$SHA"
status=$?
umount "$ROOT/mnt/xpf.git"
[ "$status" = 0 ] || die "git clone in the root"

# In the background, so that the TERM of the time bound reaches the trap at once; its output
# goes through a file so that a process it leaves behind holding the output open does not
# hold this script too.
say "running as root in /root/xpf: ${COMMAND[*]}"
phase_start=$SECONDS
: >"$LOG"
in_root /bin/bash -c 'cd /root/xpf && exec "$@"' bash "${COMMAND[@]}" </dev/null >"$LOG" 2>&1 &
command_pid=$!
tail -n +1 -s 0.2 -f --pid="$command_pid" "$LOG" |
	while IFS= read -r line; do printf '[%s] %s\n' "$(elapsed)" "$line"; done &
printer_pid=$!
wait "$command_pid"
status=$?
wait "$printer_pid"
say "${COMMAND[*]}: exit $status after $((SECONDS - phase_start)) s"
[ "$status" = 0 ]
