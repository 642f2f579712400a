/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* `xpf stats`: one filter's counters as text and JSON. User space only. */
#ifndef XPF_STATS_VIEW_H
#define XPF_STATS_VIEW_H

#include <stdio.h>

#include <json-c/json.h>

#include "core/stats.h"

enum xpf_stats_view {
	XPF_VIEW_RULE,
	XPF_VIEW_PORT,
};

void xpf_stats_print(FILE *out, const struct xpf_stats *stats, enum xpf_stats_view view);
struct json_object *xpf_stats_json(const struct xpf_stats *stats, enum xpf_stats_view view);

#endif /* XPF_STATS_VIEW_H */
