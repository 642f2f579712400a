/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A snapshot (snapshot.h) read from the filters of this network namespace. User space only. */
#ifndef XPF_SNAPSHOT_READ_H
#define XPF_SNAPSHOT_READ_H

#include <net/if.h>

#include "cli/snapshot.h"

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

#endif /* XPF_SNAPSHOT_READ_H */
