/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* What tells the hosts of a pool apart and what they share, as `status` and `stats` show it:
 * the addresses a filter enforces and its policy digest. User space only. */
#ifndef XPF_POOL_VIEW_H
#define XPF_POOL_VIEW_H

#include <stdio.h>

#include <json-c/json.h>

#include "core/stats.h"

/* "  digest: HEX\n  local:  ADDR, ADDR\n", each line after @indent. */
void xpf_pool_print(FILE *out, const char *indent, const struct xpf_stats *stats);
/* Adds "digest" and "locals" (an array of addresses) to @object. */
void xpf_pool_json(struct json_object *object, const struct xpf_stats *stats);

#endif /* XPF_POOL_VIEW_H */
