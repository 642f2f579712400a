// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * xpf: the published port table enforced at XDP. parse → classify → record, one exit.
 * The verdict table this implements is xpf.site(5)'s VERDICTS; the rows are tested one by one
 * in tests/bpf/.
 */
#include "classify.h"
#include "lists.h"
#include "record.h"

#define ICMPV4_PROTOCOL 1
#define ICMPV6_PROTOCOL 58

/* ICMP is protocol 1 in IPv4 and 58 in IPv6; the other family's number is just another
 * protocol (an IPv6 packet with next header 1 is not ICMP). */
static __always_inline int is_icmp(const struct packet *pkt)
{
	return (pkt->family == AF_INET && pkt->protocol == ICMPV4_PROTOCOL) ||
	       (pkt->family == AF_INET6 && pkt->protocol == ICMPV6_PROTOCOL);
}
#define TCP_RFC3128_OFFSET 1	/* a TCP fragment at offset 8 bytes rewrites the flags */

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* @would_drop: 0 or 1, added without a branch (1 ns less on a drop, side by side). */
static __always_inline void add_to(struct xpf_counter *counter, __u64 bytes, __u64 now,
				   int would_drop)
{
	counter->packets++;
	counter->bytes += bytes;
	counter->last_seen_ns = now;
	counter->would_drop += would_drop;
}

/* In this CPU's state, which the exit has read already for the clock. */
static __always_inline void count_reason(struct xpf_cpu_state *state, __u32 reason, __u64 bytes,
					 __u64 now, int would_drop)
{
	__u64 index = reason;

	/* Checked in the register that indexes: else the compiler may bound one copy and index
	 * with another, an access the verifier refuses as unbounded. */
	barrier_var(index);
	if (!state || index >= XPF_REASON_COUNT)
		return;
	add_to(&state->reasons[index], bytes, now, would_drop);
}

static __always_inline void count_rule(__u32 rule_id, __u64 bytes, __u64 now, int would_drop)
{
	__u32 block_index = rule_id / XPF_COUNTER_BLOCK;
	struct xpf_counter_block *block = bpf_map_lookup_elem(&rule_stats, &block_index);

	if (block)
		add_to(&block->counters[rule_id % XPF_COUNTER_BLOCK], bytes, now, would_drop);
}

/* The one exit: every packet is counted once by reason, rule hits by rule as well; drops
 * (would-drops in audit mode) go to the denied record and the drop log too. The explain
 * variant (built with XPF_EXPLAIN, loaded by `xpf explain` on the attached program's maps and
 * never attached) answers a packet with a request in its metadata there and counts it
 * nowhere, so that explaining never shows in the counters an admin watches. The attached
 * program has no such exit: no metadata another program wrote can make a packet uncounted. */
static __always_inline int record(struct xdp_md *ctx, __u32 bytes,
				  const struct xpf_config *config, const struct packet *pkt,
				  int explaining, struct verdict v, struct xpf_cpu_state *state,
				  __u64 now)
{
	struct drop_summary *drop;
	int would_drop = 0, dropped = v.action == XPF_ACTION_DROP;
	__u32 weight;

	if (dropped && config && config->audit) {
		v.action = XPF_ACTION_PASS;
		would_drop = 1;
	}
#ifdef XPF_EXPLAIN
	if (explaining) {
		answer_explain(ctx, v.action, v.reason, v.rule_id, would_drop);
		return v.action == XPF_ACTION_DROP ? XDP_DROP : XDP_PASS;
	}
#endif
	count_reason(state, v.reason, bytes, now, would_drop);
	if (v.reason == XPF_REASON_RULE)
		count_rule(v.rule_id, bytes, now, would_drop);
	/* Under a flood most drops are neither sampled nor logged: they stop here, after one
	 * per-CPU array update and one read of the log bucket. */
	if (dropped && config) {
		weight = pkt->family == AF_INET || pkt->family == AF_INET6 ? denied_weight(state) : 0;
		if (weight || log_may_have_room(state, config, now)) {
			drop = drop_scratch();
			if (drop) {
				summarize_drop(pkt, &v, bytes, config, would_drop, now, weight,
					       drop);
				record_drop(ctx, drop);
			}
		}
	}
	return v.action == XPF_ACTION_DROP ? XDP_DROP : XDP_PASS;
}

/* rule_info, rule_carried and meta are user space's; one lookup of each, on the path taken
 * only before the first image is written, makes the kernel list them among the program's maps,
 * which is how xpf finds them from the interface when bpffs is not there. */
static __always_inline void touch_user_maps(void)
{
	__u32 zero = 0;

	bpf_map_lookup_elem(&rule_info, &zero);
	bpf_map_lookup_elem(&rule_carried, &zero);
	bpf_map_lookup_elem(&meta, &zero);
}

/* NDP, ICMPv6 packet-too-big and ICMPv4 fragmentation-needed pass whatever their destination:
 * without them neighbours are not found and path MTU discovery black-holes. Type and code past
 * the first buffer are read from a copy (load_l4_header()). */
static __always_inline int is_essential_icmp(struct xdp_md *ctx, const struct packet *pkt,
					     int *malformed)
{
	__u8 *type = pkt->l4;
	struct l4_copy copy;

	*malformed = 0;
	if (pkt->is_fragment && !pkt->is_first_fragment)
		return 0;
	if (!is_icmp(pkt))
		return 0;
	if (!header_fits(pkt, type + 2)) {
		if (load_l4_header(ctx, pkt->l4_offset, pkt->ip_end_offset, 2, &copy)) {
			*malformed = 1;
			return 0;
		}
		type = copy.bytes;
	}
	if (pkt->family == AF_INET)
		return type[0] == ICMP_DEST_UNREACH_TYPE && type[1] == ICMP_FRAG_NEEDED_CODE;
	if (type[0] == ICMPV6_PACKET_TOO_BIG_TYPE)
		return 1;
	return type[0] >= ICMPV6_NDP_FIRST_TYPE && type[0] <= ICMPV6_NDP_LAST_TYPE &&
	       pkt->hop_limit == NDP_HOP_LIMIT;
}

/* Non-first fragments carry no ports: they take the verdict recorded for their first
 * fragment, and are dropped when it was not seen (RFC 1858's overlapping-fragment attacks
 * need an admitted first fragment to build on). */
static __always_inline struct verdict follow_first_fragment(const struct packet *pkt)
{
	struct xpf_fragment_value *first;

	if (pkt->protocol == IPPROTO_TCP && pkt->fragment_offset == TCP_RFC3128_OFFSET)
		return decided(XPF_ACTION_DROP, XPF_REASON_MALFORMED);
	first = first_fragment_of(pkt);
	if (!first)
		return decided(XPF_ACTION_DROP, XPF_REASON_FRAGMENT);
	/* RFC 3128 where extension headers precede TCP: any fragment reaching into the first
	 * 16 bytes of the TCP header (ports, flags) of an admitted first fragment. */
	if (first->protocol == IPPROTO_TCP &&
	    (__u32)pkt->fragment_offset * 8 < (__u32)first->l4_offset + 16)
		return decided(XPF_ACTION_DROP, XPF_REASON_MALFORMED);
	return decided(first->action, XPF_REASON_FRAGMENT);
}

static __always_inline void remember_first_fragment(const struct packet *pkt, struct verdict v)
{
	struct xpf_fragment_value value = {
		.action = v.action,
		.rule_id = v.rule_id,
		.protocol = pkt->protocol,
		.l4_offset = pkt->l4_fragment_offset,
	};

	struct xpf_fragment_value *known;

	/* A retransmitted or repeated first fragment usually finds its verdict there already:
	 * a lookup is cheaper than an LRU update (which takes a lock and a fresh element). */
	known = first_fragment_of(pkt);
	if (known && known->action == value.action && known->rule_id == value.rule_id &&
	    known->protocol == value.protocol && known->l4_offset == value.l4_offset)
		return;
	remember_fragment_verdict(pkt, &value);
}

/* Whether a stamp of egress's, @stamp, is less than @span_ns before @now. Egress stamps with
 * the coarse clock as it reads it; @now is this CPU's copy of that clock, taken at its first
 * packet of the tick (coarse_now()), and may be a tick behind it: a stamp ahead of @now is a
 * moment ago, not a wrapped age of centuries. */
static __always_inline int stamped_within(__u64 now, __u64 stamp, __u64 span_ns)
{
	return stamp >= now || now - stamp < span_ns;
}

static __always_inline int flow_is_fresh(const struct xpf_config *config,
					 const struct xpf_flow_value *flow, __u64 now)
{
	__u64 timeout_s;

	switch (flow->state) {
	case XPF_FLOW_TCP_ESTABLISHED:
		timeout_s = config->tcp_timeout_s;
		break;
	case XPF_FLOW_UDP:
		timeout_s = config->udp_timeout_s;
		break;
	default:
		timeout_s = config->tcp_transitory_timeout_s;
	}
	return stamped_within(now, flow->last_seen_ns, timeout_s * 1000000000ull);
}

/* Whether the flow of @key, seen from the host's side, is remembered and not idle past its
 * timeout. @now: the cached per-CPU clock (coarse_now()). */
static __always_inline int flow_is_open(const struct xpf_config *config,
					const struct xpf_flow_key *key, __u64 now)
{
	struct xpf_flow_value *flow = bpf_map_lookup_elem(&flows, key);

	return flow && flow_is_fresh(config, flow, now);
}

/* The same for a flow given by its parts: addresses of 16 bytes (IPv4 in the first 4). */
static __always_inline int host_flow_is_open(const struct xpf_config *config, __u8 family,
					     __u8 protocol, const __u8 *local, __u16 local_port,
					     const __u8 *remote, __u16 remote_port, __u64 now)
{
	struct xpf_flow_key key = {
		.family = family,
		.protocol = protocol,
		.local_port = local_port,
		.remote_port = remote_port,
	};

	__builtin_memcpy(key.local, local, 16);
	__builtin_memcpy(key.remote, remote, 16);
	return flow_is_open(config, &key, now);
}

/* Whether egress wrote a flow to this remote address, port and protocol within the longest
 * timeout (maps.h, reply_hints): if not, no flow answers the packet and the flows hash is not
 * searched. One inlined array read. */
static __always_inline int reply_hinted(const struct xpf_config *config, __u32 remote_fold,
					__u16 remote_port, __u8 protocol, __u64 now)
{
	__u32 slot = xpf_reply_hint_slot(remote_fold, remote_port, protocol);
	__u64 *hint = bpf_map_lookup_elem(&reply_hints, &slot);
	__u64 longest = config->tcp_timeout_s;

	if (!hint || !*hint)
		return 0;
	if (config->udp_timeout_s > longest)
		longest = config->udp_timeout_s;
	if (config->tcp_transitory_timeout_s > longest)
		longest = config->tcp_transitory_timeout_s;
	return stamped_within(now, *hint, longest * 1000000000ull);
}

/* ICMP errors that quote a packet the host sent on a flow it opened: without them the host's
 * own connections cannot learn that a peer is unreachable or that the path MTU shrank.
 * The quoted header is the host's packet: its source is local. The flow's key is written
 * straight from the quoted headers (no second struct packet on the stack). */
static __always_inline int is_error_about_host_flow(const struct xpf_config *config,
						    const struct packet *pkt, __u64 now)
{
	struct xpf_flow_key key = { .family = pkt->family };
	__u8 *icmp = pkt->l4;
	void *inner = icmp + 8, *l4;
	__be16 *ports;

	if (!header_fits(pkt, icmp + 8))
		return 0;
	if (pkt->family == AF_INET) {
		struct iphdr *ip = inner;

		if (icmp[0] != 3 && icmp[0] != 11 && icmp[0] != 12)	/* unreach, time, param */
			return 0;
		if (!header_fits(pkt, ip + 1) || ip->ihl < 5)
			return 0;
		key.protocol = ip->protocol;
		__builtin_memcpy(key.local, &ip->saddr, 4);
		__builtin_memcpy(key.remote, &ip->daddr, 4);
		l4 = inner + ip->ihl * 4;
	} else {
		struct ipv6hdr *ip6 = inner;

		if (icmp[0] < 1 || icmp[0] > 4)	/* unreach, too big, time, param */
			return 0;
		if (!header_fits(pkt, ip6 + 1))
			return 0;
		key.protocol = ip6->nexthdr;
		__builtin_memcpy(key.local, &ip6->saddr, 16);
		__builtin_memcpy(key.remote, &ip6->daddr, 16);
		l4 = ip6 + 1;
	}
	if (key.protocol != IPPROTO_TCP && key.protocol != IPPROTO_UDP)
		return 0;
	ports = l4;
	if (!header_fits(pkt, ports + 2))
		return 0;
	key.local_port = bpf_ntohs(ports[0]);
	key.remote_port = bpf_ntohs(ports[1]);
	return flow_is_open(config, &key, now);
}

/* A TCP or UDP packet no rule decided, seen as a reply: its addresses (16 bytes each, IPv4 in
 * the first 4), ports and TCP flags. */
struct reply_query {
	const __u8 *local;		/* the packet's destination */
	const __u8 *remote;		/* its source */
	__u32 remote_fold;		/* address_fold() of remote */
	__u16 local_port;
	__u16 remote_port;
	__u8 family;
	__u8 protocol;
	__u8 tcp_flags;			/* 0 for UDP */
};

/* Whether a packet no rule decided may answer a flow the host opened: not a SYN without ACK
 * (it opens a connection, so a SYN flood to closed ports is dropped without a flow lookup),
 * and its remote side hinted (reply_hinted()). Reads no address of @q but remote_fold. @now:
 * the clock, or 0 where the caller has not read it (clock_of()). */
static __always_inline int reply_may_answer(const struct xpf_config *config,
					    const struct reply_query *q, __u64 now)
{
	if ((q->tcp_flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) == TCP_FLAG_SYN)
		return 0;
	return reply_hinted(config, q->remote_fold, q->remote_port, q->protocol, clock_of(now));
}

/* A packet that reply_may_answer(), answering a flow the host opened: pass, counted on the
 * outbound row the flow falls under (matched like an ingress row, with the roles and the ports
 * seen from the reply), else as reply. */
static __always_inline int admit_reply(__u32 generation, const struct xpf_config *config,
				       const struct reply_query *q,
				       const struct xpf_local_value *local, __u64 now,
				       struct verdict *v)
{
	__u32 port_class;

	if (!host_flow_is_open(config, q->family, q->protocol, q->local, q->local_port, q->remote,
			       q->remote_port, now))
		return 0;
	*v = decided(XPF_ACTION_PASS, XPF_REASON_REPLY);
	if (!local->reply_class)
		return 1;
	port_class = port_class_of(generation, XPF_REPLY_ROWS, q->protocol, q->remote_port);
	if (port_class &&
	    find_rule(generation, config, q->family, local->reply_class, port_class, q->remote, v,
		      0))
		v->action = XPF_ACTION_PASS;
	return 1;
}

/* The ingress rows of a TCP or UDP packet to a local address, then the flows it may answer:
 * its verdict, the default's where neither decides. Both paths end here; @inline_scan (a
 * constant): find_rule()'s, for the fast path's ingress rows only. @now: the clock, or 0
 * where not read yet (the fast path's: clock_of()). */
static __always_inline struct verdict decide_ports(__u32 generation,
						   const struct xpf_config *config,
						   const struct reply_query *q,
						   const struct xpf_local_value *local, __u64 now,
						   int inline_scan)
{
	struct verdict v = decided(config->policy_default, XPF_REASON_DEFAULT);
	__u32 port_class;

	if (config->has_lists && list_decides(generation, q->family, q->protocol, q->remote,
					      q->local, q->local_port, &v))
		return v;
	port_class = port_class_of(generation, XPF_INGRESS_ROWS, q->protocol, q->local_port);
	if (port_class && find_rule(generation, config, q->family, local->dest_class, port_class,
				    q->remote, &v, inline_scan))
		return v;
	if (reply_may_answer(config, q, now))
		admit_reply(generation, config, q, local, clock_of(now), &v);
	return v;
}

/* TCP/UDP/ICMP/other to a local address: the rows of the verdict table below "not local". A
 * TCP or UDP header past the first buffer is decided from a copy (load_ports()). */
static __always_inline struct verdict decide_local(struct xdp_md *ctx, __u32 generation,
						   const struct xpf_config *config,
						   const struct packet *pkt,
						   const struct xpf_local_value *local)
{
	/* The clock the exit reads too (coarse_now()): read here where a flow's age needs it,
	 * not kept across the general path, whose stack is at the verifier's limit. */
	__u64 now = coarse_now(this_cpu_state());
	struct reply_query q;
	struct l4_ports ports;

	if (is_icmp(pkt)) {
		if (config->policy_icmp == XPF_ACTION_DROP && !pkt->is_fragment &&
		    is_error_about_host_flow(config, pkt, now))
			return decided(XPF_ACTION_PASS, XPF_REASON_ICMP);
		return decided(config->policy_icmp, XPF_REASON_ICMP);
	}
	if (pkt->protocol != IPPROTO_TCP && pkt->protocol != IPPROTO_UDP)
		return decided(config->policy_default, XPF_REASON_OTHER_PROTO);
	if (parse_ports(pkt, &ports) != PARSE_OK && load_ports(ctx, pkt, &ports) != PARSE_OK)
		return decided(XPF_ACTION_DROP, XPF_REASON_MALFORMED);
	q.local = pkt->destination;
	q.remote = pkt->source;
	q.remote_fold = address_fold(pkt->source);
	q.local_port = ports.dest;
	q.remote_port = ports.source;
	q.family = pkt->family;
	q.protocol = pkt->protocol;
	q.tcp_flags = ports.tcp_flags;
	return decide_ports(generation, config, &q, local, now, 0);
}

/* Ethernet, VLAN and IP parsed by a global function: the verifier checks it once, and what
 * follows it once for all the ways a frame parses (VLAN tags, IPv4 options, IPv6 extension
 * headers), since it returns scalars only: offsets, not packet pointers. Those ways multiplied
 * by the paths after them would otherwise be the bulk of the verifier's work. */
__noinline int parse_frame(struct xdp_md *ctx, __u32 frame_len, struct packet *out)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct packet pkt = {};

	if (!out)
		return PARSE_MALFORMED;
	return export_packet(&pkt, data, parse_packet(data, data_end, frame_len, &pkt, PARSE_INGRESS),
			     out);
}

/* The frames most traffic is, parsed inline: up to two VLAN tags, then IPv4 without options
 * or IPv6 whose next header is not an extension header, by the same parse_ipv4() and
 * parse_ipv6() that parse_frame() runs, with their packet pointers turned into offsets here.
 * Any other frame, or one they find malformed, returns 0 and goes to parse_frame(), which also
 * decides what is malformed. Inline, these few cases cost a fraction of the global function's
 * general walk; verified apart from it, they leave its states alone. */
static __always_inline int parse_plain(struct xdp_md *ctx, __u32 frame_len, struct packet *pkt)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	void *pos = data;
	__u16 ether_type;
	__u32 l2_len;
	int ret;

	if (parse_ethernet(&pos, data_end, &ether_type) != PARSE_OK)
		return 0;
	l2_len = pos - data;
	if (frame_len < l2_len)
		return 0;
	if (ether_type == ETH_P_IP) {
		struct iphdr *ip = pos;

		if ((void *)(ip + 1) > data_end || *(__u8 *)ip != 0x45)	/* no options */
			return 0;
		ret = parse_ipv4(pos, data_end, frame_len - l2_len, pkt, PARSE_INGRESS);
	} else if (ether_type == ETH_P_IPV6) {
		ret = parse_ipv6_base(pos, data_end, frame_len - l2_len, pkt, PARSE_INGRESS);
		if (ret == PARSE_OK && is_ipv6_ext_header(pkt->protocol))
			return 0;
		pkt->l4 = pos + sizeof(struct ipv6hdr);
	} else {
		return 0;
	}
	if (ret != PARSE_OK)
		return 0;
	pkt->l4_offset = pkt->l4 - data;
	pkt->ip_end_offset = pkt->ip_end - data;
	return 1;
}

/* @explaining: a packet of `xpf explain` leaves no state behind (no first fragment
 * remembered); always 0 outside the explain variant. */
static __always_inline struct verdict decide(struct xdp_md *ctx, __u32 frame_len,
					     __u32 generation, const struct xpf_config *config,
					     struct packet *pkt, int explaining)
{
	struct xpf_local_value *local;
	void *data, *data_end;
	struct verdict v;
	int ret, malformed;

	ret = parse_plain(ctx, frame_len, pkt) ? PARSE_OK : parse_frame(ctx, frame_len, pkt);
	if (ret == PARSE_NON_IP)
		return decided(XPF_ACTION_PASS, XPF_REASON_NON_IP);
	if (ret != PARSE_OK)
		return decided(XPF_ACTION_DROP, XPF_REASON_MALFORMED);
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	import_packet(pkt, data, data_end);

	if (is_essential_icmp(ctx, pkt, &malformed)) {
		v = decided(XPF_ACTION_PASS, XPF_REASON_ICMP);
		/* Its later fragments follow this pass like any first fragment's verdict. */
		if (pkt->is_first_fragment && !explaining)
			remember_first_fragment(pkt, v);
		return v;
	}
	if (!lookup_local(generation, config, pkt, &local))
		return decided(config->policy_other, XPF_REASON_NOT_LOCAL);
	if (malformed)
		return decided(XPF_ACTION_DROP, XPF_REASON_MALFORMED);

	if (pkt->is_fragment) {
		if (config->policy_fragments == XPF_FRAGMENTS_DROP)
			return decided(XPF_ACTION_DROP, XPF_REASON_FRAGMENT);
		if (!pkt->is_first_fragment)
			return follow_first_fragment(pkt);
	}

	v = decide_local(ctx, generation, config, pkt, local);
	if (pkt->is_first_fragment && v.reason != XPF_REASON_MALFORMED && !explaining)
		remember_first_fragment(pkt, v);
	return v;
}

#include "fast_path.h"

/* Everything the fast path (bpf/fast_path.h) leaves: IPv4 options, IPv6 extension headers,
 * fragments, ICMP, other protocols, non-IP, frames whose headers run past the first buffer,
 * audit mode and, in the explain variant, `xpf explain`. A global function: verified once,
 * apart from the fast path, whose states it does not multiply. */
__noinline int general_path(struct xdp_md *ctx)
{
	__u32 generation;
	int explaining;
	struct packet pkt = {};
	const struct xpf_config *cfg;
	struct xpf_cpu_state *state;
	/* xpf load writes the first rule set before it attaches, so no frame on an interface
	 * meets this; a program found without one fails closed. */
	struct verdict v = decided(XPF_ACTION_DROP, XPF_REASON_UNCONFIGURED);
	/* Every buffer of a multi-buffer (jumbo) frame: its IP length is checked against this,
	 * its bytes counted. One helper call, made once. */
	__u32 frame_len;

	if (!ctx)
		return XDP_DROP;
#ifdef XPF_EXPLAIN
	explaining = explain_requested(ctx);
#else
	explaining = 0;
#endif
	frame_len = bpf_xdp_get_buff_len(ctx);
	cfg = config_in_force(&generation);
	if (cfg->loaded)
		v = decide(ctx, frame_len, generation, cfg, &pkt, explaining);
	else
		touch_user_maps();
	state = this_cpu_state();
	return record(ctx, frame_len, cfg, &pkt, explaining, v, state, coarse_now(state));
}

SEC("xdp.frags")
int xpf_xdp(struct xdp_md *ctx)
{
	int action = fast_path(ctx);

	return action != FAST_PATH_NOT_TAKEN ? action : general_path(ctx);
}
