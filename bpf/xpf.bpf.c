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
 * (would-drops in audit mode) go to the denied record and the drop log too. A packet that
 * `xpf explain` sent (BPF_PROG_TEST_RUN with a request in its metadata) is answered there and
 * counted nowhere, so that explaining never shows in the counters an admin watches. */
static __always_inline int record(struct xdp_md *ctx, __u32 bytes,
				  const struct xpf_config *config, const struct packet *pkt,
				  int explaining, struct verdict v)
{
	struct xpf_cpu_state *state = this_cpu_state();
	struct drop_summary *drop;
	__u64 now = coarse_now(state);
	int would_drop = 0, dropped = v.action == XPF_ACTION_DROP;
	__u32 weight;

	if (dropped && config && config->audit) {
		v.action = XPF_ACTION_PASS;
		would_drop = 1;
	}
	if (explaining) {
		answer_explain(ctx, v.action, v.reason, v.rule_id, would_drop);
		return v.action == XPF_ACTION_DROP ? XDP_DROP : XDP_PASS;
	}
	count_reason(state, v.reason, bytes, now, would_drop);
	if (v.reason == XPF_REASON_RULE)
		count_rule(v.rule_id, bytes, now, would_drop);
	/* Under a flood most drops are neither sampled nor logged: they stop here, after one
	 * per-CPU array update and one read of the log bucket. */
	if (dropped && config) {
		weight = pkt->family == AF_INET || pkt->family == AF_INET6 ? denied_weight(state, now)
									   : 0;
		if (weight || bucket_with_room(config->log_rate, config->log_tolerance_ns, now)) {
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
 * without them neighbours are not found and path MTU discovery black-holes. */
static __always_inline int is_essential_icmp(const struct packet *pkt, int *malformed)
{
	__u8 *type = pkt->l4;

	*malformed = 0;
	if (pkt->is_fragment && !pkt->is_first_fragment)
		return 0;
	if (!is_icmp(pkt))
		return 0;
	if (!header_fits(pkt, type + 2)) {
		*malformed = 1;
		return 0;
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
	return now - flow->last_seen_ns < timeout_s * 1000000000ull;
}

/* Whether a flow the host opened, seen from the host's side, is remembered and not idle past
 * its timeout. */
static __always_inline int host_flow_is_open(const struct xpf_config *config, __u8 family,
					     __u8 protocol, const __u8 *local, __u16 local_port,
					     const __u8 *remote, __u16 remote_port)
{
	struct xpf_flow_key key = {
		.family = family,
		.protocol = protocol,
		.local_port = local_port,
		.remote_port = remote_port,
	};
	struct xpf_flow_value *flow;

	__builtin_memcpy(key.local, local, 16);
	__builtin_memcpy(key.remote, remote, 16);
	flow = bpf_map_lookup_elem(&flows, &key);
	return flow && flow_is_fresh(config, flow, bpf_ktime_get_coarse_ns());
}

/* ICMP errors that quote a packet the host sent on a flow it opened: without them the host's
 * own connections cannot learn that a peer is unreachable or that the path MTU shrank.
 * The quoted header is the host's packet: its source is local. */
static __always_inline int is_error_about_host_flow(const struct xpf_config *config,
						    const struct packet *pkt)
{
	struct packet quoted = { .data_end = pkt->data_end, .ip_end = pkt->ip_end };
	__u8 *icmp = pkt->l4;
	__u16 local_port, remote_port;
	void *inner = icmp + 8;

	if (!header_fits(pkt, icmp + 8))
		return 0;
	if (pkt->family == AF_INET) {
		struct iphdr *ip = inner;

		if (icmp[0] != 3 && icmp[0] != 11 && icmp[0] != 12)	/* unreach, time, param */
			return 0;
		if (!header_fits(pkt, ip + 1) || ip->ihl < 5)
			return 0;
		quoted.protocol = ip->protocol;
		__builtin_memcpy(quoted.source, &ip->saddr, 4);
		__builtin_memcpy(quoted.destination, &ip->daddr, 4);
		quoted.l4 = inner + ip->ihl * 4;
	} else {
		struct ipv6hdr *ip6 = inner;

		if (icmp[0] < 1 || icmp[0] > 4)	/* unreach, too big, time, param */
			return 0;
		if (!header_fits(pkt, ip6 + 1))
			return 0;
		quoted.protocol = ip6->nexthdr;
		__builtin_memcpy(quoted.source, &ip6->saddr, 16);
		__builtin_memcpy(quoted.destination, &ip6->daddr, 16);
		quoted.l4 = ip6 + 1;
	}
	if (quoted.protocol != IPPROTO_TCP && quoted.protocol != IPPROTO_UDP)
		return 0;
	if (!read_ports(&quoted, &local_port, &remote_port))
		return 0;
	return host_flow_is_open(config, pkt->family, quoted.protocol, quoted.source, local_port,
				 quoted.destination, remote_port);
}

/* A packet no rule decided, answering a flow the host opened: pass, counted on the outbound
 * row the flow falls under (matched like an ingress row, with the roles and the ports seen
 * from the reply), else as reply. @ports: parse_ports()'s, of a whole packet or a first
 * fragment. */
static __always_inline int admit_reply(__u32 generation, const struct xpf_config *config,
				       const struct packet *pkt,
				       const struct xpf_local_value *local,
				       const struct l4_ports *ports, struct verdict *v)
{
	__u32 index, *port_class;

	/* A SYN without ACK opens a connection: it answers nothing, so a SYN flood to closed
	 * ports is dropped without a flow lookup. */
	if ((ports->tcp_flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) == TCP_FLAG_SYN)
		return 0;
	if (!host_flow_is_open(config, pkt->family, pkt->protocol, pkt->destination, ports->dest,
			       pkt->source, ports->source))
		return 0;
	*v = decided(XPF_ACTION_PASS, XPF_REASON_REPLY);
	if (!local->reply_class)
		return 1;
	index = xpf_port_class_index(generation, XPF_REPLY_ROWS,
				     pkt->protocol == IPPROTO_UDP ? XPF_TRANSPORT_UDP
								  : XPF_TRANSPORT_TCP,
				     ports->source);
	port_class = bpf_map_lookup_elem(&port_classes, &index);
	if (port_class && *port_class &&
	    find_rule(generation, config, pkt->family, local->reply_class, *port_class,
		      pkt->source, v))
		v->action = XPF_ACTION_PASS;
	return 1;
}

/* TCP/UDP/ICMP/other to a local address: the rows of the verdict table below "not local". */
static __always_inline struct verdict decide_local(__u32 generation,
						   const struct xpf_config *config,
						   const struct packet *pkt,
						   const struct xpf_local_value *local)
{
	struct verdict v = decided(config->policy_default, XPF_REASON_DEFAULT);
	struct l4_ports ports;
	__u32 index, *port_class;

	if (is_icmp(pkt)) {
		if (config->policy_icmp == XPF_ACTION_DROP && !pkt->is_fragment &&
		    is_error_about_host_flow(config, pkt))
			return decided(XPF_ACTION_PASS, XPF_REASON_ICMP);
		return decided(config->policy_icmp, XPF_REASON_ICMP);
	}
	if (pkt->protocol != IPPROTO_TCP && pkt->protocol != IPPROTO_UDP)
		return decided(config->policy_default, XPF_REASON_OTHER_PROTO);
	if (parse_ports(pkt, &ports) != PARSE_OK)
		return decided(XPF_ACTION_DROP, XPF_REASON_MALFORMED);
	if (list_decides(generation, pkt, ports.dest, &v))
		return v;

	index = xpf_port_class_index(generation, XPF_INGRESS_ROWS,
				     pkt->protocol == IPPROTO_UDP ? XPF_TRANSPORT_UDP
								  : XPF_TRANSPORT_TCP,
				     ports.dest);
	port_class = bpf_map_lookup_elem(&port_classes, &index);
	if (port_class && *port_class &&
	    find_rule(generation, config, pkt->family, local->dest_class, *port_class,
		      pkt->source, &v))
		return v;
	admit_reply(generation, config, pkt, local, &ports, &v);
	return v;
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
 * remembered). */
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

	if (is_essential_icmp(pkt, &malformed)) {
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

	v = decide_local(generation, config, pkt, local);
	if (pkt->is_first_fragment && v.reason != XPF_REASON_MALFORMED && !explaining)
		remember_first_fragment(pkt, v);
	return v;
}

SEC("xdp.frags")
int xpf_xdp(struct xdp_md *ctx)
{
	__u32 zero = 0, generation;
	int explaining = explain_requested(ctx);
	struct packet pkt = {};
	struct xpf_active *active_image;
	struct xpf_config *cfg = NULL;
	/* xpf load writes the first rule set before it attaches, so no frame on an interface
	 * meets this; a program found without one fails closed. */
	struct verdict v = decided(XPF_ACTION_DROP, XPF_REASON_UNCONFIGURED);
	/* Every buffer of a multi-buffer (jumbo) frame: its IP length is checked against this,
	 * its bytes counted. One helper call, made once. */
	__u32 frame_len = bpf_xdp_get_buff_len(ctx);

	active_image = bpf_map_lookup_elem(&active, &zero);
	if (active_image) {
		generation = active_image->generation & 1;
		cfg = bpf_map_lookup_elem(&config, &generation);
		if (cfg && cfg->loaded)
			v = decide(ctx, frame_len, generation, cfg, &pkt, explaining);
		else
			touch_user_maps();
	}
	return record(ctx, frame_len, cfg, &pkt, explaining, v);
}
