// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>

#include "bench_frames.h"

static uint32_t add_bytes(uint32_t sum, const uint8_t *bytes, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += bytes[i] << 8 | bytes[i + 1];
	if (len & 1)
		sum += bytes[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* The IPv4 header's checksum, and TCP's or UDP's over its pseudo-header: a fragment's L4
 * checksum covers the whole datagram, which one frame does not hold, so it stays zero. */
static void checksums(struct frame *f)
{
	uint8_t protocol = f->tcp ? IPPROTO_TCP : IPPROTO_UDP;
	uint16_t *check = f->tcp ? &f->tcp->check : f->udp_hdr ? &f->udp_hdr->check : NULL;
	size_t l4_len;
	uint32_t sum;

	if (f->ip4) {
		f->ip4->check = 0;
		f->ip4->check = htons(fold(add_bytes(0, (uint8_t *)f->ip4, f->ip4->ihl * 4)));
		if (f->ip4->frag_off & htons(IP_MF | 0x1fff))
			return;
		l4_len = ntohs(f->ip4->tot_len) - (f->l4 - f->l3);
		sum = add_bytes(0, (uint8_t *)&f->ip4->saddr, 8);
	} else if (f->ip6) {
		l4_len = ntohs(f->ip6->payload_len) - (f->l4 - f->l3 - sizeof(struct ipv6hdr));
		sum = add_bytes(0, (uint8_t *)&f->ip6->saddr, 32);
	} else {
		return;
	}
	if (!check)
		return;
	*check = 0;
	sum += protocol + l4_len;
	sum = add_bytes(sum, f->data + f->l4, l4_len);
	*check = htons(fold(sum));
}

/* Lengths and checksums, then the Ethernet minimum: 60 bytes before the FCS, a 64-byte frame
 * on the wire (the padding is past the IP length, as on a wire). */
static void finish_64(struct frame *f)
{
	frame_finish(f);
	checksums(f);
	if (f->len < 60)
		frame_pad(f, 60 - f->len);
}

static void start(struct frame *f, const uint8_t *dest_mac)
{
	frame_init(f);
	frame_eth(f);
	if (dest_mac)
		memcpy(f->data, dest_mac, ETH_ALEN);
}

static struct frame *add(struct bench_frame *frames, int *count, const char *name,
			 enum bench_hook hook, const uint8_t *dest_mac)
{
	struct bench_frame *b = &frames[(*count)++];

	b->name = name;
	b->hook = hook;
	b->prime.len = 0;
	start(&b->frame, dest_mac);
	return &b->frame;
}

static void tcp_v4(struct frame *f, const char *source, const char *dest, uint16_t port,
		   uint8_t flags)
{
	frame_ipv4(f, source, dest);
	frame_tcp(f, 51000, port, flags);
	finish_64(f);
}

static void tcp_v6(struct frame *f, const char *source, const char *dest, uint16_t port,
		   uint8_t flags)
{
	frame_ipv6(f, source, dest);
	frame_tcp(f, 51000, port, flags);
	finish_64(f);
}

/* The fast path's frames: examples/director.site's table decides them. */
static void plain_frames(struct bench_frame *frames, int *n, const uint8_t *mac)
{
	struct frame *f;

	/* Internal Clients → HLB VIP, HTTPS: a table row admits it. */
	tcp_v4(add(frames, n, "allowed_v4", BENCH_XDP, mac), "198.51.100.7", "192.0.2.100", 443,
	       TH_ACK);
	tcp_v6(add(frames, n, "allowed_v6", BENCH_XDP, mac), "2001:db8:100::7", "2001:db8:1::100",
	       443, TH_ACK);
	/* A port rows name, from a source none admits: every prefix length of the class is
	 * tried, then policy default drop. */
	tcp_v4(add(frames, n, "denied_v4", BENCH_XDP, mac), "203.0.113.200", "192.0.2.100", 443,
	       TH_SYN);
	tcp_v6(add(frames, n, "denied_v6", BENCH_XDP, mac), "2001:db8:2::66", "2001:db8:1::100",
	       443, TH_SYN);
	/* A port no row names: no class, policy default drop at once. */
	tcp_v4(add(frames, n, "denied_port", BENCH_XDP, mac), "203.0.113.200", "192.0.2.100", 3389,
	       TH_SYN);
	/* What a flood to a closed port chooses: a UDP datagram or a TCP ACK, which may answer
	 * a flow the host opened. */
	f = add(frames, n, "udp_closed", BENCH_XDP, mac);
	frame_ipv4(f, "203.0.113.200", "192.0.2.100");
	frame_udp(f, 51000, 3389);
	finish_64(f);
	tcp_v4(add(frames, n, "ack_closed", BENCH_XDP, mac), "203.0.113.200", "192.0.2.100", 3389,
	       TH_ACK);
}

/* The frames the general path decides, and the ones beside the rules. */
static void other_frames(struct bench_frame *frames, int *n, const uint8_t *mac)
{
	struct frame *f;

	f = add(frames, n, "options_v4", BENCH_XDP, mac);
	frame_ipv4_options(f, "198.51.100.7", "192.0.2.100", 2);
	frame_tcp(f, 51000, 443, TH_ACK);
	finish_64(f);

	f = add(frames, n, "ext_v6", BENCH_XDP, mac);
	frame_ipv6(f, "2001:db8:100::7", "2001:db8:1::100");
	frame_ipv6_ext(f, IPPROTO_DSTOPTS, 8);
	frame_tcp(f, 51000, 443, TH_ACK);
	finish_64(f);

	tcp_v4(add(frames, n, "not_local", BENCH_XDP, mac), "198.51.100.7", "192.0.2.200", 443,
	       TH_ACK);

	f = add(frames, n, "vlan_v4", BENCH_XDP, mac);
	frame_vlan(f, ETH_P_8021Q);
	tcp_v4(f, "198.51.100.7", "192.0.2.100", 443, TH_ACK);
}

/* First fragment: classified, its verdict written to the fragments map each time; a later
 * fragment of the same datagram follows the recorded verdict (a lookup). */
static void fragment_frames(struct bench_frame *frames, int *n, const uint8_t *mac)
{
	struct frame *f;

	f = add(frames, n, "fragment_first", BENCH_XDP, mac);
	frame_ipv4(f, "198.51.100.7", "192.0.2.100");
	frame_ipv4_fragment(f, 7, 0, true);
	frame_tcp(f, 51000, 443, TH_ACK);
	frame_payload(f, 8);
	finish_64(f);

	f = add(frames, n, "fragment_next", BENCH_XDP, mac);
	frame_ipv4(f, "198.51.100.7", "192.0.2.100");
	frame_ipv4_fragment(f, 7, 1480, false);
	frame_protocol(f, IPPROTO_TCP);
	frame_payload(f, 26);
	finish_64(f);
	frames[*n - 1].prime = frames[*n - 2].frame;
}

/* Egress: the Director's connection to the Front End pool, refreshed (reads; writes once a
 * second), primed with its SYN and first ACK so the flow is established; a new flow's SYN;
 * a forwarded packet, not the host's own: one local-address lookup, nothing tracked. */
static void egress_frames(struct bench_frame *frames, int *n, const uint8_t *mac)
{
	struct frame *f;

	f = add(frames, n, "egress_established", BENCH_EGRESS, mac);
	frame_ipv4(f, "192.0.2.101", "192.0.2.20");
	frame_tcp(f, 52000, 444, TH_ACK);
	finish_64(f);
	start(&frames[*n - 1].prime, mac);
	frame_ipv4(&frames[*n - 1].prime, "192.0.2.101", "192.0.2.20");
	frame_tcp(&frames[*n - 1].prime, 52000, 444, TH_SYN);
	finish_64(&frames[*n - 1].prime);

	f = add(frames, n, "egress_syn", BENCH_EGRESS, mac);
	frame_ipv4(f, "192.0.2.101", "192.0.2.20");
	frame_tcp(f, 52001, 444, TH_SYN);
	finish_64(f);

	f = add(frames, n, "egress_not_local", BENCH_EGRESS, mac);
	frame_ipv4(f, "198.51.100.7", "192.0.2.20");
	frame_tcp(f, 52002, 444, TH_ACK);
	finish_64(f);
}

int bench_frames_build(struct bench_frame *frames, const uint8_t *dest_mac)
{
	int n = 0;

	plain_frames(frames, &n, dest_mac);
	other_frames(frames, &n, dest_mac);
	fragment_frames(frames, &n, dest_mac);
	egress_frames(frames, &n, dest_mac);
	return n;
}

const struct bench_frame *bench_frame_find(const struct bench_frame *frames, int count,
					   const char *name)
{
	for (int i = 0; i < count; i++)
		if (!strcmp(frames[i].name, name))
			return &frames[i];
	return NULL;
}
