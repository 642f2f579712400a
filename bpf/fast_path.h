/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The XDP program's fast path (included by bpf/xpf.bpf.c): the frames most traffic is,
 * decided with their fields in registers instead of a struct packet on the stack. It takes a
 * frame with at most two VLAN tags, then IPv4 (options skipped) or IPv6 with at most one
 * hop-by-hop, routing or destination options header, then TCP or UDP, not a fragment, its IP
 * packet and TCP or UDP header whole in the first buffer, when a rule set is in force, not in
 * audit mode, and (in the explain variant) no `xpf explain` request in the metadata. Every
 * other frame, and every frame it would find malformed, goes whole to the general path
 * (general_path() in bpf/xpf.bpf.c): the fast path never decides what the general path would
 * decide otherwise (tests/bpf run each verdict through both, in_force.general_only).
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

/* What a recorded drop of the fast path needs beyond its verdict, kept as scalars until a drop
 * is recorded (one drop in many under a flood): where its IP header starts, how long that
 * header (and IPv6's one extension header) is, and the IP packet's length. */
struct fast_drop {
	__u32 ip_offset;
	__u32 l4_length;	/* from the IP header to TCP or UDP */
	__u32 ip_length;	/* the IP packet's, per its header */
	__u8 family;
	__u8 protocol;
};

/* A drop worth recording (denied_weight(), log_may_have_room()): its summary written from the
 * IP header, read again here, as summarize_drop() writes the general path's. */
static __always_inline void fast_record_drop(struct xdp_md *ctx, const struct xpf_config *cfg,
					     const struct verdict *v, __u32 bytes, __u64 now,
					     __u32 weight, const struct fast_drop *info)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
	struct drop_summary *drop = drop_scratch();
	__u32 ip_offset = info->ip_offset;
	void *ip;

	if (!drop || ip_offset > XPF_MAX_VLAN_TAGS * sizeof(struct vlan_tag) + sizeof(struct ethhdr))
		return;
	ip = data + ip_offset;
	drop->now = now;
	drop->weight = weight;
	drop->log_tolerance_ns = cfg->log_tolerance_ns;
	drop->reason = v->reason;
	drop->rule_id = v->rule_id;
	drop->bytes = bytes;
	drop->log_rate = cfg->log_rate;
	drop->l4_offset = ip_offset + info->l4_length;
	drop->ip_end_offset = ip_offset + info->ip_length;
	drop->family = info->family;
	drop->protocol = info->protocol;
	drop->flags = 0;
	drop->pad = 0;
	drop->source_port = 0;
	drop->dest_port = 0;
	__builtin_memset(drop->source, 0, 16);
	__builtin_memset(drop->destination, 0, 16);
	if (info->family == AF_INET) {
		struct iphdr *ip4 = ip;

		if ((void *)(ip4 + 1) > data_end)
			return;
		__builtin_memcpy(drop->source, &ip4->saddr, 4);
		__builtin_memcpy(drop->destination, &ip4->daddr, 4);
	} else {
		struct ipv6hdr *ip6 = ip;

		if ((void *)(ip6 + 1) > data_end)
			return;
		__builtin_memcpy(drop->source, &ip6->saddr, 16);
		__builtin_memcpy(drop->destination, &ip6->daddr, 16);
	}
	record_drop(ctx, drop);
}

/* The fast path's exit, record() without audit and explain: the reason counted, the rule
 * too; a drop goes to the denied record and the log only when denied_weight() or the log's
 * bucket asks for it, which under a flood is one drop in many. */
static __always_inline int fast_record(struct xdp_md *ctx, const struct xpf_config *cfg,
				       struct verdict v, const struct fast_drop *info)
{
	struct xpf_cpu_state *state = this_cpu_state();
	__u64 now = coarse_now(state);
	__u32 weight, bytes = ctx->data_end - ctx->data;

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

/* The ingress row of an IPv4 source in (destination class, port class): find_rule() with the
 * source in a register where the class's rule sources are spanned, as they are for tables of
 * the Director's kind. */
static __always_inline int fast_rule4(__u32 generation, const struct xpf_config *cfg,
				      __u32 dest_class, __u32 port_class, __u32 saddr,
				      struct verdict *v)
{
	__u32 words[4] = { saddr }, span, rule;
	__u64 *cell;

	if (cfg->class_columns && cfg->class_sources) {
		cell = class_cell_of(cfg, dest_class, port_class);
		if (!cell)
			return 0;
		span = *cell >> 32;
		if (span >> (32 - XPF_CELL_SPAN_COUNT_BITS)) {
			rule = scan_span(cfg->class_sources_base + xpf_class_span_first(span),
					 xpf_class_span_v4_count(span), 1, words);
			if (!rule)
				return 0;
			v->action = xpf_source_rule_action(rule);
			v->reason = XPF_REASON_RULE;
			v->rule_id = xpf_source_rule_id(rule);
			return 1;
		}
	}
	return probe_rule(cfg, rule_place(generation, AF_INET), class_pair(dest_class, port_class),
			  (const struct source_address *)words, v);
}

/* decide_ports() for IPv4, its fields in registers: the 16-byte addresses the lists and the
 * replies take are made only where a list or a reply may decide. */
static __always_inline struct verdict fast_decide4(__u32 generation, const struct xpf_config *cfg,
						   const struct xpf_local_value *local,
						   struct reply_query *q, __u32 saddr, __u32 daddr)
{
	struct verdict v = decided(cfg->policy_default, XPF_REASON_DEFAULT);
	__u32 port_class;

	if (cfg->has_lists) {
		__u32 source[4] = { saddr }, dest[4] = { daddr };

		if (list_decides(generation, AF_INET, q->protocol, (const __u8 *)source,
				 (const __u8 *)dest, q->local_port, &v))
			return v;
	}
	port_class = port_class_of(generation, XPF_INGRESS_ROWS, q->protocol, q->local_port);
	if (port_class && fast_rule4(generation, cfg, local->dest_class, port_class, saddr, &v))
		return v;
	if (!reply_may_answer(cfg, q, 0))
		return v;
	{
		__u32 source[4] = { saddr }, dest[4] = { daddr };

		q->remote = (const __u8 *)source;
		q->local = (const __u8 *)dest;
		admit_reply(generation, cfg, q, local, clock_of(0), &v);
	}
	return v;
}

/* IPv4, not a fragment, TCP or UDP, whole in the first buffer. Options are skipped whole, as
 * the general path skips them (never interpreted). */
static __always_inline int fast_ipv4(struct xdp_md *ctx, __u32 generation,
				     const struct xpf_config *cfg, void *ip_start)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
	struct fast_drop info = { .family = AF_INET };
	struct iphdr *ip = ip_start;
	struct xpf_local_value *local;
	struct reply_query q = { .family = AF_INET };
	__u32 saddr, daddr, ip_length;
	void *ip_end, *l4;
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
	info.l4_length = (version_ihl & 0xf) * 4;
	ip_length = bpf_ntohs(ip->tot_len);
	l4 = ip_start + info.l4_length;
	ip_end = ip_start + ip_length;
	if (ip_end > data_end || ip_length < info.l4_length)
		return FAST_PATH_NOT_TAKEN;
	info.protocol = q.protocol;
	info.ip_offset = packet_offset(data, ip_start);
	info.ip_length = ip_length;
	saddr = ip->saddr;
	daddr = ip->daddr;
	q.remote_fold = saddr;
	if (!fast_local4(generation, cfg, daddr, &local))
		return fast_record(ctx, cfg, decided(cfg->policy_other, XPF_REASON_NOT_LOCAL), &info);
	if (!fast_ports(l4, ip_end, data_end, &q))
		return FAST_PATH_NOT_TAKEN;
	return fast_record(ctx, cfg, fast_decide4(generation, cfg, local, &q, saddr, daddr),
			   &info);
}

/* IPv6 whose next header is TCP or UDP, or one hop-by-hop, routing or destination options
 * header and then TCP or UDP, whole in the first buffer. Other chains (fragments, AH, more
 * headers) go to the general path. */
static __always_inline int fast_ipv6(struct xdp_md *ctx, __u32 generation,
				     const struct xpf_config *cfg, void *ip_start)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
	struct fast_drop info = { .family = AF_INET6, .l4_length = sizeof(struct ipv6hdr) };
	struct ipv6hdr *ip6 = ip_start;
	struct xpf_local_value *local;
	__u64 source[2], dest[2];
	struct reply_query q = { .family = AF_INET6 };
	void *ip_end, *l4;

	if ((void *)(ip6 + 1) > data_end || ip6->version != 6)
		return FAST_PATH_NOT_TAKEN;
	info.ip_length = sizeof(*ip6) + bpf_ntohs(ip6->payload_len);
	ip_end = ip_start + info.ip_length;
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
		info.l4_length += (ext->length + 1) * 8;
		l4 = ip_start + info.l4_length;
		if (l4 > ip_end)
			return FAST_PATH_NOT_TAKEN;
	}
	if (q.protocol != IPPROTO_TCP && q.protocol != IPPROTO_UDP)
		return FAST_PATH_NOT_TAKEN;
	info.protocol = q.protocol;
	info.ip_offset = packet_offset(data, ip_start);
	__builtin_memcpy(source, &ip6->saddr, 16);
	__builtin_memcpy(dest, &ip6->daddr, 16);
	if (!lookup_local_address(generation, cfg, AF_INET6, (const __u8 *)dest, &local))
		return fast_record(ctx, cfg, decided(cfg->policy_other, XPF_REASON_NOT_LOCAL), &info);
	if (!fast_ports(l4, ip_end, data_end, &q))
		return FAST_PATH_NOT_TAKEN;
	q.remote = (const __u8 *)source;
	q.local = (const __u8 *)dest;
	q.remote_fold = address_fold((const __u8 *)source);
	return fast_record(ctx, cfg, decide_ports(generation, cfg, &q, local, 0, 1), &info);
}

/* The rule set in force, the link header, then the fast path by family: the frame's XDP
 * action, or FAST_PATH_NOT_TAKEN for general_path() to decide it. A global function beside
 * general_path(), not around it: the verifier adds the stacks of a call chain, and the two
 * together would pass its 512 bytes. */
__noinline int fast_path(struct xdp_md *ctx)
{
	void *data, *data_end;
	const struct xpf_config *cfg;
	__u32 generation;
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
	if (in_force.general_only)
		return FAST_PATH_NOT_TAKEN;
	cfg = config_in_force(&generation);
	if (!cfg->loaded || cfg->audit)
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
