# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Sourced by the e2e tests that tell two rule sets apart (never run): site A (the Director's)
# and site B (A, with 198.51.100.7 refused HTTPS to the VIP and the Admin workstations allowed
# RDP to the Director), and four frames whose verdicts name the set in force:
#   1 allowed by A and B    2 denied by both    3 A allows, B denies    4 A denies, B allows
# frames_make DIR: writes the sites (DIR/a.site, DIR/b.site) and the frames (DIR/1..4).
FRAMES_SET_A=PDPD
FRAMES_SET_B=PDDP
FRAMES_SET_NONE=PPPP	# no program, or audit mode

frames_make() {
	local dir=$1
	mkdir -p "$dir"
	cp "$E2E_ROOT/examples/director.site" "$dir/a.site"
	{
		cat "$dir/a.site"
		echo "deny   HTTPS/TCP 443 | 198.51.100.7 | Director Hardware Load Balancer VIP | site B"
		echo "allow  RDP/TCP 3389 | Admin workstations | Director | site B"
	} >"$dir/b.site"
	chmod 0644 "$dir/a.site" "$dir/b.site"
	"$PY" - "$dir" <<'PYEOF'
import sys
from scapy.all import Ether, IP, TCP, raw
frames = [
    ("198.51.100.10", "192.0.2.100", 443, "A"),
    ("203.0.113.200", "192.0.2.100", 3389, "S"),
    ("198.51.100.7", "192.0.2.100", 443, "A"),
    ("203.0.113.5", "192.0.2.101", 3389, "S"),
]
for n, (src, dst, port, flags) in enumerate(frames, 1):
    frame = Ether(dst="02:00:00:00:00:01") / IP(src=src, dst=dst) / TCP(sport=40000, dport=port, flags=flags)
    open(f"{sys.argv[1]}/{n}", "wb").write(raw(frame))
PYEOF
}

# frames_state NS IFACE PIN_DIR|- DIR: STATE (tests/e2e/xpf_state.py's line) and S_<field>.
# Fatal when xpf_state.py cannot tell the state (its error is said) or prints a line that is
# not the fields it promises: the test cannot judge what it does not see.
FRAMES_STATE_FIELDS="xdp name loaded spare egress pins verdicts"
frames_state() {
	local field value token
	STATE=$("$PY" "$E2E_ROOT/tests/e2e/xpf_state.py" "$1" "$2" "$3" \
		"$4/1" "$4/2" "$4/3" "$4/4" 2>"$E2E_TMP/xpf_state.err") ||
		die "tests/e2e/xpf_state.py $1 $2: $(head -c 600 "$E2E_TMP/xpf_state.err")"
	for field in $FRAMES_STATE_FIELDS; do
		unset "S_$field"
	done
	for token in $STATE; do
		field=${token%%=*}
		value=${token#*=}
		if [[ $token != *=* || " $FRAMES_STATE_FIELDS " != *" $field "* ||
		      ! $value =~ ^[A-Za-z0-9_.-]+$ ]]; then
			die "tests/e2e/xpf_state.py printed '$token', no field of its: '$STATE'"
		fi
		printf -v "S_$field" '%s' "$value"
	done
	for field in $FRAMES_STATE_FIELDS; do
		value=S_$field
		[ -n "${!value:-}" ] || die "tests/e2e/xpf_state.py printed no $field: '$STATE'"
	done
}
