/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Frame builder of the BPF tests: see packets.h. Aborts on misuse (a test bug, not a result). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "packets.h"

#define IPV6_OPT_PAD1 0
#define IPV6_OPT_PADN 1
#define IPV4_OPT_NOP  1

static void fail(const char *what)
{
	fprintf(stderr, "packets: %s\n", what);
	abort();
}

static void *append(struct frame *f, size_t size)
{
	void *at;

	if (f->len + size > sizeof(f->data))
		fail("frame too long");
	at = f->data + f->len;
	memset(at, 0, size);
	f->len += size;
	return at;
}

/* Writes @type into the field the previous header left open. */
static void close_slot(struct frame *f, unsigned int type, int size)
{
	if (f->type_slot_size != size)
		fail("header does not follow what was built before it");
	if (size == 2) {
		uint16_t be = htons(type);

		memcpy(f->data + f->type_slot, &be, 2);
	} else {
		f->data[f->type_slot] = type;
	}
	f->type_slot_size = 0;
}

static void open_slot(struct frame *f, void *field, int size)
{
	f->type_slot = (uint8_t *)field - f->data;
	f->type_slot_size = size;
}

static void parse_address(int family, const char *text, void *out)
{
	if (inet_pton(family, text, out) != 1)
		fail("bad address");
}

void frame_init(struct frame *f)
{
	memset(f, 0, sizeof(*f));
}

void frame_eth(struct frame *f)
{
	static const uint8_t destination[ETH_ALEN] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
	static const uint8_t source[ETH_ALEN] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
	struct ethhdr *eth = append(f, sizeof(*eth));

	memcpy(eth->h_dest, destination, ETH_ALEN);
	memcpy(eth->h_source, source, ETH_ALEN);
	open_slot(f, &eth->h_proto, 2);
}

void frame_vlan(struct frame *f, uint16_t tpid)
{
	struct vlan_hdr *tag;

	close_slot(f, tpid, 2);
	tag = append(f, sizeof(*tag));
	tag->tci = htons(100);
	open_slot(f, &tag->encapsulated_proto, 2);
}

void frame_ether_type(struct frame *f, uint16_t ether_type)
{
	close_slot(f, ether_type, 2);
}

void frame_arp(struct frame *f, const char *sender, const char *target)
{
	struct arp_ipv4 *arp;

	close_slot(f, ETH_P_ARP, 2);
	arp = append(f, sizeof(*arp));
	arp->hardware = htons(1);
	arp->protocol = htons(ETH_P_IP);
	arp->hardware_len = ETH_ALEN;
	arp->protocol_len = 4;
	arp->operation = htons(1);
	parse_address(AF_INET, sender, arp->sender_ip);
	parse_address(AF_INET, target, arp->target_ip);
}

void frame_ipv4_options(struct frame *f, const char *source, const char *destination,
			int option_words)
{
	struct iphdr *ip;
	uint8_t *options;

	close_slot(f, ETH_P_IP, 2);
	f->l3 = f->len;
	ip = append(f, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5 + option_words;
	ip->ttl = 64;
	ip->id = htons(1);
	parse_address(AF_INET, source, &ip->saddr);
	parse_address(AF_INET, destination, &ip->daddr);
	options = append(f, option_words * 4);
	memset(options, IPV4_OPT_NOP, option_words * 4);
	f->family = AF_INET;
	f->ip4 = ip;
	open_slot(f, &ip->protocol, 1);
}

void frame_ipv4(struct frame *f, const char *source, const char *destination)
{
	frame_ipv4_options(f, source, destination, 0);
}

void frame_ipv4_fragment(struct frame *f, uint16_t id, uint16_t offset_bytes, bool more)
{
	if (!f->ip4 || offset_bytes % 8)
		fail("IPv4 fragment offset");
	f->ip4->id = htons(id);
	f->ip4->frag_off = htons((offset_bytes / 8) | (more ? IP_MF : 0));
}

void frame_ipv6(struct frame *f, const char *source, const char *destination)
{
	struct ipv6hdr *ip6;

	close_slot(f, ETH_P_IPV6, 2);
	f->l3 = f->len;
	ip6 = append(f, sizeof(*ip6));
	ip6->version = 6;
	ip6->hop_limit = 64;
	parse_address(AF_INET6, source, &ip6->saddr);
	parse_address(AF_INET6, destination, &ip6->daddr);
	f->family = AF_INET6;
	f->ip6 = ip6;
	open_slot(f, &ip6->nexthdr, 1);
}

void frame_ip(struct frame *f, const char *source, const char *destination)
{
	if (strchr(destination, ':'))
		frame_ipv6(f, source, destination);
	else
		frame_ipv4(f, source, destination);
}

void frame_ipv6_ext(struct frame *f, uint8_t type, size_t length_bytes)
{
	uint8_t *header;

	if (length_bytes < 8 || length_bytes % 8 || length_bytes > 2048)
		fail("extension header length");
	close_slot(f, type, 1);
	header = append(f, length_bytes);
	header[1] = length_bytes / 8 - 1;
	/* One PadN option filling the rest: a valid options header (routing data is ignored
	 * by the program: segments left 0 of a type 0 header). */
	if (type != IPPROTO_ROUTING) {
		header[2] = IPV6_OPT_PADN;
		header[3] = length_bytes - 4;
	}
	open_slot(f, &header[0], 1);
}

void frame_ipv6_ah(struct frame *f)
{
	uint8_t *header;

	close_slot(f, IPPROTO_AH, 1);
	header = append(f, 16); /* next, length, reserved(2), SPI(4), sequence(4), ICV(4) */
	header[1] = 16 / 4 - 2;
	header[7] = 1;	/* SPI 1 */
	header[11] = 1; /* sequence 1 */
	open_slot(f, &header[0], 1);
}

void frame_ipv6_fragment(struct frame *f, uint16_t offset_bytes, bool more, uint32_t id)
{
	struct ipv6_frag_hdr *frag;

	if (offset_bytes % 8)
		fail("IPv6 fragment offset");
	close_slot(f, IPPROTO_FRAGMENT, 1);
	frag = append(f, sizeof(*frag));
	frag->offset_flags = htons((offset_bytes / 8) << 3 | (more ? 1 : 0));
	frag->id = htonl(id);
	open_slot(f, &frag->next_header, 1);
}

void frame_protocol(struct frame *f, uint8_t protocol)
{
	close_slot(f, protocol, 1);
	f->l4 = f->len;
}

void frame_tcp(struct frame *f, uint16_t source_port, uint16_t dest_port, uint8_t flags)
{
	struct tcphdr *tcp;

	frame_protocol(f, IPPROTO_TCP);
	tcp = append(f, sizeof(*tcp));
	tcp->source = htons(source_port);
	tcp->dest = htons(dest_port);
	tcp->seq = htonl(1000);
	tcp->ack_seq = htonl(flags & TH_ACK ? 2000 : 0);
	tcp->doff = sizeof(*tcp) / 4;
	((uint8_t *)tcp)[13] = flags;
	tcp->window = htons(64240);
	f->tcp = tcp;
}

void frame_udp(struct frame *f, uint16_t source_port, uint16_t dest_port)
{
	struct udphdr *udp;

	frame_protocol(f, IPPROTO_UDP);
	f->udp = f->len;
	udp = append(f, sizeof(*udp));
	udp->source = htons(source_port);
	udp->dest = htons(dest_port);
	f->udp_hdr = udp;
}

void frame_icmp(struct frame *f, uint8_t type, uint8_t code)
{
	uint8_t *icmp;

	frame_protocol(f, f->family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
	icmp = append(f, 8); /* type, code, checksum, 4 bytes of rest-of-header */
	icmp[0] = type;
	icmp[1] = code;
}

void frame_payload(struct frame *f, size_t count)
{
	memset(append(f, count), 0xab, count);
}

void frame_finish(struct frame *f)
{
	if (f->ip4)
		f->ip4->tot_len = htons(f->len - f->l3);
	if (f->ip6)
		f->ip6->payload_len = htons(f->len - f->l3 - sizeof(struct ipv6hdr));
	if (f->udp_hdr)
		f->udp_hdr->len = htons(f->len - f->udp);
}

void frame_pad(struct frame *f, size_t count)
{
	append(f, count);
}

void frame_cut(struct frame *f, size_t len)
{
	if (len > f->len)
		fail("cut past the end");
	f->len = len;
}

void frame_build_tcp(struct frame *f, const char *source, const char *destination,
		     uint16_t source_port, uint16_t dest_port, uint8_t flags)
{
	frame_init(f);
	frame_eth(f);
	frame_ip(f, source, destination);
	frame_tcp(f, source_port, dest_port, flags);
	frame_finish(f);
}

void frame_build_udp(struct frame *f, const char *source, const char *destination,
		     uint16_t source_port, uint16_t dest_port, size_t payload)
{
	frame_init(f);
	frame_eth(f);
	frame_ip(f, source, destination);
	frame_udp(f, source_port, dest_port);
	frame_payload(f, payload);
	frame_finish(f);
}
