// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * xpf egress: remembers the TCP and UDP flows the host opens, so that the XDP program admits
 * their replies (docs/design.md, "Replies without conntrack"). It never drops anything.
 *
 * Cost per packet: one parse, one local-address lookup, one flow lookup; an entry is written
 * when a flow starts, when its TCP state changes, and otherwise at most once per
 * XPF_FLOW_REFRESH_NS, so a busy flow does not turn every packet into a shared write.
 */
#include <linux/pkt_cls.h>

#include "shared_maps.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

static __always_inline __u32 next_tcp_state(__u32 state, __u8 flags)
{
	if (flags & (TCP_FLAG_FIN | TCP_FLAG_RST))
		return XPF_FLOW_TCP_CLOSING;
	if (state == XPF_FLOW_TCP_SYN_SENT && (flags & TCP_FLAG_ACK))
		return XPF_FLOW_TCP_ESTABLISHED;
	return state;
}

/* reply_hints (maps.h): raised to @now for the flow's remote side, written only when it
 * moves, so that the XDP program finds a hint at least as young as the flow's last_seen_ns. */
static __always_inline void hint_reply(const struct packet *pkt, __u16 remote_port, __u64 now)
{
	__u32 slot = xpf_reply_hint_slot(address_fold(pkt->destination), remote_port,
					 pkt->protocol);
	__u64 *hint = bpf_map_lookup_elem(&reply_hints, &slot);

	if (hint && *hint < now)
		*hint = now;
}

static __always_inline void track(const struct packet *pkt, __u16 source_port, __u16 dest_port)
{
	struct xpf_flow_key key = {
		.family = pkt->family,
		.protocol = pkt->protocol,
		.local_port = source_port,
		.remote_port = dest_port,
	};
	struct xpf_flow_value *flow, fresh = {};
	__u64 now = bpf_ktime_get_coarse_ns();
	__u32 state;
	__u8 flags = 0;

	__builtin_memcpy(key.local, pkt->source, 16);
	__builtin_memcpy(key.remote, pkt->destination, 16);

	if (pkt->protocol == IPPROTO_TCP) {
		flags = tcp_flags(pkt);
		/* A SYN without ACK is the host opening a flow; anything else only keeps alive a
		 * flow it opened before (a SYN-ACK answers someone else's flow: not tracked). */
		if ((flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) == TCP_FLAG_SYN) {
			fresh.last_seen_ns = now;
			fresh.state = XPF_FLOW_TCP_SYN_SENT;
			bpf_map_update_elem(&flows, &key, &fresh, BPF_ANY);
			hint_reply(pkt, dest_port, now);
			return;
		}
	}

	flow = bpf_map_lookup_elem(&flows, &key);
	if (!flow) {
		if (pkt->protocol != IPPROTO_UDP)
			return;
		fresh.last_seen_ns = now;
		fresh.state = XPF_FLOW_UDP;
		bpf_map_update_elem(&flows, &key, &fresh, BPF_NOEXIST);
		hint_reply(pkt, dest_port, now);
		return;
	}
	state = pkt->protocol == IPPROTO_TCP ? next_tcp_state(flow->state, flags) : flow->state;
	if (state != flow->state || now - flow->last_seen_ns >= XPF_FLOW_REFRESH_NS) {
		flow->state = state;
		flow->last_seen_ns = now;
		hint_reply(pkt, dest_port, now);
	}
}

SEC("tc")
int xpf_egress(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct xpf_local_value *local;
	const struct xpf_config *config_image;
	__u16 source_port, dest_port;
	__u32 generation;
	struct packet pkt = {};

	if (parse_packet(data, data_end, skb->len, &pkt, PARSE_EGRESS) != PARSE_OK)
		return TC_ACT_OK;
	if (pkt.protocol != IPPROTO_TCP && pkt.protocol != IPPROTO_UDP)
		return TC_ACT_OK;
	if (pkt.is_fragment && !pkt.is_first_fragment)
		return TC_ACT_OK;
	config_image = config_in_force(&generation);
	/* Only the host's own flows: not what it forwards for others. */
	if (!lookup_local_address(generation, config_image, pkt.family, pkt.source, &local))
		return TC_ACT_OK;
	if (read_ports(&pkt, &source_port, &dest_port))
		track(&pkt, source_port, dest_port);
	return TC_ACT_OK;
}
