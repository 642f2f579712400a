// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* One filter's counters, read (stats_read.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kernel/generation.h"
#include "kernel/local_read.h"
#include "kernel/counters.h"
#include "kernel/flows.h"
#include "kernel/map_batch.h"
#include "kernel/rule_info.h"
#include "kernel/stats_read.h"

struct rule_info_read {
	struct xpf_stats *stats;
	uint32_t first_id;
	size_t found;
};

/* The batch's rule_info entries of the generation listed, into their rules. */
static int take_rule_infos(int fd, struct xpf_map_batch *batch, void *arg)
{
	struct rule_info_read *read = arg;

	(void)fd;
	for (uint32_t i = 0; i < batch->count; i++) {
		uint32_t id;

		memcpy(&id, batch->keys + (size_t)i * batch->key_size, sizeof(id));
		if (id - read->first_id >= read->stats->rule_count)
			continue;
		memcpy(&read->stats->rules[id - read->first_id].info,
		       batch->values + (size_t)i * batch->value_size, sizeof(struct xpf_rule_info));
		read->found++;
	}
	return 0;
}

/* Every rule's metadata in one batched read of the generation's rule_info (a rule set of
 * 100,000 rules is tens of bpf() calls, not one a rule). */
static int read_rule_infos(const struct xpf_filter *filter, struct xpf_stats *stats,
			   uint32_t first_id)
{
	struct rule_info_read read = { stats, first_id, 0 };
	int err = xpf_rule_info_walk(filter, (uint8_t)stats->rules_generation,
				     stats->meta.rule_id_span, take_rule_infos, &read);

	if (!err && read.found != stats->rule_count)
		err = -ENOENT;
	return err;
}

/* xpf_rule_totals_read()'s batch into the rules of xpf_stats_read(). */
static int take_totals(uint32_t first, const struct xpf_counter *totals, uint32_t count,
		       void *ctx)
{
	struct xpf_stats *stats = ctx;
	uint32_t first_id = stats->rules_generation * stats->meta.rule_id_span;

	for (uint32_t i = 0; i < count; i++) {
		stats->rules[first - first_id + i].id = first + i;
		stats->rules[first - first_id + i].counter = totals[i];
	}
	return 0;
}

/* The generation whose rules and counts are listed (struct xpf_stats, rules_generation). A
 * reload writes the counts it carries from the generation it leaves into the new one only once
 * no packet can count on the old one any more (xpf_filter_retire(), install.c). Until then the
 * new generation's rows hold only what they counted since the flip, and the old ones, still
 * loaded, everything before it: listing the old rows keeps every count from falling back, which
 * a Prometheus scrape would take for a counter reset. The new rows follow once the retirement
 * has unloaded the old generation, with the carried counts in them. A reload killed after its
 * flip is listed the same way until its repair carries the counts (leftovers.c). */
static uint32_t rules_generation(const struct xpf_in_force *in_force, const struct xpf_meta *meta)
{
	uint32_t current = in_force->generation & 1;

	return xpf_spare_is_left_behind(in_force, meta) ? !current : current;
}

/* What the rules of @stats depend on, read: the generation in force, its config, meta and the
 * generation to list. */
static int read_generations(const struct xpf_filter *filter, struct xpf_stats *stats)
{
	struct xpf_in_force in_force;
	uint32_t zero = 0;
	int err = xpf_in_force_read(filter, &in_force);

	if (err)
		return err;
	stats->generation = in_force.generation & 1;
	stats->config = in_force.config[stats->generation];
	if (bpf_map_lookup_elem(filter->map_fds[XPF_MAP_META], &zero, &stats->meta))
		return -errno;
	stats->rules_generation = rules_generation(&in_force, &stats->meta);
	return 0;
}

static int read_rules(const struct xpf_filter *filter, struct xpf_stats *stats, int ncpus)
{
	uint32_t first_id = stats->rules_generation * stats->meta.rule_id_span;

	stats->rule_count = stats->meta.rule_count[stats->rules_generation];
	stats->rules = calloc(stats->rule_count ?: 1, sizeof(*stats->rules));
	if (!stats->rules)
		return -ENOMEM;
	return read_rule_infos(filter, stats, first_id) ?:
	       xpf_rule_totals_read(filter, first_id, (uint32_t)stats->rule_count, ncpus,
				    take_totals, stats);
}

/* Reads of the rules that a retirement or a reload running beside them may cut short (the
 * generation they read unloaded, its rule_info gone): each is tried again on the generation
 * then listed. */
#define RULES_READ_ATTEMPTS 3

/* The rules to list with their counts, read again where the generation to list changed under a
 * read that failed. */
static int read_listed_rules(const struct xpf_filter *filter, struct xpf_stats *stats,
			     int ncpus)
{
	int err = 0;

	for (int attempt = 0; attempt < RULES_READ_ATTEMPTS; attempt++) {
		uint32_t listed = stats->rules_generation;

		free(stats->rules);
		stats->rules = NULL;
		err = read_rules(filter, stats, ncpus);
		if (!err || err == -ENOMEM)
			return err;
		if (read_generations(filter, stats) || stats->rules_generation == listed)
			return err;
	}
	return err;
}

int xpf_stats_read(const struct xpf_filter *filter, struct xpf_stats *stats)
{
	int ncpus = libbpf_num_possible_cpus(), err = 0;
	struct timespec now;

	memset(stats, 0, sizeof(*stats));
	if (ncpus < 0)
		return ncpus;
	snprintf(stats->ifname, sizeof(stats->ifname), "%s", filter->ifname);
	stats->mode = (enum xpf_attach_mode)filter->mode;
	err = read_generations(filter, stats);
	if (err)
		return err;
	clock_gettime(CLOCK_MONOTONIC, &now);
	stats->monotonic_now_ns = now.tv_sec * 1000000000ull + now.tv_nsec;
	err = read_listed_rules(filter, stats, ncpus);
	if (!err)
		err = xpf_reasons_read(filter->map_fds[XPF_MAP_REASON_STATS], ncpus,
				       stats->reasons);
	if (!err) {
		struct xpf_flow *flows;

		err = xpf_flows_read(filter, &flows, &stats->flows_tracked);
		if (!err)
			stats->flows_open = xpf_flows_open(flows, stats->flows_tracked);
		free(flows);
	}
	if (!err) {
		int count = xpf_local_addrs_read(filter, (uint8_t)stats->generation, &stats->locals);

		err = count < 0 ? count : 0;
		stats->local_count = count < 0 ? 0 : (size_t)count;
	}
	if (err)
		xpf_stats_free(stats);
	return err;
}
