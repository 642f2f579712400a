// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* A filter's per-CPU counters, summed (counters.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "core/stats.h"
#include "kernel/counters.h"
#include "kernel/map_batch.h"

int xpf_reasons_read(int fd, int ncpus, struct xpf_counter sums[XPF_REASON_COUNT])
{
	struct xpf_cpu_state *states = calloc(ncpus, sizeof(*states));
	uint32_t zero = 0;

	memset(sums, 0, XPF_REASON_COUNT * sizeof(*sums));
	if (!states)
		return -ENOMEM;
	if (bpf_map_lookup_elem(fd, &zero, states)) {
		free(states);
		return -errno;
	}
	for (int cpu = 0; cpu < ncpus; cpu++)
		for (int reason = 0; reason < XPF_REASON_COUNT; reason++)
			xpf_counter_add(&sums[reason], &states[cpu].reasons[reason]);
	free(states);
	return 0;
}

/* Adds rule @rule_id's counters of every CPU's block (@per_cpu: @ncpus blocks, as a per-CPU
 * lookup of rule_stats gives them) into @sum. */
static void rule_counter_sum(const struct xpf_counter_block *per_cpu, int ncpus,
			     uint32_t rule_id, struct xpf_counter *sum)
{
	for (int cpu = 0; cpu < ncpus; cpu++)
		xpf_counter_add(sum, &per_cpu[cpu].counters[rule_id % XPF_COUNTER_BLOCK]);
}

int xpf_rule_counter_read(int fd, uint32_t rule_id, int ncpus, struct xpf_counter_block *scratch,
			  struct xpf_counter *sum)
{
	uint32_t block = rule_id / XPF_COUNTER_BLOCK;

	memset(sum, 0, sizeof(*sum));
	if (bpf_map_lookup_elem(fd, &block, scratch))
		return -errno;
	rule_counter_sum(scratch, ncpus, rule_id, sum);
	return 0;
}

/* Per-CPU blocks of rule counters read at a time: 512 (256 KiB), so 256 blocks of 16 rules on
 * two CPUs and fewer on more, and as many rules' carried counts. */
#define BATCH_CPU_BLOCKS 512

int xpf_rule_totals_read(const struct xpf_filter *filter, uint32_t first_id, uint32_t count,
			 int ncpus, xpf_rule_totals_fn take, void *ctx)
{
	uint32_t batch_blocks, batch;
	struct xpf_counter_block *blocks;
	struct xpf_counter *totals;
	int err;

	if (ncpus < 1)
		return -EINVAL;
	batch_blocks = ncpus < BATCH_CPU_BLOCKS ? BATCH_CPU_BLOCKS / (uint32_t)ncpus : 1;
	batch = batch_blocks * XPF_COUNTER_BLOCK;
	blocks = calloc((size_t)batch_blocks * ncpus, sizeof(*blocks));
	totals = malloc(batch * sizeof(*totals));
	err = blocks && totals ? 0 : -ENOMEM;

	/* A generation's ids start on a block (XPF_COUNTER_BLOCK divides rule_id_span): a batch
	 * of rules is whole blocks. */
	for (uint32_t done = 0; done < count && !err; done += batch) {
		uint32_t n = count - done < batch ? count - done : batch;

		err = xpf_map_read_array(filter->map_fds[XPF_MAP_RULE_CARRIED], first_id + done,
					 totals, n) ?:
		      xpf_map_read_array(filter->map_fds[XPF_MAP_RULE_STATS],
					 (first_id + done) / XPF_COUNTER_BLOCK, blocks,
					 (n + XPF_COUNTER_BLOCK - 1) / XPF_COUNTER_BLOCK);
		for (uint32_t i = 0; i < n && !err; i++)
			rule_counter_sum(&blocks[(size_t)(i / XPF_COUNTER_BLOCK) * ncpus], ncpus,
					 first_id + done + i, &totals[i]);
		err = err ?: take(first_id + done, totals, n, ctx);
	}
	free(blocks);
	free(totals);
	return err;
}
