// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Every interface's counters, read at one moment (snapshot_read.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/snapshot_read.h"
#include "kernel/denied.h"
#include "kernel/filter.h"
#include "kernel/stats_read.h"

int xpf_snapshot_names(const char *ifname, char (*names)[IF_NAMESIZE], int max)
{
	int count;

	if (ifname) {
		snprintf(names[0], IF_NAMESIZE, "%s", ifname);
		return 1;
	}
	count = xpf_filter_list(names, max);
	if (count <= 0) {
		xpf_fail("not loaded on any interface");
		return -1;
	}
	return count;
}

static int read_one(const char *ifname, const char *operation, struct xpf_stats *stats)
{
	struct xpf_filter filter;
	int err = xpf_filter_find(ifname, &filter);

	if (err)
		return report_filter_error(ifname, operation, err);
	err = xpf_stats_read(&filter, stats);
	xpf_filter_close(&filter);
	return err ? report_failure(ifname, "read counters", err) : 0;
}

int xpf_snapshot_read(char (*names)[IF_NAMESIZE], int count, const char *operation,
		      struct xpf_snapshot *snapshot)
{
	snapshot->count = 0;
	snapshot->failed = 0;
	snapshot->denied = NULL;
	snapshot->unread_count = 0;
	snapshot->interfaces = calloc(count > 0 ? count : 1, sizeof(*snapshot->interfaces));
	snapshot->unread = calloc(count > 0 ? count : 1, sizeof(*snapshot->unread));
	if (!snapshot->interfaces || !snapshot->unread) {
		free(snapshot->interfaces);
		free(snapshot->unread);
		snapshot->interfaces = NULL;
		snapshot->unread = NULL;
		return -ENOMEM;
	}
	for (int i = 0; i < count; i++) {
		if (read_one(names[i], operation, &snapshot->interfaces[snapshot->count])) {
			snapshot->failed = 1;
			memcpy(snapshot->unread[snapshot->unread_count++], names[i], IF_NAMESIZE);
		} else {
			snapshot->count++;
		}
	}
	return 0;
}

int xpf_snapshot_read_denied(struct xpf_snapshot *snapshot)
{
	snapshot->denied = calloc(snapshot->count ?: 1, sizeof(*snapshot->denied));
	if (!snapshot->denied)
		return -ENOMEM;
	for (size_t i = 0; i < snapshot->count; i++) {
		struct xpf_snapshot_denied *denied = &snapshot->denied[i];
		struct xpf_filter filter;

		denied->port_count = denied->source_count = -1;
		/* Gone since its counters were read: the pane says nothing for it. */
		if (xpf_filter_find(snapshot->interfaces[i].ifname, &filter))
			continue;
		denied->port_count = xpf_denied_top(&filter, XPF_DENIED_BY_PORT, denied->ports,
						    XPF_SNAPSHOT_DENIED_TOP,
						    &denied->ports_tracked);
		denied->source_count = xpf_denied_top(&filter, XPF_DENIED_BY_SOURCE,
						      denied->sources, XPF_SNAPSHOT_DENIED_TOP,
						      &denied->sources_tracked);
		xpf_filter_close(&filter);
	}
	return 0;
}
