#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# A pool of two xpf boxes under a real Prometheus server (Debian's `prometheus`):
#  - two namespaces, box A (192.0.2.101) and box B (192.0.2.102), load one `local auto` site
#    file: `xpf status` (and `status -j`, `stats -j`) shows the same digest on both and each
#    box's own address; `check --host` shows B's from elsewhere;
#  - a third namespace holds the clients and Prometheus (on its loopback, a temp data dir),
#    which scrapes both boxes' `xpf exporter --listen` each second and evaluates
#    dist/prometheus/xpf.rules.yml;
#  - its HTTP API gives the pool's per-rule rates summed over both boxes (both counted, the
#    summed counter equal to the boxes' own `stats -j`), one digest, the digest each box shows;
#  - box B reloaded with another site: two digests (xpf_pool:digests = 2, XpfPolicyDrift
#    pending); box B's exporter stopped: up = 0 and XpfBoxDown pending;
#  - box A reloaded with --confirm and not confirmed: back on the pool's site, digest and
#    own address (the revert rebuilds the `local auto` site for the box).
. "$(dirname "$0")/lib.sh"
e2e_init prometheus_pool 150

NS_A=xpf-pa$$ NS_B=xpf-pb$$ NS_C=xpf-pc$$
A=192.0.2.101 B=192.0.2.102 MONITOR=192.0.2.1 CLIENT=198.51.100.20
EXPORTER_PORT=9469
RULES=$E2E_ROOT/dist/prometheus/xpf.rules.yml
SITE=$E2E_TMP/pool.site
OTHER_SITE=$E2E_TMP/other.site

e2e_on_exit "ip netns del $NS_A; ip netns del $NS_B; ip netns del $NS_C"
for ns in "$NS_A" "$NS_B" "$NS_C"; do
	ip netns add "$ns" || die "ip netns add $ns"
	ip -n "$ns" link set lo up
done
# The clients' namespace bridges the two boxes' links: one subnet for the pool.
ip -n "$NS_C" link add br0 type bridge && ip -n "$NS_C" link set br0 up || die "bridge"
for box in a b; do
	ns=$NS_A; [ $box = b ] && ns=$NS_B
	ip -n "$NS_C" link add "c$box" type veth peer name eth0 netns "$ns" || die "veth $box"
	ip -n "$NS_C" link set "c$box" master br0 up
	ip -n "$ns" link set eth0 up
done
ip -n "$NS_C" addr add "$MONITOR/24" dev br0
ip -n "$NS_C" addr add "$CLIENT/24" dev br0
ip -n "$NS_A" addr add "$A/24" dev eth0
ip -n "$NS_B" addr add "$B/24" dev eth0
for ns in "$NS_A" "$NS_B"; do
	ip -n "$ns" route add 198.51.100.0/24 via "$MONITOR" || die "route in $ns"
done

cat >"$SITE" <<'EOS'
# One site file for the whole pool: each box takes the roles that hold its addresses.
local  auto
role   Director = 192.0.2.101, 192.0.2.102
role   Internal Clients = 198.51.100.0/24
role   Monitoring = 192.0.2.1
allow  HTTPS/TCP 443 | Internal Clients | Director | the pool's service
allow  TCP 9469 | Monitoring | Director | Prometheus scrapes the exporter
policy default drop
EOS
{ cat "$SITE"; echo "deny   TCP 8443 | Any | Director | a row only box B has"; } >"$OTHER_SITE"

for ns in "$NS_A" "$NS_B"; do
	run_xpf "$ns" load -c "$SITE" eth0
	[ "$RC" = 0 ] || die "xpf load in $ns failed ($RC): $ERR"
done

e2e_log "one site file, two boxes"
run_xpf "$NS_A" status eth0
STATUS_A=$OUT
run_xpf "$NS_B" status eth0
STATUS_B=$OUT
DIGEST_A=$(sed -n 's/^  digest: //p' <<<"$STATUS_A")
DIGEST_B=$(sed -n 's/^  digest: //p' <<<"$STATUS_B")
assert_match "box A's digest is a SHA-256 ($DIGEST_A)" '^[0-9a-f]{64}$' "$DIGEST_A"
assert_eq "box B shows box A's digest" "$DIGEST_A" "$DIGEST_B"
assert_eq "box A enforces its own address" "  local:  $A" "$(grep '^  local:' <<<"$STATUS_A")"
assert_eq "box B enforces its own address" "  local:  $B" "$(grep '^  local:' <<<"$STATUS_B")"
run_xpf "$NS_A" check -c "$SITE"
assert_match "check on box A gives the loaded digest" "digest: $DIGEST_A" "$OUT"
run_xpf "$NS_B" -j status eth0
assert_eq "status -j on box B: the digest, its own address" "$DIGEST_A [\"$B\"]" \
	"$(jq -c -r '.interfaces[0] | "\(.digest) \(.locals)"' <<<"$OUT")"
run_xpf "$NS_A" -j stats eth0
assert_eq "stats -j on box A: the digest, its own address" "$DIGEST_A [\"$A\"]" \
	"$(jq -c -r '.interfaces[0] | "\(.digest) \(.locals)"' <<<"$OUT")"
run_xpf "$NS_C" check -c "$SITE" --host "$B"
assert_match "check --host B, from elsewhere: B's address" "this host \(local\): $B \(Director\)$" "$OUT"
assert_match "check --host B: the same digest" "digest: $DIGEST_A" "$OUT"
run_xpf "$NS_C" check -c "$SITE" --host 192.0.2.0/24
assert_eq "check --host with a prefix: a misuse" 2 "$RC"
assert_match "check --host with a prefix: says so" "an address, not a prefix" "$ERR"
run_xpf "$NS_C" check -c "$SITE" --host 203.0.113.9
assert_eq "check for a host no role holds: fails" 1 "$RC"
assert_match "check for a host no role holds: names the local line and the address" \
	"pool.site:2: \`local auto\`: no role holds an address of this host \(203.0.113.9\)" "$ERR"

EXPORTERS=()
for ns in "$NS_A" "$NS_B"; do
	addr=$A; [ "$ns" = "$NS_B" ] && addr=$B
	ip netns exec "$ns" "$XPF" exporter --listen "$addr:$EXPORTER_PORT" \
		>"$E2E_TMP/exporter-$ns.log" 2>&1 &
	EXPORTERS+=($!)
	e2e_on_exit "kill $!"
	lab_wait_listen "$ns" "$EXPORTER_PORT" || die "the exporter in $ns does not listen"
done

# Prometheus on the clients' loopback, on a port nothing there holds, its own data dir.
PROM_PORT=$(/usr/bin/python3 -c 'import random; print(random.randrange(20000, 30000))')
mkdir -p "$E2E_TMP/prometheus"
cat >"$E2E_TMP/prometheus.yml" <<EOC
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $RULES
scrape_configs:
  - job_name: xpf-pool
    static_configs:
      - targets: ['$A:$EXPORTER_PORT', '$B:$EXPORTER_PORT']
EOC
ip netns exec "$NS_C" timeout 140 prometheus --config.file="$E2E_TMP/prometheus.yml" \
	--storage.tsdb.path="$E2E_TMP/prometheus" --web.listen-address="127.0.0.1:$PROM_PORT" \
	--log.level=warn >"$E2E_TMP/prometheus.log" 2>&1 &
PROMETHEUS=$!
e2e_on_exit "kill $PROMETHEUS; wait $PROMETHEUS"
lab_wait_listen "$NS_C" "$PROM_PORT" || die "prometheus does not listen: $(tail -5 "$E2E_TMP/prometheus.log")"

# query PROMQL: the instant query's result, one "LABELS VALUE" line per series (sorted).
query() {
	ip netns exec "$NS_C" timeout 5 curl -sS -G "http://127.0.0.1:$PROM_PORT/api/v1/query" \
		--data-urlencode "query=$1" |
		jq -r 'if .status != "success" then "error: \(.error)" else
			.data.result[] | "\(.metric | del(.__name__) | to_entries | map("\(.key)=\(.value)") | join(",")) \(.value[1])" end' |
		sort
}
# query_value PROMQL: the value of a query that gives one series, empty otherwise.
query_value() { query "$1" | awk '{ n++; v = $NF } END { if (n == 1) print v }'; }
# until_value SECONDS PROMQL VALUE: polls until the query's one value is VALUE.
until_value() { e2e_poll "$1" eval "[ \"\$(query_value '$2')\" = '$3' ]"; }

e2e_log "both boxes scraped"
check "prometheus scrapes both boxes (up = 1 twice)" until_value 20 'sum(up{job="xpf-pool"})' 2

e2e_log "traffic from the clients to both boxes"
traffic() {	# traffic BOX COUNT: COUNT connection attempts to BOX:443 from the client address
	local i
	for i in $(seq "$2"); do
		ip netns exec "$NS_C" timeout 2 curl -s -o /dev/null --interface "$CLIENT" \
			"http://$1:443/" || true
	done
}
END=$((SECONDS + 4))
while [ $SECONDS -lt $END ]; do traffic "$A" 5; traffic "$B" 3; done

rule_packets() {	# rule_packets NS: the 443 row's packets in NS's `xpf stats -j`
	run_xpf "$1" stats -j eth0
	jq -r '.interfaces[0].rules[] | select(.port == 443) | .packets' <<<"$OUT"
}
PACKETS_A=$(rule_packets "$NS_A")
PACKETS_B=$(rule_packets "$NS_B")
check "box A's 443 row counted the clients ($PACKETS_A)" test "${PACKETS_A:-0}" -gt 0
check "box B's 443 row counted the clients ($PACKETS_B)" test "${PACKETS_B:-0}" -gt 0
TOTAL=$((PACKETS_A + PACKETS_B))
check "the pool's summed counter of the 443 row is both boxes' ($TOTAL)" \
	until_value 10 'sum by (port) (xpf_rule_packets_total{job="xpf-pool",port="443"})' "$TOTAL"
RATES=$(query 'sum by (rule, port) (rate(xpf_rule_packets_total{job="xpf-pool"}[20s]))')
e2e_log "the pool's rates per rule: $(tr '\n' ';' <<<"$RATES")"
RATE_443=$(awk '/port=443/ { print $NF }' <<<"$RATES")
check "the pool's 443 row has a rate ($RATE_443/s)" \
	awk -v r="${RATE_443:-0}" 'BEGIN { exit !(r > 0) }'
assert_eq "both boxes feed the 443 row's rate" 2 \
	"$(query_value 'count(rate(xpf_rule_packets_total{job="xpf-pool",port="443"}[20s]) > 0)')"
check "the recorded pool rate of the 443 row (xpf_pool:rule_packets:rate5m) is there" \
	e2e_poll 10 eval '[ -n "$(query_value "xpf_pool:rule_packets:rate5m{port=\"443\"} > 0")" ]'

e2e_log "one policy, then two"
assert_eq "one digest in the pool" "digest=$DIGEST_A 2" \
	"$(query 'count by (digest) (xpf_info{job="xpf-pool"})')"
check "xpf_pool:digests = 1" until_value 10 'xpf_pool:digests{job="xpf-pool"}' 1
run_xpf "$NS_B" reload -c "$OTHER_SITE" eth0
[ "$RC" = 0 ] || fail "reload of box B with another site: $RC $ERR"
run_xpf "$NS_B" status eth0
OTHER_DIGEST=$(sed -n 's/^  digest: //p' <<<"$OUT")
check "box B's digest changed ($OTHER_DIGEST)" test "$OTHER_DIGEST" != "$DIGEST_A"
check "xpf_pool:digests = 2 after box B's reload" until_value 10 'xpf_pool:digests{job="xpf-pool"}' 2
assert_eq "each box's digest, as its status says" \
	"$(printf 'digest=%s,instance=%s:%s 1\ndigest=%s,instance=%s:%s 1' \
		"$DIGEST_A" "$A" "$EXPORTER_PORT" "$OTHER_DIGEST" "$B" "$EXPORTER_PORT" | sort)" \
	"$(query 'count by (digest, instance) (xpf_info{job="xpf-pool"})')"
check "XpfPolicyDrift is pending" until_value 10 \
	'count(ALERTS{alertname="XpfPolicyDrift",alertstate="pending",job="xpf-pool"})' 1

e2e_log "a box down"
kill "${EXPORTERS[1]}"
check "up of box B = 0" until_value 10 "up{instance=\"$B:$EXPORTER_PORT\"}" 0
check "XpfBoxDown is pending for box B" until_value 10 \
	"count(ALERTS{alertname=\"XpfBoxDown\",alertstate=\"pending\",instance=\"$B:$EXPORTER_PORT\"})" 1
check "box A is still up" until_value 5 "up{instance=\"$A:$EXPORTER_PORT\"}" 1

e2e_log "an unconfirmed reload of a local-auto site reverts to it"
run_xpf "$NS_A" reload --confirm 2 -c "$OTHER_SITE" eth0
[ "$RC" = 0 ] || fail "reload --confirm 2 on box A: $RC $ERR"
digest_of() { run_xpf "$1" status eth0; sed -n 's/^  digest: //p' <<<"$OUT"; }
check "box A ran the other site's digest" test "$(digest_of "$NS_A")" = "$OTHER_DIGEST"
check "box A is back on the pool's digest within 6 s" \
	e2e_poll 6 eval '[ "$(digest_of "$NS_A")" = "$DIGEST_A" ]'
run_xpf "$NS_A" status eth0
assert_eq "box A, reverted, enforces its own address" "  local:  $A" "$(grep '^  local:' <<<"$OUT")"

for ns in "$NS_A" "$NS_B"; do run_xpf "$ns" unload eth0; done
e2e_finish
