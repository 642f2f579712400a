/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Counters of a loaded filter, summed over CPUs, and their text and JSON forms. User only. */
#ifndef XPF_STATS_H
#define XPF_STATS_H

#include <stdio.h>

#include <json-c/json.h>

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

void xpf_counter_add(struct xpf_counter *to, const struct xpf_counter *from);
/* Every reason's counter of reason_stats (@fd: one per-CPU struct xpf_cpu_state), summed over
 * @ncpus CPUs into @sums (last_seen: the latest). */
int xpf_reasons_read(int fd, int ncpus, struct xpf_counter sums[XPF_REASON_COUNT]);
/* Rule @rule_id's counters of every CPU summed into @sum (rule_stats' elements are blocks of
 * XPF_COUNTER_BLOCK rules; @scratch holds @ncpus blocks). */
int xpf_rule_counter_read(int fd, uint32_t rule_id, int ncpus, struct xpf_counter_block *scratch,
			  struct xpf_counter *sum);
/* Takes the whole counts of @count rules from rule id @first on (@totals[0] is rule @first's). */
typedef int (*xpf_rule_totals_fn)(uint32_t first, const struct xpf_counter *totals,
				  uint32_t count, void *ctx);
/* The whole counts of rules @first_id .. @first_id + @count - 1: what earlier generations
 * carried (rule_carried) plus their own counters on @ncpus CPUs (rule_stats), read in batches
 * of 256 KiB of per-CPU counters (4,096 rules on two CPUs), each batch handed to @take.
 * @first_id starts a block of rule_stats. Stops at the first error, @take's included. */
int xpf_rule_totals_read(const struct xpf_filter *filter, uint32_t first_id, uint32_t count,
			 int ncpus, xpf_rule_totals_fn take, void *ctx);
int xpf_stats_read(const struct xpf_filter *filter, struct xpf_stats *stats);
void xpf_stats_free(struct xpf_stats *stats);
const char *xpf_reason_name(unsigned int reason);
void xpf_stats_print(FILE *out, const struct xpf_stats *stats, enum xpf_stats_view view);
struct json_object *xpf_stats_json(const struct xpf_stats *stats, enum xpf_stats_view view);
/* "ingress", "outbound" or "not-for-host" (enum xpf_direction) */
const char *xpf_direction_name(uint8_t direction);
/* "tcp/8080" or "tcp+udp/50000-59999" */
void xpf_format_ports(const struct xpf_rule_info *info, char *buf, size_t size);
/* Where a rule comes from: "site:12" for a site row, "t1:83" for a row of the generation's
 * table 1 (meta.origins), "t1:83,t3" when another table has it too. */
void xpf_format_origin(const struct xpf_stats *stats, const struct xpf_rule_info *info,
		       char *buf, size_t size);
/* The table a rule's origin @index names, or NULL. */
const struct xpf_origin_info *xpf_origin_of(const struct xpf_stats *stats, uint8_t origin);
/* "tcp", "udp" or "tcp+udp" */
const char *xpf_protocols_name(uint8_t protocols);

#endif /* XPF_STATS_H */
