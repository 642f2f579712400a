/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A snapshot: the counters of every interface a verb reads, at one moment. Shared by
 * `xpf stats`, `xpf top` and `xpf exporter` so they name and read interfaces the same way
 * (snapshot_read.h); plain data here, for the views and their tests. User space only.
 */
#ifndef XPF_SNAPSHOT_H
#define XPF_SNAPSHOT_H

#include <stddef.h>

#include "core/stats.h"

/* The busiest entries of an interface's denied record (user/kernel/denied.c), for `xpf top`. */
#define XPF_SNAPSHOT_DENIED_TOP 5

struct xpf_snapshot_denied {
	struct xpf_denied_entry ports[XPF_SNAPSHOT_DENIED_TOP];
	struct xpf_denied_entry sources[XPF_SNAPSHOT_DENIED_TOP];
	int port_count, source_count;		/* filled; -1: could not be read */
	size_t ports_tracked, sources_tracked;	/* entries the kernel holds */
};

struct xpf_snapshot {
	struct xpf_stats *interfaces;	/* one per interface read, in the order named or listed */
	size_t count;
	int failed;			/* some interface could not be read (said on stderr) */
	char (*unread)[IF_NAMESIZE];	/* ... those interfaces, as named or listed */
	size_t unread_count;
	/* parallel to interfaces; NULL unless xpf_snapshot_read_denied() ran */
	struct xpf_snapshot_denied *denied;
};

void xpf_snapshot_free(struct xpf_snapshot *snapshot);

#endif /* XPF_SNAPSHOT_H */
