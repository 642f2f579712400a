/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Counters across a reload (carry.c). User space only. */
#ifndef XPF_CARRY_H
#define XPF_CARRY_H

#include <stdint.h>

#include "kernel/filter.h"

/* After a flip from @from to @to: counts of unchanged rules carried into @to's range of
 * rule_carried; @from's other rules in filter->removed. @settled_at_ns: when (CLOCK_MONOTONIC)
 * no packet reads @from any more and its counters are final, 0 now; its rule metadata is read
 * meanwhile. */
int xpf_carry_counters(struct xpf_filter *filter, const struct xpf_meta *meta, uint8_t from,
		       uint8_t to, uint64_t settled_at_ns);
/* Sleeps until @at_ns on CLOCK_MONOTONIC (0 or past: returns at once). */
void xpf_sleep_until(uint64_t at_ns);

#endif /* XPF_CARRY_H */
