// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The packet of `xpf explain`, built header by header in network byte order. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "core/probe.h"

#define ETHER_HEADER 14
#define VLAN_TAG 4
#define IPV4_HEADER 20
#define IPV6_HEADER 40
#define IPV6_FRAGMENT_HEADER 8
#define TCP_HEADER 20
#define UDP_HEADER 8
#define ICMP_ECHO 8
#define PAYLOAD 8
#define LATER_FRAGMENT_OFFSET 1480	/* bytes: where a second fragment of a 1500 MTU starts */
#define PROBE_FRAGMENT_ID 0x5846	/* "XF" */
#define TCP_SYN 0x02
#define TCP_ACK 0x10

int xpf_probe_protocol(const char *text, int family, uint8_t *protocol)
{
	char *end;
	long number;

	if (!strcasecmp(text, "tcp"))
		*protocol = IPPROTO_TCP;
	else if (!strcasecmp(text, "udp"))
		*protocol = IPPROTO_UDP;
	else if (!strcasecmp(text, "icmp") || !strcasecmp(text, "icmpv6"))
		*protocol = family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	else {
		number = strtol(text, &end, 10);
		if (end == text || *end || number < 0 || number > 255)
			return -EINVAL;
		*protocol = (uint8_t)number;
	}
	return 0;
}

static bool is_icmp(const struct xpf_probe *probe)
{
	return (probe->source.family == AF_INET && probe->protocol == IPPROTO_ICMP) ||
	       (probe->source.family == AF_INET6 && probe->protocol == IPPROTO_ICMPV6);
}

void xpf_probe_describe(const struct xpf_probe *probe, char *buf, size_t size)
{
	if (probe->protocol == IPPROTO_TCP)
		snprintf(buf, size, "tcp");
	else if (probe->protocol == IPPROTO_UDP)
		snprintf(buf, size, "udp");
	else if (is_icmp(probe))
		snprintf(buf, size, "%s", probe->source.family == AF_INET6 ? "icmpv6" : "icmp");
	else
		snprintf(buf, size, "proto %u", probe->protocol);
}

static void put16(uint8_t *at, uint16_t value)
{
	value = htons(value);
	memcpy(at, &value, 2);
}

/* The upper-layer header and a few payload bytes: what a first fragment or a whole packet
 * carries. */
static size_t upper_layer(const struct xpf_probe *probe, uint8_t *at)
{
	if (probe->protocol == IPPROTO_TCP) {
		put16(at, probe->source_port);
		put16(at + 2, probe->dest_port);
		at[12] = (TCP_HEADER / 4) << 4;
		at[13] = probe->reply ? TCP_ACK : TCP_SYN;
		put16(at + 14, 65535);
		return TCP_HEADER + PAYLOAD;
	}
	if (probe->protocol == IPPROTO_UDP) {
		put16(at, probe->source_port);
		put16(at + 2, probe->dest_port);
		put16(at + 4, UDP_HEADER + PAYLOAD);
		return UDP_HEADER + PAYLOAD;
	}
	if (is_icmp(probe)) {
		at[0] = probe->source.family == AF_INET6 ? 128 : 8;	/* echo request */
		put16(at + 4, 0x5846);
		put16(at + 6, 1);
		return ICMP_ECHO + PAYLOAD;
	}
	return PAYLOAD;
}

/* The Ethernet header and any VLAN tags; returns where the IP header starts. */
static size_t ethernet_header(const struct xpf_probe *probe, uint8_t *buf)
{
	static const uint8_t destination_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	static const uint8_t source_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	size_t at = 12;

	memcpy(buf, destination_mac, 6);
	memcpy(buf + 6, source_mac, 6);
	for (int i = 0; i < probe->vlan_count && i < 2; i++) {
		/* The outer of two tags is 802.1ad (a service tag), an only tag 802.1Q. */
		put16(buf + at, i == 0 && probe->vlan_count == 2 ? 0x88A8 : 0x8100);
		put16(buf + at + 2, probe->vlans[i] & 0x0fff);
		at += VLAN_TAG;
	}
	put16(buf + at, probe->source.family == AF_INET6 ? 0x86DD : 0x0800);
	return at + 2;
}

/* The IPv4 header at @ip and what follows it; returns the frame's length. */
static size_t ipv4_packet(const struct xpf_probe *probe, uint8_t *buf, size_t ip)
{
	size_t at = ip + IPV4_HEADER, l4_len;
	uint16_t flags_offset = 0;

	l4_len = probe->fragment == XPF_PROBE_LATER_FRAGMENT ? PAYLOAD
							     : upper_layer(probe, buf + at);
	if (probe->fragment == XPF_PROBE_FIRST_FRAGMENT)
		flags_offset = 0x2000;
	else if (probe->fragment == XPF_PROBE_LATER_FRAGMENT)
		flags_offset = LATER_FRAGMENT_OFFSET / 8;
	buf[ip] = 0x45;
	put16(buf + ip + 2, IPV4_HEADER + l4_len);
	put16(buf + ip + 4, PROBE_FRAGMENT_ID);
	put16(buf + ip + 6, flags_offset);
	buf[ip + 8] = 64;
	buf[ip + 9] = probe->protocol;
	memcpy(buf + ip + 12, probe->source.addr, 4);
	memcpy(buf + ip + 16, probe->destination.addr, 4);
	return at + l4_len;
}

/* The IPv6 header at @ip, a fragment header if the probe is a fragment, and what follows;
 * returns the frame's length. */
static size_t ipv6_packet(const struct xpf_probe *probe, uint8_t *buf, size_t ip)
{
	size_t at = ip + IPV6_HEADER, l4_len;

	buf[ip] = 0x60;
	buf[ip + 7] = 64;
	memcpy(buf + ip + 8, probe->source.addr, 16);
	memcpy(buf + ip + 24, probe->destination.addr, 16);
	if (probe->fragment != XPF_PROBE_WHOLE) {
		uint8_t *fragment = buf + at;
		uint32_t id = htonl(PROBE_FRAGMENT_ID);

		buf[ip + 6] = 44;	/* fragment header */
		fragment[0] = probe->protocol;
		put16(fragment + 2, probe->fragment == XPF_PROBE_FIRST_FRAGMENT
					    ? 1 : LATER_FRAGMENT_OFFSET);	/* offset << 3 | M */
		memcpy(fragment + 4, &id, 4);
		at += IPV6_FRAGMENT_HEADER;
	} else {
		buf[ip + 6] = probe->protocol;
	}
	l4_len = probe->fragment == XPF_PROBE_LATER_FRAGMENT ? PAYLOAD
							     : upper_layer(probe, buf + at);
	put16(buf + ip + 4, (uint16_t)(at - ip - IPV6_HEADER + l4_len));
	return at + l4_len;
}

size_t xpf_probe_build(const struct xpf_probe *probe, uint8_t *buf, size_t size)
{
	size_t ip;

	if (size < XPF_PROBE_MAX_BYTES)
		return 0;
	memset(buf, 0, XPF_PROBE_MAX_BYTES);
	ip = ethernet_header(probe, buf);
	if (probe->source.family == AF_INET6)
		return ipv6_packet(probe, buf, ip);
	return ipv4_packet(probe, buf, ip);
}

size_t xpf_roles_containing(const struct xpf_site *site, const struct xpf_prefix *addr,
			    const char **names, size_t max)
{
	size_t count = 0;

	for (size_t r = 0; r < site->role_count; r++) {
		const struct xpf_role *role = &site->roles[r];

		for (size_t p = 0; p < role->count; p++) {
			if (!xpf_prefix_contains(&role->prefixes[p], addr))
				continue;
			if (count < max)
				names[count] = role->name;
			count++;
			break;
		}
	}
	if (count < max)
		names[count] = "Any";
	return count + 1;
}
