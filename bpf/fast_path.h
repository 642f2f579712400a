/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The XDP program's fast path (included by bpf/xpf.bpf.c): the frames most traffic is,
 * decided with their fields in registers instead of a struct packet on the stack. It takes a
 * frame with at most two VLAN tags, then IPv4 (options skipped) or IPv6 with at most one
 * hop-by-hop, routing or destination options header, then TCP or UDP, not a fragment, its IP
 * packet and TCP or UDP header whole in the first buffer, when a rule set is in force, not in
 * audit mode, and (explain variant) no `xpf explain` request is in the metadata. Every frame else,
 * and every frame it would find malformed, goes whole to the general path (general_path() in
 * bpf/xpf.bpf.c): the fast path never decides what the general path would decide otherwise
 * (tests/bpf run each verdict through both, active.general_only).
 *
 * The bytes it counts are the first buffer's: it takes only frames whose IP packet ends there.
 */
#ifndef XPF_FAST_PATH_H
#define XPF_FAST_PATH_H

#define FAST_PATH_NOT_TAKEN (-1)

/* @to - @from of two packet pointers, as a scalar: subtracted in 64 bits, since clang would
 * otherwise keep a packet pointer's low 32 bits for later, a spill the verifier refuses. */
static __always_inline __u32 packet_offset(void *from, void *to)
{
	long offset = to - from;

	barrier_var(offset);
	return offset;
}

/* What a recorded drop of the fast path needs beyond its verdict: the IP header it read its
 * addresses from (read again there, on the rare path) and the offsets record_drop() reads its
 * ports at. */
struct fast_drop {
	void *ip;
	__u32 l4_offset;
	__u32 ip_end_offset;
	__u8 family;
	__u8 protocol;
};

/* A drop worth recording (denied_weight(), log_may_have_room()): its summary written from the
 * IP header, as summarize_drop() writes the general path's. */
static __always_inline void fast_record_drop(struct xdp_md *ctx, const struct xpf_config *cfg,
					     const struct verdict *v, __u32 bytes, __u64 now,
					     __u32 weight, const struct fast_drop *info)
{
	struct drop_summary *drop = drop_scratch();

	if (!drop)
		return;
	drop->now = now;
	drop->weight = weight;
	drop->log_tolerance_ns = cfg->log_tolerance_ns;
	drop->reason = v->reason;
	drop->rule_id = v->rule_id;
	drop->bytes = bytes;
	drop->log_rate = cfg->log_rate;
	drop->l4_offset = info->l4_offset;
	drop->ip_end_offset = info->ip_end_offset;
	drop->family = info->family;
	drop->protocol = info->protocol;
	drop->flags = 0;
	drop->pad = 0;
	drop->source_port = 0;
	drop->dest_port = 0;
	__builtin_memset(drop->source, 0, 16);
	__builtin_memset(drop->destination, 0, 16);
	if (info->family == AF_INET) {
		struct iphdr *ip = info->ip;

		__builtin_memcpy(drop->source, &ip->saddr, 4);
		__builtin_memcpy(drop->destination, &ip->daddr, 4);
	} else {
		struct ipv6hdr *ip6 = info->ip;

		__builtin_memcpy(drop->source, &ip6->saddr, 16);
		__builtin_memcpy(drop->destination, &ip6->daddr, 16);
	}
	record_drop(ctx, drop);
}

/* The fast path's exit, record() without audit and explain: the reason counted, the rule
 * too; a drop goes to the denied record and the log only when denied_weight() or the log's
 * bucket asks for it, which under a flood is one drop in many. */
static __always_inline int fast_record(struct xdp_md *ctx, const struct xpf_config *cfg,
				       struct xpf_cpu_state *state, __u64 now, struct verdict v,
				       __u32 bytes, const struct fast_drop *info)
{
	__u32 weight;

	count_reason(state, v.reason, bytes, now, 0);
	if (v.reason == XPF_REASON_RULE)
		count_rule(v.rule_id, bytes, now, 0);
	if (v.action != XPF_ACTION_DROP)
		return XDP_PASS;
	weight = denied_weight(state);
	if (weight || log_may_have_room(state, cfg, now))
		fast_record_drop(ctx, cfg, &v, bytes, now, weight, info);
	return XDP_DROP;
}

/* The local IPv4 address @daddr (network order) and its classes: lookup_local_address() with
 * the address in a register. */
static __always_inline int fast_local4(__u32 generation, const struct xpf_config *cfg,
				       __u32 daddr, struct xpf_local_value **local)
{
	struct xpf_local_slot *slot;
	__u32 index;

	if (!cfg->local_slot_shift) {
		*local = lookup_local_hash(generation, AF_INET, (const __u8 *)&daddr);
		return *local != NULL;
	}
	index = generation * XPF_LOCAL_SLOTS +
		((daddr * cfg->local_multipliers[0]) >> (cfg->local_slot_shift & 31) &
		 (XPF_LOCAL_SLOTS - 1));
	slot = bpf_map_lookup_elem(&local_slots, &index);
	if (!slot || slot->family != AF_INET || *(__u32 *)slot->addr != daddr)
		return 0;
	*local = &slot->value;
	return 1;
}

/* The TCP or UDP header at @l4 into @q: 0 where the fast path does not take it (not whole in
 * the first buffer and the IP packet, TCP data offset < 5, UDP length < 8 or past the IP
 * packet: the general path decides those). */
static __always_inline int fast_ports(void *l4, void *ip_end, void *data_end,
				      struct reply_query *q)
{
	if (q->protocol == IPPROTO_TCP) {
		struct tcphdr *tcp = l4;

		if ((void *)(tcp + 1) > opaque_end(data_end) || (void *)(tcp + 1) > ip_end)
			return 0;
		if (tcp->doff < 5 || l4 + tcp->doff * 4 > ip_end)
			return 0;
		q->remote_port = bpf_ntohs(tcp->source);
		q->local_port = bpf_ntohs(tcp->dest);
		q->tcp_flags = ((__u8 *)tcp)[13];
		return 1;
	}
	struct udphdr *udp = l4;

	if ((void *)(udp + 1) > opaque_end(data_end) || (void *)(udp + 1) > ip_end)
		return 0;
	if (bpf_ntohs(udp->len) < sizeof(*udp) || l4 + bpf_ntohs(udp->len) > ip_end)
		return 0;
	q->remote_port = bpf_ntohs(udp->source);
	q->local_port = bpf_ntohs(udp->dest);
	q->tcp_flags = 0;
	return 1;
}

/* IPv4, not a fragment, TCP or UDP, whole in the first buffer. Options are skipped whole, as
 * the general path skips them (never interpreted). */
static __always_inline int fast_ipv4(struct xdp_md *ctx, __u32 generation,
				     const struct xpf_config *cfg, void *ip_start)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
	struct fast_drop info = { .ip = ip_start, .family = AF_INET };
	struct iphdr *ip = ip_start;
	struct xpf_local_value *local;
	struct xpf_cpu_state *state;
	__u32 saddr, daddr, source[4] = {}, dest[4] = {};
	struct reply_query q = { .family = AF_INET };
	void *ip_end, *l4;
	__u32 bytes;
	__u64 now;
	__u8 version_ihl;

	if ((void *)(ip + 1) > data_end)
		return FAST_PATH_NOT_TAKEN;
	version_ihl = *(__u8 *)ip;
	if (version_ihl >> 4 != 4 || (version_ihl & 0xf) < 5)
		return FAST_PATH_NOT_TAKEN;
	if (ip->frag_off & bpf_htons(IPV4_MORE_FRAGMENTS | IPV4_OFFSET_MASK))
		return FAST_PATH_NOT_TAKEN;
	q.protocol = ip->protocol;
	if (q.protocol != IPPROTO_TCP && q.protocol != IPPROTO_UDP)
		return FAST_PATH_NOT_TAKEN;
	l4 = ip_start + (version_ihl & 0xf) * 4;
	ip_end = ip_start + bpf_ntohs(ip->tot_len);
	if (ip_end > data_end || ip_end < l4)
		return FAST_PATH_NOT_TAKEN;
	info.protocol = q.protocol;
	bytes = packet_offset(data, data_end);
	info.l4_offset = packet_offset(data, l4);
	info.ip_end_offset = packet_offset(data, ip_end);
	saddr = ip->saddr;
	daddr = ip->daddr;
	state = this_cpu_state();
	now = coarse_now(state);
	if (!fast_local4(generation, cfg, daddr, &local))
		return fast_record(ctx, cfg, state, now,
				   decided(cfg->policy_other, XPF_REASON_NOT_LOCAL),
				   bytes, &info);
	if (!fast_ports(l4, ip_end, data_end, &q))
		return FAST_PATH_NOT_TAKEN;
	source[0] = saddr;
	dest[0] = daddr;
	q.remote = (const __u8 *)source;
	q.local = (const __u8 *)dest;
	q.remote_fold = saddr;
	return fast_record(ctx, cfg, state, now, decide_ports(generation, cfg, &q, local, now, 1),
			   bytes, &info);
}

/* IPv6 whose next header is TCP or UDP, or one hop-by-hop, routing or destination options
 * header and then TCP or UDP, whole in the first buffer. Other chains (fragments, AH, more
 * headers) go to the general path. */
static __always_inline int fast_ipv6(struct xdp_md *ctx, __u32 generation,
				     const struct xpf_config *cfg, void *ip_start)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
	struct fast_drop info = { .ip = ip_start, .family = AF_INET6 };
	struct ipv6hdr *ip6 = ip_start;
	struct xpf_local_value *local;
	struct xpf_cpu_state *state;
	__u64 source[2], dest[2];
	struct reply_query q = { .family = AF_INET6 };
	void *ip_end, *l4;
	__u32 bytes;
	__u64 now;

	if ((void *)(ip6 + 1) > data_end || ip6->version != 6)
		return FAST_PATH_NOT_TAKEN;
	ip_end = (void *)(ip6 + 1) + bpf_ntohs(ip6->payload_len);
	if (ip_end > data_end)
		return FAST_PATH_NOT_TAKEN;
	q.protocol = ip6->nexthdr;
	l4 = ip6 + 1;
	if (q.protocol == IPPROTO_HOPOPTS || q.protocol == IPPROTO_ROUTING ||
	    q.protocol == IPPROTO_DSTOPTS) {
		struct ipv6_ext_header *ext = l4;

		if ((void *)(ext + 1) > opaque_end(data_end) || (void *)(ext + 1) > ip_end)
			return FAST_PATH_NOT_TAKEN;
		q.protocol = ext->next_header;
		l4 += (ext->length + 1) * 8;
		if (l4 > ip_end)
			return FAST_PATH_NOT_TAKEN;
	}
	if (q.protocol != IPPROTO_TCP && q.protocol != IPPROTO_UDP)
		return FAST_PATH_NOT_TAKEN;
	info.protocol = q.protocol;
	bytes = packet_offset(data, data_end);
	info.l4_offset = packet_offset(data, l4);
	info.ip_end_offset = packet_offset(data, ip_end);
	__builtin_memcpy(source, &ip6->saddr, 16);
	__builtin_memcpy(dest, &ip6->daddr, 16);
	state = this_cpu_state();
	now = coarse_now(state);
	if (!lookup_local_address(generation, cfg, AF_INET6, (const __u8 *)dest, &local))
		return fast_record(ctx, cfg, state, now,
				   decided(cfg->policy_other, XPF_REASON_NOT_LOCAL),
				   bytes, &info);
	if (!fast_ports(l4, ip_end, data_end, &q))
		return FAST_PATH_NOT_TAKEN;
	q.remote = (const __u8 *)source;
	q.local = (const __u8 *)dest;
	q.remote_fold = address_fold((const __u8 *)source);
	return fast_record(ctx, cfg, state, now, decide_ports(generation, cfg, &q, local, now, 1),
			   bytes, &info);
}

/* The rule set in force, the link header, then the fast path by family: the frame's XDP
 * action, or FAST_PATH_NOT_TAKEN for general_path() to decide it. A global function beside
 * general_path(), not around it: the verifier adds the stacks of a call chain, and the two
 * together would pass its 512 bytes. */
__noinline int fast_path(struct xdp_md *ctx)
{
	void *data, *data_end;
	struct xpf_active *image;
	struct xpf_config *cfg;
	__u32 zero = 0, generation;
	struct ethhdr *eth;
	void *pos;
	__be16 proto;

	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	pos = eth + 1;
#ifdef XPF_EXPLAIN
	/* Room for a request of `xpf explain` in front of the frame: general_path() answers it. */
	if ((void *)(long)ctx->data_meta + sizeof(struct xpf_explain) <= data)
		return FAST_PATH_NOT_TAKEN;
#endif
	image = bpf_map_lookup_elem(&active, &zero);
	if (!image || image->general_only)
		return FAST_PATH_NOT_TAKEN;
	generation = image->generation & 1;
	cfg = bpf_map_lookup_elem(&config, &generation);
	if (!cfg || !cfg->loaded || cfg->audit)
		return FAST_PATH_NOT_TAKEN;
	if (pos > data_end)
		return FAST_PATH_NOT_TAKEN;
	proto = eth->h_proto;
#pragma unroll
	for (int i = 0; i < XPF_MAX_VLAN_TAGS; i++) {
		struct vlan_tag *tag = pos;

		if (proto != bpf_htons(ETH_P_8021Q_TAG) && proto != bpf_htons(ETH_P_8021AD_TAG))
			break;
		if ((void *)(tag + 1) > data_end)
			return FAST_PATH_NOT_TAKEN;
		proto = tag->encapsulated_proto;
		pos = tag + 1;
	}
	if (proto == bpf_htons(ETH_P_IP))
		return fast_ipv4(ctx, generation, cfg, pos);
	if (proto == bpf_htons(ETH_P_IPV6))
		return fast_ipv6(ctx, generation, cfg, pos);
	return FAST_PATH_NOT_TAKEN;
}

#endif /* XPF_FAST_PATH_H */
