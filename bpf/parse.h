/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Header parsing for the XDP program. BPF only (included by bpf/xpf.bpf.c).
 *
 * Every read is preceded by a bounds check against the end of what may be read: the frame for
 * Ethernet and the IP base header, the IP packet (total length) for everything above it, so
 * that Ethernet padding past the IP total length never reaches the L4 parser.
 */
#ifndef XPF_PARSE_H
#define XPF_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include <xpf/maps.h>

#define AF_INET 2
#define AF_INET6 10

#define ETH_P_8021Q_TAG 0x8100
#define ETH_P_8021AD_TAG 0x88A8

#define IPV4_MORE_FRAGMENTS 0x2000
#define IPV4_OFFSET_MASK 0x1fff

#define ICMP_DEST_UNREACH_TYPE 3
#define ICMP_FRAG_NEEDED_CODE 4
#define ICMPV6_PACKET_TOO_BIG_TYPE 2
#define ICMPV6_NDP_FIRST_TYPE 133	/* router solicitation ... */
#define ICMPV6_NDP_LAST_TYPE 137	/* ... redirect (RFC 4861) */
#define NDP_HOP_LIMIT 255		/* RFC 4861 7.1.1: NDP from off-link is forged */

/* Ingress trusts nothing: an IP length past the frame is malformed. On egress the host's own
 * GSO packets carry the length of what they will become, their payload in page fragments, so
 * the length is only capped at what the linear buffer holds. */
enum parse_direction {
	PARSE_INGRESS,
	PARSE_EGRESS,
};

enum parse_result {
	PARSE_OK = 0,
	PARSE_NON_IP,
	PARSE_MALFORMED,
};

struct vlan_tag {
	__be16 tci;
	__be16 encapsulated_proto;
};

/* What the classifier needs to know of one packet. */
struct packet {
	__u8 family;
	__u8 protocol;		/* upper-layer protocol: IPPROTO_TCP, _UDP, _ICMP, ... */
	__u8 hop_limit;
	__u8 is_fragment;
	__u8 is_first_fragment;	/* offset 0 of a fragmented datagram */
	__u16 fragment_offset;	/* in 8-byte units */
	__u32 fragment_id;
	__u8 fragment_protocol;	/* IPv4 protocol; IPv6: next header of the fragment header,
				 * the same in every fragment of a datagram (RFC 8200 4.5) */
	__u16 l4_fragment_offset; /* first fragment: bytes from the fragmentable part to l4 */
	__u8 source[16];
	__u8 destination[16];
	__u32 l4_offset;	/* l4 and ip_end as offsets from the frame's first byte */
	__u32 ip_end_offset;
	void *l4;		/* first byte of the upper-layer header */
	void *ip_end;		/* end of the IP packet per its length field */
	void *data_end;		/* end of the frame's first buffer */
};

/* @data_end made opaque to the compiler: where a packet's IP end is known to lie before it,
 * clang 19 drops a comparison with data_end as implied by one with the IP end, and the
 * verifier only accepts a packet read after a comparison with data_end itself. */
static __always_inline void *opaque_end(void *data_end)
{
	barrier_var(data_end);
	return data_end;
}

/* Whether a header ending at @end lies inside the IP packet. The second comparison is implied
 * by the first (ip_end <= data_end), for the verifier: opaque_end(). */
static __always_inline int header_fits(const struct packet *pkt, void *end)
{
	return end <= pkt->ip_end && end <= opaque_end(pkt->data_end);
}

static __always_inline int parse_ethernet(void **pos, void *data_end, __u16 *ether_type)
{
	struct ethhdr *eth = *pos;
	__u16 proto;

	if ((void *)(eth + 1) > data_end)
		return PARSE_MALFORMED;
	proto = bpf_ntohs(eth->h_proto);
	*pos = eth + 1;

	/* 802.1Q and 802.1ad: skip up to two tags. A third tag is not a frame the stack takes
	 * apart either; it is treated as malformed rather than waved through as non-IP. */
#pragma unroll
	for (int i = 0; i < XPF_MAX_VLAN_TAGS; i++) {
		struct vlan_tag *tag = *pos;

		if (proto != ETH_P_8021Q_TAG && proto != ETH_P_8021AD_TAG)
			break;
		if ((void *)(tag + 1) > data_end)
			return PARSE_MALFORMED;
		proto = bpf_ntohs(tag->encapsulated_proto);
		*pos = tag + 1;
	}
	if (proto == ETH_P_8021Q_TAG || proto == ETH_P_8021AD_TAG)
		return PARSE_MALFORMED;
	*ether_type = proto;
	return PARSE_OK;
}

static __always_inline int parse_ipv4(void *pos, void *data_end, __u32 room, struct packet *pkt,
				      enum parse_direction direction)
{
	struct iphdr *ip = pos;
	__u32 header_len, total_len;
	__u16 frag;

	if ((void *)(ip + 1) > data_end)
		return PARSE_MALFORMED;
	if (ip->version != 4 || ip->ihl < 5)
		return PARSE_MALFORMED;
	header_len = ip->ihl * 4;
	total_len = bpf_ntohs(ip->tot_len);
	if (total_len < header_len)
		return PARSE_MALFORMED;
	if (direction == PARSE_INGRESS && total_len > room)
		return PARSE_MALFORMED;
	if (pos + total_len > data_end && direction != PARSE_INGRESS) {
		if (pos + header_len > data_end)
			return PARSE_MALFORMED;
		total_len = data_end - pos;
	}

	pkt->data_end = data_end;
	pkt->family = AF_INET;
	pkt->protocol = ip->protocol;
	pkt->hop_limit = ip->ttl;
	__builtin_memcpy(pkt->source, &ip->saddr, 4);
	__builtin_memcpy(pkt->destination, &ip->daddr, 4);

	frag = bpf_ntohs(ip->frag_off);
	pkt->fragment_offset = frag & IPV4_OFFSET_MASK;
	pkt->is_fragment = (frag & IPV4_MORE_FRAGMENTS) || pkt->fragment_offset;
	pkt->is_first_fragment = pkt->is_fragment && pkt->fragment_offset == 0;
	pkt->fragment_id = bpf_ntohs(ip->id);
	pkt->fragment_protocol = ip->protocol;

	pkt->l4 = pos + header_len;	/* options are skipped whole, never interpreted */
	pkt->ip_end = pos + total_len;
	return PARSE_OK;
}

struct ipv6_ext_header {
	__u8 next_header;
	__u8 length;
};

struct ipv6_fragment_header {
	__u8 next_header;
	__u8 reserved;
	__be16 offset_flags;
	__be32 id;
};

static __always_inline int is_ipv6_ext_header(__u8 next)
{
	return next == IPPROTO_HOPOPTS || next == IPPROTO_ROUTING || next == IPPROTO_DSTOPTS ||
	       next == IPPROTO_AH || next == IPPROTO_FRAGMENT;
}

/* The IPv6 base header: its fields into @pkt, protocol its next header (an extension header's
 * number when one follows), ip_end from its payload length. */
static __always_inline int parse_ipv6_base(void *pos, void *data_end, __u32 room,
					   struct packet *pkt, enum parse_direction direction)
{
	struct ipv6hdr *ip6 = pos;

	if ((void *)(ip6 + 1) > data_end)
		return PARSE_MALFORMED;
	if (ip6->version != 6)
		return PARSE_MALFORMED;
	if (direction == PARSE_INGRESS && sizeof(*ip6) + bpf_ntohs(ip6->payload_len) > room)
		return PARSE_MALFORMED;
	pkt->ip_end = (void *)(ip6 + 1) + bpf_ntohs(ip6->payload_len);
	if (pkt->ip_end > data_end && direction != PARSE_INGRESS)
		pkt->ip_end = data_end;

	pkt->data_end = data_end;
	pkt->family = AF_INET6;
	pkt->hop_limit = ip6->hop_limit;
	pkt->protocol = ip6->nexthdr;
	__builtin_memcpy(pkt->source, &ip6->saddr, 16);
	__builtin_memcpy(pkt->destination, &ip6->daddr, 16);
	return PARSE_OK;
}

/* A fragment header (that fits): its offset, flags and id into @pkt; returns the header that
 * follows it. */
static __always_inline __u8 parse_ipv6_fragment(const struct ipv6_fragment_header *frag,
						struct packet *pkt)
{
	__u16 offset_flags = bpf_ntohs(frag->offset_flags);
	__u8 next;

	pkt->fragment_offset = offset_flags >> 3;
	/* RFC 6946: offset 0 without M is an atomic fragment, a whole packet. */
	pkt->is_fragment = pkt->fragment_offset || (offset_flags & 1);
	pkt->is_first_fragment = pkt->is_fragment && pkt->fragment_offset == 0;
	pkt->fragment_id = bpf_ntohl(frag->id);
	next = frag->next_header;
	pkt->fragment_protocol = next;
	return next;
}

/* Walks hop-by-hop, routing, destination options, fragment and AH headers, at most
 * XPF_MAX_IPV6_EXT_HEADERS of them. A chain longer than that, or one running past the packet,
 * is malformed: in a first fragment that is RFC 7112's missing header chain. The walk stops at
 * a non-first fragment's fragment header, since what follows it is not a header. */
static __always_inline int parse_ipv6(void *pos, void *data_end, __u32 room, struct packet *pkt,
				      enum parse_direction direction)
{
	struct ipv6hdr *ip6 = pos;
	void *fragmentable = NULL;
	__u8 next;
	int ret;

	ret = parse_ipv6_base(pos, data_end, room, pkt, direction);
	if (ret != PARSE_OK)
		return ret;
	next = ip6->nexthdr;
	pos = ip6 + 1;
#pragma unroll
	for (int i = 0; i < XPF_MAX_IPV6_EXT_HEADERS; i++) {
		struct ipv6_ext_header *ext = pos;
		struct ipv6_fragment_header *frag = pos;

		switch (next) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
			if (!header_fits(pkt, ext + 1))
				return PARSE_MALFORMED;
			next = ext->next_header;
			pos += (ext->length + 1) * 8;
			break;
		case IPPROTO_AH:
			if (!header_fits(pkt, ext + 1))
				return PARSE_MALFORMED;
			next = ext->next_header;
			pos += (ext->length + 2) * 4;	/* RFC 4302: length in 4-octet units */
			break;
		case IPPROTO_FRAGMENT:
			if (!header_fits(pkt, frag + 1))
				return PARSE_MALFORMED;
			next = parse_ipv6_fragment(frag, pkt);
			pos = frag + 1;
			fragmentable = pos;
			if (pkt->fragment_offset)	/* not first: no header follows */
				goto done;
			break;
		default:
			goto done;
		}
		if (pos > pkt->ip_end)
			return PARSE_MALFORMED;
	}
	/* Out of walk budget: malformed if what is left is still an extension header. */
	if (is_ipv6_ext_header(next))
		return PARSE_MALFORMED;
done:
	if (fragmentable)
		pkt->l4_fragment_offset = pos - fragmentable;
	pkt->protocol = next;
	pkt->l4 = pos;
	return PARSE_OK;
}

/* Ethernet (+ VLAN) and IP up to the upper-layer header. */
static __always_inline int parse_packet(void *data, void *data_end, __u32 packet_len,
					struct packet *pkt, enum parse_direction direction)
{
	__u32 offset, room;
	void *pos = data;
	__u16 ether_type;
	int ret;

	ret = parse_ethernet(&pos, data_end, &ether_type);
	if (ret != PARSE_OK)
		return ret;
	/* Bytes from the IP header to the end of the whole frame, every buffer of it: a scalar,
	 * never a packet pointer (the verifier refuses pointers built from packet_len). */
	offset = pos - data;
	barrier_var(offset);
	room = packet_len > offset ? packet_len - offset : 0;
	if (ether_type == ETH_P_IP)
		return parse_ipv4(pos, data_end, room, pkt, direction);
	if (ether_type == ETH_P_IPV6)
		return parse_ipv6(pos, data_end, room, pkt, direction);
	return PARSE_NON_IP;
}

/* Largest l4 offset a rebuilt pointer may have: far beyond any real header chain (an XDP
 * frame's first buffer is a page), and small enough for the verifier to bound reads. */
#define PARSE_MAX_L4_OFFSET 0x3fff

/* What a global parsing function hands back, since it may not return packet pointers: the
 * scalars of @pkt, and its l4 and ip_end as offsets from @data. */
static __always_inline int export_packet(const struct packet *pkt, void *data, int ret,
					 struct packet *out)
{
	out->family = pkt->family;
	out->protocol = pkt->protocol;
	out->hop_limit = pkt->hop_limit;
	out->is_fragment = pkt->is_fragment;
	out->is_first_fragment = pkt->is_first_fragment;
	out->fragment_offset = pkt->fragment_offset;
	out->fragment_id = pkt->fragment_id;
	out->fragment_protocol = pkt->fragment_protocol;
	out->l4_fragment_offset = pkt->l4_fragment_offset;
	__builtin_memcpy(out->source, pkt->source, 16);
	__builtin_memcpy(out->destination, pkt->destination, 16);
	out->l4_offset = 0;
	out->ip_end_offset = 0;
	if (ret != PARSE_OK)
		return ret;
	if (pkt->l4 - data > PARSE_MAX_L4_OFFSET)
		return PARSE_MALFORMED;
	out->l4_offset = pkt->l4 - data;
	out->ip_end_offset = pkt->ip_end - data;
	return PARSE_OK;
}

/* The packet pointers again, from the offsets export_packet() gave: the mask changes no
 * offset (an IP packet ends within 64 KiB and its link header of the frame's start) but gives
 * the verifier the bound it needs. */
static __always_inline void import_packet(struct packet *pkt, void *data, void *data_end)
{
	pkt->data_end = data_end;
	pkt->l4 = data + (pkt->l4_offset & PARSE_MAX_L4_OFFSET);
	pkt->ip_end = data + (pkt->ip_end_offset & 0x1ffff);
}

#define TCP_FLAG_FIN 0x01
#define TCP_FLAG_SYN 0x02
#define TCP_FLAG_RST 0x04
#define TCP_FLAG_ACK 0x10

/* The flags byte of a TCP header; 0 when the header is not there to read. */
static __always_inline __u8 tcp_flags(const struct packet *pkt)
{
	__u8 *tcp = pkt->l4;

	if (!header_fits(pkt, tcp + 14))
		return 0;
	return tcp[13];
}

/* What decide() reads of a TCP or UDP header, once. */
struct l4_ports {
	__u16 source;
	__u16 dest;
	__u8 tcp_flags;			/* 0 for UDP */
};

/* Ports (and TCP flags) of a first fragment or whole packet; PARSE_MALFORMED when the L4
 * header is not whole inside the IP packet (RFC 1858 tiny fragments included), TCP data
 * offset < 5, UDP length < 8 or, for an unfragmented datagram, UDP length past the IP
 * packet. */
static __always_inline int parse_ports(const struct packet *pkt, struct l4_ports *ports)
{
	if (pkt->protocol == IPPROTO_TCP) {
		struct tcphdr *tcp = pkt->l4;

		if (!header_fits(pkt, tcp + 1))
			return PARSE_MALFORMED;
		if (tcp->doff < 5 || pkt->l4 + tcp->doff * 4 > pkt->ip_end)
			return PARSE_MALFORMED;
		ports->source = bpf_ntohs(tcp->source);
		ports->dest = bpf_ntohs(tcp->dest);
		ports->tcp_flags = ((__u8 *)tcp)[13];
		return PARSE_OK;
	}
	if (pkt->protocol == IPPROTO_UDP) {
		struct udphdr *udp = pkt->l4;
		__u16 length;

		if (!header_fits(pkt, udp + 1))
			return PARSE_MALFORMED;
		length = bpf_ntohs(udp->len);
		if (length < sizeof(*udp))
			return PARSE_MALFORMED;
		if (!pkt->is_fragment && pkt->l4 + length > pkt->ip_end)
			return PARSE_MALFORMED;
		ports->source = bpf_ntohs(udp->source);
		ports->dest = bpf_ntohs(udp->dest);
		ports->tcp_flags = 0;
		return PARSE_OK;
	}
	return PARSE_MALFORMED;
}

/* A copy of an upper-layer header (up to a TCP header without options). */
struct l4_copy {
	__u8 bytes[20];
};

/* The first @size bytes of the upper-layer header at @l4_offset, copied to @copy with
 * bpf_xdp_load_bytes(), where they run past the frame's first buffer into a later one of a
 * multi-buffer frame: 0, or -1 when the first buffer holds them (what was read there stands)
 * or they are not whole inside the IP packet (ending at @ip_end_offset, which the parse held
 * to the whole frame's length). A global function: verified once, apart from the paths that
 * call it; 64-bit scalars, whose bounds the verifier then knows whole. */
__noinline int load_l4_header(struct xdp_md *ctx, __u64 l4_offset, __u64 ip_end_offset, __u64 size,
			      struct l4_copy *copy)
{
	void *data, *data_end;

	if (!ctx || !copy || !size || size > sizeof(copy->bytes) ||
	    l4_offset > PARSE_MAX_L4_OFFSET || l4_offset + size > ip_end_offset)
		return -1;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if (data + l4_offset + size <= data_end)
		return -1;
	return bpf_xdp_load_bytes(ctx, l4_offset, copy->bytes, size) ? -1 : 0;
}

/* parse_ports() for a TCP or UDP header that runs past the first buffer: the same checks, on
 * a copy. The general path's fallback where parse_ports() found the header short. */
static __always_inline int load_ports(struct xdp_md *ctx, const struct packet *pkt,
				      struct l4_ports *ports)
{
	struct l4_copy copy;
	__u32 size = pkt->protocol == IPPROTO_TCP ? sizeof(struct tcphdr) : sizeof(struct udphdr);
	struct tcphdr *tcp = (void *)copy.bytes;
	struct udphdr *udp = (void *)copy.bytes;
	__u16 length;

	if (pkt->protocol != IPPROTO_TCP && pkt->protocol != IPPROTO_UDP)
		return PARSE_MALFORMED;
	if (load_l4_header(ctx, pkt->l4_offset, pkt->ip_end_offset, size, &copy))
		return PARSE_MALFORMED;
	if (pkt->protocol == IPPROTO_TCP) {
		if (tcp->doff < 5 || pkt->l4_offset + tcp->doff * 4 > pkt->ip_end_offset)
			return PARSE_MALFORMED;
		ports->source = bpf_ntohs(tcp->source);
		ports->dest = bpf_ntohs(tcp->dest);
		ports->tcp_flags = copy.bytes[13];
		return PARSE_OK;
	}
	length = bpf_ntohs(udp->len);
	if (length < sizeof(*udp))
		return PARSE_MALFORMED;
	if (!pkt->is_fragment && pkt->l4_offset + length > pkt->ip_end_offset)
		return PARSE_MALFORMED;
	ports->source = bpf_ntohs(udp->source);
	ports->dest = bpf_ntohs(udp->dest);
	ports->tcp_flags = 0;
	return PARSE_OK;
}

#endif /* XPF_PARSE_H */
