#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Reloads under load: two streams of 64-byte frames (tests/bench/trafficgen) into a veth
# carrying xpf — allowed frames (198.51.100.7 → VIP:443 ACK, the table's Internal Clients row)
# and denied ones (203.0.113.200 → VIP:3389 SYN, default drop) — while `xpf reload` alternates
# between two site files that differ in other rows, hundreds of times (250, about 40 s here).
# Each stream's generator is pinned to its own CPU, so that its frames land on their own queue
# of the two-queue veth and every per-queue counter below is per stream:
#  - the receiving veth's XDP counters (ethtool -S): every delivered frame seen by XDP, no
#    allowed frame dropped, every denied one, none dropped by the veth outside XDP;
#  - xpf's counters: the allowed row counts every allowed frame that reached XDP (carried over
#    every reload), the default reason every denied one, and nothing else is counted.
# The generator's source (XPF_TRAFFIC_SOURCE: auto, the default, live or afpacket) decides
# where a frame that did not reach the receiver is counted:
#  - live frames (BPF_F_TEST_XDP_LIVE_FRAMES) enter through ndo_xdp_xmit: the sending veth
#    counts each one delivered (tx_queue_N_xdp_xmit) or refused, its peer's ring full
#    (tx_queue_N_xdp_xmit_errors);
#  - AF_PACKET frames enter through ndo_start_xmit: each refused one fails its send, so the
#    generator counts it, and the sending veth counts it in its tx_dropped; the others reach the
#    peer's queue of the sender's CPU.
# Refused frames are reported and kept out of the comparison.
# Prints: the source, reloads, frames sent/delivered per stream, dropped/admitted wrongly.
. "$(dirname "$0")/lib.sh"
e2e_init reload_under_load 170

# Reloads until TARGET_RELOADS are done (about 40 s here), at most MAX_SECONDS on a busy machine;
# the streams run as long as the reloads do.
TARGET_RELOADS=${XPF_RELOADS:-250}
MIN_RELOADS=200
MAX_SECONDS=110
GEN=$E2E_ROOT/build/tests/bench/trafficgen
GEN_OBJ=$E2E_ROOT/build/tests/bench/trafficgen.bpf.o
case $XPF in */xpf) GEN=$(dirname "$XPF")/tests/bench/trafficgen; GEN_OBJ=$GEN.bpf.o ;; esac
[ -x "$GEN" ] && [ -e "$GEN_OBJ" ] || die "no $GEN (make bench-build)"
[ "$(nproc)" -ge 2 ] || die "needs two CPUs (one per stream)"
SOURCE=${XPF_TRAFFIC_SOURCE:-auto}
case $SOURCE in
auto|live|afpacket) ;;
*) die "XPF_TRAFFIC_SOURCE=$SOURCE: auto, live or afpacket" ;;
esac

# Two queues: each stream lands on its own (below).
e2e_stream_pair rul 2

# Site A: the Director's. Site B: two more rows, neither about the two streams.
SITE_A=$E2E_TMP/a.site
SITE_B=$E2E_TMP/b.site
cp "$E2E_ROOT/examples/director.site" "$SITE_A"
{
	cat "$SITE_A"
	echo "allow  RDP/TCP 3389 | Admin workstations | Director | site B"
	echo "deny   HTTPS/TCP 443 | 198.51.100.8 | Director Hardware Load Balancer VIP | site B"
} >"$SITE_B"
chmod 0644 "$SITE_A" "$SITE_B"

rx_xpf() { ip netns exec "$NS_RX" timeout 30 "$XPF" "$@"; }
# stat NS IFACE NAME: one ethtool -S counter.
stat() { ip netns exec "$1" ethtool -S "$2" | awk -v n="$3:" '$1 == n { print $2 }'; }
# The sending veth's tx_dropped: the frames it refused in ndo_start_xmit.
tx_dropped() { ip netns exec "$NS_GEN" cat /sys/class/net/gen0/statistics/tx_dropped; }
# generate CPU KIND SECONDS SOURCE: one generator run; prints FRAMES SECONDS SOURCE REFUSED.
generate() {
	ip netns exec "$NS_GEN" taskset -c "$1" nice -n 19 "$GEN" -i gen0 -d "$RX_MAC" -k "$2" \
		-t "$3" -s "$4" -b "$GEN_OBJ"
}

rx_xpf load -c "$SITE_A" -m native rx0 >/dev/null || die "load"

# Which source the generator takes here (auto: live frames where the kernel allows them);
# both streams then use it, and this probe's frames are in no baseline below.
probe=$(generate 0 allowed 0.01 "$SOURCE" 2>"$E2E_TMP/probe.err") ||
	die "traffic generator: $(cat "$E2E_TMP/probe.err")"
SOURCE=$(awk '{ print $3 }' <<<"$probe")
case $SOURCE in live|afpacket) ;; *) die "traffic generator printed '$probe'" ;; esac
e2e_log "traffic source: $SOURCE"
sleep 0.3	# the receiver's NAPI drains its rings

# Baselines: whatever passed before the streams is not theirs.
declare -A BASE
base() { BASE[$1]=$(stat "$2" "$3" "$1"); }
for q in 0 1; do
	for counter in tx_queue_${q}_xdp_xmit_errors tx_queue_${q}_xdp_xmit; do
		base "$counter" "$NS_GEN" gen0
	done
	for counter in rx_queue_${q}_xdp_packets rx_queue_${q}_xdp_drops rx_queue_${q}_drops; do
		base "$counter" "$NS_RX" rx0
	done
done
tx_dropped_before=$(tx_dropped)
OUT=$(rx_xpf stats -j rx0) || die "stats"
interface_json >"$E2E_TMP/before.json"
# The counters xpf is held to: the allowed row, the default reason, all reasons.
ROW_ALLOWED='sum(r["packets"] for r in d["rules"] if r["source"] == "Internal Clients"
	and r["port"] == 443 and r["action"] == "allow")'
REASON_DEFAULT='d["reasons"]["default"]["packets"]'
REASON_TOTAL='sum(r["packets"] for r in d["reasons"].values())'
row_allowed_before=$(json "$E2E_TMP/before.json" "$ROW_ALLOWED")
reason_default_before=$(json "$E2E_TMP/before.json" "$REASON_DEFAULT")
reason_total_before=$(json "$E2E_TMP/before.json" "$REASON_TOTAL")
# delta NS IFACE NAME: a counter's growth since its baseline.
delta() { echo $(($(stat "$1" "$2" "$3") - BASE[$3])); }

# Which queue each stream lands on: the sender's CPU modulo the queue count (veth_xdp_xmit for
# live frames; the packet socket's queue pick for AF_PACKET). Each stream is the generator run
# again, 2 s at a time, until the reloads are done; every run prints what it sent.
stream() {	# stream CPU KIND
	while [ ! -e "$E2E_TMP/stop" ]; do
		# The generators yield to the reloads (nice): a reload is a short burst of work, and
		# it is the reloads, not the rate, that this test is about.
		generate "$1" "$2" 2 "$SOURCE" >>"$E2E_TMP/$2.out" 2>"$E2E_TMP/$2.err" || return 1
	done
}
e2e_log "streams: allowed from CPU 0 (queue 0), denied from CPU 1 (queue 1), while $TARGET_RELOADS reloads run"
stream 0 allowed &
gen_allowed=$!
stream 1 denied &
gen_denied=$!

reloads=0
reload_failures=0
removed_reported=0
start=$SECONDS
while [ "$reloads" -lt "$TARGET_RELOADS" ] && [ $((SECONDS - start)) -lt "$MAX_SECONDS" ]; do
	site=$SITE_A
	[ $((reloads % 2)) = 0 ] && site=$SITE_B
	if out=$(rx_xpf reload -c "$site" rx0 2>&1); then
		reloads=$((reloads + 1))
		grep -q "removed rule" <<<"$out" && removed_reported=$((removed_reported + 1))
	else
		reload_failures=$((reload_failures + 1))
		echo "reload failed: $out"
	fi
done
reload_seconds=$((SECONDS - start))
touch "$E2E_TMP/stop"
wait "$gen_allowed" || die "allowed stream: $(cat "$E2E_TMP/allowed.err")"
wait "$gen_denied" || die "denied stream: $(cat "$E2E_TMP/denied.err")"
sleep 0.3	# the receiver's NAPI drains its rings
# sum KIND FIELD: a column of a stream's runs, summed.
sum() { awk -v f="$2" '{ n += $f } END { print n + 0 }' "$E2E_TMP/$1.out"; }
sent_allowed=$(sum allowed 1)
sent_denied=$(sum denied 1)
sources=$(awk '{ print $3 }' "$E2E_TMP/allowed.out" "$E2E_TMP/denied.out" | sort -u | tr '\n' ' ')

if [ "$SOURCE" = live ]; then
	refused_allowed=$(delta "$NS_GEN" gen0 tx_queue_0_xdp_xmit_errors)
	refused_denied=$(delta "$NS_GEN" gen0 tx_queue_1_xdp_xmit_errors)
	delivered_allowed=$(delta "$NS_GEN" gen0 tx_queue_0_xdp_xmit)
	delivered_denied=$(delta "$NS_GEN" gen0 tx_queue_1_xdp_xmit)
else
	refused_allowed=$(sum allowed 4)
	refused_denied=$(sum denied 4)
	delivered_allowed=$((sent_allowed - refused_allowed))
	delivered_denied=$((sent_denied - refused_denied))
	veth_refused=$(($(tx_dropped) - tx_dropped_before))
	live_frames=$(($(delta "$NS_GEN" gen0 tx_queue_0_xdp_xmit) +
		       $(delta "$NS_GEN" gen0 tx_queue_1_xdp_xmit)))
fi
seen_allowed=$(delta "$NS_RX" rx0 rx_queue_0_xdp_packets)
seen_denied=$(delta "$NS_RX" rx0 rx_queue_1_xdp_packets)
dropped_allowed=$(delta "$NS_RX" rx0 rx_queue_0_xdp_drops)
dropped_denied=$(delta "$NS_RX" rx0 rx_queue_1_xdp_drops)
veth_drops=$(($(delta "$NS_RX" rx0 rx_queue_0_drops) + $(delta "$NS_RX" rx0 rx_queue_1_drops)))
admitted_denied=$((seen_denied - dropped_denied))

OUT=$(rx_xpf stats -j rx0) || die "stats"
interface_json >"$E2E_TMP/stats.json"
row_allowed=$(($(json "$E2E_TMP/stats.json" "$ROW_ALLOWED") - row_allowed_before))
reason_default=$(($(json "$E2E_TMP/stats.json" "$REASON_DEFAULT") - reason_default_before))
reason_total=$(($(json "$E2E_TMP/stats.json" "$REASON_TOTAL") - reason_total_before))

echo "traffic source: $SOURCE"
echo "reloads: $reloads in ${reload_seconds}s ($reload_failures failed, $removed_reported reported removed rules)"
echo "allowed: sent $sent_allowed, refused by the veth $refused_allowed, delivered $delivered_allowed, seen by XDP $seen_allowed, dropped $dropped_allowed, counted on its row $row_allowed"
echo "denied:  sent $sent_denied, refused by the veth $refused_denied, delivered $delivered_denied, seen by XDP $seen_denied, dropped $dropped_denied, admitted $admitted_denied, counted as default $reason_default"
echo "frames lost/admitted wrongly: $dropped_allowed/$admitted_denied"

check "hundreds of reloads: $reloads >= $MIN_RELOADS, none failed" \
	test "$reloads" -ge "$MIN_RELOADS" -a "$reload_failures" = 0
check "every reload back to site A reported the rows B had added ($removed_reported of $reloads)" \
	test "$removed_reported" = $((reloads / 2))
check "both streams ran (allowed $sent_allowed, denied $sent_denied frames)" \
	test "$sent_allowed" -gt 0 -a "$sent_denied" -gt 0
assert_eq "every generator run used the $SOURCE source" "$SOURCE " "$sources"
if [ "$SOURCE" = live ]; then
	assert_eq "every allowed frame sent is delivered or refused by the ring" "$sent_allowed" \
		"$((delivered_allowed + refused_allowed))"
	assert_eq "every denied frame sent is delivered or refused by the ring" "$sent_denied" \
		"$((delivered_denied + refused_denied))"
else
	assert_eq "the veth counted every frame the generators saw refused (tx_dropped)" \
		"$((refused_allowed + refused_denied))" "$veth_refused"
	assert_eq "no frame came through ndo_xdp_xmit" 0 "$live_frames"
fi
assert_eq "XDP saw every delivered allowed frame (queue 0)" "$delivered_allowed" "$seen_allowed"
assert_eq "XDP saw every delivered denied frame (queue 1)" "$delivered_denied" "$seen_denied"
assert_eq "the receiving veth dropped nothing outside XDP" 0 "$veth_drops"
assert_eq "zero allowed frames dropped" 0 "$dropped_allowed"
assert_eq "zero denied frames admitted" 0 "$admitted_denied"
assert_eq "the allowed row counted every allowed frame, across $reloads reloads" \
	"$delivered_allowed" "$row_allowed"
assert_eq "the default reason counted every denied frame" "$delivered_denied" "$reason_default"
assert_eq "xpf counted nothing else" "$((delivered_allowed + delivered_denied))" "$reason_total"
e2e_finish
