/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The denied record of a loaded filter (bpf/record.h): dropped packets by destination port and
 * by source prefix, summed over CPUs and sorted. User space only; `xpf stats --denied` prints
 * it, and a "denied" pane of `xpf top` can call the same function.
 */
#ifndef XPF_DENIED_H
#define XPF_DENIED_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/filter.h"

enum xpf_denied_kind {
	XPF_DENIED_BY_PORT,	/* destination port and protocol: "443/tcp", "icmp" */
	XPF_DENIED_BY_SOURCE,	/* source /24 (IPv4) or /64 (IPv6): "198.51.100.0/24" */
};

struct xpf_denied_entry {
	char key[64];		/* as printed */
	uint64_t packets;
	uint64_t bytes;
	/* XPF_DENIED_BY_PORT */
	uint16_t port;		/* 0: the protocol has none, or it was not read */
	uint8_t protocol;	/* IP protocol number */
	/* XPF_DENIED_BY_SOURCE */
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t prefix_len;
	uint8_t prefix[16];
};

/* The @max entries with the most packets, most first (ties: by key text), into @out. Returns
 * how many were filled, or a negative errno. *@total (may be NULL) receives how many entries
 * the kernel holds. */
int xpf_denied_top(const struct xpf_filter *filter, enum xpf_denied_kind kind,
		   struct xpf_denied_entry *out, size_t max, size_t *total);

/* Packets of the denied record that were counted by sampling under a flood, all CPUs
 * (bpf/record.h, denied_weight()); 0: every count is exact. Negative errno on failure. */
int64_t xpf_denied_estimated(const struct xpf_filter *filter);

/* "tcp", "udp", "icmp", "ipv6-icmp", else the number: "47". */
const char *xpf_ip_protocol_name(uint8_t protocol, char *buf, size_t size);

#endif /* XPF_DENIED_H */
