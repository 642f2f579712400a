/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A filter's counters, summed over CPUs: what the views read and a reload carries. User space
 * only. */
#ifndef XPF_COUNTERS_H
#define XPF_COUNTERS_H

#include <stdint.h>

#include "kernel/filter.h"

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

#endif /* XPF_COUNTERS_H */
