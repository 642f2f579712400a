// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * tc ingress, on the nft side of the differential test only: takes a second VLAN tag off a
 * frame, so that nft's netdev ingress hook sees the IP header of Q-in-Q frames as xpf does.
 * The kernel takes the first tag off before any hook (skb_vlan_untag into skb->vlan_tci);
 * Debian's test kernels may lack the 8021q module and act_vlan, so the kernel's own
 * bpf_skb_vlan_pop does the second: it clears the stored tag and moves the next one from the
 * frame into its place. A third tag stays in the frame, and nft counts it malformed.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_P_8021Q_TAG	 0x8100
#define ETH_P_8021AD_TAG 0x88A8

SEC("tc")
int vlan_pop(struct __sk_buff *skb)
{
	if (skb->vlan_present && (skb->protocol == bpf_htons(ETH_P_8021Q_TAG) ||
				  skb->protocol == bpf_htons(ETH_P_8021AD_TAG)))
		bpf_skb_vlan_pop(skb);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
