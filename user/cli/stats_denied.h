/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The denied side of `xpf stats`: top denied destination ports and source prefixes. */
#ifndef XPF_STATS_DENIED_H
#define XPF_STATS_DENIED_H

#include <net/if.h>
#include <stddef.h>

/* Prints (text or JSON) the top entries of each named interface; 0, or 1 if any failed. */
int xpf_stats_denied_show(char (*names)[IF_NAMESIZE], int count, size_t top, int json,
			  int one_named);

#endif /* XPF_STATS_DENIED_H */
