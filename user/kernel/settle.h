/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* After a flip: the wait until no program run can still read the generation it left (settle.c).
 * User space only. */
#ifndef XPF_SETTLE_H
#define XPF_SETTLE_H

#include <stdint.h>

/* A flip's settling: taken right after the flip's store, waited for before the old generation's
 * counters are read or its entries removed. */
struct xpf_settle {
	uint64_t fallback_at_ns;	/* CLOCK_MONOTONIC: the flip + XPF_SETTLE_FALLBACK_US; 0: none,
					 * settled already */
};

/* Starts the settling of a flip made just now. */
void xpf_settle_start(struct xpf_settle *settle);
/* Returns once no program run that began before the flip is still running. Any thread, any
 * number of times. */
void xpf_settle_wait(const struct xpf_settle *settle);

#endif /* XPF_SETTLE_H */
