// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The floor of the live benchmark's allowed-traffic variant (scripts/bench): every frame goes
 * on to the stack, as xpf's verdict for allowed traffic does. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}
