/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The denied record of a loaded filter (bpf/record.h): dropped packets by destination port and
 * by source prefix, summed over CPUs and sorted. User space only; `xpf stats --denied` prints
 * it, and a "denied" pane of `xpf top` can call the same function.
 */
#ifndef XPF_DENIED_H
#define XPF_DENIED_H

#include <stddef.h>
#include <stdint.h>

#include "core/stats.h"
#include "kernel/filter.h"

/* The @max entries with the most packets, most first (ties: by key text), into @out. Returns
 * how many were filled, or a negative errno. *@total (may be NULL) receives how many entries
 * the kernel holds. */
int xpf_denied_top(const struct xpf_filter *filter, enum xpf_denied_kind kind,
		   struct xpf_denied_entry *out, size_t max, size_t *total);

/* Packets of the denied record that were counted by sampling under a flood, all CPUs
 * (bpf/record.h, denied_weight()); 0: every count is exact. Negative errno on failure. */
int64_t xpf_denied_estimated(const struct xpf_filter *filter);

#endif /* XPF_DENIED_H */
