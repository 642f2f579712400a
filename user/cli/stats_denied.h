/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The denied side of `xpf stats`: top denied destination ports and source prefixes. */
#ifndef XPF_STATS_DENIED_H
#define XPF_STATS_DENIED_H

#include <net/if.h>
#include <stddef.h>

#include <json-c/json.h>

/* The top entries of each named interface: one object each into @interfaces, or as text when
 * it is NULL. 0, or 1 if any failed. */
int xpf_stats_denied_show(char (*names)[IF_NAMESIZE], int count, size_t top,
			  struct json_object *interfaces);

#endif /* XPF_STATS_DENIED_H */
