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
}
