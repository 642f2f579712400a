// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: the XDP program's packet parser, bpf/parse.h (and read_ports of
 * bpf/shared_maps.h) compiled as it is for the kernel, run in user space. Not a model of the
 * parser: the same static inline functions, over a buffer exactly as long as the frame, so
 * AddressSanitizer stops any read the bounds checks should have refused.
 *
 * Input: 2 bytes (big endian) of what the frame has beyond its first buffer (multi-buffer
 * XDP, or an skb's paged data on egress: bpf_xdp_get_buff_len() / skb->len minus the linear
 * part), then the first buffer itself.
 *
 * The maps of shared_maps.h become unused globals in a ".maps" section here; bpf_helpers.h
 * declares the helpers as pointers to small integers, never called by what this target runs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shared_maps.h"	/* bpf/: parse.h and read_ports() */

#include "fuzz_common.h"

#define ICMPV4_PROTOCOL 1
#define ICMPV6_PROTOCOL 58

static int is_ipv6_extension(__u8 next)
{
	return next == IPPROTO_HOPOPTS || next == IPPROTO_ROUTING || next == IPPROTO_DSTOPTS ||
	       next == IPPROTO_AH || next == IPPROTO_FRAGMENT;
}

/* What parse_packet promises on PARSE_OK, whatever the bytes. */
static void check_packet(const struct packet *pkt, void *data, void *data_end, __u32 frame_len,
			 enum parse_direction direction)
{
	uintptr_t start = (uintptr_t)data, l4 = (uintptr_t)pkt->l4;
	uintptr_t ip_end = (uintptr_t)pkt->ip_end;

	FUZZ_CHECK(pkt->family == AF_INET || pkt->family == AF_INET6);
	FUZZ_CHECK(pkt->data_end == data_end);
	/* Ethernet, then at least the IP base header. */
	FUZZ_CHECK(l4 >= start + sizeof(struct ethhdr) +
				 (pkt->family == AF_INET ? sizeof(struct iphdr)
							 : sizeof(struct ipv6hdr)));
	FUZZ_CHECK(l4 <= ip_end);
	/* The IP packet lies inside the frame: the first buffer on egress (the length is capped
	 * there), every buffer on ingress (a length past the frame is malformed). */
	if (direction == PARSE_EGRESS)
		FUZZ_CHECK(pkt->ip_end <= data_end);
	else
		FUZZ_CHECK(ip_end - start <= frame_len);
	FUZZ_CHECK(pkt->is_first_fragment == (pkt->is_fragment && pkt->fragment_offset == 0));
	if (pkt->family == AF_INET) {
		FUZZ_CHECK(pkt->fragment_protocol == pkt->protocol);
		FUZZ_CHECK(pkt->l4_fragment_offset == 0);
		FUZZ_CHECK(pkt->fragment_id <= 0xffff);
		FUZZ_CHECK(fuzz_is_zero(pkt->source + 4, 12) &&
			   fuzz_is_zero(pkt->destination + 4, 12));
	} else if (!(pkt->is_fragment && pkt->fragment_offset)) {
		/* The header chain was walked to its end: what is left is the upper layer. */
		FUZZ_CHECK(!is_ipv6_extension(pkt->protocol));
	} else {
		FUZZ_CHECK(pkt->protocol == pkt->fragment_protocol);
	}
}

/* The reads xpf.bpf.c and egress.bpf.c make once parse_packet said OK. */
static void use_packet(const struct packet *pkt)
{
	volatile __u8 sink;
	struct l4_ports ports;
	__u16 source, dest;
	int ports_ok;

	if (pkt->is_fragment && !pkt->is_first_fragment)
		return;	/* no upper-layer header to read */

	/* is_essential_icmp and is_error_about_host_flow: ICMP type and code, then the 8-byte
	 * ICMP header and the quoted IP header, whose ports read_ports reads. */
	if (pkt->protocol == ICMPV4_PROTOCOL || pkt->protocol == ICMPV6_PROTOCOL) {
		__u8 *icmp = pkt->l4;
		struct packet quoted = { .data_end = pkt->data_end, .ip_end = pkt->ip_end };
		void *inner = icmp + 8;

		if (header_fits(pkt, icmp + 2))
			sink = icmp[0] ^ icmp[1];
		if (!header_fits(pkt, icmp + 8))
			return;
		if (pkt->family == AF_INET) {
			struct iphdr *ip = inner;

			if (!header_fits(pkt, ip + 1) || ip->ihl < 5)
				return;
			quoted.l4 = (__u8 *)inner + ip->ihl * 4;
		} else {
			struct ipv6hdr *ip6 = inner;

			if (!header_fits(pkt, ip6 + 1))
				return;
			quoted.l4 = ip6 + 1;
		}
		if (read_ports(&quoted, &source, &dest))
			sink = (__u8)(source ^ dest);
		return;
	}
	if (pkt->protocol != IPPROTO_TCP && pkt->protocol != IPPROTO_UDP)
		return;

	ports_ok = parse_ports(pkt, &ports) == PARSE_OK;
	if (read_ports(pkt, &source, &dest)) {
		/* parse_ports and read_ports read the same fields. */
		if (ports_ok)
			FUZZ_CHECK(dest == ports.dest && source == ports.source);
		if (ports_ok && pkt->protocol == IPPROTO_TCP)
			FUZZ_CHECK(ports.tcp_flags == tcp_flags(pkt));
	} else {
		/* A header parse_ports accepted holds its ports. */
		FUZZ_CHECK(!ports_ok);
	}
	if (pkt->protocol == IPPROTO_TCP)
		sink = tcp_flags(pkt);
	(void)sink;
}

static int parse_and_use(void *data, void *data_end, __u32 frame_len,
			 enum parse_direction direction, struct packet *pkt)
{
	int ret;

	memset(pkt, 0, sizeof(*pkt));
	ret = parse_packet(data, data_end, frame_len, pkt, direction);
	FUZZ_CHECK(ret == PARSE_OK || ret == PARSE_NON_IP || ret == PARSE_MALFORMED);
	if (ret == PARSE_OK) {
		check_packet(pkt, data, data_end, frame_len, direction);
		use_packet(pkt);
	}
	return ret;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
	struct packet ingress, egress, egress_multi;
	__u32 beyond, frame_len;
	int ingress_ret, egress_ret;
	uint8_t *frame;

	if (size < 2)
		return 0;
	beyond = (__u32)input[0] << 8 | input[1];
	size -= 2;
	/* Exactly the frame's first buffer: one byte more is a heap overflow ASan reports.
	 * (malloc(0) may return NULL: an empty frame is one byte of allocation, zero of data.) */
	frame = malloc(size ? size : 1);
	if (!frame)
		return 0;
	memcpy(frame, input + 2, size);
	frame_len = (__u32)size + beyond;

	/* A single buffer: what ingress accepts, egress reads the same way. */
	ingress_ret = parse_and_use(frame, frame + size, (__u32)size, PARSE_INGRESS, &ingress);
	egress_ret = parse_and_use(frame, frame + size, (__u32)size, PARSE_EGRESS, &egress);
	if (ingress_ret == PARSE_OK) {
		FUZZ_CHECK(egress_ret == PARSE_OK);
		FUZZ_CHECK(!memcmp(&ingress, &egress, sizeof(ingress)));
	}
	if (beyond) {
		/* More of the frame than the first buffer holds. */
		parse_and_use(frame, frame + size, frame_len, PARSE_INGRESS, &ingress);
		/* Egress reads only the linear buffer: the rest of the skb changes nothing. */
		FUZZ_CHECK(parse_and_use(frame, frame + size, frame_len, PARSE_EGRESS,
					 &egress_multi) == egress_ret);
		if (egress_ret == PARSE_OK)
			FUZZ_CHECK(!memcmp(&egress, &egress_multi, sizeof(egress)));
	}
	free(frame);
	return 0;
}
