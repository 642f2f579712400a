// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The floors of the benchmark (scripts/bench): programs that do nothing but return, so that
 * what xpf costs above them is xpf's own work. xdp_drop: the floor of the XDP program (test run
 * and live rate); tc_ok: the floor of the egress program.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_DROP;
}

SEC("tc")
int tc_ok(struct __sk_buff *skb)
{
	(void)skb;
	return TC_ACT_OK;
}
