/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A filter's counters as read: what the kernel readers (kernel/stats_read.h, kernel/denied.h)
 * fill and the views (cli/) print. Plain data, so that the views are tested without a kernel.
 */
#ifndef XPF_STATS_H
#define XPF_STATS_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include <xpf/maps.h>

#include "core/config.h"
#include "core/names.h"

struct xpf_rule_stat {
	uint32_t id;
	struct xpf_rule_info info;
	struct xpf_counter counter;	/* summed over CPUs */
};

struct xpf_stats {
	char ifname[IF_NAMESIZE];
	enum xpf_attach_mode mode;
	uint32_t generation;		/* in force */
	struct xpf_config config;
	struct xpf_meta meta;
	/* The rules whose counts are whole, in priority order: those of the generation in force,
	 * or, from a reload's flip until the generation it left is retired, those of that one
	 * (kernel/stats_read.c). */
	uint32_t rules_generation;
	struct xpf_rule_stat *rules;
	size_t rule_count;
	struct xpf_counter reasons[XPF_REASON_COUNT];
	uint64_t monotonic_now_ns;	/* the clock of last_seen_ns */
	size_t flows_tracked;		/* flows the host opened, in the flows map */
	size_t flows_open;		/* ... whose replies pass now */
	struct xpf_prefix *locals;	/* the addresses the generation enforces, sorted */
	size_t local_count;
};

void xpf_counter_add(struct xpf_counter *to, const struct xpf_counter *from);
void xpf_stats_free(struct xpf_stats *stats);

/* An entry of the denied record (kernel/denied.h). */
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

/* Where a rule comes from: "site:12" for a site row, "t1:83" for a row of the generation's
 * table 1 (meta.origins), "t1:83,t3" when another table has it too. */
void xpf_format_origin(const struct xpf_stats *stats, const struct xpf_rule_info *info,
		       char *buf, size_t size);
/* The table a rule's origin @index names, or NULL. */
const struct xpf_origin_info *xpf_origin_of(const struct xpf_stats *stats, uint8_t origin);

#endif /* XPF_STATS_H */
