// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The least a port filter can be: the live benchmark's reference (scripts/bench, part 2).
 * Ethernet, IPv4 without options and TCP only; the destination compared with the host's one
 * address; the destination port's verdict read from a constant bit set; one per-CPU counter of
 * packets, bytes and last-seen time for each verdict. No VLAN, IPv6, fragments, source
 * prefixes, generations, reason counters, denied record or drop log.
 *
 * Any filter that decides by port and counts what it decides costs at least this much a frame
 * on the same harness, so the room a live target leaves is measured against it in every run.
 * Everything that is not a TCP segment for the host passes, as in xpf.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define HOST_ADDRESS 0xc0000264	/* 192.0.2.100, where tests/bench/trafficgen.c sends */
#define ADMIT(port) [(port) / 64] = 1ull << ((port) % 64)

/* The Director's TCP ports to the HLB VIP and the pool (examples/director.site), the set
 * xdp-filter is given in the same benchmark. 50001-50003 share one word. */
static const __u64 admitted_ports[65536 / 64] = {
	ADMIT(22), ADMIT(80), ADMIT(443), ADMIT(4443), ADMIT(5061), ADMIT(8080),
	[50001 / 64] = 1ull << (50001 % 64) | 1ull << (50002 % 64) | 1ull << (50003 % 64),
};

struct verdict_counter {
	__u64 packets;
	__u64 bytes;
	__u64 last_seen;	/* jiffies */
};

/* [0] dropped, [1] admitted */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct verdict_counter);
} verdicts SEC(".maps");

SEC("xdp")
int xdp_least_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct tcphdr *tcp = (void *)(ip + 1);
	struct verdict_counter *counter;
	__u32 port, admitted;

	if ((void *)(tcp + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    *(__u8 *)ip != 0x45 || ip->protocol != IPPROTO_TCP ||
	    ip->daddr != bpf_htonl(HOST_ADDRESS))
		return XDP_PASS;
	port = bpf_ntohs(tcp->dest);
	admitted = admitted_ports[port / 64] >> (port % 64) & 1;
	counter = bpf_map_lookup_elem(&verdicts, &admitted);
	if (counter) {
		counter->packets++;
		counter->bytes += data_end - data;
		counter->last_seen = bpf_jiffies64();
	}
	return admitted ? XDP_PASS : XDP_DROP;
}
