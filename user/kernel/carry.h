/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Counters across a reload (carry.c). User space only. */
#ifndef XPF_CARRY_H
#define XPF_CARRY_H

#include <stdint.h>

#include "kernel/filter.h"
#include "kernel/settle.h"

/* After a flip from @from to @to: counts of unchanged rules carried into @to's range of
 * rule_carried; @from's other rules in filter->removed. @settle: the flip's, waited for before
 * @from's counters are read (they are final then); its rule metadata is read meanwhile. */
int xpf_carry_counters(struct xpf_filter *filter, const struct xpf_meta *meta, uint8_t from,
		       uint8_t to, const struct xpf_settle *settle);

#endif /* XPF_CARRY_H */
