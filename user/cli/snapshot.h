/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A snapshot: the counters of every interface a verb reads, at one moment. Shared by
 * `xpf stats`, `xpf top` and `xpf exporter` so they name and read interfaces the same way.
 * User space only.
 */
#ifndef XPF_SNAPSHOT_H
#define XPF_SNAPSHOT_H

#include <stddef.h>

#include "kernel/denied.h"
#include "kernel/stats.h"

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
	/* parallel to interfaces; NULL unless xpf_snapshot_read_denied() ran */
	struct xpf_snapshot_denied *denied;
};

/* The interfaces to read: @ifname alone, or every interface where xpf is attached in this
 * network namespace (@ifname NULL). Returns how many, or -1 after saying why on stderr. */
int xpf_snapshot_names(const char *ifname, char (*names)[IF_NAMESIZE], int max);

/* Reads the counters of @names; an interface that fails is said on stderr (@operation names
 * the verb) and left out, and @snapshot->failed is set. 0, or -ENOMEM. */
int xpf_snapshot_read(char (*names)[IF_NAMESIZE], int count, const char *operation,
		      struct xpf_snapshot *snapshot);
/* Adds the busiest denied ports and sources of every interface read. 0, or -ENOMEM; an
 * interface whose record cannot be read gets counts of -1. */
int xpf_snapshot_read_denied(struct xpf_snapshot *snapshot);
void xpf_snapshot_free(struct xpf_snapshot *snapshot);

#endif /* XPF_SNAPSHOT_H */
