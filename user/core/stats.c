// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>

#include "core/stats.h"

/* Per-CPU values summed; last_seen is the latest of the CPUs'. */
void xpf_counter_add(struct xpf_counter *to, const struct xpf_counter *from)
{
	to->packets += from->packets;
	to->bytes += from->bytes;
	to->would_drop += from->would_drop;
	if (from->last_seen_ns > to->last_seen_ns)
		to->last_seen_ns = from->last_seen_ns;
}

void xpf_stats_free(struct xpf_stats *stats)
{
	free(stats->rules);
	stats->rules = NULL;
	stats->rule_count = 0;
	free(stats->locals);
	stats->locals = NULL;
	stats->local_count = 0;
}

const struct xpf_origin_info *xpf_origin_of(const struct xpf_stats *stats, uint8_t origin)
{
	uint32_t count = stats->meta.origin_count[stats->generation];

	if (!origin || origin > count || origin > XPF_MAX_ORIGINS)
		return NULL;
	return &stats->meta.origins[stats->generation][origin - 1];
}

void xpf_format_origin(const struct xpf_stats *stats, const struct xpf_rule_info *info,
		       char *buf, size_t size)
{
	size_t used;

	if (!xpf_origin_of(stats, info->origins[0])) {
		snprintf(buf, size, "%s:%u", info->from_site ? "site" : "table", info->line);
		return;
	}
	used = (size_t)snprintf(buf, size, "t%u:%u", info->origins[0], info->line);
	for (int i = 1; i < XPF_RULE_ORIGINS && info->origins[i] && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, ",t%u", info->origins[i]);
}
