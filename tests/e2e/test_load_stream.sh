#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# No frame passes unjudged while xpf starts or stops: a stream of denied frames (203.0.113.200 →
# 192.0.2.100:3389 SYN, which no row admits: default drop) runs into a veth while `xpf load` and
# `xpf unload` alternate, CYCLES times, both ways xpf attaches: plain (ip netns exec, no bpffs)
# and behind libxdp's dispatcher (the host's mount namespace, bpffs). Each cycle:
#  - the receiving veth's XDP counters (ethtool -S, summed over its queues): every frame an
#    XDP program saw was dropped (the stream passes only while nothing is attached, where the
#    veth's XDP counters do not move);
#  - xpf's counters, read before the unload: nothing counted as unconfigured, nothing but the
#    default reason, and the default reason never more than the veth's XDP drops.
# The stream's source is the traffic generator's choice (live frames where the kernel allows them,
# else AF_PACKET; XPF_TRAFFIC_SOURCE=afpacket forces it): it says which.
. "$(dirname "$0")/lib.sh"
e2e_init load_stream 150

CYCLES=${XPF_LOAD_CYCLES:-5}
GEN=$E2E_ROOT/build/tests/bench/trafficgen
case $XPF in */xpf) GEN=$(dirname "$XPF")/tests/bench/trafficgen ;; esac
[ -x "$GEN" ] && [ -e "$GEN.bpf.o" ] || die "no $GEN (make bench-build)"

e2e_stream_pair ls
e2e_on_exit 'touch "$E2E_TMP/stop"'

SITE=$E2E_TMP/director.site
cp "$E2E_ROOT/examples/director.site" "$SITE"
chmod 0644 "$SITE"

# xdp_counter NAME: rx0's per-queue XDP counter NAME (xdp_packets, xdp_drops), summed.
xdp_counter() {
	ip netns exec "$NS_RX" ethtool -S rx0 |
		awk -v n="$1:" '$1 ~ /^rx_queue_[0-9]+_/ { sub(/^rx_queue_[0-9]+_/, "", $1) }
				$1 == n { s += $2 } END { print s + 0 }'
}

# The stream: the generator run again, a second at a time, until the cycles are done.
stream() {
	while [ ! -e "$E2E_TMP/stop" ]; do
		ip netns exec "$NS_GEN" "$GEN" -i gen0 -d "$RX_MAC" -k denied -t 1 -b "$GEN.bpf.o" \
			-s "${XPF_TRAFFIC_SOURCE:-auto}" \
			>>"$E2E_TMP/stream.out" 2>"$E2E_TMP/stream.err" || return 1
	done
}

# xpf_as WAY ARGS...: plain — under ip netns exec (no bpffs: a plain XDP attach); dispatcher —
# in the host's mount namespace (bpffs: libxdp's dispatcher).
xpf_as() {
	local way=$1
	shift
	if [ "$way" = dispatcher ]; then
		run_xpf_pinned "$NS_RX" "$@"
	else
		run_xpf "$NS_RX" "$@"
	fi
}

stream &
streaming=$!
# The stream is running before the first load: wait for its first frames to reach the veth.
for _ in $(seq 50); do
	[ "$(ip -n "$NS_RX" -j -s link show rx0 | jq '.[0].stats64.rx.packets')" -gt 0 ] && break
	sleep 0.1
done

for way in plain dispatcher; do
	seen_total=0
	dropped_total=0
	for ((cycle = 1; cycle <= CYCLES; cycle++)); do
		what="$way cycle $cycle"
		seen=$(xdp_counter xdp_packets)
		dropped=$(xdp_counter xdp_drops)
		xpf_as "$way" load -c "$SITE" -m native rx0
		[ "$RC" = 0 ] || die "$what: load: $ERR"
		sleep 0.3
		xpf_as "$way" stats -j rx0
		[ "$RC" = 0 ] || die "$what: stats: $ERR"
		interface_json >"$E2E_TMP/stats.json"
		xpf_as "$way" unload rx0
		[ "$RC" = 0 ] || die "$what: unload: $ERR"
		seen=$(($(xdp_counter xdp_packets) - seen))
		dropped=$(($(xdp_counter xdp_drops) - dropped))
		unconfigured=$(json "$E2E_TMP/stats.json" 'd["reasons"]["unconfigured"]["packets"]')
		default=$(json "$E2E_TMP/stats.json" 'd["reasons"]["default"]["packets"]')
		others=$(json "$E2E_TMP/stats.json" \
			'sum(r["packets"] for k, r in d["reasons"].items() if k != "default")')
		echo "$what: XDP saw $seen, dropped $dropped; xpf: default $default, other reasons $others"
		check "$what: the stream reached the filter ($seen frames)" test "$seen" -gt 0
		assert_eq "$what: every frame the veth's XDP saw was dropped" "$seen" "$dropped"
		assert_eq "$what: nothing counted as unconfigured" 0 "$unconfigured"
		assert_eq "$what: nothing counted but the default drop" 0 "$others"
		check "$what: xpf's default drops ($default) within the veth's ($dropped)" \
			test "$default" -gt 0 -a "$default" -le "$dropped"
		seen_total=$((seen_total + seen))
		dropped_total=$((dropped_total + dropped))
	done
	echo "$way: $CYCLES loads and unloads under the stream: $seen_total frames seen by XDP," \
		"$((seen_total - dropped_total)) passed"
done
touch "$E2E_TMP/stop"
wait "$streaming" || die "stream: $(cat "$E2E_TMP/stream.err")"
frames=$(awk '{ n += $1 } END { print n + 0 }' "$E2E_TMP/stream.out")
source=$(awk 'NF >= 3 { print $3; exit }' "$E2E_TMP/stream.out")
echo "stream: $frames denied frames sent (source: ${source:-live frames})"
e2e_finish
