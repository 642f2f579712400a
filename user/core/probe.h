/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The one packet `xpf explain` sends through the loaded program: Ethernet, up to two VLAN
 * tags, IPv4 or IPv6 (optionally a first or a later fragment), then a TCP SYN (an ACK for a
 * reply), a UDP datagram, an ICMP/ICMPv6 echo request or a bare payload of another protocol.
 * User space only, pure (bytes out, no I/O).
 */
#ifndef XPF_PROBE_H
#define XPF_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"

#define XPF_PROBE_MAX_BYTES 256
#define XPF_PROBE_SOURCE_PORT 51000	/* SPORT when none is given: an ephemeral port */

enum xpf_probe_fragment {
	XPF_PROBE_WHOLE,
	XPF_PROBE_FIRST_FRAGMENT,	/* offset 0, more fragments */
	XPF_PROBE_LATER_FRAGMENT,	/* offset 1480, the last one */
};

struct xpf_probe {
	uint8_t protocol;		/* IP protocol number; ICMP is 1 (v4) or 58 (v6) */
	struct xpf_prefix source;	/* hosts: /32 or /128, same family */
	struct xpf_prefix destination;
	uint16_t source_port;
	uint16_t dest_port;
	uint16_t vlans[2];
	int vlan_count;
	enum xpf_probe_fragment fragment;
	bool reply;			/* TCP: ACK (answers a flow) instead of SYN */
};

/* "tcp", "udp", "icmp" (ICMPv6 for an IPv6 packet), or a number 0-255. -EINVAL else. */
int xpf_probe_protocol(const char *text, int family, uint8_t *protocol);
/* "tcp", "udp", "icmp", "icmpv6", "proto 47". */
void xpf_probe_describe(const struct xpf_probe *probe, char *buf, size_t size);
/* The frame, into @buf; its length, or 0 when @size is too small. */
size_t xpf_probe_build(const struct xpf_probe *probe, uint8_t *buf, size_t size);

/* The roles of @site whose addresses contain the host @addr, in file order, then "Any".
 * Returns how many (at most @max names are stored). */
size_t xpf_roles_containing(const struct xpf_site *site, const struct xpf_prefix *addr,
			    const char **names, size_t max);

#endif /* XPF_PROBE_H */
