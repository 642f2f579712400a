#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Jumbo frames on a real interface: a veth pair with MTU 9000, examples/director.site loaded
# in native mode (xdp.frags: the driver hands a frame past a page to the program in several
# buffers). Frames sent once each (scapy) and counted exactly:
#  - IPv4 TCP to 443 from an Internal Client with 8,000 bytes of data: its headers in the first
#    buffer; passes on the HTTPS row, counted with the whole frame's bytes;
#  - IPv6 SYNs behind a 2,048-byte hop-by-hop and a 2,048-byte destination options header, so
#    that the TCP header lies in a later buffer: to 443 it passes on the same row, to a port
#    no row names it is dropped as default (the header read with bpf_xdp_load_bytes);
#  - the same SYN cut 10 bytes into its TCP header (the payload length says so): malformed.
# Nothing is counted malformed but that one.
. "$(dirname "$0")/lib.sh"
e2e_init jumbo 90

e2e_stream_pair jb
ip -n "$NS_GEN" link set gen0 mtu 9000 || die "mtu 9000 on gen0"
ip -n "$NS_RX" link set rx0 mtu 9000 || die "mtu 9000 on rx0"

run_xpf "$NS_RX" load -c "$E2E_ROOT/examples/director.site" -m native rx0
[ "$RC" = 0 ] || die "xpf load -m native with MTU 9000: $ERR"

if ! ip netns exec "$NS_GEN" timeout 30 "$PY" - "$RX_MAC" >"$E2E_TMP/sent" 2>"$E2E_TMP/send.err" \
	<<'PY'
import sys
from scapy.all import (IP, TCP, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrHopByHop, Ether, PadN,
                       Raw, sendp)

mac = sys.argv[1]


def long_options(header):
    """An options header of 2,048 bytes: 8 PadN options of 255 bytes and its own 2, padded."""
    return header(options=[PadN(optdata=b"\0" * 253) for _ in range(8)])


def syn_behind_options(port):
    return (Ether(dst=mac) / IPv6(src="2001:db8:100::7", dst="2001:db8:1::100") /
            long_options(IPv6ExtHdrHopByHop) / long_options(IPv6ExtHdrDestOpt) /
            TCP(sport=51000, dport=port, flags="S"))


frames = {
    "v4_jumbo_443": Ether(dst=mac) / IP(src="198.51.100.7", dst="192.0.2.100") /
    TCP(sport=51000, dport=443, flags="PA") / Raw(b"x" * 8000),
    "v6_tcp_late_443": syn_behind_options(443),
    "v6_tcp_late_5555": syn_behind_options(5555),
}
cut = bytearray(bytes(syn_behind_options(443))[:-10])
payload_length = int.from_bytes(cut[18:20], "big") - 10
cut[18:20] = payload_length.to_bytes(2, "big")
frames["v6_tcp_late_cut"] = bytes(cut)
for name, frame in frames.items():
    data = bytes(frame)
    sendp(data, iface="gen0", verbose=False)
    print(name, len(data))
PY
then
	die "scapy: $(cat "$E2E_TMP/send.err")"
fi
bytes_of() { awk -v n="$1" '$1 == n { print $2 }' "$E2E_TMP/sent"; }
V4=$(bytes_of v4_jumbo_443)
V6=$(bytes_of v6_tcp_late_443)
V6_CLOSED=$(bytes_of v6_tcp_late_5555)
V6_CUT=$(bytes_of v6_tcp_late_cut)
check "the IPv6 TCP header lies past a page (frame of $V6 bytes)" test "$V6" -gt 4150

# The counters, once the four frames are there (a second at most).
for _ in $(seq 20); do
	run_xpf "$NS_RX" stats -j rx0
	interface_json >"$E2E_TMP/stats.json" 2>/dev/null || continue
	[ "$(json "$E2E_TMP/stats.json" 'sum(r["packets"] for r in d["reasons"].values())')" -ge 4 ] &&
		break
	sleep 0.1
done
reason() { json "$E2E_TMP/stats.json" "d['reasons'].get('$1', {}).get('$2', 0)"; }
https() { json "$E2E_TMP/stats.json" "sum(r['$1'] for r in d['rules'] if r['label'] == 'HTTPS/TCP 443')"; }

assert_eq "the HTTPS row counts the IPv4 jumbo frame and the IPv6 SYN to 443" 2 "$(https packets)"
assert_eq "... with every buffer's bytes" "$((V4 + V6))" "$(https bytes)"
assert_eq "the IPv6 SYN to 5555 is dropped as default" 1 "$(reason default packets)"
assert_eq "... counted with its bytes" "$V6_CLOSED" "$(reason default bytes)"
assert_eq "the SYN cut inside its TCP header is malformed, and nothing else" 1 \
	"$(reason malformed packets)"
assert_eq "... counted with its bytes" "$V6_CUT" "$(reason malformed bytes)"

# The denied record reads a drop's ports where decide() read them: from the later buffer.
run_xpf "$NS_RX" stats --denied -j rx0
interface_json >"$E2E_TMP/denied.json"
denied_at() { json "$E2E_TMP/denied.json" "sum(p['packets'] for p in d['ports'] if p.get('port') == $1)"; }
assert_eq "the denied record has the IPv6 SYN to 5555 under its port" 1 "$(denied_at 5555)"
assert_eq "... and no drop under port 0" 0 "$(denied_at 0)"
e2e_finish
