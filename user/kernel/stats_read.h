/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* One filter's counters, rule metadata and flows, read at one moment. User space only. */
#ifndef XPF_STATS_READ_H
#define XPF_STATS_READ_H

#include "core/stats.h"
#include "kernel/filter.h"

/* Into @stats (free with xpf_stats_free()); on an error nothing is left allocated. */
int xpf_stats_read(const struct xpf_filter *filter, struct xpf_stats *stats);

#endif /* XPF_STATS_READ_H */
