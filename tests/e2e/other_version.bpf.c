// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What an xpf of another version leaves on an interface, as this one sees it: an XDP program
 * of xpf's name whose maps are not this version's (tests/e2e/test_iface_events.sh).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} active SEC(".maps");

SEC("xdp")
int xpf_xdp(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *seen = bpf_map_lookup_elem(&active, &zero);

	if (seen)
		__sync_fetch_and_add(seen, 1);
	return XDP_PASS;
}
