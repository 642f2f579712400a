/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Frame builder for the BPF tests. Test side only: included by the
 * tests under tests/bpf/, implemented in tests/bpf/lib_packets.c.
 *
 * A frame is built front to back from the kernel's own header structs, laid end to end in one
 * byte buffer: Ethernet, VLAN tags, IPv4 (with options) or IPv6 (with extension headers), then
 * TCP, UDP, ICMP/ICMPv6 or a bare payload. Each header writes its type into the field the
 * header before it left open (EtherType, IPv4 protocol, IPv6 next header), so a chain reads
 * the way it is written:
 *
 *	frame_eth(&f);
 *	frame_vlan(&f, ETH_P_8021AD);
 *	frame_ipv4(&f, "198.51.100.7", "192.0.2.100");
 *	frame_tcp(&f, 51000, 443, TH_SYN);
 *	frame_finish(&f);
 *
 * frame_finish() fills the IP total/payload length and the UDP length from what was built;
 * anything changed after it (a cut, Ethernet padding, a hand-set length) stays as set, which
 * is how the malformed cases are made. Checksums are left zero: the program never reads them.
 */
#ifndef XPF_TESTS_PACKETS_H
#define XPF_TESTS_PACKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* glibc's first: linux/libc-compat.h then leaves struct in6_addr and friends to it. */
#include <netinet/in.h>

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#define FRAME_MAX 9216 /* a 9000-byte jumbo MTU and its headers */

#ifndef ETH_P_8021AD
#define ETH_P_8021AD 0x88A8
#endif
#ifndef ETH_P_LLDP
#define ETH_P_LLDP 0x88CC
#endif

/* TCP flags, in the byte that follows the data offset. */
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

#define IP_MF 0x2000

/* The headers kept packed as they are on the wire; the IPv6 ones the UAPI does not export. */
struct vlan_hdr {
	uint16_t tci;
	uint16_t encapsulated_proto;
} __attribute__((packed));

struct ipv6_opt_hdr_bytes {
	uint8_t next_header;
	uint8_t length; /* 8-octet units beyond the first 8 (AH: 4-octet units - 2) */
	uint8_t data[6];
} __attribute__((packed));

struct ipv6_frag_hdr {
	uint8_t next_header;
	uint8_t reserved;
	uint16_t offset_flags; /* offset in 8-octet units << 3 | M */
	uint32_t id;
} __attribute__((packed));

struct arp_ipv4 {
	uint16_t hardware;
	uint16_t protocol;
	uint8_t hardware_len;
	uint8_t protocol_len;
	uint16_t operation;
	uint8_t sender_mac[6];
	uint8_t sender_ip[4];
	uint8_t target_mac[6];
	uint8_t target_ip[4];
} __attribute__((packed));

struct frame {
	uint8_t data[FRAME_MAX];
	size_t len;
	int family;	    /* AF_INET, AF_INET6, or 0 before an IP header */
	size_t type_slot;   /* offset of the EtherType/protocol/next header still open */
	int type_slot_size; /* 2 (EtherType) or 1 (IP protocol, next header) */
	size_t l3;	    /* offset of the IP header */
	size_t l4;	    /* offset of the upper-layer header */
	size_t udp;	    /* offset of the UDP header, 0 if none */
	struct iphdr *ip4;  /* into data, or NULL */
	struct ipv6hdr *ip6;
	struct tcphdr *tcp;
	struct udphdr *udp_hdr;
	/* Run as a multi-buffer frame with this many bytes in its first buffer (the rest in the
	 * next); 0: as BPF_PROG_TEST_RUN splits it, a page's worth first. */
	size_t first_buffer;
};

void frame_init(struct frame *f);
/* Ethernet header; the EtherType is written by what follows it. */
void frame_eth(struct frame *f);
/* One VLAN tag with @tpid: ETH_P_8021Q or ETH_P_8021AD. */
void frame_vlan(struct frame *f, uint16_t tpid);
/* Closes the open EtherType with @ether_type (for non-IP frames). */
void frame_ether_type(struct frame *f, uint16_t ether_type);
/* An ARP request who-has @target from @sender. */
void frame_arp(struct frame *f, const char *sender, const char *target);

/* IPv4 header, TTL 64; @option_words 32-bit words of NOP options (IHL = 5 + option_words). */
void frame_ipv4(struct frame *f, const char *source, const char *destination);
void frame_ipv4_options(struct frame *f, const char *source, const char *destination,
			int option_words);
/* Sets id, fragment offset (in bytes, a multiple of 8) and MF of the IPv4 header. */
void frame_ipv4_fragment(struct frame *f, uint16_t id, uint16_t offset_bytes, bool more);

/* IPv6 header, hop limit 64. */
void frame_ipv6(struct frame *f, const char *source, const char *destination);
/* IPv6 header when @destination is an IPv6 address, else IPv4. */
void frame_ip(struct frame *f, const char *source, const char *destination);
/* Hop-by-hop, routing or destination options header of @length_bytes (8, 16, ...), padded
 * with PadN so that it is a valid header. */
void frame_ipv6_ext(struct frame *f, uint8_t type, size_t length_bytes);
/* Authentication header with a 4-byte ICV: 16 bytes, RFC 4302 length 2. */
void frame_ipv6_ah(struct frame *f);
/* Fragment header: offset in bytes (a multiple of 8), M flag, identification. */
void frame_ipv6_fragment(struct frame *f, uint16_t offset_bytes, bool more, uint32_t id);

/* Closes the open protocol/next-header field with @protocol, without adding its header
 * (non-first fragments, GRE, SCTP, No Next Header ...). */
void frame_protocol(struct frame *f, uint8_t protocol);
void frame_tcp(struct frame *f, uint16_t source_port, uint16_t dest_port, uint8_t flags);
void frame_udp(struct frame *f, uint16_t source_port, uint16_t dest_port);
/* ICMP for IPv4, ICMPv6 for IPv6 (picked from the IP header): 8 bytes, type and code. */
void frame_icmp(struct frame *f, uint8_t type, uint8_t code);
/* @count bytes of payload (0xab). */
void frame_payload(struct frame *f, size_t count);

/* Fills the IPv4 total length or IPv6 payload length and the UDP length from the frame. */
void frame_finish(struct frame *f);
/* Ethernet padding: @count zero bytes past the IP packet, no length changed. */
void frame_pad(struct frame *f, size_t count);
/* Truncates the frame to @len bytes, no length changed. */
void frame_cut(struct frame *f, size_t len);

/* Whole frames: Ethernet, IP (by the addresses' family), then TCP with @flags, or UDP with
 * @payload bytes of payload; finished. */
void frame_build_tcp(struct frame *f, const char *source, const char *destination,
		     uint16_t source_port, uint16_t dest_port, uint8_t flags);
void frame_build_udp(struct frame *f, const char *source, const char *destination,
		     uint16_t source_port, uint16_t dest_port, size_t payload);

#endif /* XPF_TESTS_PACKETS_H */
