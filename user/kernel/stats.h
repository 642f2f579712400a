/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Counters of a loaded filter, summed over CPUs, and their text and JSON forms. User only. */
#ifndef XPF_STATS_H
#define XPF_STATS_H

#include <stdio.h>

#include <json-c/json.h>

#include "kernel/counters.h"
#include "kernel/filter.h"

struct xpf_rule_stat {
	uint32_t id;
	struct xpf_rule_info info;
	struct xpf_counter counter;	/* summed over CPUs */
};

struct xpf_stats {
	char ifname[IF_NAMESIZE];
	enum xdp_attach_mode mode;
	uint32_t generation;
	struct xpf_config config;
	struct xpf_meta meta;
	struct xpf_rule_stat *rules;	/* the generation in force, in priority order */
	size_t rule_count;
	struct xpf_counter reasons[XPF_REASON_COUNT];
	uint64_t monotonic_now_ns;	/* the clock of last_seen_ns */
	size_t flows_tracked;		/* flows the host opened, in the flows map */
	size_t flows_open;		/* ... whose replies pass now */
};

enum xpf_stats_view {
	XPF_VIEW_RULE,
	XPF_VIEW_PORT,
};

int xpf_stats_read(const struct xpf_filter *filter, struct xpf_stats *stats);
void xpf_stats_free(struct xpf_stats *stats);
const char *xpf_reason_name(unsigned int reason);
void xpf_stats_print(FILE *out, const struct xpf_stats *stats, enum xpf_stats_view view);
struct json_object *xpf_stats_json(const struct xpf_stats *stats, enum xpf_stats_view view);
/* "ingress", "outbound" or "not-for-host" (enum xpf_direction) */
const char *xpf_direction_name(uint8_t direction);
/* "tcp/8080" or "tcp+udp/50000-59999" */
void xpf_format_ports(const struct xpf_rule_info *info, char *buf, size_t size);
/* "tcp", "udp" or "tcp+udp" */
const char *xpf_protocols_name(uint8_t protocols);

#endif /* XPF_STATS_H */
