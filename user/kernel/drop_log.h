/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The drop log of loaded filters: events from their ring buffers (bpf/record.h). User only. */
#ifndef XPF_DROP_LOG_H
#define XPF_DROP_LOG_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/filter.h"

/* One event, with what user space adds: the filter it came from and the wall-clock time. */
struct xpf_drop {
	const struct xpf_filter *filter;
	struct xpf_log_event event;
	uint64_t realtime_ns;
	bool has_rule;			/* event.reason is XPF_REASON_RULE and its row was found */
	uint32_t rule_number;		/* as `xpf stats` numbers rows: 1, 2, ... */
	struct xpf_rule_info rule;
};

#define XPF_MAX_FOLLOWED 256

typedef void (*xpf_drop_handler)(const struct xpf_drop *drop, void *ctx);

/* Calls @handler for every event of @filters' ring buffers until *@stop is set (a signal
 * handler's flag; a signal also interrupts the wait). One reader per filter at a time: two
 * would share the events between them. Returns 0 or a negative errno. */
int xpf_drop_log_follow(const struct xpf_filter *filters, int count, volatile sig_atomic_t *stop,
			xpf_drop_handler handler, void *ctx);

#endif /* XPF_DROP_LOG_H */
