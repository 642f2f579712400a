// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The load generator of the live benchmark (tests/bench/trafficgen.c): run with
 * BPF_PROG_TEST_RUN and BPF_F_TEST_XDP_LIVE_FRAMES, it transmits the frame it is handed. A test
 * run turns XDP_TX into a redirect out of the interface it is bound to (net/bpf/test_run.c),
 * here one end of a veth pair, so the frame arrives at the peer in the receiving namespace.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("xdp")
int xdp_transmit(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_TX;
}
